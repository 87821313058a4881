"""BFCL's check of a simple function call against its possible answers, for the `bfcl` domain.

The rules of bfcl_eval's AST checker for Python (`simple_function_checker`), written again here
so that bfcl_eval need not be imported: the right function; every required parameter given;
no parameter that is not declared or not in the possible answers; each value of its declared
type (an int may stand for a float; an array's items of the item type) and among the accepted
values, strings compared without case, spaces and ",./-_*^", lists and dicts item by item; an
optional parameter left out only where "" is among its accepted values. Trusted kernel code: it
reads the answer, never runs it.
"""
from __future__ import annotations

import re
from typing import Any

from evoforge.contracts.types import to_plain

PYTHON_TYPES = {"string": str, "integer": int, "float": float, "boolean": bool, "array": list, "tuple": list, "dict": dict, "any": str}
NESTED = ("array", "tuple")


class Wrong(Exception):
    """Why the call is not one of the possible answers."""


def evaluate(answer: Any, labels: dict[str, Any], inputs: dict[str, Any]) -> tuple[float, str]:
    try:
        check(answer, labels["ground_truth"], inputs["functions"])
    except Wrong as why:
        return 0.0, str(why)
    return 1.0, "correct"


def reference(labels: dict[str, Any]) -> dict[str, Any]:
    """A call that must score 1: each parameter with its first accepted value (none where "" is
    the only one)."""
    (name, parameters), = labels["ground_truth"][0].items()
    return {"name": name, "arguments": _example(parameters)}


def _example(accepted: dict[str, list[Any]]) -> dict[str, Any]:
    """An object with, for each key, the first of its accepted values, objects inside taken alike."""
    chosen = {key: next((v for v in values if v != ""), "") for key, values in accepted.items()}
    return {key: _example(v) if isinstance(v, dict) else [_example(i) for i in v] if _objects(v) else v
            for key, v in chosen.items() if v != ""}


def _objects(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def check(answer: Any, ground_truth: list[dict[str, Any]], functions: list[dict[str, Any]]) -> None:
    """Raises `Wrong` unless `answer` ({"name", "arguments"}) is a possible answer."""
    if not (isinstance(answer, dict) and isinstance(answer.get("name"), str) and isinstance(answer.get("arguments"), dict)):
        raise Wrong(f"the answer is not a call {{name, arguments}}: {str(answer)[:80]!r}")
    (expected_name, possible), = ground_truth[0].items()
    if answer["name"] != expected_name:
        raise Wrong(f"called {answer['name']!r}, expected {expected_name!r}")
    declaration = next(f for f in functions if f["name"] == expected_name)
    arguments = to_plain(answer["arguments"])  # exact reals as the floats BFCL's answers are written in
    for name in declaration["required"]:
        if name not in arguments:
            raise Wrong(f"missing required parameter {name!r}")
    for name, value in arguments.items():
        if name not in declaration["parameters"] or name not in possible:
            raise Wrong(f"unexpected parameter {name!r}")
        _check_value(name, value, declaration["parameters"][name], possible[name])
    for name, values in possible.items():
        if name not in arguments and "" not in values:
            raise Wrong(f"parameter {name!r} is left out but has no default")


def _check_value(name: str, value: Any, parameter: dict[str, Any], accepted: list[Any]) -> None:
    declared = parameter["type"]
    expected = PYTHON_TYPES[declared]
    if declared == "float" and type(value) is int:  # BFCL lets an int stand for a float
        value = float(value)
    if _type_check(name, value, declared, expected, parameter.get("items"), accepted):  # a variable: compared as it is
        found = value in accepted
    elif expected is dict:
        found = _dict_fits(value, accepted)
    elif expected is list and parameter.get("items") == "dict":
        found = any(isinstance(option, list) and len(option) == len(value) and all(_dict_fits(v, [o]) for v, o in zip(value, option))
                    for option in accepted)
    elif expected is str:
        found = _standard(value) in [_standard(a) for a in accepted if isinstance(a, str)]
    elif expected is list:
        found = [_standard_item(v) for v in value] in [[_standard_item(v) for v in a] for a in accepted if isinstance(a, list)]
    else:
        found = value in accepted
    if not found:
        raise Wrong(f"{name!r} is {value!r}, not one of {accepted}")


def _type_check(name: str, value: Any, declared: str, expected: type, items: str | None, accepted: list[Any]) -> bool:
    """Whether the value stands for a variable (its type is that of the possible answers, not
    the declared one); raises `Wrong` when it has neither type."""
    answer_type = next((type(a) for a in accepted if a != ""), None)
    variable = answer_type is not None and answer_type is not expected
    if type(value) is expected:
        if declared in NESTED and items in PYTHON_TYPES:
            item_type = PYTHON_TYPES[items]
            if not any(isinstance(a, list) and all(type(v) is item_type or (items == "float" and type(v) is int) for v in value) for a in accepted):
                raise Wrong(f"{name!r}: the items of {value!r} are not all {items}")
        return variable
    if answer_type is not None and type(value) is answer_type:
        return True
    raise Wrong(f"{name!r} should be {declared}, got {type(value).__name__} {value!r}")


def _standard(text: str) -> str:
    return re.sub(r"[ ,./\-_*^]", "", text).lower().replace("'", '"')


def _standard_item(value: Any) -> Any:
    return _standard(value) if isinstance(value, str) else value


def _dict_fits(value: dict[str, Any], accepted: list[Any]) -> bool:
    """Whether an object argument is one of the accepted objects (each key's value among that key's)."""
    for option in accepted:
        if not isinstance(option, dict):
            continue
        fits = all(key in option and _standard_item(v) in [_standard_item(a) for a in option[key]] for key, v in value.items())
        if fits and all(key in value or "" in values for key, values in option.items()):
            return True
    return False
