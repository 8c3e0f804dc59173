"""Ids as BigInteger on PostgreSQL; invites remember the /moi message that made them

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# (table, primary key or None, foreign keys): every column that holds a database id, which a
# button's data can name, so a forged id past 2**31 must be a "not found", not an overflow.
ID_COLUMNS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("units", "id", ()),
    ("people", "id", ("unit_id",)),
    ("supervision", None, ("person_id", "unit_id")),
    (
        "tasks",
        "id",
        (
            "lead_unit_id",
            "assigner_id",
            "acknowledged_by",
            "reported_by",
            "document_id",
            "series_id",
        ),
    ),
    ("task_cooperators", None, ("task_id", "unit_id")),
    ("task_events", "id", ("task_id", "actor_id")),
    ("extension_requests", "id", ("task_id", "requested_by", "decided_by")),
    ("task_messages", "id", ("task_id",)),
    ("prompts", "id", ("task_id", "extension_id", "person_id")),
    ("invites", None, ("unit_id", "created_by")),
    ("nudges", "id", ("task_id", "actor_id")),
    ("deliveries", "id", ("person_id", "track_task_id")),
    # The intake's tables (0006-0010), whose ids the draft and programme buttons name.
    ("documents", "id", ("created_by",)),
    ("drafts", "id", ("author_id", "decided_by", "document_id")),
    ("series", "id", ("lead_unit_id", "assigner_id", "ended_by")),
    ("programme_imports", "id", ("created_by", "assigner_id")),
    ("programme_items", "id", ("import_id", "lead_unit_id", "task_id")),
    ("published_tallies", "id", ()),
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _retype(to: type[sa.Integer]) -> None:
    # SQLite's INTEGER already holds 64 bits, and only "INTEGER PRIMARY KEY" is the rowid that
    # autoincrements: a batch rebuild as BIGINT would lose that, so SQLite is left alone.
    if not _postgres():
        return
    other = sa.Integer if to is sa.BigInteger else sa.BigInteger
    for table, key, foreign in ID_COLUMNS:
        columns = ((key,) if key else ()) + foreign
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=to(), existing_type=other())
        if key:
            # A SERIAL's sequence is typed too ("AS integer"): it would stop at 2**31 - 1.
            sequence = op.get_bind().scalar(
                sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table, "c": key}
            )
            if sequence:
                kind = "bigint" if to is sa.BigInteger else "integer"
                op.execute(f"ALTER SEQUENCE {sequence} AS {kind}")


def upgrade() -> None:
    _retype(sa.BigInteger)
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("request_key", sa.String(96), nullable=True))
        batch.create_unique_constraint("uq_invites_request_key", ["request_key"])


def downgrade() -> None:
    with op.batch_alter_table("invites") as batch:
        batch.drop_constraint("uq_invites_request_key", type_="unique")
        batch.drop_column("request_key")
    _retype(sa.Integer)
