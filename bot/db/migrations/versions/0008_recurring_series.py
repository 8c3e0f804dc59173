"""series: recurring tasks; tasks.series_id and tasks.series_period, unique together

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=False),
        sa.Column("cooperating", sa.JSON(), nullable=False),
        sa.Column("assigner_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("rule_text", sa.Text(), nullable=False),
        sa.Column("next_period", sa.String(length=16), nullable=False),
        sa.Column("next_start", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("origin_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigner_id"], ["people.id"], name=op.f("fk_series_assigner_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by"], ["people.id"], name=op.f("fk_series_ended_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"], ["units.id"], name=op.f("fk_series_lead_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("code", name=op.f("uq_series_code")),
    )
    op.create_index("ix_series_state_next_start", "series", ["state", "next_start"])
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("series_period", sa.String(length=16), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_tasks_series_id_series"), "series", ["series_id"], ["id"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_tasks_series_id"), ["series_id", "series_period"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_tasks_series_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_tasks_series_id_series"), type_="foreignkey")
        batch_op.drop_column("series_period")
        batch_op.drop_column("series_id")
    op.drop_index("ix_series_state_next_start", table_name="series")
    op.drop_table("series")
