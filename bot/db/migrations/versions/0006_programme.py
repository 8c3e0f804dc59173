"""the annual programme: imports, planned tasks, and deliveries that track a task's card

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_hash", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("assigner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("tasks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["people.id"], name="fk_programme_imports_created_by_people"
        ),
        sa.ForeignKeyConstraint(
            ["assigner_id"], ["people.id"], name="fk_programme_imports_assigner_id_people"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_programme_imports"),
        sa.UniqueConstraint("imported_hash", name="uq_programme_imports_imported_hash"),
    )
    op.create_index("ix_programme_imports_sha256", "programme_imports", ["sha256"], unique=False)
    op.create_table(
        "programme_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=False),
        sa.Column("cooperating", sa.JSON(), nullable=False),
        sa.Column("coop_text", sa.Text(), nullable=True),
        sa.Column("leader", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active_from", sa.DateTime(), nullable=False),
        sa.Column("due", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["programme_imports.id"],
            name="fk_programme_items_import_id_programme_imports",
        ),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"], ["units.id"], name="fk_programme_items_lead_unit_id_units"
        ),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_programme_items_task_id_tasks"),
        sa.PrimaryKeyConstraint("id", name="pk_programme_items"),
        sa.UniqueConstraint("import_id", "row_no", "seq", name="uq_programme_items_import_id"),
        sa.UniqueConstraint("task_id", name="uq_programme_items_task_id"),
    )
    op.create_index("ix_programme_items_import_id", "programme_items", ["import_id"], unique=False)
    op.create_index(
        "ix_programme_items_state_active_from",
        "programme_items",
        ["state", "active_from"],
        unique=False,
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("track_task_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("track_kind", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("track_kind")
        batch_op.drop_column("track_task_id")
    op.drop_index("ix_programme_items_state_active_from", table_name="programme_items")
    op.drop_index("ix_programme_items_import_id", table_name="programme_items")
    op.drop_table("programme_items")
    op.drop_index("ix_programme_imports_sha256", table_name="programme_imports")
    op.drop_table("programme_imports")
