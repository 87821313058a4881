"""Verify: proves Phi(x) and every call contract => Psi(x, program(x, theta)), for all x and theta.

Each obligation from `language/symbolic.py` is put to Z3 as "is there an input, a parameter value and
contract-satisfying model outputs that break it?". `unsat` for every obligation is a proof;
`sat` is a concrete counterexample (inputs, parameter values, path, model outputs); `unknown`
or a timeout is reported with the solver's reason and never counts as proven.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import z3

from evoforge.contracts.outcome import DEFAULT_TIMEOUT_MS
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.to_z3 import Compiler
from evoforge.contracts.z3_values import declare, from_model
from evoforge.contracts.types import INT, RealType, to_plain
from evoforge.errors import EvoforgeError
from evoforge.synthesis.language.program import Program
from evoforge.synthesis.language.symbolic import Explorer, Obligation, PathLimit, SymCall, declare_param, proof_params
from evoforge.synthesis.search.slicing import cone

PROVEN, COUNTEREXAMPLE, UNKNOWN = "proven", "counterexample", "unknown"
DEFAULT_MAX_PATHS = 512
COMPLETION_MS = 2000  # for completing a counterexample beyond its cone; the cone's model serves if it runs out
# Pruning a branch needs `unsat`; `unknown` explores it anyway (sound: the obligations on it are
# still proven), so a long wait on a hard string question buys nothing but a pruned path.
FEASIBILITY_MS = 200


@dataclass(frozen=True)
class Counterexample:
    """Concrete inputs, parameter values and contract-satisfying model outputs that break the program."""

    inputs: dict[str, Any]
    params: dict[str, Any]  # only the parameters the proof ranges over
    path: list[str]
    calls: list[dict[str, Any]]  # {"line", "contract", "inputs", "output"} per guarded call on the path
    kind: str  # "ensure": the result breaks Psi; "require": a call's inputs break its require; "policy": a write its policy forbids; "defined": an index or optional field read where undefined
    line: int
    violated: str
    result: Any = None
    clause: str | None = None  # the text of the broken Psi (or write policy) clause, for the repair moves
    tools: list[dict[str, Any]] = field(default_factory=list)  # {"line", "tool", "inputs", "output"} per tool call on the path

    def describe(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in {**self.inputs, **self.params}.items())
        returned = [*(f"tool {t['tool']} (line {t['line']}) returned {t['output']!r}" for t in self.tools),
                    *(f"{c['contract']} (line {c['line']}) returned {c['output']!r}" for c in self.calls)]
        outputs = "; ".join(returned)
        if self.kind == "defined":
            text = f"for {shown}: line {self.line} reads {self.violated}"
        else:
            where = f"the return at line {self.line} gives {self.result!r}" if self.kind == "ensure" else f"the {'write' if self.kind == 'policy' else 'call'} at line {self.line}"
            text = f"for {shown}: {where}, which breaks {self.violated}"
        return text + (f", when {outputs}" if outputs else "")


@dataclass(frozen=True)
class Verdict:
    status: str  # PROVEN | COUNTEREXAMPLE | UNKNOWN
    reason: str
    seconds: float
    paths: int
    obligations: int
    params_in_proof: tuple[str, ...]
    params_shaping_only: tuple[str, ...]
    counterexample: Counterexample | None = None

    @property
    def proven(self) -> bool:
        return self.status == PROVEN

    def to_dict(self) -> dict[str, Any]:
        """The verdict as JSON holds it (lists, not tuples), so a stored one reads back equal."""
        return {**asdict(self), "params_in_proof": list(self.params_in_proof), "params_shaping_only": list(self.params_shaping_only)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Verdict":
        """A verdict as `to_dict` stored it (JSON turns tuples into lists)."""
        example = data.get("counterexample")
        return cls(**{**data, "params_in_proof": tuple(data["params_in_proof"]),
                      "params_shaping_only": tuple(data["params_shaping_only"]),
                      "counterexample": Counterexample(**example) if example else None})


@dataclass(frozen=True)
class VerifiedProgram:
    """A program with its proof. Only these are learned, evaluated on validation/test, or answered."""

    program: Program
    verdict: Verdict = field(repr=False)

    def __post_init__(self) -> None:
        if not self.verdict.proven:
            raise EvoforgeError(f"program for task '{self.program.task}' is not proven ({self.verdict.reason}) and cannot be used")


class Verifier:
    """Proves programs against their task specification with Z3, under a per-query timeout."""

    def __init__(self, timeout_ms: int = DEFAULT_TIMEOUT_MS, max_paths: int = DEFAULT_MAX_PATHS):
        self.timeout_ms, self.max_paths = timeout_ms, max_paths

    def verify(self, program: Program, task: TaskSpec) -> Verdict:
        started = time.perf_counter()
        in_proof = proof_params(program)
        env, domain = {}, []
        for name, t in task.inputs.items():
            env[name], constraints = declare(name, t)
            domain += constraints
        domain += [Compiler(env).term(c.node) for c in task.require]
        params = [p for p in program.params if p.name in in_proof]
        for param in params:
            env[param.name], constraints = declare_param(param)
            domain += constraints
        # A new branch is feasible unless its condition's cone contradicts (the rest was feasible before).
        explorer = Explorer(program, task, env, self.max_paths,
                            lambda facts: self._check(domain, facts, seeds=facts[-1:], timeout_ms=FEASIBILITY_MS)[0] != z3.unsat)
        counted = 0

        def done(status: str, reason: str, example: Counterexample | None = None) -> Verdict:
            shaping = tuple(p.name for p in program.params if p.name not in in_proof)
            return Verdict(status, reason, time.perf_counter() - started, explorer.paths, counted,
                           tuple(p.name for p in params), shaping, example)

        status, reason = self._check(domain, [])
        if status == z3.unsat:
            return done(UNKNOWN, f"task '{task.name}': require can never hold together with the parameter bounds, so nothing is proven")
        try:
            for obligation in explorer.obligations():
                counted += 1
                status, model_or_reason = self._check(domain, obligation.state.facts, obligation.goals)
                if status == z3.sat:
                    example = _counterexample(model_or_reason, obligation, task, params, env)
                    return done(COUNTEREXAMPLE, example.describe(), example)
                if status == z3.unknown:
                    return done(UNKNOWN, f"line {obligation.line}: the solver could not decide ({model_or_reason}); simplify the program or raise the timeout")
        except PathLimit as error:
            return done(UNKNOWN, f"{error}; split the work into fewer branches or shorter loops")
        return done(PROVEN, f"proven on {explorer.paths} path(s), {counted} obligation(s), for every input satisfying require and every value of {', '.join(p.name for p in params) or 'no parameter'}")

    def _check(self, domain: list, facts: list, goals: tuple = (), seeds: list | None = None,
               timeout_ms: int | None = None) -> tuple[Any, Any]:
        """Z3's answer on domain + facts + not(goals), asked on the cone of the goals (or of
        `seeds`); a counterexample's model is then completed on the whole question when Z3 can."""
        question = [*domain, *facts, *([z3.Not(z3.And(*goals))] if goals else [])]
        sliced = cone(question, seeds if seeds is not None else [z3.And(*goals)]) if (goals or seeds) else question
        status, answer = self._solve(sliced, min(self.timeout_ms, timeout_ms or self.timeout_ms))
        if status == z3.sat and goals and len(sliced) < len(question):
            whole = self._solve(question, min(self.timeout_ms, COMPLETION_MS))
            if whole[0] == z3.sat:
                return whole
        return status, answer

    @staticmethod
    def _solve(constraints: list, timeout_ms: int) -> tuple[Any, Any]:
        solver = z3.Solver()
        solver.set("timeout", timeout_ms)
        solver.add(*constraints)
        status = solver.check()
        if status == z3.sat:
            return status, solver.model()
        reason = solver.reason_unknown() if status == z3.unknown else ""
        return status, ("timed out" if "timeout" in reason or "canceled" in reason else reason)


def _counterexample(model: z3.ModelRef, obligation: Obligation, task: TaskSpec, params: list, env: dict) -> Counterexample:
    def value(sym: Any, t: Any) -> Any:
        if isinstance(t, RealType) and isinstance(sym, z3.ExprRef) and z3.is_int(sym):
            t = INT  # an int value where a real is expected
        return to_plain(from_model(model, sym, t))

    broken = next((i for i, goal in enumerate(obligation.goals) if not z3.is_true(model.eval(goal, model_completion=True))), 0)
    violated = obligation.clauses[broken] if obligation.clauses else "the obligation"
    # Goal 0 of a return is "the result has the task's type"; the rest are Psi's clauses in order.
    clause = task.ensure[broken - 1].text if obligation.kind == "ensure" and broken > 0 else None
    if obligation.kind == "policy":
        clause = obligation.texts[broken]
    def concrete(calls: Iterable[SymCall], key: str) -> list[dict[str, Any]]:
        return [{"line": c.line, key: c.name, "inputs": {n: value(s, c.arg_types[n]) for n, s in c.args.items()},
                 "output": value(c.output, c.output_type)} for c in calls]

    result = value(obligation.result, task.result) if obligation.result is not None else None
    if obligation.kind == "require":
        violated = f"require {violated} of the call"
    return Counterexample(
        inputs={n: value(env[n], t) for n, t in task.inputs.items()},
        params={p.name: value(env[p.name], p.type) for p in params},
        path=list(obligation.state.path), calls=concrete(obligation.state.calls, "contract"), kind=obligation.kind,
        line=obligation.line, violated=violated, result=result, clause=clause, tools=concrete(obligation.state.tools, "tool"),
    )
