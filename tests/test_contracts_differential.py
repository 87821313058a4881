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
from evoforge.contracts.types import BOOL, INT, REAL, STR, EnumType, ListType, RecordType

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
