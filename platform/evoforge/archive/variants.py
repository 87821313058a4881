"""Variants: added atomically with their files and first facts, never deleted, never rewritten
(only their scores and flags change)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from evoforge.archive import blobs
from evoforge.archive.diff import diff_manifests
from evoforge.archive.errors import ArchiveError
from evoforge.archive.evidence import EvidenceStore
from evoforge.archive.records import FileChange, NewContractEvent, NewEvaluation, NewEvent, NewUsage
from evoforge.archive.runs import RunStore
from evoforge.archive.tables import Run, Variant, VariantStatus


class VariantStore(RunStore, EvidenceStore):
    def add_variant(
        self,
        run_id: int,
        files: Mapping[str, str],
        *,
        parent_id: int | None = None,
        generation: int | None = None,
        status: VariantStatus | str = VariantStatus.VALID,
        score: float | None = None,
        scores: Mapping[str, float] | None = None,
        valid_parent: bool = True,
        summary: str = "",
        proposal_key: str | None = None,
        evaluations: Sequence[NewEvaluation] = (),
        events: Iterable[NewEvent] = (),
        contract_events: Sequence[NewContractEvent] = (),
        usage: Sequence[NewUsage] = (),
    ) -> Variant:
        """Adds a variant with its files, evaluations, events, guarded calls and model usage in one
        transaction: readers see all of it or none of it. `generation` defaults to the parent's plus one (0 for a root).
        Each event's payload gains the new `variant_id`.

        Idempotent per `proposal_key`: when the run already holds a variant with that key (a
        resumed loop re-running a step), that variant is returned and nothing is written."""
        if proposal_key is not None and (existing := self.find_proposal(run_id, proposal_key)):
            return existing
        try:
            with self._write() as session:
                variant = self._insert_variant(
                    session, run_id, files, parent_id, generation,
                    status=VariantStatus(status), score=score, scores=dict(scores or {}),
                    valid_parent=valid_parent,
                    summary=summary, proposal_key=proposal_key,
                )
                self._add_evaluations(session, variant.id, evaluations)
                self._add_contract_events(session, run_id, variant.id, contract_events)
                self._add_usage(session, run_id, variant.id, usage)
                self._add_events(session, run_id, [
                    NewEvent(event.kind, {**event.payload, "variant_id": variant.id}) for event in events
                ])
        except IntegrityError:
            # Another process added the same proposal between our check and our insert.
            if proposal_key is not None and (existing := self.find_proposal(run_id, proposal_key)):
                return existing
            raise
        return variant

    def _insert_variant(
        self, session: Session, run_id: int, files: Mapping[str, str], parent_id: int | None,
        generation: int | None, **fields: object,
    ) -> Variant:
        if parent_id is None:
            self._get(session, Run, run_id, "run")
        else:  # a parent in this run proves the run exists
            parent = self._get(session, Variant, parent_id, "parent variant")
            if parent.run_id != run_id:
                raise ValueError(f"parent variant {parent_id} belongs to run {parent.run_id}, not run {run_id}")
            generation = parent.generation + 1 if generation is None else generation
        manifest = blobs.store_files(session, files)
        variant = Variant(
            run_id=run_id, parent_id=parent_id, generation=generation or 0, manifest=manifest, **fields
        )
        session.add(variant)
        session.flush()  # assigns the id the evaluations and events refer to
        return variant

    def find_proposal(self, run_id: int, proposal_key: str) -> Variant | None:
        """The variant a loop step with this key already added, if any (for resuming)."""
        query = select(Variant).where(Variant.run_id == run_id, Variant.proposal_key == proposal_key)
        with self._read() as session:
            return session.scalars(query).one_or_none()

    def variant(self, variant_id: int) -> Variant:
        with self._read() as session:
            return self._get(session, Variant, variant_id, "variant")

    def run_variant(self, run_id: int, variant_id: int) -> Variant:
        """Variant `variant_id`, which must be one of run `run_id`'s (a user names both)."""
        variant = self.variant(variant_id)
        if variant.run_id != run_id:
            raise ArchiveError(f"variant {variant.id} belongs to run {variant.run_id}, not run {run_id}")
        return variant

    def variants(self, run_id: int) -> list[Variant]:
        """A run's variants in the order they were added."""
        query = select(Variant).where(Variant.run_id == run_id)
        with self._read() as session:
            return list(session.scalars(query.order_by(Variant.id)))

    def children(self, variant_id: int) -> list[Variant]:
        with self._read() as session:
            return list(session.scalars(select(Variant).where(Variant.parent_id == variant_id).order_by(Variant.id)))

    def update_variant(
        self,
        variant_id: int,
        *,
        status: VariantStatus | str | None = None,
        score: float | None = None,
        scores: Mapping[str, float] | None = None,
        valid_parent: bool | None = None,
    ) -> Variant:
        """Changes a variant's verdict or flags; its files and lineage are immutable."""
        with self._write() as session:
            variant = self._get(session, Variant, variant_id, "variant")
            if status is not None:
                variant.status = VariantStatus(status)
            if score is not None:
                variant.score = score
            if scores is not None:
                variant.scores = {**variant.scores, **scores}
            if valid_parent is not None:
                variant.valid_parent = valid_parent
        return variant

    def store_files(self, files: Mapping[str, str]) -> dict[str, str]:
        """Stores a file set that belongs to no variant yet (a run's starting agent); returns its
        manifest (path -> sha256) for `load_files`."""
        with self._write() as session:
            return blobs.store_files(session, files)

    def load_files(self, manifest: Mapping[str, str]) -> dict[str, str]:
        with self._read() as session:
            return blobs.load_files(session, manifest)

    def files(self, variant_id: int) -> dict[str, str]:
        """A variant's files, path -> text."""
        with self._read() as session:
            variant = self._get(session, Variant, variant_id, "variant")
            return blobs.load_files(session, variant.manifest)

    def diff(self, variant_id: int, against: int | None = None) -> list[FileChange]:
        """What changed from `against` (default: the parent; none for a root) to the variant."""
        with self._read() as session:
            variant = self._get(session, Variant, variant_id, "variant")
            base_id = variant.parent_id if against is None else against
            base = {} if base_id is None else self._get(session, Variant, base_id, "variant").manifest
            return diff_manifests(base, variant.manifest, lambda keys: blobs.load(session, keys))
