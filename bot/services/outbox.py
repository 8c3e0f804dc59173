"""What a use case wants said, in neutral form; the Telegram adapter turns it into API calls."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def tracked_key(task_id: int, kind: str, chat_id: int) -> str:
    """The delivery key of a queued message whose landing place the task must remember (a card
    sent by the due-scan rather than in answer to a command): see tracked()."""
    return f"track:{task_id}:{chat_id}:{kind}"


def tracked(key: str) -> tuple[int, str] | None:
    """(task id, kind) from a tracked_key, else None."""
    if not key.startswith("track:"):
        return None
    _, task_id, _chat, kind = key.split(":", 3)
    return int(task_id), kind
