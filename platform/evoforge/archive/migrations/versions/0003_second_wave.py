"""Second wave: typed generation events, the run's process, tool calls, the model cache; drops
the unused `runs.name` and `variants.in_population`.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # "variant_evaluated" used to double as the end-of-generation marker; it has its own kind now.
    op.execute(sa.text(
        "UPDATE run_events SET kind = 'generation_closed' WHERE kind = 'variant_evaluated' "
        "AND CAST(payload AS TEXT) LIKE '%generation_closed%'"
    ))
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("name")
        batch.add_column(sa.Column("host", sa.Text(), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
    with op.batch_alter_table("variants") as batch:
        batch.drop_column("in_population")
    with op.batch_alter_table("evaluations") as batch:
        batch.add_column(sa.Column("tool_calls", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "model_cache",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ux_model_cache_run_key", "model_cache", ["run_id", "key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_model_cache_run_key", table_name="model_cache")
    op.drop_table("model_cache")
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_column("tool_calls")
    with op.batch_alter_table("variants") as batch:
        batch.add_column(sa.Column("in_population", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("pid")
        batch.drop_column("host")
        batch.add_column(sa.Column("name", sa.Text(), nullable=False, server_default=""))
    op.execute(sa.text("UPDATE run_events SET kind = 'variant_evaluated' WHERE kind = 'generation_closed'"))
