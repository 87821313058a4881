"""Runs and their typed event log: create, update status and progress, list with summaries."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import column, select, text, update
from sqlmodel import Session

from evoforge.archive.base import ArchiveBase
from evoforge.archive.errors import NotFound
from evoforge.archive.listing import COUNTS, RUNS_QUERY, RunSummary, summarize
from evoforge.archive.records import NewEvent
from evoforge.archive.tables import Run, RunEvent, RunEventKind, RunStatus, utcnow

_ENDED = {RunStatus.FINISHED, RunStatus.FAILED, RunStatus.STOPPED}


class RunStore(ArchiveBase):
    def create_run(
        self,
        domain: str,
        model: str,
        *,
        config: dict[str, Any] | None = None,
        budgets: dict[str, Any] | None = None,
        status: RunStatus | str = RunStatus.CREATED,
    ) -> Run:
        run = Run(
            uid=uuid.uuid4().hex, domain=domain, model=model,
            config=config or {}, budgets=budgets or {}, status=RunStatus(status),
        )
        with self._write() as session:
            session.add(run)
        return run

    def run(self, run_id: int | str) -> Run:
        """A run by id, or by uid (or a unique uid prefix, as the CLI shows it)."""
        with self._read() as session:
            return self._find_run(session, run_id)

    def _find_run(self, session: Session, run_id: int | str) -> Run:
        # An id wins; otherwise a uid prefix (which may be all digits too: uids are hex).
        if isinstance(run_id, int):
            return self._get(session, Run, run_id, "run")
        if run_id.isdigit() and (run := session.get(Run, int(run_id))) is not None:
            return run
        matches = session.scalars(select(Run).where(Run.uid.startswith(run_id.lower())).limit(2)).all()
        if len(matches) != 1:
            problem = "is not" if not matches else "matches several runs"
            raise NotFound(f"run {run_id!r} {problem} in archive {self.where}: `evoforge runs` lists them")
        return matches[0]

    def update_run(
        self,
        run_id: int,
        *,
        status: RunStatus | str | None = None,
        generation: int | None = None,
        progress: float | None = None,
        error: str | None = None,
        process: tuple[str, int] | None = None,
    ) -> Run:
        """Records a run's status and progress; an ended status also stamps `finished_at`."""
        if progress is not None and not 0.0 <= progress <= 1.0:
            raise ValueError(f"progress must lie in [0, 1], got {progress}")
        with self._write() as session:
            run = self._get(session, Run, run_id, "run")
            if status is not None:
                run.status = RunStatus(status)
                run.finished_at = utcnow() if run.status in _ENDED else None
            if generation is not None:
                run.generation = generation
            if progress is not None:
                run.progress = progress
            if error is not None:
                run.error = error
            if process is not None:
                run.host, run.pid = process
            run.updated_at = utcnow()
        return run

    def runs(self) -> list[RunSummary]:
        """Every run, newest first, with its variant (or synthesis candidate) counts and best score (one query)."""
        query = select(Run, *map(column, COUNTS)).from_statement(text(RUNS_QUERY))
        with self._read() as session:
            return [summarize(run, *counts) for run, *counts in session.execute(query)]

    def add_event(self, run_id: int, kind: RunEventKind | str, payload: dict[str, Any] | None = None) -> RunEvent:
        with self._write() as session:
            self._get(session, Run, run_id, "run")
            (event,) = self._add_events(session, run_id, [NewEvent(kind, payload or {})])
        return event

    def _add_events(self, session: Session, run_id: int, events: Iterable[NewEvent]) -> list[RunEvent]:
        rows = [RunEvent(run_id=run_id, kind=RunEventKind(e.kind), payload=dict(e.payload)) for e in events]
        if rows:
            session.add_all(rows)
            session.execute(update(Run).where(Run.id == run_id).values(updated_at=utcnow()))
        return rows

    def events(
        self, run_id: int, *, after_id: int = 0, kinds: Iterable[RunEventKind | str] | None = None
    ) -> list[RunEvent]:
        """A run's events in order; `after_id` lets a poller (progress bar, UI) read only new ones."""
        query = select(RunEvent).where(RunEvent.run_id == run_id, RunEvent.id > after_id)
        if kinds is not None:
            query = query.where(RunEvent.kind.in_([RunEventKind(k) for k in kinds]))
        with self._read() as session:
            return list(session.scalars(query.order_by(RunEvent.id)))
