"""Operations on symbolic contract values (z3_values.py): equality as Python's `==`, choice
between two values under a condition, picking the value at a hit position, and conversion to
another type's representation (ir.Convert).
"""
from __future__ import annotations

from typing import Iterator, Mapping

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
)
from evoforge.contracts.z3_strings import encode
from evoforge.contracts.z3_values import JSON_SORT, Sym, SymList, SymMap, SymOptional, SymRecord, constant


def as_real(term: z3.ExprRef) -> z3.ExprRef:
    return z3.ToReal(term) if z3.is_int(term) else term


def numeric_pair(a: z3.ExprRef, b: z3.ExprRef) -> tuple[z3.ExprRef, z3.ExprRef]:
    if z3.is_int(a) and z3.is_int(b):
        return a, b
    return as_real(a), as_real(b)


def equal(a: Sym, b: Sym) -> z3.BoolRef:
    """Structural equality, matching Python's `==` on the runtime values."""
    if isinstance(a, SymList) and isinstance(b, SymList):
        shared = min(len(a.items), len(b.items))
        return z3.And(
            a.length == b.length,
            *[z3.Implies(i < a.length, equal(a.items[i], b.items[i])) for i in range(shared)],
        )
    if isinstance(a, SymMap) and isinstance(b, SymMap):
        # Same size and every entry of `a` in `b`: with distinct keys, the same entries, in any order.
        found = [z3.Implies(live, z3.Or([z3.And(other, key == other_key, equal(value, other_value))
                                          for other, other_key, other_value in zip(b.live, b.keys, b.values)] or [False]))
                 for live, key, value in zip(a.live, a.keys, a.values)]
        return z3.And(a.length == b.length, *found)
    if isinstance(a, SymOptional) and isinstance(b, SymOptional):
        return z3.And(a.present == b.present, z3.Implies(a.present, equal(a.value, b.value)))
    if isinstance(a, SymRecord) and isinstance(b, SymRecord):
        return z3.And([equal(a.fields[name], b.fields[name]) for name in a.fields])
    if isinstance(b, z3.DatatypeRef) and not isinstance(a, z3.DatatypeRef):
        a, b = b, a
    if isinstance(a, z3.DatatypeRef) and not isinstance(b, z3.DatatypeRef):  # a json value and a string
        return z3.And(JSON_SORT.is_string(a), JSON_SORT.string_value(a) == b)
    if z3.is_arith(a) and z3.is_arith(b):
        a, b = numeric_pair(a, b)
    return a == b


def merge(condition: z3.BoolRef, then: Sym, otherwise: Sym) -> Sym:
    """`then` where `condition` holds, else `otherwise` (two values of one type)."""
    if z3.is_true(condition) or z3.is_false(condition):
        return then if z3.is_true(condition) else otherwise
    if isinstance(then, SymList) and isinstance(otherwise, SymList):
        longer, shorter = (then, otherwise) if len(then.items) >= len(otherwise.items) else (otherwise, then)
        items = []
        for i, item in enumerate(longer.items):
            # Positions the shorter list cannot have are beyond its length, so any filler works.
            other = shorter.items[i] if i < len(shorter.items) else item
            pair = (item, other) if longer is then else (other, item)
            items.append(merge(condition, *pair))
        return SymList(z3.If(condition, then.length, otherwise.length), items)
    if isinstance(then, SymMap) and isinstance(otherwise, SymMap):
        size = max(len(then.live), len(otherwise.live))
        a, b = _padded(then, size), _padded(otherwise, size)
        return SymMap([z3.If(condition, x, y) for x, y in zip(a.live, b.live)], [z3.If(condition, x, y) for x, y in zip(a.keys, b.keys)],
                      [merge(condition, x, y) for x, y in zip(a.values, b.values)])
    if isinstance(then, SymOptional) and isinstance(otherwise, SymOptional):
        return SymOptional(z3.If(condition, then.present, otherwise.present), merge(condition, then.value, otherwise.value))
    if isinstance(then, SymRecord) and isinstance(otherwise, SymRecord):
        return SymRecord(_MergedFields(condition, then, otherwise))
    if z3.is_arith(then) and z3.is_arith(otherwise):
        then, otherwise = numeric_pair(then, otherwise)
    return z3.If(condition, then, otherwise)


class _MergedFields(Mapping):
    """The fields of `merge(condition, a, b)` for records, each merged when first read: a
    record picked by an index (`f.parameters[p]`) costs terms only for the fields used."""

    def __init__(self, condition: z3.BoolRef, then: SymRecord, otherwise: SymRecord):
        self.condition, self.then, self.otherwise = condition, then, otherwise
        self.merged: dict[str, Sym] = {}

    def __getitem__(self, name: str) -> "Sym":
        if name not in self.merged:
            self.merged[name] = merge(self.condition, self.then.fields[name], self.otherwise.fields[name])
        return self.merged[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.then.fields)

    def __len__(self) -> int:
        return len(self.then.fields)


def _padded(value: SymMap, size: int) -> SymMap:
    """`value` with absent entries up to `size` positions (their key and value never matter)."""
    extra = size - len(value.live)
    filler = value.values[0] if value.values else z3.BoolVal(False)
    return SymMap(value.live + [z3.BoolVal(False)] * extra, value.keys + [encode("")] * extra, value.values + [filler] * extra)


def select(hits: list[z3.BoolRef], values: list[Sym]) -> Sym:
    """The value at the first position whose hit holds (the last when none does).

    Hits that are plainly false are left out and a plainly true one ends the choice, so a
    constant index (`functions[0]`) picks its item instead of a term over every position."""
    chosen = []
    for hit, value in zip(hits, values):
        hit = z3.simplify(hit)
        if not z3.is_false(hit):
            chosen.append((hit, value))
            if z3.is_true(hit):
                break
    result = chosen.pop()[1] if chosen else values[-1]
    for hit, value in reversed(chosen):
        result = merge(hit, value, result)
    return result


def convert(value: Sym, source: Type, target: Type) -> Sym:
    """`value` of type `source` in the representation of `target` (see ir.Convert)."""
    if source == target:
        return value
    if isinstance(target, JsonType):
        return _to_json(value, source)
    if isinstance(target, OptionalType):
        if isinstance(source, OptionalType):
            assert isinstance(value, SymOptional)
            return SymOptional(value.present, convert(value.value, source.item, target.item))
        return SymOptional(z3.BoolVal(True), convert(value, source, target.item))
    if isinstance(value, SymList):
        assert isinstance(source, ListType) and isinstance(target, ListType)
        return SymList(value.length, [convert(item, source.item, target.item) for item in value.items])
    if isinstance(value, SymMap):
        assert isinstance(source, MapType) and isinstance(target, MapType)
        return SymMap(value.live, value.keys, [convert(item, source.value, target.value) for item in value.values])
    if isinstance(value, SymRecord) and isinstance(target, MapType):
        assert isinstance(source, RecordType)
        return SymMap([z3.BoolVal(True)] * len(source.fields), [encode(name) for name, _ in source.fields],
                      [convert(value.fields[name], ft, target.value) for name, ft in source.fields])
    if isinstance(value, SymRecord):
        assert isinstance(source, RecordType) and isinstance(target, RecordType)
        given = dict(source.fields)
        return SymRecord({name: convert(value.fields[name], given[name], ft) if name in given else constant(None, ft)
                          for name, ft in target.fields})
    return value


def _to_json(value: Sym, source: Type) -> Sym:
    if isinstance(source, JsonType):
        return value
    if isinstance(source, (IntType, RealType)):
        return JSON_SORT.number(as_real(value))
    if isinstance(source, BoolType):
        return JSON_SORT.boolean(value)
    if isinstance(source, (StrType, EnumType)):
        return JSON_SORT.string(value)
    return JSON_SORT.array if isinstance(source, ListType) else JSON_SORT.object
