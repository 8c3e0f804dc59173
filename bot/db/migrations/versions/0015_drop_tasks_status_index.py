"""tasks: the index on status alone dropped; (status, due) serves every search by status

With both, PostgreSQL chose status alone for the leaders' digest's late open tasks (status IN
... AND due < now) at 1M tasks: it read all 50k open tasks from the table to keep the 27k late
ones. (status, due) finds those by its two columns, and a search by status alone by its first.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_tasks_status", table_name="tasks")


def downgrade() -> None:
    op.create_index("ix_tasks_status", "tasks", ["status"])
