"""The archive's tables (SQLModel). Migrations in `migrations/versions` must build exactly this
schema; `tests/test_archive_schema.py` compares the two.

Variants are never deleted (`valid_parent` and `status` are flags), so lineage has no holes.
A variant's files are a manifest (path -> sha256) into the content-addressed `blobs` table.
"""
from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from evoforge.archive.statuses import CandidateStatus, RunStatus, VariantStatus  # noqa: F401  (re-exported, as the tables' statuses)
from evoforge.splits import Split  # noqa: F401  (re-exported: archive users name splits through it)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite would otherwise hand back naive ones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the archive stores aware UTC times")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class RunEventKind(StrEnum):
    """Every step of a run emits one of these; the CLI and the UI read them, nobody parses logs."""

    RUN_STARTED = "run_started"
    SANDBOX_CHOSEN = "sandbox_chosen"  # payload: the backend this start of the run uses and what it isolates
    VARIANT_PROPOSED = "variant_proposed"
    VARIANT_EVALUATED = "variant_evaluated"
    VARIANT_ARCHIVED = "variant_archived"
    GENERATION_CLOSED = "generation_closed"
    BUDGET_REACHED = "budget_reached"
    RUN_STOPPED = "run_stopped"
    RUN_FINISHED = "run_finished"
    RUN_FAILED = "run_failed"
    # Synthesis runs (synthesis/events.py).
    ROUND_PROPOSED = "round_proposed"
    CANDIDATE_CLOSED = "candidate_closed"
    PARAMETERS_LEARNED = "parameters_learned"
    TEST_SCORED = "test_scored"


def _time(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kwargs)


def _json(default_factory: Any) -> Any:
    return Field(default_factory=default_factory, sa_type=sa.JSON)


class Run(SQLModel, table=True):
    __tablename__ = "runs"
    __table_args__ = (sa.Index("ux_runs_uid", "uid", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(sa_type=sa.String(32))  # survives export/import, ids do not
    domain: str = Field(sa_type=sa.Text)
    model: str = Field(sa_type=sa.Text)
    config: dict[str, Any] = _json(dict)
    budgets: dict[str, Any] = _json(dict)
    status: str = Field(default=RunStatus.CREATED, sa_type=sa.String(16))
    generation: int = 0
    progress: float = 0.0  # fraction of the planned generations done, 0..1
    error: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = _time()
    updated_at: datetime = _time()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The process executing the run, so a run whose process died shows as interrupted.
    host: str | None = Field(default=None, sa_type=sa.Text)
    pid: int | None = None
    # Totals are kept up to date by every model-usage row, so listing runs stays one cheap query.
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


class Blob(SQLModel, table=True):
    __tablename__ = "blobs"

    sha256: str = Field(sa_type=sa.String(64), primary_key=True)
    size: int  # bytes of the uncompressed UTF-8 text
    data: bytes = Field(sa_type=sa.LargeBinary)  # zlib-compressed UTF-8


class Variant(SQLModel, table=True):
    __tablename__ = "variants"
    __table_args__ = (
        sa.Index("ix_variants_run_parent", "run_id", "parent_id"),
        sa.Index("ix_variants_run_score", "run_id", "score"),
        # Loop resume: a re-executed step finds the child it already made instead of adding a twin.
        sa.Index("ux_variants_run_proposal", "run_id", "proposal_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id")
    parent_id: int | None = Field(default=None, foreign_key="variants.id", index=True)
    generation: int
    status: str = Field(default=VariantStatus.VALID, sa_type=sa.String(16))
    score: float | None = None
    scores: dict[str, float] = _json(dict)
    valid_parent: bool = True
    summary: str = Field(default="", sa_type=sa.Text)  # the meta agent's description of its change
    manifest: dict[str, str] = _json(dict)  # path -> blob sha256
    proposal_key: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = _time()


class Evaluation(SQLModel, table=True):
    __tablename__ = "evaluations"

    id: int | None = Field(default=None, primary_key=True)
    variant_id: int = Field(foreign_key="variants.id", index=True)
    task_id: str = Field(sa_type=sa.Text)
    split: str = Field(sa_type=sa.String(16))
    stage: str = Field(sa_type=sa.String(32))
    score: float
    output: str = Field(default="", sa_type=sa.Text)
    error: str | None = Field(default=None, sa_type=sa.Text)
    seconds: float = 0.0
    tool_calls: list[dict[str, Any]] = _json(list)  # the domain tools the agent called on this task
    created_at: datetime = _time()


class _ModelCall(SQLModel):
    """What a contract event and a model-usage row share: whose call it was and what it cost."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id", index=True)
    variant_id: int | None = Field(default=None, foreign_key="variants.id")
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    created_at: datetime = _time()


class ContractEvent(_ModelCall, table=True):
    __tablename__ = "contract_events"

    contract: str = Field(sa_type=sa.Text)
    attempts: int
    violations: list[str] = _json(list)
    fallback_used: bool
    model: str = Field(default="", sa_type=sa.Text)


class ModelUsage(_ModelCall, table=True):
    __tablename__ = "model_usage"

    model: str = Field(sa_type=sa.Text)
    contract: str | None = Field(default=None, sa_type=sa.Text)
    ok: bool = True
    error: str | None = Field(default=None, sa_type=sa.Text)


class RunEvent(SQLModel, table=True):
    __tablename__ = "run_events"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id", index=True)
    kind: str = Field(sa_type=sa.String(32))
    payload: dict[str, Any] = _json(dict)
    created_at: datetime = _time()


class CachedCompletion(SQLModel, table=True):
    """A deterministic model answer (temperature 0), kept so a run never pays twice for it."""

    __tablename__ = "model_cache"
    __table_args__ = (sa.Index("ux_model_cache_run_key", "run_id", "key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id")
    key: str = Field(sa_type=sa.String(64))  # sha256 of model, messages and sampling options
    text: str = Field(sa_type=sa.Text)
    model: str = Field(sa_type=sa.Text)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    hits: int = 0
    created_at: datetime = _time()


class SynthesisCandidate(SQLModel, table=True):
    """One candidate program of a synthesis run, with its proof verdict and scores.

    `index` numbers a run's candidates in the order they were proposed; `parent_index` and
    `ruled_out_by` refer to other candidates of the same run by that index (`ruled_out_by`: the
    candidate whose counterexample refuted this one without a proof attempt, listed in that
    candidate's `ruled_out`)."""

    __tablename__ = "synthesis_candidates"
    __table_args__ = (
        # Resume: a re-run step finds the candidate it already archived instead of adding a twin.
        sa.Index("ux_synthesis_candidates_run_index", "run_id", "index", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id")
    index: int
    round: int
    origin: str = Field(sa_type=sa.Text)  # how the proposer made it: enumerate, repair, mutate:..., planner
    parent_index: int | None = None
    source: str = Field(sa_type=sa.Text)
    status: str = Field(sa_type=sa.String(16))  # a CandidateStatus
    reason: str = Field(default="", sa_type=sa.Text)
    verdict: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)  # the verifier's Verdict
    counterexample: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    ruled_out: list[int] = _json(list)
    ruled_out_by: int | None = None
    params: dict[str, Any] = _json(dict)  # learned parameter values (empty until learned)
    scores: dict[str, float] = _json(dict)  # train / validation / test
    psi_violations: dict[str, int] = _json(dict)  # per split, checked by the kernel on real results
    evidence: dict[str, Any] = _json(dict)  # split summaries, train failures, the learner's shortlist
    created_at: datetime = _time()
    updated_at: datetime = _time()
