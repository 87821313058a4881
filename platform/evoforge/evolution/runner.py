"""Starting, resuming, stopping and summarising runs: the glue between the CLI, the archive and
the graph."""
from __future__ import annotations

import contextlib
import signal
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from evoforge.archive import Archive, RunStatus, Variant
from evoforge.evolution.agents import agent_folder, read_agent
from evoforge.evolution.config import RunConfig
from evoforge.evolution.context import RunContext
from evoforge.evolution.events import RunEvents, RunFailed, RunFinished, RunStarted, RunStopped
from evoforge.evolution.graph import build_graph
from evoforge.evolution.liveness import this_process
from evoforge.evolution.manifest import AgentManifest
from evoforge.evolution.services import RunServices
from evoforge.evolution.steps import SEED_KEY, StopRequested
from evoforge.evolution.stopping import Stop, StopReason, StopSignal
from evoforge.models.embedded import DEFAULT_MODEL


@dataclass
class RunOutcome:
    run_id: int
    uid: str
    status: str
    stop: Stop | None
    seed: Variant | None
    best: Variant | None
    variants: int


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


def stored_budgets(config: Any) -> dict[str, float | int]:
    """The budget limits a run's configuration sets, as the archive keeps them with the run."""
    limits = (("max_cost_usd", config.max_cost_usd), ("max_tokens", config.max_tokens), ("max_calls", config.max_calls))
    return {k: v for k, v in limits if v is not None}


def create_run(archive: Archive, config: RunConfig) -> int:
    """Checks the configuration, stores the starting agent's files with the run, creates it."""
    config.validate()
    if not config.agent_files:
        files = read_agent(agent_folder(config.agent))
        AgentManifest.from_files(files, config.agent)  # a broken manifest fails now, not mid-run
        config.agent_files = archive.store_files(files)
    run = archive.create_run(config.domain, config.model or DEFAULT_MODEL, config=config.to_dict(), budgets=stored_budgets(config))
    return run.id


@contextlib.contextmanager
def stop_on_signals(services: RunServices) -> Iterator[None]:
    """SIGTERM and SIGINT (the UI's Stop, systemd, docker stop, Ctrl-C) ask the run to stop:
    no new child starts, children in flight have their sandboxes removed and are made again on
    resume, the checkpoint stands. Only the main thread can take signals; elsewhere, nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(number: int, frame: Any) -> None:
        services.stop.request(f"{signal.Signals(number).name} received")

    previous = {s: signal.signal(s, handle) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def execute_run(archive: Archive, run_id: int, services: RunServices | None = None) -> RunOutcome:
    """Run (or resume) a run to its end; safe to call again after the process was killed."""
    services = services or RunServices(archive)
    run = archive.run(run_id)
    config = RunConfig.from_dict(run.config)
    thread = {"configurable": {"thread_id": run.uid}, "recursion_limit": 20 + 6 * config.generations}
    archive.update_run(run.id, status=RunStatus.RUNNING, process=this_process())
    resumed = archive.find_proposal(run.id, SEED_KEY) is not None
    ctx: RunContext | None = None
    try:
        with stop_on_signals(services):  # from the start: a stop during set-up is a stop too
            ctx = RunContext.build(run.id, config, services)  # fails on unproven specs, a missing sandbox...
            ctx.events.emit(RunStarted(resumed, len(archive.tree(run.id)), config.planned()))
            try:
                stop = Stop.from_state(invoke_graph(archive, build_graph, thread, ctx, services.stop).get("stop"))
            except StopRequested as request:
                stop = Stop(StopReason.SIGNAL, str(request))
    except BaseException as error:
        record_failure(archive, run.id, ctx.events if ctx is not None else None, error)
        raise
    finally:
        if ctx is not None:
            ctx.executor.close()
    stop = stop or Stop(StopReason.GENERATIONS, "done")
    record_end(archive, run.id, ctx.events, stop)
    return summarize(archive, run.id, stop)


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


def summarize(archive: Archive, run_id: int, stop: Stop | None = None) -> RunOutcome:
    run = archive.run(run_id)
    variants = archive.variants(run_id)
    seed = next((v for v in variants if v.proposal_key == SEED_KEY), None)
    scored = [v for v in variants if v.score is not None]
    best = max(scored, key=lambda v: (v.score, -v.id)) if scored else None
    return RunOutcome(run.id, run.uid, str(run.status), stop, seed, best, len(variants))
