"""indexes for the scans: the digest's late tasks, the tally's tasks in scope, pending requests

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = (
    # The leaders' digest: the open tasks past their deadline (status IN ... AND due < now),
    # not every open task, nor every task with a past deadline.
    ("ix_tasks_status_due", "tasks", ["status", "due"]),
    # A report's tasks in scope: the unfinished ones (completed_at IS NULL) ...
    ("ix_tasks_completed_at_status", "tasks", ["completed_at", "status"]),
    # ... and those touched since the period began; without these, every report read the table.
    ("ix_tasks_updated_at", "tasks", ["updated_at"]),
    # The extension requests awaiting a decision (the digest, /viec), not all ever made; with
    # task_id, so that a search by task and status does not read every approved request.
    ("ix_extension_requests_status_task_id", "extension_requests", ["status", "task_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
