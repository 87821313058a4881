"""A run's progress on the command line, read from its typed events: a rich progress bar on a
terminal, one plain line per event worth a line otherwise (a run redirected to a file)."""
from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evoforge.runs.events import RunEvent, RunStarted


class PlainLines:
    """One line, with the elapsed time, per event worth one (`RunEvent.shown`): archived variants,
    closed generations, closed synthesis candidates, budget stops..."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout
        self.started = time.monotonic()

    def _line(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started:7.1f}s] {text}", file=self.stream, flush=True)

    def on_event(self, event: RunEvent) -> None:
        if event.shown:
            self._line(event.describe())


class ProgressBar:
    """A rich bar of the run's items (variants, candidates) done out of those planned."""

    def __init__(self, console: Console, unit: str = "variants"):
        columns = (TextColumn(f"[bold]{unit}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"))
        self.progress = Progress(*columns, console=console)
        self.task = self.progress.add_task("", total=None)

    def __enter__(self) -> "ProgressBar":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def on_event(self, event: RunEvent) -> None:
        if isinstance(event, RunStarted):
            self.progress.update(self.task, total=event.planned, completed=event.variants)
        elif event.advances:
            self.progress.update(self.task, advance=1, description=event.describe()[:80])
        elif event.shown:
            self.progress.update(self.task, description=event.describe()[:80])
