"""`SandboxEvaluation`: verified programs run in the run's sandbox, like any agent.

Each program is compiled to a standard-library module (synthesis/language/to_module.py) and run once per task
(one episode per task, as a tool domain's tasks are), its guarded calls answered through the
channel by a `GuardService` over the run's proven contracts and model: the budget and the
model cache of the run apply, and shaping options travel as the channel's options. For a
domain with tools, the guard's tools are the task's episode, typed by the task's tool
signatures (synthesis/language/tools.py). The sandbox sees the task's inputs and the parameter values,
never a label.
"""
from __future__ import annotations

from typing import Any, Callable

from evoforge.contracts.guard import CallRecord
from evoforge.contracts.tasks import TaskSpec
from evoforge.domains.base import Domain, Task
from evoforge.domains.episode import run_episode
from evoforge.errors import EvoforgeError
from evoforge.models.base import BudgetExceeded
from evoforge.runs.stopping import StopRequested, StopSignal
from evoforge.sandbox import Job, Limits, Sandbox
from evoforge.sandbox.guard_service import GuardService
from evoforge.synthesis.language.interpret import ProgramFailure, check_params
from evoforge.synthesis.language.to_module import FUNCTION, MODULE, agent_files
from evoforge.synthesis.language.tools import TypedSession
from evoforge.synthesis.search.evaluation import ProgramEvaluation, Ran, RunOne
from evoforge.synthesis.search.verify import VerifiedProgram

GuardFactory = Callable[[], GuardService]


class SandboxEvaluation(ProgramEvaluation):
    def __init__(self, domain: Domain, task: TaskSpec, sandbox: Sandbox, new_guard: GuardFactory, *,
                 task_timeout_s: float = 60.0, keep: list[CallRecord] | None = None, stop: StopSignal | None = None):
        super().__init__(domain, task)
        self.sandbox, self.new_guard, self.task_timeout_s = sandbox, new_guard, task_timeout_s
        self.keep = keep  # where every guarded call's record also goes (the run's archive)
        self.stop = stop  # a run's stop: a job it cut short must not count as the program's result

    def runner(self, verified: VerifiedProgram) -> RunOne:
        program = verified.program
        try:
            files = agent_files(program)
        except EvoforgeError as error:
            message = str(error)
            return lambda values, params, task: Ran(None, [], message)
        limits = Limits(wall_s=self.task_timeout_s + 10, cpu_s=int(self.task_timeout_s) + 10)

        def run_one(values: dict[str, Any], params: dict[str, Any], task: Task) -> Ran:
            try:
                checked = check_params(program, params)
            except ProgramFailure as error:
                return Ran(None, [], str(error))
            guard = self.new_guard()
            # Exact values: the channel's wire carries reals as fractions.
            job = Job(files, MODULE, FUNCTION, [[{"id": task.id, "inputs": values}, checked]])
            # The channel's call_tool goes to this task's episode, typed.
            episode = run_episode(self.domain, task, self.sandbox, guard, job, limits, lambda session: TypedSession(session, self.task.tools, guard.specs))
            result, session, records = episode.result, episode.session, episode.records
            if self.keep is not None:
                self.keep.extend(records)
            if self.stop is not None and self.stop.requested:  # the job may have been killed by the stop
                raise StopRequested(self.stop.detail)
            if guard.budget_exceeded:
                raise BudgetExceeded(guard.budget_exceeded)
            outcome = result.outcome(0)
            if not outcome.ok:
                reason = outcome.error or result.killed_reason or f"the sandbox exited with code {result.exit_code}"
                return Ran(None, records, f"the program failed in the sandbox: {reason[-500:]}", session)
            return Ran(outcome.value, records, session=session)

        return run_one
