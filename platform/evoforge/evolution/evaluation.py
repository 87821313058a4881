"""Staged evaluation of one variant: its task agent runs in the sandbox, the kernel scores.

Stage "screen" runs a few train tasks; only a promising variant goes on to stage "full"
(the rest of train, all of validation, all of test). The sandbox receives each task's inputs
and nothing else: labels stay with the domain's evaluator in the kernel.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from evoforge.archive import NewEvaluation
from evoforge.contracts.guard import CallRecord
from evoforge.domains import Domain, Task
from evoforge.evolution.guard_service import GuardService
from evoforge.sandbox import Job, Limits, Sandbox

TASK_MODULE, TASK_FUNCTION = "task_agent", "run"


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


def run_tasks(domain: Domain, sandbox: Sandbox, guard: GuardService, files: dict[str, str],
              tasks: list[Task], stage: str, task_timeout_s: float) -> StageResult:
    """Run the variant's task agent on `tasks` in one sandbox and score every answer."""
    if not tasks:
        return StageResult()
    calls = [[{"domain": domain.name, "id": task.id, "inputs": task.inputs}] for task in tasks]
    limits = Limits(wall_s=task_timeout_s * len(tasks) + 10, cpu_s=int(task_timeout_s * len(tasks)) + 10)
    result = sandbox.run(Job(files, TASK_MODULE, TASK_FUNCTION, calls), limits, guard)
    evaluations = []
    for index, task in enumerate(tasks):
        outcome = result.outcome(index)
        if outcome.ok:
            verdict = domain.evaluate(task, outcome.value)
            error = None if verdict.value >= 1.0 else verdict.detail
            evaluations.append(NewEvaluation(task.id, task.split, stage, verdict.value, json.dumps(outcome.value)[:4000], error, outcome.seconds))
        else:
            evaluations.append(NewEvaluation(task.id, task.split, stage, 0.0, "", (outcome.error or "failed")[-2000:], outcome.seconds))
    crashed = None
    if not result.ok and not result.outcomes:
        crashed = result.killed_reason or f"exited with code {result.exit_code}: {result.stderr_tail[-500:]}"
    return StageResult(evaluations, guard.take_records(), crashed, guard.budget_exceeded)


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
