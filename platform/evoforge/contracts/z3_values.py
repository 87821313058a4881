"""Contract values in Z3: how each type is represented, declared and read back (operations on them: z3_operations.py).

Scalars are Z3 terms, a json value one term of the `Json` datatype: null, a boolean, a number
(one rational: `kind` says int when it is whole, as the run time does), a string, or an array or
object whose contents a contract cannot see (it may only ask a json value's kind and whether it
equals a string, so nothing is lost). A bounded list is a `SymList`: a length term plus one
symbolic item per possible position, so quantifiers unroll and stay quantifier-free. A bounded
map is a `SymMap`: per position a flag saying whether an entry is there, its key and its value;
the keys of present entries are distinct (every map built here keeps them so) and positions
keep the insertion order Python iterates in. A record is a `SymRecord` of field values, an
optional field a `SymOptional` (whether it is present, and its value when it is).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Union

import z3

from evoforge.contracts.types import (
    BoolType,
    EnumType,
    IntType,
    JsonType,
    ListType,
    MapType,
    OptionalType,
    RealType,
    RecordType,
    StrType,
    Type,
    some_value,
)
from evoforge.contracts.z3_strings import decode, encode


def _json_sort() -> z3.DatatypeSortRef:
    json = z3.Datatype("Json")
    json.declare("null")
    json.declare("boolean", ("bool_value", z3.BoolSort()))
    json.declare("number", ("number_value", z3.RealSort()))
    json.declare("string", ("string_value", z3.StringSort()))
    json.declare("array")
    json.declare("object")
    return json.create()


JSON_SORT = _json_sort()


@dataclass
class SymList:
    length: z3.ArithRef
    items: list["Sym"]


@dataclass
class SymMap:
    live: list[z3.BoolRef]
    keys: list[z3.SeqRef]
    values: list["Sym"]

    @property
    def length(self) -> z3.ArithRef:
        return count(self.live)


@dataclass
class SymRecord:
    fields: Mapping[str, "Sym"]


@dataclass
class SymOptional:
    present: z3.BoolRef
    value: "Sym"


Sym = Union[z3.ExprRef, SymList, SymMap, SymRecord, SymOptional]
Env = dict[str, Sym]


def count(flags: list[z3.BoolRef]) -> z3.ArithRef:
    """How many of `flags` hold."""
    return z3.Sum([z3.If(flag, 1, 0) for flag in flags]) if flags else z3.IntVal(0)


def declare(name: str, t: Type) -> tuple[Sym, list[z3.BoolRef]]:
    """A fresh symbolic value of type `t` and the constraints that make it well-typed."""
    if isinstance(t, IntType):
        return z3.Int(name), []
    if isinstance(t, RealType):
        return z3.Real(name), []
    if isinstance(t, BoolType):
        return z3.Bool(name), []
    if isinstance(t, JsonType):
        return z3.Const(name, JSON_SORT), []
    if isinstance(t, (StrType, EnumType)):
        value = z3.String(name)
        return value, well_typed(value, t)
    if isinstance(t, OptionalType):
        value, constraints = declare(name, t.item)
        return SymOptional(z3.Bool(f"{name} present"), value), constraints
    if isinstance(t, (ListType, MapType)):
        length = z3.Int(f"len({name})")
        constraints = [length >= 0, length <= t.max_len]
        items = []
        for i in range(t.max_len):
            item, item_constraints = declare(f"{name}[{i}]", t.item if isinstance(t, ListType) else t.value)
            items.append(item)
            constraints.extend(item_constraints)
        if isinstance(t, ListType):
            return SymList(length, items), constraints
        keys = [z3.String(f"{name}.key{i}") for i in range(t.max_len)]
        constraints += [z3.Implies(j < length, keys[i] != keys[j]) for j in range(t.max_len) for i in range(j)]
        return SymMap([i < length for i in range(t.max_len)], keys, items), constraints
    fields, constraints = {}, []
    for field_name, field_type in t.fields:
        fields[field_name], field_constraints = declare(f"{name}.{field_name}", field_type)
        constraints.extend(field_constraints)
    return SymRecord(fields), constraints


def well_typed(value: Sym, t: Type) -> list[z3.BoolRef]:
    """Constraints saying `value` is a member of `t` (enum membership, list and map sizes)."""
    if isinstance(t, EnumType):
        return [z3.Or([value == encode(v) for v in t.values])]
    if isinstance(t, ListType):
        assert isinstance(value, SymList)
        constraints = [value.length >= 0, value.length <= t.max_len]
        for i, item in enumerate(value.items):
            constraints += [z3.Implies(i < value.length, c) for c in well_typed(item, t.item)]
        return constraints
    if isinstance(t, MapType):
        assert isinstance(value, SymMap)
        constraints = [value.length <= t.max_len]
        for live, item in zip(value.live, value.values):
            constraints += [z3.Implies(live, c) for c in well_typed(item, t.value)]
        return constraints
    if isinstance(t, OptionalType):
        assert isinstance(value, SymOptional)
        return [z3.Implies(value.present, c) for c in well_typed(value.value, t.item)]
    if isinstance(t, RecordType):
        assert isinstance(value, SymRecord)
        return [c for name, ft in t.fields for c in well_typed(value.fields[name], ft)]
    return []


def constant(value: Any, t: Type) -> Sym:
    """The Z3 form of a concrete (conformed) value."""
    if isinstance(t, IntType):
        return z3.IntVal(value)
    if isinstance(t, RealType):
        return _rational(value)
    if isinstance(t, BoolType):
        return z3.BoolVal(value)
    if isinstance(t, (StrType, EnumType)):
        return encode(value)
    if isinstance(t, JsonType):
        return _json_constant(value)
    if isinstance(t, OptionalType):
        return SymOptional(z3.BoolVal(value is not None), constant(some_value(t.item) if value is None else value, t.item))
    if isinstance(t, ListType):
        return SymList(z3.IntVal(len(value)), [constant(v, t.item) for v in value])
    if isinstance(t, MapType):
        return SymMap([z3.BoolVal(True)] * len(value), [encode(k) for k in value], [constant(v, t.value) for v in value.values()])
    return SymRecord({name: constant(value.get(name), ft) for name, ft in t.fields})


def _rational(value: Any) -> z3.RatNumRef:
    fraction = Fraction(value)
    return z3.Q(fraction.numerator, fraction.denominator)


def _json_constant(value: Any) -> z3.DatatypeRef:
    if value is None:
        return JSON_SORT.null
    if isinstance(value, bool):
        return JSON_SORT.boolean(z3.BoolVal(value))
    if isinstance(value, (int, Fraction)):
        return JSON_SORT.number(_rational(value))
    if isinstance(value, str):
        return JSON_SORT.string(encode(value))
    return JSON_SORT.array if isinstance(value, list) else JSON_SORT.object


def from_model(model: z3.ModelRef, value: Sym, t: Type) -> Any:
    """Read a concrete Python value of type `t` out of a Z3 model (for counterexamples)."""
    if isinstance(value, SymList):
        assert isinstance(t, ListType)
        length = model.eval(value.length, model_completion=True).as_long()
        return [from_model(model, item, t.item) for item in value.items[:length]]
    if isinstance(value, SymMap):
        assert isinstance(t, MapType)
        return {decode(model.eval(key, model_completion=True)): from_model(model, item, t.value)
                for live, key, item in zip(value.live, value.keys, value.values) if z3.is_true(model.eval(live, model_completion=True))}
    if isinstance(value, SymOptional):
        assert isinstance(t, OptionalType)
        return from_model(model, value.value, t.item) if z3.is_true(model.eval(value.present, model_completion=True)) else None
    if isinstance(value, SymRecord):
        assert isinstance(t, RecordType)
        return {name: from_model(model, value.fields[name], ft) for name, ft in t.fields}
    evaluated = model.eval(value, model_completion=True)
    if isinstance(t, JsonType):
        return _json_value(evaluated)
    return _scalar_value(evaluated, t)


def _scalar_value(evaluated: z3.ExprRef, t: Type) -> Any:
    if isinstance(t, IntType):
        return evaluated.as_long()
    if isinstance(t, RealType):
        return Fraction(evaluated.numerator_as_long(), evaluated.denominator_as_long())
    if isinstance(t, BoolType):
        return z3.is_true(evaluated)
    return decode(evaluated)


def _json_value(evaluated: z3.ExprRef) -> Any:
    """A json value read back; an array or object stands for any one (a contract cannot tell)."""
    name = evaluated.decl().name()
    if name == "boolean":
        return z3.is_true(z3.simplify(evaluated.arg(0)))
    if name == "string":
        return decode(z3.simplify(evaluated.arg(0)))
    if name == "number":
        number = _scalar_value(z3.simplify(evaluated.arg(0)), RealType())
        return int(number) if number.denominator == 1 else number
    return {"null": None, "array": [], "object": {}}[name]


def json_kind(value: z3.ExprRef) -> z3.SeqRef:
    """`kind(v)` of a json term: null, bool, int (a whole number), real, str, list or map."""
    whole = z3.IsInt(JSON_SORT.number_value(value))
    number = z3.If(whole, encode("int"), encode("real"))
    cases = [(JSON_SORT.is_null, "null"), (JSON_SORT.is_boolean, "bool"), (JSON_SORT.is_string, "str"), (JSON_SORT.is_array, "list")]
    result: z3.ExprRef = z3.If(JSON_SORT.is_number(value), number, encode("map"))
    for test, name in reversed(cases):
        result = z3.If(test(value), encode(name), result)
    return result
