"""Scoring a verified program on a split of a domain's tasks.

`Evaluate` is the seam: synthesis asks it for a report and never runs programs itself.
`LocalEvaluation` runs programs in this process with the real guard (tests, the differential
check); `SandboxEvaluation` (sandboxed.py) runs them in the run's sandbox like any agent.
Only a `VerifiedProgram` can be evaluated, so an unproven program never reaches validation
or test. Psi is checked by the kernel on every real result, as evidence the proof holds.
A domain with tools (`ToolDomain`) gives each task its own episode: the program's tool calls
go to that task's session, held to the task's declared tool types (synthesis/language/tools.py), and
the domain scores the episode.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Protocol

from evoforge.contracts import SpecSet
from evoforge.contracts.guard import CallRecord
from evoforge.contracts.tasks import TaskSpec
from evoforge.contracts.types import ValueTypeError, conform, to_plain
from evoforge.domains.base import Domain, Split, Task, ToolDomain, ToolSession, open_episode
from evoforge.models.base import ModelClient
from evoforge.synthesis.language.guarded import GuardGenerate
from evoforge.synthesis.language.interpret import Interpreter, ProgramFailure
from evoforge.synthesis.language.tools import SessionTools, TypedSession
from evoforge.synthesis.search.verify import VerifiedProgram


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


@dataclass
class Ran:
    """One task's run of a program: its output, or why it failed, its guarded calls and, for a
    domain with tools, the task's episode."""

    output: Any
    records: list[CallRecord]
    error: str | None = None
    session: ToolSession | None = None


RunOne = Callable[[dict[str, Any], dict[str, Any], Task], Ran]


class ProgramEvaluation(ABC):
    """What every `Evaluate` shares: conform each task's inputs, skip those outside Phi, run the
    program (`runner`, per implementation), check Psi on the real result, score, account."""

    def __init__(self, domain: Domain, task: TaskSpec):
        self.domain, self.task = domain, task

    @abstractmethod
    def runner(self, verified: VerifiedProgram) -> RunOne:
        """`(values, params, task) -> Ran`, for one run of `verified` over many tasks."""

    def __call__(self, verified: VerifiedProgram, params: dict[str, Any], split: Split) -> EvalReport:
        run_one = self.runner(verified)
        report = EvalReport(split)
        for task in self.domain.tasks(split):
            outcome = TaskOutcome(task.id, 0.0, "", inputs=dict(task.inputs))
            report.outcomes.append(outcome)
            try:
                values = {n: conform(task.inputs[n], t, n) for n, t in self.task.inputs.items()}
            except (KeyError, ValueTypeError) as error:
                outcome.detail = f"task inputs do not fit task '{self.task.name}': {error}"
                continue
            clause = self.task.violated_require(values)
            if clause is not None:
                outcome.detail = f"outside the task's require `{clause.text}`: not attempted"
                continue
            ran = run_one(values, params, task)
            _account(outcome, ran.records)
            if ran.error is not None:
                outcome.detail = ran.error
                if ran.session is not None and isinstance(self.domain, ToolDomain):
                    # What the episode did before the failure stands (writes made, messages sent): judged with no answer.
                    score = self.domain.evaluate_session(task, None, ran.session)
                    outcome.score, outcome.detail = score.value, f"{ran.error}; the episode so far: {score.detail}"
                continue
            try:
                result = conform(ran.output, self.task.result, "result")
            except ValueTypeError as error:  # the proof rules this out; a sandbox could still lie
                outcome.detail, outcome.psi_ok = f"the program's result is not a valid {self.task.result}: {error}", False
                continue
            outcome.output = to_plain(result)
            outcome.psi_ok = self.task.violated_ensure(values, result) is None
            if ran.session is not None and isinstance(self.domain, ToolDomain):
                score = self.domain.evaluate_session(task, outcome.output, ran.session)
            else:
                score = self.domain.evaluate(task, outcome.output)
            outcome.score, outcome.detail = score.value, score.detail
        return report


class LocalEvaluation(ProgramEvaluation):
    """Runs programs in this process with the real guard (tests, the differential check)."""

    def __init__(self, domain: Domain, task: TaskSpec, specs: SpecSet, model: ModelClient):
        super().__init__(domain, task)
        self.specs, self.model = specs, model

    def runner(self, verified: VerifiedProgram) -> RunOne:
        interpreter = Interpreter(verified.program)

        def run_one(values: dict[str, Any], params: dict[str, Any], task: Task) -> Ran:
            generate = GuardGenerate(self.specs, self.model)
            session = open_episode(self.domain, task, self.model)
            tools = SessionTools(TypedSession(session, self.task.tools, self.specs)) if session is not None else None
            try:
                output, error = interpreter.run(values, params, generate, tools).output, None
            except ProgramFailure as failure:
                output, error = None, str(failure)
            return Ran(output, episode_records(generate.take_records(), session), error, session)

        return run_one


def episode_records(records: list[CallRecord], session: ToolSession | None) -> list[CallRecord]:
    """A task's guarded calls: the program's, then those its episode made itself (if any)."""
    return [*records, *(session.guarded_calls() if session is not None else [])]


def _account(outcome: TaskOutcome, records: list[CallRecord]) -> None:
    for record in records:
        outcome.calls += 1
        outcome.fallbacks += record.fallback_used
        outcome.attempts += len(record.attempts)
        outcome.rejected += len(record.violations)
        outcome.tokens += record.prompt_tokens + record.completion_tokens
        outcome.cost_usd += record.cost_usd
