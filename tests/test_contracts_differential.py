"""The Z3 translation and the run-time checker must agree on every concrete value.

Each clause is evaluated on random values twice: by the compiled Python checker and by Z3
on the same values as constants. Any disagreement would make proofs say nothing about
run-time checks, so this test covers every operator of the language.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from value_strategies import values_of

from evoforge.contracts import load_specs
from evoforge.contracts.expressions import parse_expression
from evoforge.contracts.to_python import compile_clauses
from evoforge.contracts.to_z3 import Compiler
from evoforge.contracts.z3_values import constant
from evoforge.contracts.types import BOOL, INT, JSON, REAL, STR, EnumType, ListType, MapType, OptionalType, RecordType

SCOPE = {
    "i": INT, "j": INT, "r": REAL, "b": BOOL, "s": STR, "t": STR,
    "e": EnumType(("x", "y", "z")),
    "xs": ListType(INT, 4),
    "rs": ListType(REAL, 3),
    "rec": RecordType("Rec", (("n", INT), ("name", STR), ("tags", ListType(STR, 2)))),
    "recs": ListType(RecordType("Rec", (("n", INT), ("name", STR), ("tags", ListType(STR, 2)))), 2),
}

EXPRESSIONS = [
    "i + j * 2 - 3 > r", "i // j >= 1", "i % j == 1", "(i // j) * j + i % j == i", "r / i > 1",
    "i / j == r", "-i < j <= r", "abs(i - j) <= 3", "min(i, r) < max(j, 2)", "min(i, j) == max(i, j)",
    "s + t == 'ab'", "s.startswith(t)", "s.endswith('a')", "contains(s, t)", "t in s", "'x' not in s",
    "len(s) + len(xs) > 3", "len(s + t) == len(s) + len(t)", "sum(xs) > i", "sum(rs) <= r",
    "all(x > 0 for x in xs)", "any(x == i for x in xs if x > 0)", "all(x < r for x in rs if x != 0)",
    "i in xs", "i not in xs", "all(x != i for x in xs)", "any(i == x for x in xs)", "all(n.name != s for n in recs)", "e in {'x', 'y'}", "e == 'x' or e != 'z'", "s in {'a', 'b', 'ab'}",
    "implies(b, i > j)", "not b or i == j", "(i if b else j) > 0", "(r if i > j else j) >= 1",
    "rec.n > 0 and rec.name != s", "len(rec.tags) == 1", "s in rec.tags", "xs == [1, 2]", "xs != []",
    "rs == [0.25, i]", "(xs if b else [i]) == [j]", "recs == []", "all(r.n > i for r in recs)",
    "any(r.name == s and t in r.tags for r in recs)", "rec == {'n': i, 'name': s, 'tags': [t]}",
    "parses_python(s)", "is_identifier(s)", "defines_function(s, t)", "is_json(s)", "is_relative_path(s)",
    "1.5 * r == i + 0.5", "i * j * 2 == r",
]


OPTIONAL = RecordType("Opt", (("n", INT), ("tag", OptionalType(STR)), ("xs", OptionalType(ListType(INT, 2)))))
STRUCTURED = {
    "i": INT, "r": REAL, "b": BOOL, "s": STR, "t": STR,
    "xs": ListType(INT, 3), "m": MapType(INT, 3), "m2": MapType(INT, 3),
    "recs": ListType(RecordType("Rec", (("n", INT), ("name", STR))), 3),
    "j": JSON, "js": MapType(JSON, 3), "jl": ListType(JSON, 3), "tags": ListType(STR, 2),
    "opt": OPTIONAL, "opts": ListType(OPTIONAL, 2),
}

# Every expression guards its indexes and optional fields, as the loader proves they must be
# (tests/test_contracts_structured.py), so the Python checker is defined on every value.
STRUCTURED_EXPRESSIONS = [
    "len(xs) > 0 and xs[0] == i", "-len(xs) <= i < len(xs) and xs[i] > 0", "len(xs) >= 2 and xs[-2] < xs[-1]",
    "(xs[i] if 0 <= i < len(xs) else 0) > 1", "s in m and m[s] > i", "all(m[k] > 0 for k in m)", "any(k == s for k in m)",
    "len(m) == i", "s in m", "t not in m", "m == {}", "m == {'a': 1}", "m == m2", "m != {'a': i, 'b': 0}",
    "[x * 2 for x in xs] == [i, 2]", "[x for x in xs if x > 0] == [i]", "len([x for x in xs if x > i]) == 1",
    "sum([x for x in xs if x > 0]) > i", "sum([r.n for r in recs]) == i", "[k for k in m] == [s, t]", "[k for k in m if m[k] > i] == [s]",
    "{k: m[k] + 1 for k in m if m[k] > 0} == m2", "{r.name: r.n for r in recs} == m", "len({r.name: r.n for r in recs}) == 2",
    "{x: 1 for x in tags} == m", "all(m2[k] == 1 for k in m2) and {x: 1 for x in tags} == m2",
    "{r.name: r.n for r in recs if r.n > 0}[s] == i if s in {r.name: r.n for r in recs if r.n > 0} else b",
    "kind(j) == 'int'", "kind(j) in {'real', 'int'}", "kind(j) == 'map' or kind(j) == 'list'", "kind(j) in {'null', 'bool'}",
    "j == s", "j != 'a'", "j in tags", "j in {'a', 'b'}", "s in js and kind(js[s]) == 'str'", "all(kind(js[k]) != 'null' for k in js)",
    "any(v == s for v in jl)", "len(jl) > 0 and kind(jl[0]) == 'list'", "s in jl", "all(js[k] != k for k in js)",
    "opt.tag is None", "opt.tag is not None and opt.tag == s", "opt.xs is not None and i in opt.xs",
    "all(o.tag is None or o.tag != s for o in opts)", "opt == {'n': i}", "opt == {'n': i, 'tag': s}", "opts == [{'n': i}]",
    "[o.n for o in opts if o.xs is not None and len(o.xs) > 0] == [i]", "{'n': i, 'xs': [i, 2]} == opt",
    "all([x > 0 for x in xs])", "any([b, i > 0])", "(i if b else s) == s", "kind(i if b else s) == 'int'",
    "kind([i] if b else {'a': i}) == 'list'", "kind(r if b else s) == 'real'", "kind(r if b else j) == 'int'",
]


def z3_truth(term: z3.BoolRef) -> bool:
    simplified = z3.simplify(term)
    if z3.is_true(simplified) or z3.is_false(simplified):
        return z3.is_true(simplified)
    solver = z3.Solver()
    solver.add(z3.Not(term))
    return solver.check() == z3.unsat


def assert_agree(node, names, types, values):
    named = dict(zip(names, values))
    python_says = compile_clauses("diff", names, [node])(named, named.get("result")) == -1
    env = {n: constant(v, t) for n, t, v in zip(names, types, values)}
    z3_says = z3_truth(Compiler(env).term(node))
    assert python_says == z3_says, dict(zip(names, values))


@pytest.mark.parametrize("expression", EXPRESSIONS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_python_checker_and_z3_agree(expression, data):
    node = parse_expression(expression, SCOPE)
    names = list(SCOPE)
    values = [data.draw(values_of(SCOPE[n]), label=n) for n in names]
    assert_agree(node, names, [SCOPE[n] for n in names], values)


STRUCTURED_VALUES = st.fixed_dictionaries({name: values_of(t) for name, t in STRUCTURED.items()})


@pytest.mark.parametrize("expression", STRUCTURED_EXPRESSIONS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=STRUCTURED_VALUES)
def test_python_checker_and_z3_agree_on_structured_values(expression, values):
    node = parse_expression(expression, STRUCTURED)
    assert_agree(node, list(STRUCTURED), list(STRUCTURED.values()), [values[n] for n in STRUCTURED])


SPEC_CONTRACTS = list(load_specs([Path(__file__).resolve().parent.parent / "specs"], check_proofs=False).contracts.values())


@pytest.mark.parametrize("contract", SPEC_CONTRACTS, ids=lambda c: c.name)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_example_spec_clauses_agree(contract, data):
    names = [*contract.inputs, "result"]
    types = [*contract.inputs.values(), contract.output]
    values = [data.draw(values_of(t), label=n) for n, t in zip(names, types)]
    for clause in contract.require:
        assert_agree(clause.node, names[:-1], types[:-1], values[:-1])
    for clause in contract.ensure:
        assert_agree(clause.node, names, types, values)
