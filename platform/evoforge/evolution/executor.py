"""Where children are made: an `Executor` runs `make_child` for the loop.

`local` (the default) runs it in the driver's process; the Ray executor (scale/) runs it as a
task on a cluster node. Either way the driver keeps the graph, selection and archive writes.
"""
from __future__ import annotations

from typing import Callable, Protocol

from evoforge.errors import EvoforgeError
from evoforge.evolution.config import RunConfig
from evoforge.evolution.worker import ChildOutcome, ChildWork, WorkerContext, make_child


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


ExecutorFactory = Callable[[RunConfig, WorkerContext], Executor]
# Chosen by RunConfig.executor; a new engine registers its factory here.
EXECUTORS: dict[str, ExecutorFactory] = {"local": lambda config, worker: LocalExecutor(worker)}


def make_executor(config: RunConfig, worker: WorkerContext) -> Executor:
    factory = EXECUTORS.get(config.executor)
    if factory is None:
        raise EvoforgeError(f"unknown executor {config.executor!r} (choose {', '.join(EXECUTORS)})")
    return factory(config, worker)
