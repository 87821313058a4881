"""Compiles typed IR into Z3 terms, for proofs.

Scalars become Z3 terms. A bounded list becomes a `SymList`: a length term plus one symbolic
item per possible position (so `all`/`any`/`sum` unroll to at most the list's maximum length
and stay quantifier-free). A record becomes a `SymRecord` of field values.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Union

import z3

from evoforge.contracts import ir
from evoforge.contracts.predicates import PREDICATES
from evoforge.contracts.types import (
    BoolType,
    EnumType,
    IntType,
    ListType,
    RealType,
    RecordType,
    StrType,
    Type,
)
from evoforge.contracts.z3_strings import decode, encode


@dataclass
class SymList:
    length: z3.ArithRef
    items: list["Sym"]


@dataclass
class SymRecord:
    fields: dict[str, "Sym"]


Sym = Union[z3.ExprRef, SymList, SymRecord]
Env = dict[str, Sym]


def declare(name: str, t: Type) -> tuple[Sym, list[z3.BoolRef]]:
    """A fresh symbolic value of type `t` and the constraints that make it well-typed."""
    if isinstance(t, IntType):
        return z3.Int(name), []
    if isinstance(t, RealType):
        return z3.Real(name), []
    if isinstance(t, BoolType):
        return z3.Bool(name), []
    if isinstance(t, (StrType, EnumType)):
        value = z3.String(name)
        return value, well_typed(value, t)
    if isinstance(t, ListType):
        length = z3.Int(f"len({name})")
        items, constraints = [], [length >= 0, length <= t.max_len]
        for i in range(t.max_len):
            item, item_constraints = declare(f"{name}[{i}]", t.item)
            items.append(item)
            constraints.extend(item_constraints)
        return SymList(length, items), constraints
    fields, constraints = {}, []
    for field_name, field_type in t.fields:
        fields[field_name], field_constraints = declare(f"{name}.{field_name}", field_type)
        constraints.extend(field_constraints)
    return SymRecord(fields), constraints


def well_typed(value: Sym, t: Type) -> list[z3.BoolRef]:
    """Constraints saying `value` is a member of `t` (enum membership, list lengths)."""
    if isinstance(t, EnumType):
        return [z3.Or([value == encode(v) for v in t.values])]
    if isinstance(t, ListType):
        assert isinstance(value, SymList)
        constraints = [value.length >= 0, value.length <= t.max_len]
        for i, item in enumerate(value.items):
            constraints += [z3.Implies(i < value.length, c) for c in well_typed(item, t.item)]
        return constraints
    if isinstance(t, RecordType):
        assert isinstance(value, SymRecord)
        return [c for name, ft in t.fields for c in well_typed(value.fields[name], ft)]
    return []


def constant(value: Any, t: Type) -> Sym:
    """The Z3 form of a concrete (conformed) value."""
    if isinstance(t, IntType):
        return z3.IntVal(value)
    if isinstance(t, RealType):
        fraction = Fraction(value)
        return z3.Q(fraction.numerator, fraction.denominator)
    if isinstance(t, BoolType):
        return z3.BoolVal(value)
    if isinstance(t, (StrType, EnumType)):
        return encode(value)
    if isinstance(t, ListType):
        return SymList(z3.IntVal(len(value)), [constant(v, t.item) for v in value])
    return SymRecord({name: constant(value[name], ft) for name, ft in t.fields})


def from_model(model: z3.ModelRef, value: Sym, t: Type) -> Any:
    """Read a concrete Python value of type `t` out of a Z3 model (for counterexamples)."""
    if isinstance(value, SymList):
        assert isinstance(t, ListType)
        length = model.eval(value.length, model_completion=True).as_long()
        return [from_model(model, item, t.item) for item in value.items[:length]]
    if isinstance(value, SymRecord):
        assert isinstance(t, RecordType)
        return {name: from_model(model, value.fields[name], ft) for name, ft in t.fields}
    evaluated = model.eval(value, model_completion=True)
    if isinstance(t, IntType):
        return evaluated.as_long()
    if isinstance(t, RealType):
        return Fraction(evaluated.numerator_as_long(), evaluated.denominator_as_long())
    if isinstance(t, BoolType):
        return z3.is_true(evaluated)
    return decode(evaluated)


def _real(term: z3.ExprRef) -> z3.ExprRef:
    return z3.ToReal(term) if z3.is_int(term) else term


def _numeric_pair(a: z3.ExprRef, b: z3.ExprRef) -> tuple[z3.ExprRef, z3.ExprRef]:
    if z3.is_int(a) and z3.is_int(b):
        return a, b
    return _real(a), _real(b)


def equal(a: Sym, b: Sym) -> z3.BoolRef:
    """Structural equality, matching Python's `==` on the runtime values."""
    if isinstance(a, SymList) and isinstance(b, SymList):
        shared = min(len(a.items), len(b.items))
        return z3.And(
            a.length == b.length,
            *[z3.Implies(i < a.length, equal(a.items[i], b.items[i])) for i in range(shared)],
        )
    if isinstance(a, SymRecord) and isinstance(b, SymRecord):
        return z3.And([equal(a.fields[name], b.fields[name]) for name in a.fields])
    if z3.is_arith(a) and z3.is_arith(b):
        a, b = _numeric_pair(a, b)
    return a == b


def _floordiv(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    # Python floors; SMT-LIB integer division does so only for positive divisors.
    return z3.If(b == 0, 0, z3.If(b > 0, a / b, (-a) / (-b)))


def _merge(condition: z3.BoolRef, then: Sym, otherwise: Sym) -> Sym:
    if isinstance(then, SymList) and isinstance(otherwise, SymList):
        longer, shorter = (then, otherwise) if len(then.items) >= len(otherwise.items) else (otherwise, then)
        items = []
        for i, item in enumerate(longer.items):
            # Positions the shorter list cannot have are beyond its length, so any filler works.
            other = shorter.items[i] if i < len(shorter.items) else item
            pair = (item, other) if longer is then else (other, item)
            items.append(_merge(condition, *pair))
        return SymList(z3.If(condition, then.length, otherwise.length), items)
    if isinstance(then, SymRecord) and isinstance(otherwise, SymRecord):
        return SymRecord({n: _merge(condition, then.fields[n], otherwise.fields[n]) for n in then.fields})
    if z3.is_arith(then) and z3.is_arith(otherwise):
        then, otherwise = _numeric_pair(then, otherwise)
    return z3.If(condition, then, otherwise)


def _is_ground(term: Sym) -> bool:
    return isinstance(term, z3.ExprRef) and z3.is_const(term) and term.decl().kind() != z3.Z3_OP_UNINTERPRETED


def _python_value(term: z3.ExprRef) -> Any:
    if z3.is_string_value(term):
        return decode(term)
    if z3.is_int_value(term):
        return term.as_long()
    if z3.is_rational_value(term):
        return Fraction(term.numerator_as_long(), term.denominator_as_long())
    return z3.is_true(term)


class Compiler:
    """Translates IR to Z3 within an environment of symbolic values."""

    def __init__(self, env: Env):
        self.env = env

    def term(self, node: ir.Node) -> Sym:
        return getattr(self, "_" + type(node).__name__)(node)

    def _Const(self, node: ir.Const) -> Sym:
        return constant(node.value, node.type)

    def _Var(self, node: ir.Var) -> Sym:
        return self.env[node.name]

    def _Field(self, node: ir.Field) -> Sym:
        record = self.term(node.record)
        assert isinstance(record, SymRecord)
        return record.fields[node.name]

    def _Unary(self, node: ir.Unary) -> Sym:
        operand = self.term(node.operand)
        return z3.Not(operand) if node.op == "not" else -operand

    def _Binary(self, node: ir.Binary) -> Sym:
        a, b = self.term(node.left), self.term(node.right)
        op = node.op
        if op in ("eq", "ne"):
            same = equal(a, b)
            return same if op == "eq" else z3.Not(same)
        if op in ("and", "or", "implies"):
            return {"and": z3.And, "or": z3.Or, "implies": z3.Implies}[op](a, b)
        if op == "concat":
            return z3.Concat(a, b)
        if op == "div":
            a, b = _real(a), _real(b)
            return z3.If(b == 0, z3.RealVal(0), a / b)
        if op == "floordiv":
            return _floordiv(a, b)
        if op == "mod":
            return a - b * _floordiv(a, b)
        a, b = _numeric_pair(a, b)
        return {
            "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
            "lt": lambda: a < b, "le": lambda: a <= b, "gt": lambda: a > b, "ge": lambda: a >= b,
        }[op]()

    def _Call(self, node: ir.Call) -> Sym:
        args = [self.term(a) for a in node.args]
        func = node.func
        if func == "len":
            return args[0].length if isinstance(args[0], SymList) else z3.Length(args[0])
        if func == "abs":
            return z3.If(args[0] < 0, -args[0], args[0])
        if func in ("min", "max"):
            a, b = _numeric_pair(args[0], args[1])
            return z3.If(a <= b, a, b) if func == "min" else z3.If(a >= b, a, b)
        if func == "sum":
            items: SymList = args[0]
            as_sort = (lambda t: t) if isinstance(node.type, IntType) else _real
            total = as_sort(z3.IntVal(0))
            for i, item in enumerate(items.items):
                total = total + z3.If(i < items.length, as_sort(item), as_sort(z3.IntVal(0)))
            return total
        if func == "startswith":
            return z3.PrefixOf(args[1], args[0])
        if func == "endswith":
            return z3.SuffixOf(args[1], args[0])
        return z3.Contains(args[0], args[1])  # "contains"

    def _Predicate(self, node: ir.Predicate) -> Sym:
        args = [z3.simplify(self.term(a)) for a in node.args]
        predicate = PREDICATES[node.name]
        if all(_is_ground(a) for a in args):
            # A trusted total function on constants: hand Z3 the true fact.
            return z3.BoolVal(predicate.function(*[_python_value(a) for a in args]))
        function = z3.Function(node.name, *[a.sort() for a in args], z3.BoolSort())
        return function(*args)

    def _InLiterals(self, node: ir.InLiterals) -> Sym:
        element = self.term(node.element)
        return z3.Or([equal(element, self.term(option)) for option in node.options])

    def _InList(self, node: ir.InList) -> Sym:
        element, items = self.term(node.element), self.term(node.items)
        return z3.Or([z3.And(i < items.length, equal(element, item)) for i, item in enumerate(items.items)] or [False])

    def _Quantifier(self, node: ir.Quantifier) -> Sym:
        items = self.term(node.items)
        terms = []
        for i, item in enumerate(items.items):
            inner = Compiler({**self.env, node.var: item})
            guard = [i < items.length]
            if node.condition is not None:
                guard.append(inner.term(node.condition))
            body = inner.term(node.body)
            terms.append(z3.Implies(z3.And(guard), body) if node.kind == "all" else z3.And(*guard, body))
        if node.kind == "all":
            return z3.And(terms) if terms else z3.BoolVal(True)
        return z3.Or(terms) if terms else z3.BoolVal(False)

    def _IfElse(self, node: ir.IfElse) -> Sym:
        return _merge(self.term(node.condition), self.term(node.then), self.term(node.otherwise))

    def _ListLiteral(self, node: ir.ListLiteral) -> Sym:
        return SymList(z3.IntVal(len(node.items)), [self.term(item) for item in node.items])

    def _RecordLiteral(self, node: ir.RecordLiteral) -> Sym:
        return SymRecord({name: self.term(value) for name, value in node.fields})
