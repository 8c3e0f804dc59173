"""What a use case wants said, in neutral form; the Telegram adapter turns it into API calls."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.db.uow import UnitOfWork
from bot.domain.model import Attachment


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str  # callback data, at most 64 bytes: "<verb>:<id>"


@dataclass(frozen=True, slots=True)
class PromptSpec:
    """Record the sent message as a question whose reply carries the answer."""

    kind: str
    person_id: int | None
    task_id: int | None = None
    extension_id: int | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    chat_id: int
    text: str  # HTML, user text already escaped
    buttons: tuple[tuple[Button, ...], ...] = ()
    reply_to: int | None = None
    edit_message_id: int | None = None
    markup_only: bool = False  # with edit_message_id: replace only the buttons (text is ignored)
    force_reply: bool = False
    document: Attachment | None = None
    track: tuple[int, str] | None = None  # (task id, kind): remember where it landed
    prompt: PromptSpec | None = None
    # A private copy to someone who may never have opened the bot: a 403 is expected, not an error.
    private_to: int | None = None
    draft: int | None = None  # a draft task list: remember where it landed, replies correct it


@dataclass(slots=True)
class Outcome:
    """The answer to the person who acted, plus messages for everyone else."""

    reply: str | None = None
    alert: bool = False  # for button presses: show as an alert, not a passing toast
    messages: list[Outgoing] = field(default_factory=list)
    changed: bool = False

    def send(self, *messages: Outgoing) -> Outcome:
        self.messages.extend(messages)
        return self


async def enqueue(uow: UnitOfWork, key: str, messages: Sequence[Outgoing], now: datetime) -> int:
    """Queue messages as deliveries (keyed `key:n`), for the scheduler's paced sender to send
    after this transaction commits: for what no handler is there to send, such as the card of
    a task the due-scan created. Only new text messages can wait in the queue. Returns how many
    were queued (a key seen before is not queued twice)."""
    count = 0
    for n, out in enumerate(messages):
        if out.edit_message_id is not None or out.document is not None or out.prompt is not None:
            raise ValueError("only new text messages can be queued")
        buttons = [[{"text": b.label, "data": b.data} for b in row] for row in out.buttons]
        count += await uow.deliveries.add(
            f"{key}:{n}", out.chat_id, out.text, buttons, now, person_id=out.private_to,
            track=out.track,
        )  # fmt: skip
    return count
