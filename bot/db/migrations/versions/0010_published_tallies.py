"""published_tallies: the figures each weekly post published

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.DateTime(), nullable=False),
        sa.Column("period_end", sa.DateTime(), nullable=False),
        sa.Column("count_against", sa.String(length=16), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_tallies")),
        sa.UniqueConstraint("key", name=op.f("uq_published_tallies_key")),
    )
    with op.batch_alter_table("published_tallies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_published_tallies_period_end"), ["period_end"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("published_tallies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_tallies_period_end"))
    op.drop_table("published_tallies")
