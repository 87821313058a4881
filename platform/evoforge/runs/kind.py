"""What a kind of run provides, so that the run layer (runs/lifecycle.py), the command line and
the UI handle every kind the same way. A kind is one object satisfying `RunKind`, named by one
line of the registry (runs/registry.py).

Its heavier parts are named by "module:name" references, imported only when used: its context
and graph (LangGraph and the kind's machinery), and its presentation, which lives where it is
shown (the CLI's modules, the UI's folder, whose modules the UI's process imports by their plain
names) because the kind must not import either; a new kind may keep its own in its package.
"""
from __future__ import annotations

from typing import Any, Protocol

from evoforge.archive import Archive
from evoforge.runs.events import RunEvent
from evoforge.runs.outcome import RunOutcome
from evoforge.runs.settings import RunSettings
from evoforge.runs.stopping import Stop


class RunKind(Protocol):
    name: str  # as stored in the run's configuration
    title: str  # one line for people (the UI's launcher)
    unit: str  # what the run makes and its progress counts: variants, candidates...
    settings: type[RunSettings]  # its settings class (from_dict, to_dict, validate, planned)
    event_types: tuple[type[RunEvent], ...]  # its own events, beside the shared ones (runs/events.py)
    cli_summary: str  # (console, archive, outcome, seconds) -> None: printed when a run ends
    cli_details: str  # (console, archive, run) -> None: its part of `evoforge show`
    ui_view: str  # (archive, run_id) -> None: the body of its run page
    ui_form: str  # (columns) -> (domain -> its own settings): its fields of the UI's launch form
    context: str  # a RunContext subclass: .build(run_id, settings, services), its context in its graph
    graph: str  # (checkpointer) -> its LangGraph graph, compiled with the checkpointer

    def prepare(self, archive: Archive, settings: Any) -> None:
        """Before the run is created: what checking needs more than the settings (the problem it
        names, its starting agent), and what is stored in the settings with it."""
        ...

    def thread(self, uid: str, settings: Any) -> dict[str, Any]:
        """The graph's run configuration for the run `uid`: its checkpoint thread and step limit."""
        ...

    def graph_context(self, context: Any) -> Any:
        """What the graph's nodes receive of the run's context (the context, or the part of it they work with)."""
        ...

    def made(self, archive: Archive, run_id: int) -> int:
        """The items the run already archived (a resumed run starts from them)."""
        ...

    def final_stop(self, state: dict[str, Any]) -> Stop:
        """Why the run ended, read from its graph's final state."""
        ...

    def cut_short(self, context: Any) -> None:
        """A stop or a spent budget cut a step short: archive what the context holds unsaved."""
        ...

    def close(self, context: Any) -> None:
        """Release what the context holds (an executor's cluster connection...)."""
        ...

    def summary(self, archive: Archive, run_id: int, stop: Stop | None = None) -> RunOutcome:
        """How the run stands: its outcome."""
        ...
