"""Compiles typed IR into Z3 terms, for proofs.

Values are represented as z3_values.py says (bounded lists and maps unroll to one symbolic
item per position, so `all`/`any`/`sum` and comprehensions stay quantifier-free). An index or
an optional field is defined only where it is in range or present; the compiler records each
such use as a `Safety` obligation under the conditions in which Python evaluates it (the left
side of `and`, the branch of `if`, the `if` of a comprehension...), which the loader proves
(safety.py), so the run-time checker never evaluates one out of range.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import z3

from evoforge.contracts import ir
from evoforge.contracts.predicates import PREDICATES
from evoforge.contracts.types import IntType, some_value
from evoforge.contracts.z3_strings import decode
from evoforge.contracts.z3_operations import as_real, convert, equal, merge, numeric_pair, select
from evoforge.contracts.z3_values import Env, Sym, SymList, SymMap, SymOptional, SymRecord, constant, count, json_kind


@dataclass(frozen=True)
class Safety:
    """A partial operation (`text`) that is defined (`defined`) wherever it is evaluated (`context`)."""

    context: z3.BoolRef
    defined: z3.BoolRef
    text: str
    what: str  # how it fails, in words: "its index is out of range"


def _floordiv(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    # Python floors; SMT-LIB integer division does so only for positive divisors.
    return z3.If(b == 0, 0, z3.If(b > 0, a / b, (-a) / (-b)))


def _is_ground(term: Sym) -> bool:
    return isinstance(term, z3.ExprRef) and z3.is_const(term) and term.decl().kind() != z3.Z3_OP_UNINTERPRETED


def _python_value(term: z3.ExprRef) -> object:
    if z3.is_string_value(term):
        return decode(term)
    if z3.is_int_value(term):
        return term.as_long()
    if z3.is_rational_value(term):
        return Fraction(term.numerator_as_long(), term.denominator_as_long())
    return z3.is_true(term)


def _positions(items: Sym) -> list[tuple[z3.BoolRef, Sym]]:
    """What iterating a list (its items) or a map (its keys) visits: (whether it is there, value)."""
    if isinstance(items, SymMap):
        return list(zip(items.live, items.keys))
    assert isinstance(items, SymList)
    return [(i < items.length, item) for i, item in enumerate(items.items)]


class Compiler:
    """Translates IR to Z3 within an environment of symbolic values.

    `context` holds the conditions under which the expression being compiled is evaluated;
    every partial operation met is added to `safety`, shared with the compilers of sub-terms."""

    def __init__(self, env: Env, context: tuple[z3.BoolRef, ...] = (), safety: list[Safety] | None = None,
                 visiting: tuple[tuple[SymMap, int], ...] = ()):
        self.env, self.context = env, context
        self.safety: list[Safety] = [] if safety is None else safety
        self.visiting = visiting  # (map, position) of each map whose keys an enclosing loop walks

    def term(self, node: ir.Node) -> Sym:
        return getattr(self, "_" + type(node).__name__)(node)

    def _under(self, *conditions: z3.BoolRef, env: Env | None = None, visit: tuple[SymMap, int] | None = None) -> "Compiler":
        """A compiler for a sub-term evaluated only when `conditions` hold (with `env`, if given;
        `visit`: inside a walk of a map's keys, at this position)."""
        visiting = self.visiting if visit is None else (*self.visiting, visit)
        return Compiler(self.env if env is None else env, (*self.context, *conditions), self.safety, visiting)

    def _partial(self, defined: z3.BoolRef, text: str, what: str) -> None:
        self.safety.append(Safety(z3.And(*self.context) if self.context else z3.BoolVal(True), defined, text, what))

    def _Const(self, node: ir.Const) -> Sym:
        return constant(node.value, node.type)

    def _Var(self, node: ir.Var) -> Sym:
        return self.env[node.name]

    def _Field(self, node: ir.Field) -> Sym:
        record = self.term(node.record)
        assert isinstance(record, SymRecord)
        return record.fields[node.name]

    def _optional(self, record_node: ir.Node, name: str) -> SymOptional:
        record = self.term(record_node)
        assert isinstance(record, SymRecord)
        field = record.fields[name]
        assert isinstance(field, SymOptional)
        return field

    def _OptionalField(self, node: ir.OptionalField) -> Sym:
        field = self._optional(node.record, node.name)
        self._partial(field.present, node.text, "the field is absent")
        return field.value

    def _Missing(self, node: ir.Missing) -> Sym:
        return z3.Not(self._optional(node.record, node.name).present)

    def _Index(self, node: ir.Index) -> Sym:
        container, key = self.term(node.container), self.term(node.key)
        if not (container.values if isinstance(container, SymMap) else container.items):  # a constant empty one
            self._partial(z3.BoolVal(False), node.text, "its key is not in the map" if isinstance(container, SymMap) else "its index is out of range")
            return constant(some_value(node.type), node.type)
        if isinstance(container, SymMap):
            # Present keys are distinct, so at most one entry matches and the order of the
            # hits does not matter: a key that is one of the map's own key terms goes first.
            own = next((p for p, k in enumerate(container.keys) if key.eq(k)), None)
            if own is not None and any(m is container and p == own for m, p in self.visiting):  # in a walk over m's keys
                self._partial(container.live[own], node.text, "its key is not in the map")
                return container.values[own]
            order = sorted(range(len(container.keys)), key=lambda p: p != own)
            hits = [z3.And(container.live[p], container.keys[p] == key) for p in order]
            self._partial(z3.Or(hits), node.text, "its key is not in the map")
            return select(hits, [container.values[p] for p in order])
        assert isinstance(container, SymList)
        self._partial(z3.And(-container.length <= key, key < container.length), node.text, "its index is out of range")
        position = z3.If(key >= 0, key, container.length + key)  # Python counts a negative index from the end
        return select([position == i for i in range(len(container.items))], container.items)

    def _Unary(self, node: ir.Unary) -> Sym:
        operand = self.term(node.operand)
        return z3.Not(operand) if node.op == "not" else -operand

    def _Binary(self, node: ir.Binary) -> Sym:
        op = node.op
        a = self.term(node.left)
        if op in ("and", "or", "implies"):  # Python evaluates the right side only when it must
            b = self._under(z3.Not(a) if op == "or" else a).term(node.right)
            return {"and": z3.And, "or": z3.Or, "implies": z3.Implies}[op](a, b)
        b = self.term(node.right)
        if op in ("eq", "ne"):
            same = equal(a, b)
            return same if op == "eq" else z3.Not(same)
        if op == "concat":
            return z3.Concat(a, b)
        if op == "div":
            a, b = as_real(a), as_real(b)
            return z3.If(b == 0, z3.RealVal(0), a / b)
        if op == "floordiv":
            return _floordiv(a, b)
        if op == "mod":
            return a - b * _floordiv(a, b)
        a, b = numeric_pair(a, b)
        return {
            "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
            "lt": lambda: a < b, "le": lambda: a <= b, "gt": lambda: a > b, "ge": lambda: a >= b,
        }[op]()

    def _Call(self, node: ir.Call) -> Sym:
        args = [self.term(a) for a in node.args]
        func = node.func
        if func == "len":
            return args[0].length if isinstance(args[0], (SymList, SymMap)) else z3.Length(args[0])
        if func == "kind":
            return json_kind(args[0])
        if func in ("all", "any"):
            present = _positions(args[0])
            if func == "all":
                return z3.And([z3.Implies(there, item) for there, item in present])
            return z3.Or([z3.And(there, item) for there, item in present] or [False])
        if func == "abs":
            return z3.If(args[0] < 0, -args[0], args[0])
        if func in ("min", "max"):
            a, b = numeric_pair(args[0], args[1])
            return z3.If(a <= b, a, b) if func == "min" else z3.If(a >= b, a, b)
        if func == "sum":
            items: SymList = args[0]
            as_sort = (lambda t: t) if isinstance(node.type, IntType) else as_real
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
        return z3.Or([z3.And(there, equal(element, item)) for there, item in _positions(items)] or [False])

    def _Quantifier(self, node: ir.Quantifier) -> Sym:
        terms = []
        items = self.term(node.items)
        for position, (there, item) in enumerate(_positions(items)):
            inner = self._under(there, env={**self.env, node.var: item}, visit=_visit(items, position))
            guard = [there] if node.condition is None else [there, inner.term(node.condition)]
            body = inner._under(*guard[1:]).term(node.body)
            terms.append(z3.Implies(z3.And(guard), body) if node.kind == "all" else z3.And(*guard, body))
        if node.kind == "all":
            return z3.And(terms) if terms else z3.BoolVal(True)
        return z3.Or(terms) if terms else z3.BoolVal(False)

    def _Comprehension(self, node: ir.Comprehension) -> Sym:
        items = self.term(node.items)
        kept, keys, elements = [], [], []
        for position, (there, item) in enumerate(_positions(items)):
            inner = self._under(there, env={**self.env, node.var: item}, visit=_visit(items, position))
            keep = there if node.condition is None else z3.And(there, inner.term(node.condition))
            body = inner._under(keep)
            kept.append(keep)
            elements.append(body.term(node.element))
            if node.key is not None:
                keys.append(body.term(node.key))
        if node.key is not None:
            if isinstance(items, SymMap) and all(k.eq(own) for k, own in zip(keys, items.keys)):
                return SymMap(kept, keys, elements)  # keyed by the map's own (distinct) keys
            return _map_of(kept, keys, elements)
        if isinstance(items, SymList) and node.condition is None:
            return SymList(items.length, elements)
        return _compacted(kept, elements)

    def _Convert(self, node: ir.Convert) -> Sym:
        return convert(self.term(node.value), node.value.type, node.type)

    def _IfElse(self, node: ir.IfElse) -> Sym:
        condition = self.term(node.condition)
        then = self._under(condition).term(node.then)
        otherwise = self._under(z3.Not(condition)).term(node.otherwise)
        return merge(condition, then, otherwise)

    def _ListLiteral(self, node: ir.ListLiteral) -> Sym:
        return SymList(z3.IntVal(len(node.items)), [self.term(item) for item in node.items])

    def _RecordLiteral(self, node: ir.RecordLiteral) -> Sym:
        return SymRecord({name: self.term(value) for name, value in node.fields})


def _visit(items: Sym, position: int) -> tuple[SymMap, int] | None:
    return (items, position) if isinstance(items, SymMap) else None


def _compacted(kept: list[z3.BoolRef], elements: list[Sym]) -> SymList:
    """The elements whose flag holds, in order, as a list: item k is the element at the position
    where the k-th kept one stands."""
    before = [count(kept[:i]) for i in range(len(kept) + 1)]  # kept elements before each position
    items = [select([z3.And(kept[i], before[i] == k) for i in range(k, len(kept))], elements[k:]) for k in range(len(kept))]
    return SymList(before[-1], items)


def _map_of(kept: list[z3.BoolRef], keys: list[z3.SeqRef], values: list[Sym]) -> SymMap:
    """The map Python builds from the kept (key, value) pairs in order: a repeated key keeps its
    first place and takes its last value."""
    live, last = [], []
    for i, key in enumerate(keys):
        earlier = [z3.And(kept[j], keys[j] == key) for j in range(i)]
        live.append(z3.And(kept[i], z3.Not(z3.Or(earlier))) if earlier else kept[i])
        later = list(range(len(keys) - 1, i, -1))
        last.append(select([z3.And(kept[j], keys[j] == key) for j in later] + [z3.BoolVal(True)], [values[j] for j in later] + [values[i]]))
    return SymMap(live, keys, last)
