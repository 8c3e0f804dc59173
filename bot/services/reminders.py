"""Reminders already sent keep buttons only for what can still be done: when a task changes,
the reminders that carry its buttons are edited. In each chat the newest shows the task's
buttons as they are now; older ones lose them (a newer reminder or the card stands for them)."""

from __future__ import annotations

from bot.db.reminders import SentReminder
from bot.db.uow import UnitOfWork
from bot.domain.model import Task
from bot.services.common import Core
from bot.services.outbox import Button, Outgoing
from bot.text import render

# Edits per change, newest first. A task chased for weeks has a reminder a day; editing them all
# at once would run into Telegram's 20 messages a minute per group. What is left is taken up at
# the task's next change.
EDIT_LIMIT = 10


def reminder_row(task: Task, lang: str) -> list[dict[str, str]]:
    """A reminder's buttons for one task: the card's, the first labelled with the task's code."""
    flat = [b for r in render.card_buttons(task, lang) for b in r]
    return [
        {"text": f"{task.code} · {b.label}" if i == 0 else b.label, "data": b.data}
        for i, b in enumerate(flat)
    ]


def _acts_on(row: list[dict[str, str]], task_id: int) -> bool:
    return any(b.get("data", "").partition(":")[2] == str(task_id) for b in row)


async def follow(core: Core, uow: UnitOfWork, task: Task, gone: bool = False) -> list[Outgoing]:
    """Edits for the reminders carrying ``task``'s buttons (``gone``: the task left the unit the
    reminders went to, so none of them keeps its buttons)."""
    found = await uow.reminders.with_buttons_for(task.id, task.created_at)
    if not found:
        return []
    newest = {r.chat_id: r.id for r in found}  # oldest first: the last one per chat wins
    people = await uow.people.by_ids({r.person_id for r in found if r.person_id is not None})
    out = []
    for reminder in reversed(found[-EDIT_LIMIT:]):
        person = people.get(reminder.person_id) if reminder.person_id is not None else None
        lang = core.person_lang(person) if person is not None else core.config.language
        live = not gone and newest[reminder.chat_id] == reminder.id
        rows = _rows(reminder, task, reminder_row(task, lang) if live else [])
        await uow.reminders.set_buttons(reminder.id, rows)
        out.append(
            Outgoing(
                chat_id=reminder.chat_id,
                text=reminder.text,
                buttons=tuple(tuple(Button(b["text"], b["data"]) for b in row) for row in rows),
                edit_message_id=reminder.message_id,
            )
        )
    return out


def _rows(
    reminder: SentReminder, task: Task, replacement: list[dict[str, str]]
) -> list[list[dict[str, str]]]:
    rows = []
    for row in reminder.buttons:
        if _acts_on(row, task.id):
            row = replacement
        if row:
            rows.append(row)
    return rows
