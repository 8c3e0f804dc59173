"""tasks.led_since: when the lead unit took the task over by a move (/chuyen)

The reminder that a task is not acknowledged is timed from it, as the chain of responsibility
times the acknowledgement; before, it ran from the task's creation and a unit the task was moved
to was reminded at once. Filled from the latest reassignment in each task's history.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("led_since", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE tasks SET led_since = (SELECT max(e.at) FROM task_events e"
        " WHERE e.task_id = tasks.id AND e.kind = 'reassigned')"
    )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("led_since")
