"""Synthesis candidates: each program a synthesis run proposed, with its proof and scores.

A step of the synthesis graph saves what it changed in one transaction, together with the
model usage, guarded calls and events it produced: a crash leaves the step's work whole or
absent, and a re-run step finds its candidates by (run, index) instead of adding twins.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select

from evoforge.archive.evidence import EvidenceStore
from evoforge.archive.records import NewContractEvent, NewEvent, NewUsage
from evoforge.archive.runs import RunStore
from evoforge.archive.tables import Run, SynthesisCandidate, utcnow

_ARCHIVE_COLUMNS = {"id", "run_id", "created_at", "updated_at"}  # set by the archive, never by the caller


class SynthesisStore(RunStore, EvidenceStore):
    def save_candidates(
        self,
        run_id: int,
        candidates: Sequence[SynthesisCandidate],
        *,
        events: Iterable[NewEvent] = (),
        contract_events: Sequence[NewContractEvent] = (),
        usage: Sequence[NewUsage] = (),
    ) -> list[SynthesisCandidate]:
        """Inserts or updates candidates (by run and index) with the step's evidence, atomically.
        `candidates` are unsaved rows: their columns are what to keep (`id`, `run_id` and the
        times are the archive's)."""
        with self._write() as session:
            self._get(session, Run, run_id, "run")
            indices = [c.index for c in candidates]
            query = select(SynthesisCandidate).where(SynthesisCandidate.run_id == run_id, SynthesisCandidate.index.in_(indices))
            existing = {row.index: row for row in session.scalars(query)}
            rows = []
            for given in candidates:
                values = given.model_dump(exclude=_ARCHIVE_COLUMNS)
                row = existing.get(given.index)
                if row is None:
                    row = SynthesisCandidate(run_id=run_id, **values)
                    session.add(row)
                else:
                    for name, value in values.items():
                        setattr(row, name, value)
                    row.updated_at = utcnow()
                rows.append(row)
            self._add_contract_events(session, run_id, None, contract_events)
            self._add_usage(session, run_id, None, usage)
            self._add_events(session, run_id, events)
        return rows

    def candidates(self, run_id: int) -> list[SynthesisCandidate]:
        """A synthesis run's candidates in the order they were proposed."""
        query = select(SynthesisCandidate).where(SynthesisCandidate.run_id == run_id).order_by(SynthesisCandidate.index)
        with self._read() as session:
            return list(session.scalars(query))
