"""Scoring a verified program on a split of a domain's tasks.

`Evaluate` is the seam: synthesis asks it for a report and never runs programs itself.
`LocalEvaluation` runs programs in this process with the real guard (tests, trusted
programs); the sandboxed evaluation the lead wires implements the same protocol.
Only a `VerifiedProgram` can be evaluated, so an unproven program never reaches validation
or test. Psi is checked by the kernel on every real result, as evidence the proof holds.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from evoforge.contracts import SpecSet
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.types import ValueTypeError, conform, to_plain
from evoforge.domains.base import Domain, Split
from evoforge.models.base import ModelClient
from evoforge.synthesis.guarded import GuardGenerate, ModelFor
from evoforge.synthesis.interpret import Interpreter, ProgramFailure
from evoforge.synthesis.verify import VerifiedProgram


@dataclass
class TaskOutcome:
    task_id: str
    score: float
    detail: str
    inputs: dict[str, Any] = field(default_factory=dict)  # the task's inputs (never its label)
    output: Any = None
    psi_ok: bool = True
    calls: int = 0
    fallbacks: int = 0
    attempts: int = 0
    rejected: int = 0
    tokens: int = 0
    cost_usd: float = 0.0


@dataclass
class EvalReport:
    split: str
    outcomes: list[TaskOutcome] = field(default_factory=list)

    def _mean(self, values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    @property
    def score(self) -> float:
        return self._mean([o.score for o in self.outcomes])

    @property
    def psi_violations(self) -> int:
        return sum(not o.psi_ok for o in self.outcomes)

    @property
    def fallback_rate(self) -> float:
        calls = sum(o.calls for o in self.outcomes)
        return sum(o.fallbacks for o in self.outcomes) / calls if calls else 0.0

    @property
    def rejection_rate(self) -> float:
        attempts = sum(o.attempts for o in self.outcomes)
        return sum(o.rejected for o in self.outcomes) / attempts if attempts else 0.0

    @property
    def tokens_per_task(self) -> float:
        return self._mean([float(o.tokens) for o in self.outcomes])

    @property
    def cost_usd(self) -> float:
        return sum(o.cost_usd for o in self.outcomes)

    def summary(self) -> dict[str, Any]:
        return {
            "split": self.split, "tasks": len(self.outcomes), "score": self.score,
            "psi_violations": self.psi_violations, "fallback_rate": self.fallback_rate,
            "rejection_rate": self.rejection_rate, "tokens_per_task": self.tokens_per_task, "cost_usd": self.cost_usd,
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "outcomes": [asdict(o) for o in self.outcomes]}


class Evaluate(Protocol):
    """Scores `verified` with parameter values `params` on every task of `split`.

    Promises: never raises on one task's failure (that task scores 0 and says why);
    lets `BudgetExceeded` through so the caller can stop.
    """

    def __call__(self, verified: VerifiedProgram, params: dict[str, Any], split: Split) -> EvalReport: ...


class LocalEvaluation:
    def __init__(self, domain: Domain, task: TaskSpec, specs: SpecSet, model: ModelClient, *, model_for: ModelFor | None = None):
        self.domain, self.task, self.specs, self.model, self.model_for = domain, task, specs, model, model_for

    def __call__(self, verified: VerifiedProgram, params: dict[str, Any], split: Split) -> EvalReport:
        interpreter = Interpreter(verified.program)
        report = EvalReport(split)
        for task in self.domain.tasks(split):
            generate = GuardGenerate(self.specs, self.model, model_for=self.model_for)
            outcome = TaskOutcome(task.id, 0.0, "", inputs=dict(task.inputs))
            try:
                values = {n: conform(task.inputs[n], t, n) for n, t in self.task.inputs.items()}
            except (KeyError, ValueTypeError) as error:
                outcome.detail = f"task inputs do not fit task '{self.task.name}': {error}"
                report.outcomes.append(outcome)
                continue
            clause = self.task.violated_require(values)
            if clause is not None:
                outcome.detail = f"outside the task's require `{clause.text}`: not attempted"
            else:
                try:
                    trace = interpreter.run(values, params, generate)
                except ProgramFailure as error:
                    outcome.detail = str(error)
                else:
                    outcome.output = to_plain(trace.output)
                    outcome.psi_ok = self.task.violated_ensure(values, trace.output) is None
                    score = self.domain.evaluate(task, outcome.output)
                    outcome.score, outcome.detail = score.value, score.detail
            _account(outcome, generate)
            report.outcomes.append(outcome)
        return report


def _account(outcome: TaskOutcome, generate: GuardGenerate) -> None:
    for record in generate.take_records():
        outcome.calls += 1
        outcome.fallbacks += record.fallback_used
        outcome.attempts += len(record.attempts)
        outcome.rejected += len(record.violations)
        outcome.tokens += record.prompt_tokens + record.completion_tokens
        outcome.cost_usd += record.cost_usd
