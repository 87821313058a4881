"""A task's episode: an agent runs on one task with the task's tools behind the kernel's channel.

The one way every runner of tool-using tasks puts an episode together (the loop's evaluation,
synthesized programs in the sandbox, benches): the task's tool session, opened with the
guard's model (so a domain whose episodes call a model charges the run's budget), answers the
guard's `tool` requests; the job runs in the given sandbox (a real backend, or the in-process
adapter for trusted code); and the guarded calls come back as the agent's and the episode's own.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from evoforge.contracts.guard import CallRecord
from evoforge.domains.base import Domain, Task, ToolSession, open_episode
from evoforge.sandbox import Job, Limits, RunResult, Sandbox
from evoforge.sandbox.guard_service import GuardService


@dataclass
class Episode:
    result: RunResult
    agent_calls: list[CallRecord]  # the agent's guarded calls, answered by the guard
    session: ToolSession | None = None  # the task's tools, for its evaluator (None: a domain without tools)

    @property
    def episode_calls(self) -> list[CallRecord]:
        """The kernel's own guarded calls in the episode (policy checks, readings, a model-played user)."""
        return self.session.guarded_calls() if self.session is not None else []

    @property
    def records(self) -> list[CallRecord]:
        return [*self.agent_calls, *self.episode_calls]


def run_job(sandbox: Sandbox, job: Job, limits: Limits, guard: GuardService, session: ToolSession | None = None) -> Episode:
    """Run `job` with `guard` answering its channel; the calls the guard answered are taken from it."""
    result = sandbox.run(job, limits, guard)
    return Episode(result, guard.take_records(), session)


def run_episode(domain: Domain, task: Task, sandbox: Sandbox, guard: GuardService, job: Job, limits: Limits,
                tools: Callable[[ToolSession], ToolSession] = lambda session: session) -> Episode:
    """Run `job` in a fresh episode of `task` (no session for a domain without tools); the guard
    answers `tool` requests from `tools(session)` (synthesis types the session's tools)."""
    session = open_episode(domain, task, guard.model)
    if session is not None:
        guard.tools = tools(session)
    return run_job(sandbox, job, limits, guard, session)
