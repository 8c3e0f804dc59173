"""SQLAlchemy tables. Times are stored as naive UTC and handed back aware (SQLite keeps no zone).

No `from __future__ import annotations` here: with it every `Mapped[...]` is a string that
SQLAlchemy cleans up and evaluates column by column, a quarter of this module's import and
~10 ms of every start (issue 13); written as objects they are read as they are."""

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Every id a Telegram update or a button can name. PostgreSQL's INTEGER stops at 2**31 (a forged
# "ack:2147483648" used to crash a handler); SQLite's INTEGER is already 64-bit, and only a column
# declared exactly INTEGER PRIMARY KEY is its autoincrementing rowid, so SQLite keeps that type.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database: pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(none_as_null=True),
        list[str]: JSON(),
    }


class UnitRow(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(Id, ForeignKey("units.id"))
    language: Mapped[str | None] = mapped_column(String(8))
    can_dm: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    username: Mapped[str | None] = mapped_column(String(64))
    # "file": from the roster file, so a later import that omits them deactivates them;
    # "invite": joined by a /moi link, which a roster import knows nothing about.
    source: Mapped[str] = mapped_column(String(16), default="file", server_default="file")


class SupervisionRow(Base):
    __tablename__ = "supervision"
    person_id: Mapped[int] = mapped_column(Id, ForeignKey("people.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Id, ForeignKey("units.id"), primary_key=True)


class SettingRow(Base):
    """Deployment-wide values the roster carries, such as the leadership chat."""

    __tablename__ = "org_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class CounterRow(Base):
    """Gapless sequences: incremented inside the use case's transaction, so a rollback gives the
    number back and a task code is never reused nor skipped."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class TaskRow(Base):
    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    content: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    origin_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    attachment: Mapped[dict[str, Any] | None] = mapped_column()
    lead_unit_id: Mapped[int] = mapped_column(Id, ForeignKey("units.id"), index=True)
    assigner_id: Mapped[int] = mapped_column(Id, ForeignKey("people.id"))
    # Searched by (status, due): ix_tasks_status_due below (migration 0015).
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column()
    original_due: Mapped[datetime | None] = mapped_column()
    due: Mapped[datetime | None] = mapped_column(index=True)
    extension_count: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_by: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    reported_at: Mapped[datetime | None] = mapped_column()
    reported_by: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    completed_at: Mapped[datetime | None] = mapped_column()
    result: Mapped[str | None] = mapped_column(Text)
    result_attachment: Mapped[dict[str, Any] | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    # The conclusion or directive the task came from (a confirmed draft), if any.
    document_id: Mapped[int | None] = mapped_column(Id, ForeignKey("documents.id"), index=True)

    # A recurring series' task for one period (migration 0008): one task per series and period,
    # so a restart or a second scan can never make two.
    series_id: Mapped[int | None] = mapped_column(Id, ForeignKey("series.id"))
    series_period: Mapped[str | None] = mapped_column(String(16))
    # When the lead unit took the task over by a move (migration 0014); NULL: since created_at.
    # The unacknowledged reminder is timed from it.
    led_since: Mapped[datetime | None] = mapped_column()
    __table_args__ = (
        UniqueConstraint("series_id", "series_period"),
        # /viec <unit>: the unit's open tasks as lead (migration 0012).
        Index("ix_tasks_lead_unit_id_status", "lead_unit_id", "status"),
        # The digest's late open tasks; a report's unfinished and recently touched tasks
        # (migration 0013). On PostgreSQL migration 0016 adds INCLUDE (id, code), which the
        # digest reads without the table; not said here, where postgresql_include would load
        # SQLAlchemy's PostgreSQL dialect at every start (tests/unit/test_start_imports.py).
        Index("ix_tasks_status_due", "status", "due"),
        Index("ix_tasks_completed_at_status", "completed_at", "status"),
        Index("ix_tasks_updated_at", "updated_at"),
    )


class DocumentRow(Base):
    """A source document (thông báo kết luận, công văn) whose items became tasks."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(64), index=True)  # "45/TB-UBND"
    issued: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(255))
    file_name: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[int] = mapped_column(Id, ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column()


class DraftRow(Base):
    """A conclusion read into task items, waiting for its author to correct and confirm it."""

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    author_id: Mapped[int] = mapped_column(Id, ForeignKey("people.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # the draft as the bot posted it
    header: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    attachment: Mapped[dict[str, Any] | None] = mapped_column()
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16))  # open | confirmed | cancelled
    decided_by: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    document_id: Mapped[int | None] = mapped_column(Id, ForeignKey("documents.id"))
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)


class SeriesRow(Base):
    """A recurring task: each period's task is made from it at the start of the period."""

    __tablename__ = "series"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    content: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int] = mapped_column(Id, ForeignKey("units.id"))
    cooperating: Mapped[list[int]] = mapped_column(JSON, default=list)
    assigner_id: Mapped[int] = mapped_column(Id, ForeignKey("people.id"))
    rule: Mapped[str] = mapped_column(String(32))
    rule_text: Mapped[str] = mapped_column(Text)
    next_period: Mapped[str] = mapped_column(String(16))
    next_start: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16))
    origin_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    ended_by: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    end_reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_series_state_next_start", "state", "next_start"),)


class TaskUnitRow(Base):
    """Cooperating units (phối hợp) of a task."""

    __tablename__ = "task_cooperators"
    task_id: Mapped[int] = mapped_column(Id, ForeignKey("tasks.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(Id, ForeignKey("units.id"), primary_key=True)
    # /viec <unit>: the tasks a unit cooperates on (migration 0012).
    __table_args__ = (Index("ix_task_cooperators_unit_id", "unit_id"),)


class TaskEventRow(Base):
    """Append-only history: rows are inserted, never updated or deleted."""

    __tablename__ = "task_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    task_id: Mapped[int] = mapped_column(Id, ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column()
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    # Reports look back past reassignments made after a period's end (migration 0003); the
    # scan counts urges since a task's last extension or reassignment (migration 0012).
    __table_args__ = (
        Index("ix_task_events_kind_at", "kind", "at"),
        Index("ix_task_events_task_id_kind_at", "task_id", "kind", "at"),
    )


class ExtensionRow(Base):
    __tablename__ = "extension_requests"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    task_id: Mapped[int] = mapped_column(Id, ForeignKey("tasks.id"), index=True)
    requested_by: Mapped[int] = mapped_column(Id, ForeignKey("people.id"))
    requested_at: Mapped[datetime] = mapped_column()
    proposed_due: Mapped[datetime] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    granted_due: Mapped[datetime | None] = mapped_column()
    # The requests awaiting a decision, without reading every one ever made (migration 0013).
    __table_args__ = (Index("ix_extension_requests_status_task_id", "status", "task_id"),)


class TaskMessageRow(Base):
    """Where a task's card or notice was posted, so later steps can edit it in place."""

    __tablename__ = "task_messages"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    task_id: Mapped[int] = mapped_column(Id, ForeignKey("tasks.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)


class PromptRow(Base):
    """A question the bot asked with ForceReply; the reply to it carries the answer."""

    __tablename__ = "prompts"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    task_id: Mapped[int | None] = mapped_column(Id, ForeignKey("tasks.id"))
    extension_id: Mapped[int | None] = mapped_column(Id, ForeignKey("extension_requests.id"))
    person_id: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column()
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)


class InviteRow(Base):
    __tablename__ = "invites"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(Id, ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column()
    # The /moi message that made it ("m:chat:message"): Telegram delivering that message again
    # gets the same link back instead of a second invite.
    request_key: Mapped[str | None] = mapped_column(String(96), unique=True)


class HandledRow(Base):
    """Idempotency keys: the same Telegram message handled twice must not act twice."""

    __tablename__ = "handled_updates"
    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    at: Mapped[datetime] = mapped_column()


class NudgeRow(Base):
    """A planned nudge: one pending row per open task (its next one), kept after it goes out."""

    __tablename__ = "nudges"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    task_id: Mapped[int] = mapped_column(Id, ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    slot: Mapped[str] = mapped_column(String(96))
    due_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16))  # pending | done | cancelled
    created_at: Mapped[datetime] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()
    urge_no: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("task_id", "kind", "slot"),
        Index("ix_nudges_state_due_at", "state", "due_at"),
        # urges(): by task, not by state over the whole table (migration 0012).
        Index("ix_nudges_task_id_state_kind", "task_id", "state", "kind"),
    )


class DeliveryRow(Base):
    """One message to one chat, moving pending → claimed → sending → sent | failed | unknown.

    The send happens after the claim commits, and "sending" is committed just before the
    request leaves. A crash before it returns the row to pending; a crash after it (the request
    was in flight) puts it back once, to be sent again marked as a repeat (`resent`)."""

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    # A file sent with the text as its caption (the weekly chart, the monthly workbook).
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    document_name: Mapped[str | None] = mapped_column(String(128))
    document_kind: Mapped[str | None] = mapped_column(String(16))  # photo | document
    # The nudges a reminder or escalation speaks for: checked again just before it goes out,
    # so a task finished, extended or moved meanwhile is not chased (None for other messages).
    nudge_ids: Mapped[list[int] | None] = mapped_column(JSON)
    # A task card queued here rather than sent by a handler (a planned task becoming active):
    # where it lands is recorded as the task's message, so later steps edit it in place.
    track_task_id: Mapped[int | None] = mapped_column(Id)
    track_kind: Mapped[str | None] = mapped_column(String(16))
    # The running instance that claimed the row: start-up recovery takes back only the rows
    # of an instance that is gone, never those another live process is sending.
    owner: Mapped[str | None] = mapped_column(String(64))
    # Times the row was put back after its request was cut off in flight (a crash, a timeout):
    # such a message goes out once more, marked, and not a third time.
    resent: Mapped[int] = mapped_column(Integer, default=0, server_default=sql_text("0"))
    __table_args__ = (Index("ix_deliveries_state_next", "state", "next_attempt_at"),)


class ProgrammeImportRow(Base):
    """One annual programme file: a draft awaiting confirmation (chat), then imported.

    `imported_hash` is set only once imported, so it is unique among imports while drafts of
    the same file may come and go: a second import of the same file is refused by the database
    even when two confirmations race."""

    __tablename__ = "programme_imports"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    year: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(16))  # draft | imported | cancelled
    created_by: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    assigner_id: Mapped[int | None] = mapped_column(Id, ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    # The file itself while a chat draft waits for its button; dropped once decided.
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    tasks: Mapped[int] = mapped_column(Integer, default=0)


class ProgrammeItemRow(Base):
    """A planned task of an imported programme: it becomes a real task (`task_id`) at
    `active_from`, the opening of the first working day of its month."""

    __tablename__ = "programme_items"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    import_id: Mapped[int] = mapped_column(Id, ForeignKey("programme_imports.id"), index=True)
    row_no: Mapped[int] = mapped_column(Integer)  # the source row, as Excel numbers it
    seq: Mapped[int] = mapped_column(Integer)  # 1.. for the months of a "Hàng tháng" row
    number: Mapped[str | None] = mapped_column(String(32))  # STT as written
    content: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int] = mapped_column(Id, ForeignKey("units.id"))
    cooperating: Mapped[list[int]] = mapped_column(JSON, default=list)
    coop_text: Mapped[str | None] = mapped_column(Text)
    leader: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    active_from: Mapped[datetime] = mapped_column()
    due: Mapped[datetime | None] = mapped_column()
    state: Mapped[str] = mapped_column(String(16))  # planned | active
    task_id: Mapped[int | None] = mapped_column(Id, ForeignKey("tasks.id"), unique=True)
    __table_args__ = (
        UniqueConstraint("import_id", "row_no", "seq"),
        Index("ix_programme_items_state_active_from", "state", "active_from"),
    )


class PublishedTallyRow(Base):
    """The figures a weekly post published, as it published them: the next post's change column
    and `/tonghop` for that period show these, whatever changed since (migration 0010)."""

    __tablename__ = "published_tallies"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # "week:2026-W48"
    period_start: Mapped[datetime] = mapped_column()
    period_end: Mapped[datetime] = mapped_column(index=True)
    count_against: Mapped[str] = mapped_column(String(16))
    # {"total": [the ten Counts fields], "units": {"<unit id>": [...]}}
    figures: Mapped[dict[str, Any]] = mapped_column()
    published_at: Mapped[datetime] = mapped_column()
