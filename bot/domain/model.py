"""Domain objects. Plain dataclasses: the database layer maps rows onto them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    CHAIRMAN = "chairman"
    VICE_CHAIRMAN = "vice_chairman"
    OFFICE = "office"
    HEAD = "head"
    DEPUTY = "deputy"
    STAFF = "staff"
    ADMIN = "admin"


UNIT_ROLES = frozenset({Role.HEAD, Role.DEPUTY, Role.STAFF})
LEADER_ROLES = frozenset({Role.CHAIRMAN, Role.VICE_CHAIRMAN})


class Status(StrEnum):
    ASSIGNED = "assigned"  # giao, chưa tiếp nhận
    ACKNOWLEDGED = "acknowledged"  # đã tiếp nhận / đang thực hiện
    REPORTED = "reported"  # chờ duyệt
    DONE = "done"  # đã hoàn thành
    WITHDRAWN = "withdrawn"  # đã rút


OPEN_STATUSES = frozenset({Status.ASSIGNED, Status.ACKNOWLEDGED, Status.REPORTED})


class EventKind(StrEnum):
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    PROGRESS = "progress"
    REPORTED = "reported"
    APPROVED = "approved"
    RETURNED = "returned"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_APPROVED = "extension_approved"
    EXTENSION_REFUSED = "extension_refused"
    WITHDRAWN = "withdrawn"
    REASSIGNED = "reassigned"


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    chat_id: int | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    telegram_id: int
    name: str
    role: Role
    unit_id: int | None = None
    supervises: frozenset[int] = frozenset()
    language: str | None = None
    can_dm: bool = False
    active: bool = True
    username: str | None = None

    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES


@dataclass(frozen=True, slots=True)
class Attachment:
    file_id: str
    file_name: str | None = None
    kind: str = "document"  # document | photo


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    code: str
    content: str
    lead_unit_id: int
    cooperating_unit_ids: tuple[int, ...]
    assigner_id: int
    status: Status
    created_at: datetime
    original_due: datetime | None
    due: datetime | None
    extension_count: int = 0
    source: str | None = None
    origin_chat_id: int | None = None  # where it was assigned: the last place to tell the assigner
    attachment: Attachment | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: int | None = None
    reported_at: datetime | None = None
    reported_by: int | None = None
    completed_at: datetime | None = None
    result: str | None = None
    result_attachment: Attachment | None = None
    document_id: int | None = None  # the conclusion or directive it came from
    series_id: int | None = None  # made by a recurring series (bot/domain/series.py) ...
    series_period: str | None = None  # ... for this period of it ("2026-12")
    # When the lead unit took it over by a move (/chuyen); None: it has led since creation.
    led_since: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def assigned_at(self) -> datetime:
        """When the task was last assigned to its lead unit: what the unit's acknowledgement is
        timed from, by the reminders as by the chain of responsibility."""
        return self.led_since or self.created_at


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A conclusion notice or directive whose items became tasks in one confirmation."""

    id: int
    number: str | None  # "45/TB-UBND"
    issued: date | None
    title: str | None
    created_by: int
    created_at: datetime
    attachment: Attachment | None = None


@dataclass(frozen=True, slots=True)
class TaskEvent:
    id: int
    task_id: int
    kind: EventKind
    actor_id: int | None
    at: datetime
    before: dict[str, object] = field(default_factory=dict)
    after: dict[str, object] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ExtensionRequest:
    id: int
    task_id: int
    requested_by: int
    requested_at: datetime
    proposed_due: datetime
    reason: str
    status: ExtensionStatus
    decided_by: int | None = None
    decided_at: datetime | None = None
    granted_due: datetime | None = None


@dataclass(frozen=True, slots=True)
class DecisionSummary:
    """One leader's pending decisions, for the weekly post and the monthly workbook."""

    name: str
    reviews: int
    extensions: int
    oldest: int  # working days
    codes: tuple[str, ...]

    @property
    def count(self) -> int:
        return self.reviews + self.extensions
