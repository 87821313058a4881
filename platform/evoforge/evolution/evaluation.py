"""Staged evaluation of one variant: its task agent runs in the sandbox, the kernel scores.

Stage "screen" runs a few train tasks; only a promising variant goes on to stage "full"
(the rest of train, all of validation, all of test). The sandbox receives each task's id,
inputs and the domain's input schema, nothing else: labels stay with the domain's evaluator in
the kernel. A domain with tools (`ToolDomain`) runs each task as its own episode
(domains/episode.py), with the task's tool session behind the channel; the episode's own
guarded calls (a domain that `uses_model`) are made with the same client as the agent's, so
they count against the run's budget and land with the variant's contract events, and what the
evaluator measured in the episode (`Score.counts`) is stored as the last entry of its tool-call
record.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from evoforge.archive import NewEvaluation
from evoforge.contracts.guard import CallRecord
from evoforge.domains import Domain, Task, ToolDomain, ToolSession
from evoforge.domains.base import Score, agent_task
from evoforge.domains.episode import Episode, run_episode, run_job
from evoforge.evolution.manifest import EntryPoint
from evoforge.sandbox import CallOutcome, Job, Limits, Sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.sandbox.inside import evoforge_wire as wire

STORED_OUTPUT_CHARS = 4000  # of an answer's JSON kept with its evaluation
# A job of many tasks may ask the kernel for more: per task, far beyond an agent's few dozen
# requests and milliseconds of kernel CPU each (the defaults hold for a job of one task).
REQUESTS_PER_TASK, KERNEL_S_PER_TASK = 1000, 1.0
COUNTS_KEY = "counts"  # the tool-call record's entry holding the evaluator's counts
ERROR_LINE_CHARS = 300  # of an error shown on one line


@dataclass
class StageResult:
    evaluations: list[NewEvaluation] = field(default_factory=list)
    records: list[CallRecord] = field(default_factory=list)
    crashed: str | None = None  # why the whole sandbox run failed, if it did
    budget_exceeded: str | None = None

    def mean(self, split: str) -> float | None:
        scores = [e.score for e in self.evaluations if e.split == split]
        return sum(scores) / len(scores) if scores else None

    def extend(self, other: "StageResult") -> "StageResult":
        self.evaluations += other.evaluations
        self.records += other.records
        self.crashed = self.crashed or other.crashed
        self.budget_exceeded = self.budget_exceeded or other.budget_exceeded
        return self


GuardFactory = Callable[[], GuardService]  # a fresh service on the variant's model client


def run_tasks(domain: Domain, sandbox: Sandbox, new_guard: GuardFactory, entry: EntryPoint, files: dict[str, str],
              tasks: list[Task], stage: str, task_timeout_s: float) -> StageResult:
    """Run the variant's task agent on `tasks` in the sandbox and score every answer."""
    if not tasks:
        return StageResult()

    def job(batch: list[Task]) -> Job:
        return Job(files, entry.module, entry.function, [[agent_task(domain, task)] for task in batch])

    def limits(batch: list[Task]) -> Limits:
        return Limits(wall_s=task_timeout_s * len(batch) + 10, cpu_s=int(task_timeout_s * len(batch)) + 10,
                      requests=max(Limits.requests, REQUESTS_PER_TASK * len(batch)),
                      kernel_s=max(Limits.kernel_s, KERNEL_S_PER_TASK * len(batch)))

    if not isinstance(domain, ToolDomain):
        guard = new_guard()
        return _scored(domain, tasks, stage, run_job(sandbox, job(tasks), limits(tasks), guard), guard)
    result = StageResult()
    for task in tasks:  # one episode per task: its own copy of the domain's state
        guard = new_guard()
        result.extend(_scored(domain, [task], stage, run_episode(domain, task, sandbox, guard, job([task]), limits([task])), guard))
    return result


def _scored(domain: Domain, tasks: list[Task], stage: str, episode: Episode, guard: GuardService) -> StageResult:
    result = episode.result
    evaluations = [_evaluate(domain, task, stage, result.outcome(index), episode.session) for index, task in enumerate(tasks)]
    crashed = None
    if not result.ok and not result.outcomes:
        crashed = result.killed_reason or f"exited with code {result.exit_code}: {result.stderr_tail[-500:]}"
    return StageResult(evaluations, episode.records, crashed, guard.budget_exceeded)


def _evaluate(domain: Domain, task: Task, stage: str, outcome: CallOutcome, session: ToolSession | None) -> NewEvaluation:
    tool_calls = session.records() if session is not None else []
    verdict = Score(0.0)
    if outcome.ok or session is not None:  # an episode is scored even when its agent failed: its writes count
        verdict = score_answer(domain, task, outcome.value if outcome.ok else None, session)
        if verdict.counts:
            tool_calls = [*tool_calls, {COUNTS_KEY: verdict.counts}]
    if not outcome.ok:
        return NewEvaluation(task.id, task.split, stage, 0.0, "", (outcome.error or "failed")[-2000:], outcome.seconds, tool_calls)
    error = None if verdict.value >= 1.0 else verdict.detail
    return NewEvaluation(task.id, task.split, stage, verdict.value, stored_output(outcome.value), error, outcome.seconds, tool_calls)


def error_line(error: str | None) -> str:
    """An evaluation's error in one line: the evaluator's words, or the last line of the agent's
    traceback (what it raised)."""
    lines = [line.strip() for line in (error or "").splitlines() if line.strip()]
    return " ".join(lines[-1].split())[:ERROR_LINE_CHARS] if lines else "failed"


def stored_counts(tool_calls: list[dict[str, Any]]) -> dict[str, Any]:
    """The evaluator's counts kept with an evaluation's tool calls (empty when there are none)."""
    last = tool_calls[-1] if tool_calls else {}
    return dict(last[COUNTS_KEY]) if set(last) == {COUNTS_KEY} else {}


def score_answer(domain: Domain, task: Task, answer: Any, session: ToolSession | None = None) -> Score:
    """The evaluator's verdict; an evaluator that raises on a hostile answer scores it 0."""
    try:
        if session is not None and isinstance(domain, ToolDomain):
            return domain.evaluate_session(task, answer, session)
        return domain.evaluate(task, answer)
    except Exception as error:
        return Score(0.0, f"the evaluator failed on this answer ({type(error).__name__}: {str(error)[:200]})")


def stored_output(value: Any) -> str:
    """The answer as stored: its JSON when short, else a valid JSON record of its first part
    (cutting the JSON text itself would leave something no reader can parse)."""
    text = wire.dumps(value, default=str)
    if len(text) <= STORED_OUTPUT_CHARS:
        return text
    return wire.dumps({"$truncated": text[:STORED_OUTPUT_CHARS], "chars": len(text)})


def read_output(text: str) -> Any:
    """A stored answer back as a value (None when empty or unreadable)."""
    try:
        return wire.loads(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class StagePlan:
    screen: list[Task]
    rest_of_train: list[Task]
    validation: list[Task]
    test: list[Task]

    @classmethod
    def for_domain(cls, domain: Domain, screen_tasks: int) -> "StagePlan":
        train = domain.tasks("train")
        return cls(train[:screen_tasks], train[screen_tasks:], domain.tasks("validation"), domain.tasks("test"))

    @property
    def full(self) -> list[Task]:
        return [*self.rest_of_train, *self.validation, *self.test]
