"""tasks: (status, due) carries id and code on PostgreSQL, for the leaders' digest

The digest reads the id, code and deadline of the late open tasks (status IN ... AND due < now):
27k of 1M tasks, scattered over 19.5k of the table's pages that a bitmap heap scan visited one
by one. With id and code in the index (INCLUDE, PostgreSQL only) they come from the index alone
(an index-only scan, the visibility map kept by autovacuum): at 1M tasks 177k pages touched for
the digest's query instead of 183k, and with its count of urges made in SQL, 137k. SQLite has no
INCLUDE and reads the late tasks by id (bot.db.nudges `escalated_late`): unchanged there.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_tasks_status_due", table_name="tasks")
    op.create_index(
        "ix_tasks_status_due", "tasks", ["status", "due"], postgresql_include=["id", "code"]
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_tasks_status_due", table_name="tasks")
    op.create_index("ix_tasks_status_due", "tasks", ["status", "due"])
