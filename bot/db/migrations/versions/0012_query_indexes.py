"""indexes for /viec's and the scan's queries (found with EXPLAIN QUERY PLAN)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = (
    # /viec <unit>: the tasks a unit cooperates on (the table's key starts with task_id).
    ("ix_task_cooperators_unit_id", "task_cooperators", ["unit_id"]),
    # /viec <unit>: the unit's open tasks as lead, without reading its closed ones.
    ("ix_tasks_lead_unit_id_status", "tasks", ["lead_unit_id", "status"]),
    # NudgeRepository.urges(): SQLite took ix_nudges_state_due_at (state = 'done', most rows).
    ("ix_nudges_task_id_state_kind", "nudges", ["task_id", "state", "kind"]),
    # urges()'s "since the last extension or reassignment": by task, not by kind over all tasks.
    ("ix_task_events_task_id_kind_at", "task_events", ["task_id", "kind", "at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
