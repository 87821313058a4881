"""The first archive schema: runs, content-addressed blobs, variants and their evidence.

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_time = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _run_id() -> sa.Column:
    return sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False)


def _variant_id(nullable: bool) -> sa.Column:
    return sa.Column("variant_id", sa.Integer(), sa.ForeignKey("variants.id"), nullable=nullable)


def _usage_columns() -> list[sa.Column]:
    return [
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "runs",
        _id(),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("domain", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("budgets", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", _time, nullable=False),
        sa.Column("updated_at", _time, nullable=False),
        sa.Column("finished_at", _time, nullable=True),
        sa.Column("model_calls", sa.Integer(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
    )
    op.create_index("ux_runs_uid", "runs", ["uid"], unique=True)
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "variants",
        _id(),
        _run_id(),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("variants.id"), nullable=True),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("valid_parent", sa.Boolean(), nullable=False),
        sa.Column("in_population", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=False),
        sa.Column("created_at", _time, nullable=False),
    )
    op.create_index("ix_variants_parent_id", "variants", ["parent_id"])
    op.create_index("ix_variants_run_parent", "variants", ["run_id", "parent_id"])
    op.create_index("ix_variants_run_score", "variants", ["run_id", "score"])
    op.create_table(
        "evaluations",
        _id(),
        _variant_id(nullable=False),
        sa.Column("task_id", sa.Text(), nullable=False),
        sa.Column("split", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("created_at", _time, nullable=False),
    )
    op.create_index("ix_evaluations_variant_id", "evaluations", ["variant_id"])
    op.create_table(
        "contract_events",
        _id(),
        _run_id(),
        _variant_id(nullable=True),
        sa.Column("contract", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("fallback_used", sa.Boolean(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        *_usage_columns(),
        sa.Column("created_at", _time, nullable=False),
    )
    op.create_index("ix_contract_events_run_id", "contract_events", ["run_id"])
    op.create_table(
        "model_usage",
        _id(),
        _run_id(),
        _variant_id(nullable=True),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("contract", sa.Text(), nullable=True),
        *_usage_columns(),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", _time, nullable=False),
    )
    op.create_index("ix_model_usage_run_id", "model_usage", ["run_id"])


def downgrade() -> None:
    for table in ("model_usage", "contract_events", "evaluations", "variants", "blobs", "runs"):
        op.drop_table(table)
