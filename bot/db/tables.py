"""SQLAlchemy tables. Times are stored as naive UTC and handed back aware (SQLite keeps no zone)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
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
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


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
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    language: Mapped[str | None] = mapped_column(String(8))
    can_dm: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    username: Mapped[str | None] = mapped_column(String(64))
    # "file": from the roster file, so a later import that omits them deactivates them;
    # "invite": joined by a /moi link, which a roster import knows nothing about.
    source: Mapped[str] = mapped_column(String(16), default="file", server_default="file")


class SupervisionRow(Base):
    __tablename__ = "supervision"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


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
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    content: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    origin_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    attachment: Mapped[dict[str, Any] | None] = mapped_column()
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    assigner_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column()
    original_due: Mapped[datetime | None] = mapped_column()
    due: Mapped[datetime | None] = mapped_column(index=True)
    extension_count: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reported_at: Mapped[datetime | None] = mapped_column()
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    completed_at: Mapped[datetime | None] = mapped_column()
    result: Mapped[str | None] = mapped_column(Text)
    result_attachment: Mapped[dict[str, Any] | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    # /viec <unit>: the unit's open tasks as lead (migration 0011).
    __table_args__ = (Index("ix_tasks_lead_unit_id_status", "lead_unit_id", "status"),)


class TaskUnitRow(Base):
    """Cooperating units (phối hợp) of a task."""

    __tablename__ = "task_cooperators"
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    # /viec <unit>: the tasks a unit cooperates on (migration 0011).
    __table_args__ = (Index("ix_task_cooperators_unit_id", "unit_id"),)


class TaskEventRow(Base):
    """Append-only history: rows are inserted, never updated or deleted."""

    __tablename__ = "task_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime] = mapped_column()
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    # Reports look back past reassignments made after a period's end (migration 0003); the
    # scan counts urges since a task's last extension or reassignment (migration 0011).
    __table_args__ = (
        Index("ix_task_events_kind_at", "kind", "at"),
        Index("ix_task_events_task_id_kind_at", "task_id", "kind", "at"),
    )


class ExtensionRow(Base):
    __tablename__ = "extension_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    requested_at: Mapped[datetime] = mapped_column()
    proposed_due: Mapped[datetime] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    granted_due: Mapped[datetime | None] = mapped_column()


class TaskMessageRow(Base):
    """Where a task's card or notice was posted, so later steps can edit it in place."""

    __tablename__ = "task_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)


class PromptRow(Base):
    """A question the bot asked with ForceReply; the reply to it carries the answer."""

    __tablename__ = "prompts"
    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    extension_id: Mapped[int | None] = mapped_column(ForeignKey("extension_requests.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column()
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)


class InviteRow(Base):
    __tablename__ = "invites"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column()


class HandledRow(Base):
    """Idempotency keys: the same Telegram message handled twice must not act twice."""

    __tablename__ = "handled_updates"
    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    at: Mapped[datetime] = mapped_column()


class NudgeRow(Base):
    """A planned nudge: one pending row per open task (its next one), kept after it goes out."""

    __tablename__ = "nudges"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    slot: Mapped[str] = mapped_column(String(96))
    due_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(16))  # pending | done | cancelled
    created_at: Mapped[datetime] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()
    urge_no: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("task_id", "kind", "slot"),
        Index("ix_nudges_state_due_at", "state", "due_at"),
        # urges(): by task, not by state over the whole table (migration 0011).
        Index("ix_nudges_task_id_state_kind", "task_id", "state", "kind"),
    )


class DeliveryRow(Base):
    """One message to one chat, moving pending → claimed → sending → sent | failed | unknown.

    The send happens after the claim commits; a crash before "sending" returns the row to
    pending, a crash after it leaves the outcome unknown and the row is not sent again."""

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
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
    __table_args__ = (Index("ix_deliveries_state_next", "state", "next_attempt_at"),)
