"""A run's typed event log, and proposal keys so a resumed loop never duplicates a child.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_run_events_run_id", "run_events", ["run_id"])
    op.add_column("variants", sa.Column("proposal_key", sa.Text(), nullable=True))
    op.create_index("ux_variants_run_proposal", "variants", ["run_id", "proposal_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_variants_run_proposal", table_name="variants")
    op.drop_column("variants", "proposal_key")
    op.drop_table("run_events")
