"""Starting, resuming and summarising runs: the glue between the CLI, the archive and the graph."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from evoforge.archive import Archive, RunEventKind, RunStatus, Variant
from evoforge.evolution.config import RunConfig
from evoforge.evolution.context import RunContext
from evoforge.evolution.graph import build_graph
from evoforge.models.embedded import DEFAULT_MODEL


@dataclass
class RunSummary:
    run_id: int
    uid: str
    status: str
    stop_reason: str | None
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


def create_run(archive: Archive, config: RunConfig) -> int:
    config.validate()
    budgets = {k: v for k, v in (("max_cost_usd", config.max_cost_usd), ("max_tokens", config.max_tokens), ("max_calls", config.max_calls)) if v is not None}
    run = archive.create_run(config.domain, config.model or DEFAULT_MODEL, config=config.to_dict(), budgets=budgets)
    return run.id


def execute_run(archive: Archive, run_id: int, on_variant: Callable[[int], None] | None = None) -> RunSummary:
    """Run (or resume) a run to its end; safe to call again after the process was killed."""
    run = archive.run(run_id)
    config = RunConfig.from_dict(run.config)
    thread = {"configurable": {"thread_id": run.uid}, "recursion_limit": 20 + 6 * config.generations}
    archive.update_run(run.id, status=RunStatus.RUNNING)
    archive.add_event(run.id, RunEventKind.RUN_STARTED, {"resumed": archive.find_proposal(run.id, "seed") is not None})
    try:
        ctx = RunContext.build(run.id, config, archive)  # fails on unproven specs, a missing sandbox...
        if on_variant is not None:
            ctx.on_variant = on_variant
        with checkpointer_for(archive) as saver:
            graph = build_graph(ctx, saver)
            saved = graph.get_state(thread)
            graph.invoke(None if saved.values else {}, thread)
            stop_reason = graph.get_state(thread).values.get("stop_reason")
    except BaseException as error:
        archive.update_run(run.id, status=RunStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        archive.add_event(run.id, RunEventKind.RUN_FAILED, {"error": str(error)[:2000]})
        raise
    budget_stop = stop_reason is not None and "budget" in stop_reason
    status = RunStatus.STOPPED if budget_stop else RunStatus.FINISHED
    archive.update_run(run.id, status=status, progress=1.0)
    archive.add_event(run.id, RunEventKind.RUN_FINISHED, {"stop_reason": stop_reason})
    return summarize(archive, run.id, stop_reason)


def summarize(archive: Archive, run_id: int, stop_reason: str | None = None) -> RunSummary:
    run = archive.run(run_id)
    variants = archive.variants(run_id)
    seed = next((v for v in variants if v.proposal_key == "seed"), None)
    scored = [v for v in variants if v.score is not None]
    best = max(scored, key=lambda v: (v.score, -v.id)) if scored else None
    return RunSummary(run.id, run.uid, str(run.status), stop_reason, seed, best, len(variants))
