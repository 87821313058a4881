"""The field types a domain declares for its inputs and labels, and how raw values become them.

A field is `str`, `int`, `real`, `bool` or `json`, or any type of the contract language
(`list[Function, 4]`, `enum['a', 'b']`, a record declared in the domain's spec files), so the
answer contract can take the task's inputs with their exact types. JSONL values must already
have the type; CSV cells are text and are converted (a contract type's cell is JSON). Agents
receive the input schema (field -> type name) with every task, so they can tell fields apart.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from evoforge.contracts.types import Type

TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1"}, {"false", "no", "0"}


def _bool_from_text(text: str) -> bool:
    word = text.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError(f"{text!r} is not one of true/false/yes/no/1/0")
    return word in TRUE_WORDS


# type name -> (does a JSON value have it, how a CSV cell becomes it)
FIELD_TYPES: dict[str, tuple[Callable[[Any], bool], Callable[[str], Any]]] = {
    "str": (lambda v: isinstance(v, str), str),
    "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), int),
    "real": (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool), float),
    "bool": (lambda v: isinstance(v, bool), _bool_from_text),
    "json": (lambda v: True, json.loads),
}


A_TYPE = {"str": "a str", "int": "an int", "real": "a real", "bool": "a bool", "json": "JSON"}  # for messages


def a_type(type_name: str) -> str:
    """The type in a message: "an int", or a contract type as written."""
    return A_TYPE.get(type_name, f"a {type_name}")


def typed_value(value: Any, type_name: str, from_text: bool, structured: Type | None = None) -> Any:
    """`value` as `type_name` (a contract type when `structured` is given); raises ValueError
    saying why it is not one."""
    if structured is not None:
        from evoforge.contracts.types import ValueTypeError, conform, to_plain

        try:
            return to_plain(conform(json.loads(value) if from_text else value, structured, "the value"))
        except (ValueTypeError, json.JSONDecodeError) as error:
            raise ValueError(str(error)) from None
    accepts, convert = FIELD_TYPES[type_name]
    if from_text:
        try:
            return convert(value)
        except (ValueError, json.JSONDecodeError) as error:
            raise ValueError(f"{value!r} is not {A_TYPE[type_name]} ({error})") from None
    if not accepts(value):
        raise ValueError(f"{json.dumps(value)[:60]} is not {A_TYPE[type_name]}")
    return value
