"""The typed events every kind of run emits (a kind adds its own: evolution/events.py,
synthesis/events.py), and the observers that read them.

Each step of a run emits one event: a frozen dataclass per kind, whose fields are its payload.
`RunEvents.emit` stores it in the archive's event log (so the UI and `evoforge show` read the
same history) and hands it to every observer (the CLI's progress bar or plain lines). An
observer that fails only warns: it can never break a run.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Protocol, Sequence

from evoforge.archive import Archive, NewEvent, RunEventKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunEvent:
    kind: ClassVar[RunEventKind]  # its name in the archive's event log

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def stored(self) -> NewEvent:
        return NewEvent(self.kind, self.payload())

    text: ClassVar[str] = "{kind}: {payload}"  # formatted with the payload's fields
    shown: ClassVar[bool] = False  # worth a line of progress on the command line
    advances: ClassVar[bool] = False  # one more of the run's planned items is done (the progress bar)

    def describe(self) -> str:
        """One line for people (the CLI's plain progress, the UI's event list)."""
        return self.text.format(kind=self.kind, payload=self.payload(), **self.payload())


@dataclass(frozen=True)
class RunStarted(RunEvent):
    shown = True
    kind = RunEventKind.RUN_STARTED
    resumed: bool
    variants: int  # items already archived (a resumed run starts from them)
    planned: int  # items the run makes when nothing stops it early
    unit: str = "variants"  # what the run makes: variants, or a synthesis run's candidates

    def describe(self) -> str:
        return f"run started ({f'resumed with {self.variants} {self.unit}' if self.resumed else 'new'}), {self.planned} {self.unit} planned"


@dataclass(frozen=True)
class SandboxChosen(RunEvent):
    kind = RunEventKind.SANDBOX_CHOSEN
    backend: str
    describe_lines: list[str]

    text = "sandbox: {backend}"


@dataclass(frozen=True)
class BudgetReached(RunEvent):
    shown = True
    kind = RunEventKind.BUDGET_REACHED
    reason: str

    text = "budget reached: {reason}"


@dataclass(frozen=True)
class RunEnded(RunEvent):
    """How a run ended: stopped (resumable) or finished."""

    reason: str  # a StopReason value
    detail: str


@dataclass(frozen=True)
class RunStopped(RunEnded):
    kind = RunEventKind.RUN_STOPPED
    text = "run stopped ({reason}): {detail}"


@dataclass(frozen=True)
class RunFinished(RunEnded):
    kind = RunEventKind.RUN_FINISHED
    text = "run finished ({reason}): {detail}"


@dataclass(frozen=True)
class RunFailed(RunEvent):
    kind = RunEventKind.RUN_FAILED
    error: str

    text = "run failed: {error:.200}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


# The events of every run, whatever its kind.
SHARED_EVENTS: tuple[type[RunEvent], ...] = (RunStarted, SandboxChosen, BudgetReached, RunStopped, RunFinished, RunFailed)


def from_stored(kind: str, payload: dict[str, Any], own: Sequence[type[RunEvent]] = ()) -> RunEvent | None:
    """The typed event of an archived row, among the shared events and the run kind's `own`
    (RunKind.event_types); None for a row of an older, unknown shape or an unknown name."""
    cls = {str(t.kind): t for t in (*SHARED_EVENTS, *own)}.get(kind)
    if cls is None:
        return None
    names = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in payload.items() if k in names})
    except TypeError:
        return None


class RunObserver(Protocol):
    def on_event(self, event: RunEvent) -> None:
        """Called in the run's process after the event is stored; must return quickly."""
        ...


class RunEvents:
    """Stores a run's events and fans them out to observers, whose failures only warn."""

    def __init__(self, archive: Archive, run_id: int, observers: list[RunObserver] | None = None):
        self.archive, self.run_id = archive, run_id
        self.observers = list(observers or [])

    def emit(self, event: RunEvent) -> None:
        self.archive.add_event(self.run_id, event.kind, event.payload())
        self.notify(event)

    def notify(self, event: RunEvent) -> None:
        """Tell observers of an event stored by someone else (e.g. with a variant, in one transaction)."""
        for observer in self.observers:
            try:
                observer.on_event(event)
            except Exception as error:  # an observer must never break a run
                log.warning("run observer %r failed on %s: %s", observer, event.kind, error)
