"""What an executor is: it runs `make_child` for the loop, from several threads at once; the
local one does it in the driver's process."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from evoforge.archive import Archive
from evoforge.errors import EvoforgeError
from evoforge.evolution.executors import EXECUTORS
from evoforge.evolution.settings import EvolutionSettings
from evoforge.evolution.worker import ChildOutcome, ChildWork, WorkerContext, make_child
from evoforge.lazy import imported
from evoforge.models.budget import Budget
from evoforge.runs.stopping import StopSignal


class Executor(Protocol):
    def run_child(self, work: ChildWork) -> ChildOutcome:
        """Make and evaluate one child; safe to call from several threads at once."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class RunHandle:
    """What an executor on other machines needs from the driver's run besides the worker context:
    where the archive is (workers keep the model cache there), the run's budget (so that calls
    on every node count against one budget) and its stop signal (to cancel children in flight)."""

    run_id: int
    archive: Archive
    budget: Budget
    stop: StopSignal


class LocalExecutor:
    def __init__(self, worker: WorkerContext):
        self.worker = worker

    @classmethod
    def connect(cls, settings: EvolutionSettings, worker: WorkerContext, run: RunHandle) -> LocalExecutor:
        return cls(worker)

    def run_child(self, work: ChildWork) -> ChildOutcome:
        return make_child(self.worker, work)

    def close(self) -> None:
        pass


def make_executor(settings: EvolutionSettings, worker: WorkerContext, run: RunHandle) -> Executor:
    if settings.executor not in EXECUTORS:
        raise EvoforgeError(f"unknown executor {settings.executor!r} (choose {', '.join(EXECUTORS)})")
    executor: Executor = imported(EXECUTORS[settings.executor]).connect(settings, worker, run)
    return executor
