"""The reminders already in the chats: which of them carry buttons for a task, so that the
buttons can follow the task's state (a group never offers an action no longer possible)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, exists, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.db.hints import NO_REMINDERS, forget, known_none
from bot.db.tables import DeliveryRow


@dataclass(frozen=True, slots=True)
class SentReminder:
    id: int
    chat_id: int
    message_id: int
    person_id: int | None
    text: str
    buttons: list[list[dict[str, str]]]
    sent_at: datetime | None


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def with_buttons_for(self, task_id: int, since: datetime) -> list[SentReminder]:
        """Sent messages whose buttons act on the task (callback data "verb:<task id>"), oldest
        first. ``since``: the task's creation; no message about it went out before, and the
        (state, next_attempt_at) index keeps the search to the task's lifetime."""
        if known_none(self._s, NO_REMINDERS, task_id):
            return []  # the statement that loaded the task found none (bot.db.hints)
        rows = await self._s.scalars(
            select(DeliveryRow)
            .where(*_carrying(task_id, since))
            .order_by(DeliveryRow.sent_at, DeliveryRow.id)
        )
        return [
            SentReminder(
                r.id, r.chat_id, int(r.message_id or 0), r.person_id, r.text, r.buttons, r.sent_at
            )
            for r in rows
        ]

    async def set_buttons(self, delivery_id: int, buttons: list[list[dict[str, Any]]]) -> None:
        """The buttons the message shows now (what the next change starts from)."""
        forget(self._s, NO_REMINDERS)
        await self._s.execute(
            update(DeliveryRow).where(DeliveryRow.id == delivery_id).values(buttons=buttons)
        )


def _carrying(
    task_id: int | InstrumentedAttribute[int], since: datetime | InstrumentedAttribute[datetime]
) -> list[ColumnElement[bool]]:
    """Sent messages whose buttons act on the task; `task_id` and `since` may be a literal or
    the columns of an outer query (reminders_exist)."""
    # The JSON text holds "data": "ack:12"; the closing quote keeps 12 from 112.
    if isinstance(task_id, int):
        pattern: Any = f'%:{task_id}"%'
    else:
        pattern = literal("%:").concat(cast(task_id, Text)).concat(literal('"%'))
    return [
        DeliveryRow.state == "sent",
        DeliveryRow.next_attempt_at >= since,
        DeliveryRow.message_id.is_not(None),
        # A task card sent from the queue (series, programme) is the task's own message,
        # kept current by the card's refresh, not a reminder.
        DeliveryRow.track_task_id.is_(None),
        cast(DeliveryRow.buttons, Text).like(pattern),
    ]


def reminders_exist(
    task_id: InstrumentedAttribute[int], since: InstrumentedAttribute[datetime]
) -> ColumnElement[bool]:
    """Whether with_buttons_for would find any, as a column of the task's own query."""
    return exists().where(*_carrying(task_id, since))
