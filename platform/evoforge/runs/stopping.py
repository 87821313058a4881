"""Why a run stops, for every kind of run: a `StopReason`, decided by small `StopCondition`s
checked after each generation or round, by the steps themselves (a budget runs out, no parent
is left, a search is done), or from outside (`StopSignal`)."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Callable, Protocol


class StopReason(StrEnum):
    GENERATIONS = "generations"  # every planned generation of an evolution run was made
    BUDGET = "budget"  # the run's model budget is spent
    NO_PARENT = "no_parent"  # no valid variant is left to extend
    SIGNAL = "signal"  # stopped from outside (SIGTERM, SIGINT, `evoforge stop`, the UI)
    SEARCH_DONE = "search_done"  # a synthesis run's search ended (rounds spent, target reached, nothing new) and its best is scored

    @property
    def completes_run(self) -> bool:
        """Whether a run stopped for this reason is finished (else it is stopped, resumable)."""
        return self in (StopReason.GENERATIONS, StopReason.NO_PARENT, StopReason.SEARCH_DONE)


class StopRequested(Exception):
    """Raised by a step that must not start (or finish) because the run is being stopped: the
    graph keeps its checkpoint, and `resume` runs the step again."""


@dataclass(frozen=True)
class Stop:
    reason: StopReason
    detail: str

    def to_state(self) -> dict[str, str]:
        return {"reason": str(self.reason), "detail": self.detail}

    @classmethod
    def from_state(cls, value: dict[str, str] | None) -> "Stop | None":
        return None if not value else cls(StopReason(value["reason"]), value["detail"])


class StopCondition(Protocol):
    def check(self, generation: int) -> Stop | None:
        """After `generation` closed: a Stop if the run must end now, else None."""
        ...


class GenerationLimit:
    def __init__(self, generations: int):
        self.generations = generations

    def check(self, generation: int) -> Stop | None:
        if generation >= self.generations:
            return Stop(StopReason.GENERATIONS, f"made all {self.generations} generation(s)")
        return None


class StopSignal:
    """Set from a signal handler or another thread; the run stops before its next step (work in
    flight is cut short and made again on resume, so nothing is lost)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.detail = ""
        self._listeners: list[Callable[[], None]] = []

    def on_request(self, listener: Callable[[], None]) -> None:
        """Call `listener` when a stop is requested (e.g. to kill the run's live sandboxes)."""
        self._listeners.append(listener)

    def request(self, detail: str) -> None:
        self.detail = detail
        self._event.set()
        for listener in self._listeners:
            listener()

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def check(self, generation: int) -> Stop | None:
        return Stop(StopReason.SIGNAL, self.detail) if self.requested else None


def first_stop(conditions: list[StopCondition], generation: int) -> Stop | None:
    return next((stop for c in conditions if (stop := c.check(generation)) is not None), None)
