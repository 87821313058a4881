"""Proves, with Z3, that a contract's fallback satisfies its `ensure` for every admissible input.

Questions put to the solver, each under a timeout:
0. when the clauses index or read optional fields: is each of those defined wherever the
   run-time checker evaluates it? (safety.py; if not, the contract is rejected);
1. is `require` satisfiable at all? (if not, the contract can never be called);
2. is there an input x with `require(x)` and not `ensure(x, fallback(x))`? `unsat` is a proof;
   `sat` yields a counterexample; `unknown` or a timeout is a rejection with the solver's reason.
"""
from __future__ import annotations

import time
from typing import Any

import z3

from evoforge.contracts.model import RESULT, Contract
from evoforge.contracts.outcome import DEFAULT_TIMEOUT_MS, Proof
from evoforge.contracts.safety import check_safety
from evoforge.contracts.to_z3 import Compiler
from evoforge.contracts.z3_values import declare, from_model, well_typed
from evoforge.contracts.types import to_plain


def prove(contract: Contract, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Proof:
    started = time.perf_counter()

    def done(proven: bool, reason: str, counterexample: dict[str, Any] | None = None) -> Proof:
        return Proof(proven, reason, time.perf_counter() - started, counterexample)

    unsafe = check_safety(contract.inputs, contract.require, contract.output, contract.ensure, contract.fallback, timeout_ms)
    if unsafe is not None:
        return done(False, unsafe.reason, unsafe.counterexample)

    env, domain = {}, []
    for name, t in contract.inputs.items():
        env[name], constraints = declare(name, t)
        domain.extend(constraints)
    compiler = Compiler(env)
    require = [compiler.term(c.node) for c in contract.require]

    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    solver.add(*domain, *require)
    status = solver.check()
    if status == z3.unsat:
        return done(False, "require can never hold (the preconditions contradict each other)")
    if status == z3.unknown:
        return done(False, f"the solver could not decide whether require is satisfiable ({solver.reason_unknown()})")

    fallback = compiler.term(contract.fallback.node)
    goal = well_typed(fallback, contract.output)
    result_env = Compiler({**env, RESULT: fallback})
    goal += [result_env.term(c.node) for c in contract.ensure]
    solver.add(z3.Not(z3.And(goal)))
    status = solver.check()
    if status == z3.unsat:
        return done(True, "fallback proven to satisfy ensure for every input that satisfies require")
    if status == z3.unknown:
        reason = solver.reason_unknown()
        hint = "timed out" if "timeout" in reason or "canceled" in reason else reason
        return done(False, f"the solver could not prove the fallback ({hint}); simplify the constraints or raise the timeout")
    inputs = {name: from_model(solver.model(), env[name], t) for name, t in contract.inputs.items()}
    return done(False, _explain(contract, inputs), {k: to_plain(v) for k, v in inputs.items()})


def _explain(contract: Contract, inputs: dict[str, Any]) -> str:
    """Words for a counterexample, computed with the run-time checker so they name a clause."""
    shown = ", ".join(f"{name}={to_plain(value)!r}" for name, value in inputs.items())
    try:
        value = contract.fallback_for(inputs)
        clause = contract.violated_ensure(inputs, value)
    except Exception as error:  # the compiled fallback failed on the counterexample itself
        return f"unsound fallback: for {shown} evaluating the fallback fails ({error})"
    if clause is not None:
        return (
            f"unsound fallback: for {shown} the fallback gives {to_plain(value)!r}, "
            f"which violates ensure `{clause.text}` (line {clause.line})"
        )
    return f"unsound fallback: for {shown} the fallback gives {to_plain(value)!r}, which is not a valid {contract.output}"
