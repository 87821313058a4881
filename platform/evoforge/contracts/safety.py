"""Proves that no index or optional field of a contract is read where it is not defined.

`xs[i]` is defined when i is in range, `m[k]` when k is a key of m, `r.f` (an optional field)
when the field is present. The run-time checker evaluates the `require` clauses in order on
inputs of the declared types, then the `ensure` clauses in order on any output of the output
type (whatever a model answers), and the fallback on inputs that satisfy `require`; it stops
at the first false clause. So each partial operation must be defined given the types, the
clauses checked before its own, and the conditions under which Python reaches it (the left
side of `and`, the branch of `if`, the `if` of a comprehension: to_z3.Safety). Z3 proves that
for every input; a counterexample names the clause, the operation and the values.
"""
from __future__ import annotations

from collections import namedtuple
import z3

from evoforge.contracts.model import RESULT, Clause
from evoforge.contracts.outcome import DEFAULT_TIMEOUT_MS
from evoforge.contracts.to_z3 import Compiler, Safety
from evoforge.contracts.types import Type, to_plain
from evoforge.contracts.z3_values import Env, declare, from_model


class Unsafe(namedtuple("Unsafe", "reason counterexample")):
    """Why a partial operation may fail (`reason`, one line) and the values that show it."""

    __slots__ = ()


def check_safety(inputs: dict[str, Type], require: list[Clause], output: Type, ensure: list[Clause],
                 fallback: Clause | None, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Unsafe | None:
    """None when every index and optional field of the clauses (and the fallback) is defined
    wherever it is evaluated; else the first one that may not be, with a counterexample."""
    env, assumed = {}, []
    for name, t in inputs.items():
        env[name], constraints = declare(name, t)
        assumed += constraints
    shown = dict(inputs)
    for clause in require:
        found = _clause(clause, "require", env, assumed, shown, timeout_ms)
        if isinstance(found, Unsafe):
            return found
        assumed.append(found)
    if fallback is not None:
        found = _clause(fallback, "the fallback", env, assumed, shown, timeout_ms)
        if isinstance(found, Unsafe):
            return found
    result, typing = declare(RESULT, output)
    with_result = {**env, RESULT: result}
    assumed += typing
    for clause in ensure:
        found = _clause(clause, "ensure", with_result, assumed, {**shown, RESULT: output}, timeout_ms)
        if isinstance(found, Unsafe):
            return found
        assumed.append(found)
    return None


def _clause(clause: Clause, key: str, env: Env, assumed: list[z3.BoolRef], shown: dict[str, Type], timeout_ms: int) -> z3.ExprRef | Unsafe:
    """The clause's Z3 term, or `Unsafe` when one of its partial operations may be undefined."""
    compiler = Compiler(env)
    term = compiler.term(clause.node)
    if not compiler.safety:
        return term
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.add(*assumed, z3.Or([_fails(s) for s in compiler.safety]))
    status = solver.check()
    if status == z3.unsat:
        return term
    where = f"{key} `{clause.text}` (line {clause.line})"
    if status == z3.unknown:
        return Unsafe(f"{where}: the solver could not show that its indexes and optional fields are always defined ({solver.reason_unknown()})", None)
    model = solver.model()
    failing = next(s for s in compiler.safety if z3.is_true(model.eval(_fails(s), model_completion=True)))
    values = {name: to_plain(from_model(model, env[name], t)) for name, t in shown.items()}
    listed = ", ".join(f"{name}={value!r}" for name, value in values.items())
    return Unsafe(f"{where}: `{failing.text}` may be read when {failing.what}, e.g. for {listed}; "
                  "guard it (`COND and ...`, `... if COND else ...`) or require what makes it hold", values)


def _fails(safety: Safety) -> z3.BoolRef:
    return z3.And(safety.context, z3.Not(safety.defined))
