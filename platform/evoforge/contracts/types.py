"""The value types of the contract language, and how concrete values are checked against them.

Types are written in spec files as small Python-like expressions (read by type_syntax.py):
`int`, `real`, `bool`, `str`, `enum["a", "b"]`, `list[T, N]` (at most N items),
`map[str, T, N]` (at most N entries), `json` (any JSON value, which a contract does not
constrain beyond its `kind`) and the name of a record declared in the spec's `[types]` table,
whose fields may be `optional[T]`.

At run time values are plain Python: int, `fractions.Fraction` for real (exact, so the
runtime checker and Z3 agree), bool, str, str for enum members, list, dict for records and
maps (an absent optional field is None), and for json None, bool, int, Fraction, str, list or
dict with str keys.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union



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
class MapType:
    """`map[str, T, N]`: at most N entries, keyed by distinct strings."""

    value: "Type"
    max_len: int

    def __str__(self) -> str:
        return f"map[str, {self.value}, {self.max_len}]"


@dataclass(frozen=True)
class JsonType:
    """Any JSON value; a contract sees only its `kind` and whether it equals a string."""

    def __str__(self) -> str:
        return "json"


@dataclass(frozen=True)
class OptionalType:
    """`optional[T]`, for a record field only: the field may be absent (None)."""

    item: "Type"

    def __str__(self) -> str:
        return f"optional[{self.item}]"


@dataclass(frozen=True)
class RecordType:
    name: str
    fields: tuple[tuple[str, "Type"], ...]

    def field(self, name: str) -> "Type | None":
        return dict(self.fields).get(name)

    def __str__(self) -> str:
        return self.name


Type = Union[IntType, RealType, BoolType, StrType, EnumType, ListType, MapType, JsonType, OptionalType, RecordType]

INT, REAL, BOOL, STR, JSON = IntType(), RealType(), BoolType(), StrType(), JsonType()
SCALARS: dict[str, Type] = {"int": INT, "real": REAL, "bool": BOOL, "str": STR, "json": JSON}
KINDS = EnumType(("null", "bool", "int", "real", "str", "list", "map"))  # what `kind(v)` tells of a json value
MAX_LIST_LEN = 64


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
    if isinstance(target, JsonType):  # every value is a JSON value
        return not isinstance(source, OptionalType)
    if isinstance(source, ListType) and isinstance(target, ListType):
        if source.max_len == 0:  # the empty list literal fits every list type
            return True
        return (loose or source.max_len <= target.max_len) and assignable(source.item, target.item, loose=loose)
    if isinstance(source, MapType) and isinstance(target, MapType):
        return (loose or source.max_len <= target.max_len) and assignable(source.value, target.value, loose=loose)
    if isinstance(source, OptionalType) and isinstance(target, OptionalType):
        return assignable(source.item, target.item, loose=loose)
    if isinstance(source, RecordType) and isinstance(target, MapType):  # a record literal {"k": v} as a map
        return (loose or len(source.fields) <= target.max_len) and all(assignable(t, target.value, loose=loose) for _, t in source.fields)
    if isinstance(source, RecordType) and isinstance(target, RecordType):
        source_fields, target_fields = dict(source.fields), dict(target.fields)
        required = {name for name, t in target.fields if not isinstance(t, OptionalType)}
        return required <= source_fields.keys() <= target_fields.keys() and all(
            assignable(t, _unless_optional(source_fields[name], target_fields[name]), loose=loose) for name, t in source.fields
        )
    return False


def _unless_optional(source: Type, target: Type) -> Type:
    """The type a record field's value must have: an optional field takes a plain value too."""
    return target.item if isinstance(target, OptionalType) and not isinstance(source, OptionalType) else target


def needs_conversion(source: Type, target: Type) -> bool:
    """Whether a value of `source`, assignable to `target`, needs a new representation there:
    as json, a record as a map, or a record given the optional fields it leaves out."""
    if source == target or isinstance(target, (IntType, RealType, BoolType, StrType, EnumType)):
        return False
    if isinstance(target, (JsonType, MapType)) and isinstance(source, RecordType):
        return True
    if isinstance(target, JsonType):
        return not isinstance(source, JsonType)
    if isinstance(source, ListType) and isinstance(target, ListType):
        return needs_conversion(source.item, target.item)
    if isinstance(source, MapType) and isinstance(target, MapType):
        return needs_conversion(source.value, target.value)
    if isinstance(target, OptionalType):
        return not isinstance(source, OptionalType) or needs_conversion(source.item, target.item)
    if isinstance(source, RecordType) and isinstance(target, RecordType):
        given = dict(source.fields)
        return any(name not in given or needs_conversion(given[name], t) for name, t in target.fields)
    return False


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
    elif isinstance(t, MapType):
        if isinstance(value, dict):
            if len(value) > t.max_len:
                raise ValueTypeError(f"{where} has {len(value)} entries; at most {t.max_len} are allowed")
            return {_key(k, where): conform(v, t.value, f"{where}[{k!r}]") for k, v in value.items()}
    elif isinstance(t, JsonType):
        return _conform_json(value, where)
    elif isinstance(t, OptionalType):
        return None if value is None else conform(value, t.item, where)
    elif isinstance(t, RecordType):
        if isinstance(value, dict):
            names = [name for name, _ in t.fields]
            missing = [n for n, ft in t.fields if n not in value and not isinstance(ft, OptionalType)]
            extra = [k for k in value if k not in names]
            if missing:
                raise ValueTypeError(f"{where} lacks field(s) {', '.join(missing)}")
            if extra:
                raise ValueTypeError(f"{where} has unknown field(s) {', '.join(map(str, extra))}")
            return {n: conform(value.get(n), ft, f"{where}.{n}") for n, ft in t.fields}
    raise ValueTypeError(f"{where} should be {t}, got {_describe(value)}")


def _key(key: Any, where: str) -> str:
    if not isinstance(key, str):
        raise ValueTypeError(f"{where} has the key {key!r}; keys must be strings")
    return key


def _conform_json(value: Any, where: str) -> Any:
    """A JSON value in canonical form: numbers exact (a float as written), tuples as lists."""
    if value is None or isinstance(value, (bool, int, str, Fraction)):
        return value
    if isinstance(value, float):
        return exact_real(value)
    if isinstance(value, (list, tuple)):
        return [_conform_json(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {_key(k, where): _conform_json(v, f"{where}[{k!r}]") for k, v in value.items()}
    raise ValueTypeError(f"{where} should be a JSON value, got {_describe(value)}")


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
    """A value of type `t` (the simplest: 0, "", False, an enum's first member, the empty list
    or map, None for json and an optional field)."""
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
    if isinstance(t, MapType):
        return {}
    if isinstance(t, (JsonType, OptionalType)):
        return None
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

