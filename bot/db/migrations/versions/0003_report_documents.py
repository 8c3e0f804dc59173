"""reports: documents on deliveries, an index to look back past reassignments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("document_name", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("document_kind", sa.String(length=16), nullable=True))
    op.create_index("ix_task_events_kind_at", "task_events", ["kind", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_task_events_kind_at", table_name="task_events")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("document_kind")
        batch_op.drop_column("document_name")
        batch_op.drop_column("document")
