"""Turns raw model text into a typed output value, or says in words why it cannot.

Parsers are chosen per contract with `parse = "..."`: `json` (default), `text`, `number`,
`code` and `choice` (an enum output: the member the text names first). Every failure is an `OutputParseError` whose message is fed back to the model.
"""
from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any, Callable

from evoforge.contracts.types import EnumType, JsonType, MapType, RecordType, Type, ValueTypeError, conform

MAX_TEXT = 100_000  # longer answers are cut before parsing, so hostile text cannot stall the guard
MAX_JSON_STARTS = 32  # bracket positions tried when the JSON is embedded in prose
_FENCE = re.compile(r"```[A-Za-z0-9_+-]*[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


class OutputParseError(ValueError):
    """The model's text could not be read as the contract's output type."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


_DECODER = json.JSONDecoder(parse_float=Fraction, parse_constant=_reject_constant)


def _first_json_value(text: str) -> Any:
    candidates = [text.strip(), *(m.group(1).strip() for m in _FENCE.finditer(text))]
    for candidate in candidates:
        try:
            return _DECODER.decode(candidate)
        except ValueError:
            pass
    starts = [i for i, char in enumerate(text) if char in "{["][:MAX_JSON_STARTS]
    for start in starts:
        try:
            return _DECODER.raw_decode(text, start)[0]
        except (ValueError, RecursionError):
            continue
    raise OutputParseError("no JSON value found in the answer; reply with JSON only")


def parse_json(text: str, output: Type) -> Any:
    value = _first_json_value(text)
    # A scalar or list answer is often wrapped as {"result": ...} or {"answer": ...}; an object
    # is the answer itself where one is expected (a record, a map, json).
    if not isinstance(output, (RecordType, MapType, JsonType)) and isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    return value


def parse_text(text: str, output: Type) -> Any:
    return text.strip()


def parse_number(text: str, output: Type) -> Any:
    match = _NUMBER.search(text)
    if match is None:
        raise OutputParseError("no number found in the answer; reply with the number only")
    token = match.group(0)
    return int(token) if re.fullmatch(r"-?\d+", token) else Fraction(token)


def parse_code(text: str, output: Type) -> Any:
    match = _FENCE.search(text)
    return (match.group(1) if match else text).strip("\n") + "\n"


def parse_choice(text: str, output: Type) -> Any:
    """The enum member the text names first, as a whole word in any case ("It is from Japan." ->
    "Japan"): what a small model that will not write JSON can still give."""
    if not isinstance(output, EnumType):
        raise OutputParseError(f"parse = \"choice\" reads an enum, not {output}")
    found = [(match.start(), member) for member in output.values
             if (match := re.search(rf"(?<![A-Za-z0-9_]){re.escape(member)}(?![A-Za-z0-9_])", text, re.IGNORECASE))]
    if not found:
        raise OutputParseError(f"the answer names none of {', '.join(output.values)}; reply with one of them only")
    return min(found)[1]


PARSERS: dict[str, Callable[[str, Type], Any]] = {
    "json": parse_json,
    "text": parse_text,
    "number": parse_number,
    "code": parse_code,
    "choice": parse_choice,
}


def parse_output(text: str, output: Type, parser: str) -> Any:
    """The conformed output value, or `OutputParseError` with feedback for the model."""
    try:
        raw = PARSERS[parser](text[:MAX_TEXT], output)
        return conform(raw, output, "the answer")
    except ValueTypeError as error:
        raise OutputParseError(str(error)) from None
    except RecursionError:
        raise OutputParseError("the answer is nested too deeply") from None
