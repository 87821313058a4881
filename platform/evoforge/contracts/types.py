"""The value types of the contract language, and how concrete values are checked against them.

Types are written in spec files as small Python-like expressions (parsed with `ast`):
`int`, `real`, `bool`, `str`, `enum["a", "b"]`, `list[T, N]` (at most N items) and the
name of a record declared in the spec's `[types]` table.

At run time values are plain Python: int, `fractions.Fraction` for real (exact, so the
runtime checker and Z3 agree), bool, str, str for enum members, list, and dict for records.
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union

from evoforge.contracts.z3_strings import unrepresentable


@dataclass(frozen=True)
class IntType:
    def __str__(self) -> str:
        return "int"


@dataclass(frozen=True)
class RealType:
    def __str__(self) -> str:
        return "real"


@dataclass(frozen=True)
class BoolType:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class StrType:
    def __str__(self) -> str:
        return "str"


@dataclass(frozen=True)
class EnumType:
    values: tuple[str, ...]

    def __str__(self) -> str:
        return "enum[" + ", ".join(repr(v) for v in self.values) + "]"


@dataclass(frozen=True)
class ListType:
    item: "Type"
    max_len: int

    def __str__(self) -> str:
        return f"list[{self.item}, {self.max_len}]"


@dataclass(frozen=True)
class RecordType:
    name: str
    fields: tuple[tuple[str, "Type"], ...]

    def field(self, name: str) -> "Type | None":
        return dict(self.fields).get(name)

    def __str__(self) -> str:
        return self.name


Type = Union[IntType, RealType, BoolType, StrType, EnumType, ListType, RecordType]

INT, REAL, BOOL, STR = IntType(), RealType(), BoolType(), StrType()
SCALARS: dict[str, Type] = {"int": INT, "real": REAL, "bool": BOOL, "str": STR}
# A list literal with no items gets this item type until it meets an expected type.
MAX_LIST_LEN = 64


class TypeSyntaxError(ValueError):
    """A type expression is malformed or names an unknown type."""


def is_numeric(t: Type) -> bool:
    return isinstance(t, (IntType, RealType))


def is_stringlike(t: Type) -> bool:
    return isinstance(t, (StrType, EnumType))


def assignable(source: Type, target: Type, *, loose: bool = False) -> bool:
    """Whether a value of `source` type may stand where `target` is expected.

    `loose` is for fallbacks: a plain string may stand for an enum member and a list may be
    longer than allowed, because the proof obligation (see proof.py) then shows it never is.
    """
    if source == target:
        return True
    if isinstance(source, IntType) and isinstance(target, RealType):
        return True
    if isinstance(source, EnumType) and isinstance(target, EnumType) and set(source.values) <= set(target.values):
        return True
    if loose and isinstance(source, (StrType, EnumType)) and isinstance(target, EnumType):
        return True
    if isinstance(source, ListType) and isinstance(target, ListType):
        if source.max_len == 0:  # the empty list literal fits every list type
            return True
        return (loose or source.max_len <= target.max_len) and assignable(source.item, target.item, loose=loose)
    if isinstance(source, RecordType) and isinstance(target, RecordType):
        source_fields, target_fields = dict(source.fields), dict(target.fields)
        return source_fields.keys() == target_fields.keys() and all(
            assignable(source_fields[name], target_fields[name], loose=loose) for name in target_fields
        )
    return False


def parse_type(text: str, records: dict[str, RecordType]) -> Type:
    """Parse a type expression such as `list[enum["+", "-"], 3]`."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise TypeSyntaxError(f"type {text!r} is not valid syntax ({error.msg})") from None
    return _type_from_node(node, text, records)


def _type_from_node(node: ast.expr, text: str, records: dict[str, RecordType]) -> Type:
    if isinstance(node, ast.Name):
        if node.id in SCALARS:
            return SCALARS[node.id]
        if node.id in records:
            return records[node.id]
        known = ", ".join([*SCALARS, "enum[...]", "list[T, N]", *records])
        raise TypeSyntaxError(f"unknown type {node.id!r} (known: {known})")
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if node.value.id == "enum":
            values = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if len(values) != len(args) or not values:
                raise TypeSyntaxError(f"enum in {text!r} needs one or more string values")
            if len(set(values)) != len(values):
                raise TypeSyntaxError(f"enum in {text!r} repeats a value")
            problem = unrepresentable(*values)
            if problem is not None:
                raise TypeSyntaxError(f"enum in {text!r}: {problem}")
            return EnumType(tuple(values))
        if node.value.id == "list":
            if len(args) != 2 or not (isinstance(args[1], ast.Constant) and type(args[1].value) is int):
                raise TypeSyntaxError(f"list in {text!r} must be written list[ITEM_TYPE, MAX_LENGTH]")
            max_len = args[1].value
            if not 0 < max_len <= MAX_LIST_LEN:
                raise TypeSyntaxError(f"list maximum length in {text!r} must be 1..{MAX_LIST_LEN}")
            return ListType(_type_from_node(args[0], text, records), max_len)
    raise TypeSyntaxError(f"cannot read type {text!r}: use int, real, bool, str, enum[...], list[T, N] or a record name")


class ValueTypeError(ValueError):
    """A concrete value does not have the declared type; the message says where and why."""


def conform(value: Any, t: Type, where: str = "value") -> Any:
    """Check `value` against `t` and return it in canonical form (e.g. real as Fraction).

    Raises `ValueTypeError` naming the offending part (`where`, e.g. `result.refund`).
    """
    if isinstance(t, BoolType):
        if isinstance(value, bool):
            return value
    elif isinstance(t, IntType):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, (float, Fraction)) and not isinstance(value, bool) and _is_integral(value):
            return int(value)
    elif isinstance(t, RealType):
        if isinstance(value, Fraction):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Fraction(value)
        if isinstance(value, float) and math.isfinite(value):
            return exact_real(value)
    elif isinstance(t, StrType):
        if isinstance(value, str):
            return value
    elif isinstance(t, EnumType):
        if isinstance(value, str):
            if value in t.values:
                return value
            raise ValueTypeError(f"{where} is {value!r}, which is not one of {', '.join(map(repr, t.values))}")
    elif isinstance(t, ListType):
        if isinstance(value, (list, tuple)):
            if len(value) > t.max_len:
                raise ValueTypeError(f"{where} has {len(value)} items; at most {t.max_len} are allowed")
            return [conform(item, t.item, f"{where}[{i}]") for i, item in enumerate(value)]
    elif isinstance(t, RecordType):
        if isinstance(value, dict):
            names = [name for name, _ in t.fields]
            missing = [n for n in names if n not in value]
            extra = [k for k in value if k not in names]
            if missing:
                raise ValueTypeError(f"{where} lacks field(s) {', '.join(missing)}")
            if extra:
                raise ValueTypeError(f"{where} has unknown field(s) {', '.join(map(str, extra))}")
            return {n: conform(value[n], ft, f"{where}.{n}") for n, ft in t.fields}
    raise ValueTypeError(f"{where} should be {t}, got {_describe(value)}")


def exact_real(value: float) -> Fraction:
    """The float as written (its repr), exactly: 0.1 is 1/10 at run time and in Z3 alike.

    A literal too large for a float is infinite in Python, which no real (nor Z3) can be: refused.
    """
    if not math.isfinite(value):
        raise ValueTypeError(f"{value} is not a finite number (is a literal too large for a float?); write a smaller one")
    return Fraction(repr(value))


def _is_integral(value: float | Fraction) -> bool:
    return (isinstance(value, Fraction) and value.denominator == 1) or (
        isinstance(value, float) and math.isfinite(value) and value.is_integer()
    )


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:40] + '...' if len(text) > 40 else text}"


def some_value(t: Type) -> Any:
    """A value of type `t` (the simplest: 0, "", False, an enum's first member, the empty list)."""
    if isinstance(t, (IntType, BoolType)):
        return False if isinstance(t, BoolType) else 0
    if isinstance(t, RealType):
        return Fraction(0)
    if isinstance(t, StrType):
        return ""
    if isinstance(t, EnumType):
        return t.values[0]
    if isinstance(t, ListType):
        return []
    return {name: some_value(ft) for name, ft in t.fields}


def to_plain(value: Any) -> Any:
    """A JSON-friendly copy of a conformed value (Fractions become ints or floats)."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value

