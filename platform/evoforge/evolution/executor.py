"""Where children are made: an `Executor` runs `make_child` for the loop.

`local` (the default) runs it in the driver's process; the Ray executor (scale/) runs it as a
task on a cluster node. Either way the driver keeps the graph, selection and archive writes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from evoforge.archive import Archive
from evoforge.errors import EvoforgeError
from evoforge.evolution.config import RunConfig
from evoforge.evolution.stopping import StopSignal
from evoforge.evolution.worker import ChildOutcome, ChildWork, WorkerContext, make_child
from evoforge.models.budget import Budget


class Executor(Protocol):
    def run_child(self, work: ChildWork) -> ChildOutcome:
        """Make and evaluate one child; safe to call from several threads at once."""
        ...

    def close(self) -> None: ...


class LocalExecutor:
    def __init__(self, worker: WorkerContext):
        self.worker = worker

    def run_child(self, work: ChildWork) -> ChildOutcome:
        return make_child(self.worker, work)

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class RunHandle:
    """What an executor on other machines needs from the driver's run besides the worker context:
    where the archive is (workers keep the model cache there), the run's budget (so that calls
    on every node count against one budget) and its stop signal (to cancel children in flight)."""

    run_id: int
    archive: Archive
    budget: Budget
    stop: StopSignal


ExecutorFactory = Callable[[RunConfig, WorkerContext, RunHandle], Executor]


def _ray(config: RunConfig, worker: WorkerContext, run: RunHandle) -> Executor:
    from evoforge.scale.executor import RayExecutor  # on use only: ray is an extra, and slow to import

    return RayExecutor.connect(config, worker, run)


# Chosen by RunConfig.executor; a new engine registers its factory here.
EXECUTORS: dict[str, ExecutorFactory] = {"local": lambda config, worker, run: LocalExecutor(worker), "ray": _ray}


def make_executor(config: RunConfig, worker: WorkerContext, run: RunHandle) -> Executor:
    factory = EXECUTORS.get(config.executor)
    if factory is None:
        raise EvoforgeError(f"unknown executor {config.executor!r} (choose {', '.join(EXECUTORS)})")
    return factory(config, worker, run)
