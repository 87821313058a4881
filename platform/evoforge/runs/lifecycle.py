"""The one lifecycle of every run, whatever its kind: create it, execute or resume it to its end
(its graph from its checkpoint), stop it on a signal, and record how it ended or why it failed.
The glue between the CLI, the UI, the archive and a kind's graph (runs/kind.py)."""
from __future__ import annotations

import contextlib
import signal
import threading
from typing import Any, Callable, Iterator

from evoforge.archive import Archive, RunStatus
from evoforge.lazy import imported
from evoforge.models.base import BudgetExceeded
from evoforge.runs.events import BudgetReached, RunEvents, RunFailed, RunFinished, RunStarted, RunStopped
from evoforge.runs.liveness import this_process
from evoforge.runs.outcome import RunOutcome
from evoforge.runs.registry import kind_named, run_kind
from evoforge.runs.resources import RunContext
from evoforge.runs.services import RunServices
from evoforge.runs.settings import RunSettings
from evoforge.runs.stopping import Stop, StopReason, StopRequested, StopSignal


def create_run(archive: Archive, settings: RunSettings) -> int:
    """Checks the settings and what the kind checks before a run exists, creates the run."""
    from evoforge.models.embedded import DEFAULT_MODEL

    kind = kind_named(settings.KIND)
    settings.validate()
    kind.prepare(archive, settings)
    run = archive.create_run(settings.domain.name, settings.model.name or DEFAULT_MODEL, config=settings.to_dict(),
                             budgets=settings.budget.limits())
    return run.id


def execute_run(archive: Archive, run_id: int, services: RunServices | None = None) -> RunOutcome:
    """Run (or resume) a run of any kind to its end; safe to call again after the process was killed."""
    services = services or RunServices(archive)
    run = archive.run(run_id)
    kind = run_kind(run.config)
    settings = kind.settings.from_dict(run.config)
    archive.update_run(run.id, status=RunStatus.RUNNING, process=this_process())
    ctx: RunContext | None = None
    try:
        with stop_on_signals(services.stop):  # from the start: a stop during set-up is a stop too
            settings.validate()  # a stored one too: a resumed run may meet another installation
            ctx = imported(kind.context).build(run.id, settings, services)  # fails on unproven specs, a missing sandbox...
            made = kind.made(archive, run.id)
            ctx.events.emit(RunStarted(made > 0, made, settings.planned(), kind.unit))
            try:
                state = invoke_graph(archive, imported(kind.graph), kind.thread(run.uid, settings), kind.graph_context(ctx), services.stop)
                stop = kind.final_stop(state)
            except StopRequested as request:
                kind.cut_short(ctx)
                stop = Stop(StopReason.SIGNAL, str(request))
            except BudgetExceeded as error:  # the checkpoint stands: resume continues from it
                kind.cut_short(ctx)
                ctx.events.emit(BudgetReached(str(error)))
                stop = Stop(StopReason.BUDGET, str(error))
    except BaseException as error:
        record_failure(archive, run.id, ctx.events if ctx is not None else None, error)
        raise
    finally:
        if ctx is not None:
            kind.close(ctx)
    record_end(archive, run.id, ctx.events, stop)
    return kind.summary(archive, run.id, stop)


@contextlib.contextmanager
def checkpointer_for(archive: Archive) -> Iterator[Any]:
    """LangGraph checkpoints beside the archive: a SQLite file next to a SQLite archive, or the
    same PostgreSQL database."""
    if archive.url.get_backend_name() == "postgresql":
        from langgraph.checkpoint.postgres import PostgresSaver

        dsn = archive.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with PostgresSaver.from_conn_string(dsn) as saver:
            saver.setup()
            yield saver
        return
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = f"{archive.url.database}.checkpoints" if archive.url.database not in (None, "", ":memory:") else ":memory:"
    with SqliteSaver.from_conn_string(path) as saver:
        yield saver


def invoke_graph(archive: Archive, build: Callable[[Any], Any], thread: dict[str, Any], context: Any, stop: StopSignal) -> dict[str, Any]:
    """Run a run's graph to its end, from its checkpoint when it has one (a resumed run); the
    final state. Raises StopRequested when a stop is asked for before or during it."""
    with checkpointer_for(archive) as saver:
        graph = build(saver)
        saved = graph.get_state(thread)
        if stop.requested:
            raise StopRequested(stop.detail)
        graph.invoke(None if saved.values else {}, thread, context=context)
        return dict(graph.get_state(thread).values)


@contextlib.contextmanager
def stop_on_signals(stop: StopSignal) -> Iterator[None]:
    """SIGTERM and SIGINT (the UI's Stop, systemd, docker stop, Ctrl-C) ask the run to stop:
    no new step starts, work in flight has its sandboxes removed and is made again on resume,
    the checkpoint stands. Only the main thread can take signals; elsewhere, nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(number: int, frame: Any) -> None:
        stop.request(f"{signal.Signals(number).name} received")

    previous = {s: signal.signal(s, handle) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def record_failure(archive: Archive, run_id: int, events: RunEvents | None, error: BaseException) -> None:
    """Mark a run failed with its error, and say so in its event log."""
    archive.update_run(run_id, status=RunStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
    event = RunFailed(str(error)[:2000])
    if events is not None:
        events.emit(event)
    else:
        archive.add_event(run_id, event.kind, event.payload())


def record_end(archive: Archive, run_id: int, events: RunEvents, stop: Stop) -> None:
    """Mark a run finished (its work is done) or stopped (resumable), with the reason."""
    if stop.reason.completes_run:
        archive.update_run(run_id, status=RunStatus.FINISHED, progress=1.0)
        events.emit(RunFinished(str(stop.reason), stop.detail))
    else:
        archive.update_run(run_id, status=RunStatus.STOPPED, error=f"stopped: {stop.detail}")
        events.emit(RunStopped(str(stop.reason), stop.detail))
