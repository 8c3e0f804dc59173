"""The in-memory Telegram world of the sandbox: bot, people, chats, messages, files, updates.

:class:`FakeTelegram` is shared by three kinds of callers, all on one asyncio event loop:

- the Bot API server (:mod:`bot.sandbox.botapi` via :mod:`bot.sandbox.methods`), which acts as
  the bot through the ``bot_*`` primitives;
- tests and the web UI acting as people: :meth:`~FakeTelegram.add_user`,
  :meth:`~FakeTelegram.add_group`, :meth:`~FakeTelegram.send_message`,
  :meth:`~FakeTelegram.press_button`, :meth:`~FakeTelegram.kick_bot`,
  :meth:`~FakeTelegram.block_bot`. These are plain (synchronous) methods: they change the world
  at once and wake up whoever waits; call them from the event loop's thread;
- observers: :meth:`~FakeTelegram.messages` & co., the async ``wait_for_*`` helpers, and
  :meth:`~FakeTelegram.subscribe` (events for the web UI).

Every value handed out is a JSON-serializable copy in Telegram's JSON shapes. Stored messages
carry two sandbox-only keys that the Bot API never returns: ``html`` (the raw HTML the bot sent,
when it used ``parse_mode=HTML``) and ``edit_history`` (earlier versions, oldest first).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import mimetypes
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.sandbox.entities import detect_entities, utf16_len
from bot.sandbox.limits import RateLimiter, RateLimits

logger = logging.getLogger(__name__)

JsonDict = dict[str, Any]
SandboxEvent = JsonDict
"""``{"type": "message" | "edit" | "delete" | "callback_answer" | "update", ...}``."""
Subscriber = Callable[[SandboxEvent], None]
Predicate = Callable[[JsonDict], bool]

SANDBOX_KEYS = frozenset({"html", "edit_history"})
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
        "my_chat_member",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "chat_join_request",
    }
)


MAX_TEXT = 4096  # a message's text, in UTF-16 code units as Telegram counts
MAX_CAPTION = 1024  # a file's caption


class TooLong(ValueError):
    """A person's message over Telegram's limit (the Bot API's 400 "message is too long")."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"Bad Request: message is too long ({length} > {limit} characters)")
        self.length = length
        self.limit = limit


class ApiError(Exception):
    """A Bot API error answer: HTTP ``status`` and Telegram's ``description``."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def to_json(self) -> JsonDict:
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


@dataclass
class SandboxUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"
    is_bot: bool = False
    started: bool = False
    """The user has written in the private chat, so the bot may message them."""
    blocked: bool = False

    def to_api(self) -> JsonDict:
        data: JsonDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code and not self.is_bot:
            data["language_code"] = self.language_code
        return data


@dataclass
class SandboxChat:
    id: int
    type: str  # "private" | "group" | "supergroup"
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    bot_member: bool = True
    admins: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)
    messages: dict[int, JsonDict] = field(default_factory=dict)
    next_message_id: int = 1
    migrated_to: int | None = None

    def to_api(self) -> JsonDict:
        data: JsonDict = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value:
                data[key] = value
        return data

    @property
    def is_group(self) -> bool:
        return self.type != "private"


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def to_api(self) -> JsonDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass
class _Fault:
    method: str
    status: int
    description: str
    retry_after: int | None
    chat_id: int | None
    count: int


def public_message(message: JsonDict, *, nested: bool = False) -> JsonDict:
    """The message as the Bot API shows it: no sandbox keys, only inline keyboards."""
    data = {k: copy.deepcopy(v) for k, v in message.items() if k not in SANDBOX_KEYS}
    markup = data.get("reply_markup")
    if markup is not None and "inline_keyboard" not in markup:
        del data["reply_markup"]
    if nested:
        data.pop("reply_to_message", None)
    elif "reply_to_message" in data:
        data["reply_to_message"] = public_message(data["reply_to_message"], nested=True)
    return data


def _default_clock() -> datetime:
    return datetime.now(UTC)


class FakeTelegram:
    """The whole fake Telegram: see the module docstring.

    ``clock`` gives message dates (inject one to move time in tests); ``monotonic`` drives the
    flood limits, which apply only with ``enforce_limits=True``. With ``privacy_mode`` (Telegram's
    default) the bot sees in groups only commands, replies to its messages and @mentions of it.
    """

    def __init__(
        self,
        *,
        token: str = "123456:SANDBOX-TOKEN",
        bot_username: str = "dondoc_bot",
        bot_first_name: str = "Đôn Đốc",
        bot_id: int | None = None,
        clock: Callable[[], datetime] = _default_clock,
        monotonic: Callable[[], float] = time.monotonic,
        enforce_limits: bool = False,
        limits: RateLimits | None = None,
        privacy_mode: bool = True,
    ) -> None:
        prefix = token.split(":", 1)[0]
        if bot_id is None:
            bot_id = int(prefix) if prefix.isdigit() else 1
        self.token = token
        self.bot = SandboxUser(
            id=bot_id,
            first_name=bot_first_name,
            username=bot_username,
            is_bot=True,
            language_code=None,
        )
        self.clock = clock
        self.privacy_mode = privacy_mode
        self.enforce_limits = enforce_limits
        self.limiter = RateLimiter(limits or RateLimits(), monotonic)
        self.rate_limited = 0
        """How many sends were refused with 429."""
        self.rate_limited_per_chat: dict[int, int] = {}
        self.calls: list[tuple[str, JsonDict]] = []
        """Every Bot API call as ``(method, params)``; JSON params decoded, uploads summarized."""
        self.refused: list[tuple[str, str]] = []
        """Every call answered with an error, as ``(method, description)``."""

        self.users: dict[int, SandboxUser] = {}
        self.chats: dict[int, SandboxChat] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_answers: dict[str, JsonDict] = {}
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        """``setMyCommands`` results by ``(scope as sorted JSON, language_code)``."""
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_posts: list[tuple[int, int]] = []
        """Each webhook POST as ``(update_id, HTTP status)``; 0 when the connection failed."""
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES

        self._updates: list[JsonDict] = []
        self._next_update_id = 1
        self._fetched_upto = 0  # highest update_id handed out by getUpdates
        self._callbacks: dict[str, JsonDict] = {}
        self._callback_ids = itertools.count(4_000_000_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._seq = 0  # bumps on every change of a message
        self._msg_seq: dict[tuple[int, int], int] = {}
        self._people_seq = 0  # seq at the last thing a person did
        self._changed: asyncio.Event | None = None
        self._subscribers: list[Subscriber] = []
        self._faults: list[_Fault] = []
        self._delays: dict[str, list[tuple[float, bool]]] = {}
        self._holds: list[tuple[str, int, asyncio.Event]] = []
        self.inflight = 0
        """Bot API calls (other than getUpdates) being answered right now."""
        self._last_activity = 0.0

    # ------------------------------------------------------------------ people and chats

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> JsonDict:
        """Create (or replace the profile of) a person; returns the User JSON."""
        old = self.users.get(user_id)
        user = SandboxUser(user_id, first_name, last_name, username, language_code)
        if old is not None:
            user.started, user.blocked = old.started, old.blocked
        self.users[user_id] = user
        return user.to_api()

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        type: str = "supergroup",
        username: str | None = None,
        members: Iterable[int] = (),
        admins: Iterable[int] = (),
        added_by: int | None = None,
    ) -> JsonDict:
        """Create a group (the bot is a member) of ``members``; ``admins`` and ``added_by`` are
        members too. With ``added_by``, the bot gets a ``my_chat_member`` update as if that
        person added it."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative (supergroups look like -100...)")
        if type not in ("group", "supergroup"):
            raise ValueError("type must be 'group' or 'supergroup'")
        chat = SandboxChat(chat_id, type, title=title, username=username)
        chat.admins = set(admins)
        chat.members = set(members) | chat.admins | ({added_by} if added_by is not None else set())
        self.chats[chat_id] = chat
        if added_by is not None:
            self._my_chat_member(chat, added_by, "left", "member")
        self._notify()
        return chat.to_api()

    def open_private_chat(self, user_id: int) -> None:
        """The person has opened their chat with the bot, so the bot may write to them, with
        no message of theirs for the bot to answer (a set-up of many people at once)."""
        self._user(user_id).started = True
        self._notify()

    def join(self, chat_id: int, user_id: int) -> None:
        """A person joins a group (someone added them, or they followed an invite link)."""
        self._user(user_id)
        self._group(chat_id).members.add(user_id)
        self._notify()

    def migrate_group(self, chat_id: int, new_chat_id: int) -> None:
        """A group upgraded to a supergroup: a new id; the old one answers with where it went."""
        old = self._group(chat_id)
        self.add_group(new_chat_id, old.title or "", members=sorted(old.members))
        old.migrated_to = new_chat_id

    def kick_bot(self, chat_id: int, by: int | None = None) -> None:
        """Remove the bot from a group; ``by`` also sends it a ``my_chat_member`` update."""
        chat = self._group(chat_id)
        chat.bot_member = False
        if by is not None:
            self._my_chat_member(chat, by, "member", "kicked")
        self._notify()

    def readd_bot(self, chat_id: int, by: int | None = None) -> None:
        chat = self._group(chat_id)
        chat.bot_member = True
        if by is not None:
            self._my_chat_member(chat, by, "left", "member")
        self._notify()

    def block_bot(self, user_id: int, blocked: bool = True) -> None:
        """The person blocks (or unblocks) the bot; writing to it privately unblocks too."""
        self._user(user_id).blocked = blocked
        if blocked:
            self._enqueue_private_status(user_id, "member", "kicked")
        self._notify()

    def send_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        reply_to: int | None = None,
        document: tuple[str, bytes, str | None] | None = None,
        photo: bytes | None = None,
        caption: str | None = None,
    ) -> JsonDict:
        """A person writes in a chat (``chat_id == user_id`` is the private chat with the bot).

        ``document`` is ``(file_name, data, mime_type or None)``; ``photo`` raw image bytes.
        Returns the stored message. The bot gets a ``message`` update unless it cannot see it
        (kicked from the group, or privacy mode and not meant for it).
        """
        user = self._user(user_id)
        if chat_id == user_id:
            chat = self._private_chat(user)
        elif chat_id in self.chats and self.chats[chat_id].is_group:
            chat = self.chats[chat_id]
            # As on Telegram, only members write in a group: no silent joining, so the chats a
            # persona sees on the web page are the chats they can write in. Tests make people
            # members with add_group(members=...) or join().
            if user_id not in chat.members:
                raise ValueError(f"user {user_id} is not a member of chat {chat_id}")
        else:
            raise ValueError(f"chat {chat_id} does not exist for user {user_id}")
        if not (text or document or photo):
            raise ValueError("a message needs text, a document or a photo")
        # Telegram takes no longer text from a person either: nothing is sent.
        for written, limit in ((text, MAX_TEXT), (caption, MAX_CAPTION)):
            if written and utf16_len(written) > limit:
                raise TooLong(utf16_len(written), limit)
        message = self._new_message(chat, user.to_api())
        if text:
            message["text"] = text
            entities = detect_entities(text)
            if entities:
                message["entities"] = entities
        if document is not None:
            name, data, mime = document
            stored = self.store_file(data, "documents", file_name=name, mime_type=mime)
            message["document"] = self.document_json(stored)
        if photo is not None:
            message["photo"] = self.photo_json(self.store_file(photo, "photos"))
        if caption and (document is not None or photo is not None):
            message["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                message["caption_entities"] = entities
        if reply_to is not None:
            replied = chat.messages.get(reply_to)
            if replied is None:
                raise ValueError(f"message {reply_to} does not exist in chat {chat_id}")
            message["reply_to_message"] = copy.deepcopy(replied)
        self._store(chat, message)
        if not chat.is_group:
            user.started = True
            user.blocked = False
        self._people_seq = self._seq
        if self._bot_sees(chat, message):
            self._enqueue("message", public_message(message))
        self._emit({"type": "message", "chat_id": chat.id, "message": self._view(message)})
        return self._view(message)

    def inject(self, kind: str, payload: JsonDict) -> int:
        """Queue a raw update of any kind (a channel post, a callback on an inline message, what
        a modified client sends): the bot must cope with whatever Telegram can deliver.
        Returns the update id."""
        update_id = self._next_update_id
        self._enqueue(kind, payload)
        return update_id

    def redeliver(self, message: JsonDict) -> None:
        """Deliver a person's message to the bot once more, as Telegram does when the bot died
        before confirming an offset: handlers must not act twice."""
        self._enqueue("message", public_message(message))

    def press_button(
        self, chat_id: int, message_id: int, user_id: int, data: str, forged: bool = False
    ) -> str:
        """A person presses the inline button with ``callback_data == data``; returns the
        callback query id. Raises ValueError if no such button is on the message now, unless
        ``forged``: a modified client sending data no button carries."""
        user = self._user(user_id)
        chat = self.chats.get(chat_id)
        message = chat.messages.get(message_id) if chat is not None else None
        if chat is None or message is None:
            raise ValueError(f"message {message_id} does not exist in chat {chat_id}")
        if chat.is_group and user_id not in chat.members:
            raise ValueError(f"user {user_id} is not a member of chat {chat_id}")
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if not forged and not any(b.get("callback_data") == data for row in rows for b in row):
            raise ValueError(f"message {message_id} has no button with callback_data {data!r}")
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "user_id": user_id,
            "data": data,
            "answered": False,
        }
        self._seq += 1
        self._people_seq = self._seq
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "message": public_message(message),
                "chat_instance": str(abs(chat_id) * 7919 % 2**62),
                "data": data,
            },
        )
        return query_id

    # ------------------------------------------------------------------ observing

    def messages(self, chat_id: int) -> list[JsonDict]:
        """The chat as people see it now (edits applied, deleted messages gone)."""
        chat = self.chats.get(chat_id)
        return [] if chat is None else [self._view(m) for m in chat.messages.values()]

    def bot_messages(self, chat_id: int) -> list[JsonDict]:
        return [m for m in self.messages(chat_id) if m.get("from", {}).get("id") == self.bot.id]

    def last_bot_message(self, chat_id: int) -> JsonDict | None:
        sent = self.bot_messages(chat_id)
        return sent[-1] if sent else None

    def callback_answer(self, callback_id: str) -> JsonDict | None:
        answer = self.callback_answers.get(callback_id)
        return None if answer is None else dict(answer)

    def calls_to(self, method: str) -> list[JsonDict]:
        """Params of every call of ``method`` (case-insensitive)."""
        return [p for m, p in self.calls if m.lower() == method.lower()]

    def mark(self) -> int:
        """A point in the history; pass it as ``since`` to wait only for later bot activity."""
        return self._seq

    def pending_updates(self) -> int:
        return len(self._updates)

    def commands_for(self, user_id: int, chat_id: int | None = None) -> list[JsonDict]:
        """The command menu a person's client would show, resolved like Telegram does."""
        user = self._user(user_id)
        chat_id = user_id if chat_id is None else chat_id
        chat = self.chats.get(chat_id)
        scopes: list[JsonDict] = []
        if chat is not None and chat.is_group:
            if user_id in chat.admins:
                scopes.append({"type": "chat_member", "chat_id": chat_id, "user_id": user_id})
                scopes.append({"type": "chat_administrators", "chat_id": chat_id})
            scopes.append({"type": "chat", "chat_id": chat_id})
            if user_id in chat.admins:
                scopes.append({"type": "all_chat_administrators"})
            scopes.append({"type": "all_group_chats"})
        else:
            scopes += [{"type": "chat", "chat_id": chat_id}, {"type": "all_private_chats"}]
        scopes.append({"type": "default"})
        for scope in scopes:
            for lang in (user.language_code or "", ""):
                found = self.commands.get((scope_key(scope), lang))
                if found is not None:
                    return copy.deepcopy(found)
        return []

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(event)`` on every change; returns an unsubscribe function.

        Events: ``{"type": "message", "chat_id", "message"}`` (someone wrote),
        ``{"type": "edit", "chat_id", "message"}``, ``{"type": "delete", "chat_id",
        "message_id"}``, ``{"type": "callback_answer", "callback_query_id", "answer",
        "chat_id", "message_id", "user_id"}`` and ``{"type": "update", "update"}`` (queued for the
        bot). Callbacks run synchronously inside the change:
        keep them quick (e.g. ``queue.put_nowait``); an exception in one is logged and ignored.
        """
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def snapshot(self) -> JsonDict:
        """The whole world as JSON, for a web UI or a failing test's message."""
        return {
            "bot": self.bot.to_api(),
            "users": [
                {**u.to_api(), "started": u.started, "blocked": u.blocked}
                for u in self.users.values()
            ],
            "chats": [
                {
                    **c.to_api(),
                    "bot_member": c.bot_member,
                    "messages": [self._view(m) for m in c.messages.values()],
                }
                for c in self.chats.values()
            ],
            "files": [{**f.to_api(), "file_name": f.file_name} for f in self.files.values()],
            "callback_answers": copy.deepcopy(self.callback_answers),
            "commands": [
                {"scope": json.loads(scope), "language_code": lang, "commands": cmds}
                for (scope, lang), cmds in self.commands.items()
            ],
            "pending_updates": len(self._updates),
            "rate_limited": self.rate_limited,
        }

    async def wait_for_bot_message(
        self,
        chat_id: int,
        predicate: Predicate | None = None,
        timeout: float = 5.0,
        after_message_id: int | None = None,
        since: int | None = None,
    ) -> JsonDict:
        """Wait until the bot has sent or edited a message in ``chat_id`` matching ``predicate``.

        Which messages count: with ``after_message_id``, bot messages with a larger id; with
        ``since`` (from :meth:`mark`), bot messages sent or edited after that mark; otherwise
        those sent or edited after the last thing a person did (sent a message or pressed a
        button, in any chat). The earliest such match is returned. Raises TimeoutError.
        """
        floor = self._people_seq if since is None else since

        def find() -> JsonDict | None:
            chat = self.chats.get(chat_id)
            if chat is None:
                return None
            candidates = []
            for message in chat.messages.values():
                if message.get("from", {}).get("id") != self.bot.id:
                    continue
                seq = self._msg_seq[(chat_id, message["message_id"])]
                if after_message_id is not None:
                    if message["message_id"] <= after_message_id:
                        continue
                elif seq <= floor:
                    continue
                view = self._view(message)
                if predicate is None or predicate(view):
                    candidates.append((seq, view))
            return min(candidates, key=lambda c: c[0])[1] if candidates else None

        try:
            return await self._wait_until(find, timeout)
        except TimeoutError:
            texts = [m.get("text") or m.get("caption") for m in self.messages(chat_id)[-5:]]
            raise TimeoutError(
                f"no matching bot message in chat {chat_id} within {timeout}s; last: {texts}"
            ) from None

    async def wait_for_callback_answer(self, callback_id: str, timeout: float = 5.0) -> JsonDict:
        return await self._wait_until(lambda: self.callback_answer(callback_id), timeout)

    async def wait_idle(self, timeout: float = 5.0, quiet: float = 0.2) -> None:
        """Wait until the bot has fetched every update, no call is being answered, and nothing
        happened for ``quiet`` seconds. Raises TimeoutError."""
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(timeout):
            while True:
                busy = self.inflight > 0 or any(
                    u["update_id"] > self._fetched_upto for u in self._updates
                )
                remaining = self._last_activity + quiet - loop.time()
                if not busy and remaining <= 0:
                    return
                event = self._event()
                wait = quiet if busy else remaining
                try:
                    async with asyncio.timeout(wait):
                        await event.wait()
                except TimeoutError:
                    pass

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        retry_after: int | None = None,
        chat_id: int | None = None,
        count: int = 1,
    ) -> None:
        """The next ``count`` calls of ``method`` (for ``chat_id``, if given) fail with this
        answer and have no effect."""
        self._faults.append(
            _Fault(method.lower(), status, description, retry_after, chat_id, count)
        )

    def delay_next(self, method: str, seconds: float, *, apply: bool = True) -> None:
        """Hold the answer to the next call of ``method`` for ``seconds`` (a read timeout for a
        client with a shorter one). With ``apply`` the call takes effect before the wait (the
        ambiguous case: the message went out, the answer got lost); else after it."""
        self._delays.setdefault(method.lower(), []).append((seconds, apply))

    def hold_next(self, method: str, chat_id: int) -> asyncio.Event:
        """The next call of ``method`` to ``chat_id`` takes effect, but its answer waits until
        the event returned is set: the bot is still waiting on it meanwhile."""
        release = asyncio.Event()
        self._holds.append((method.lower(), chat_id, release))
        return release

    def take_hold(self, method: str, chat_id: int | None) -> asyncio.Event | None:
        for hold in self._holds:
            if hold[0] == method.lower() and hold[1] == chat_id:
                self._holds.remove(hold)
                return hold[2]
        return None

    def take_fault(self, method: str, chat_id: int | None) -> ApiError | None:
        for fault in self._faults:
            if fault.method == method.lower() and fault.chat_id in (None, chat_id):
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return ApiError(fault.status, fault.description, fault.retry_after)
        return None

    def take_delay(self, method: str) -> tuple[float, bool] | None:
        queue = self._delays.get(method.lower())
        return queue.pop(0) if queue else None

    # ------------------------------------------------------------------ bot side primitives

    def check_can_write(self, chat_id: int) -> SandboxChat:
        """The chat the bot wants to write to, or the ApiError Telegram would answer."""
        chat = self.chats.get(chat_id)
        if chat is None:
            user = self.users.get(chat_id)
            if user is None:
                raise bad_request("chat not found")
            chat = self._private_chat(user)
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=chat.migrated_to,
            )
        if chat.is_group:
            if not chat.bot_member:
                kind = "supergroup" if chat.type == "supergroup" else "group"
                raise forbidden(f"bot is not a member of the {kind} chat")
        else:
            user = self.users[chat.id]
            if user.blocked:
                raise forbidden("bot was blocked by the user")
            if not user.started:
                raise forbidden("bot can't initiate conversation with a user")
        return chat

    def check_rate_limit(self, chat: SandboxChat) -> None:
        if not self.enforce_limits:
            return
        wait = self.limiter.retry_after(chat.id, chat.is_group)
        if wait > 0:
            self.rate_limited += 1
            self.rate_limited_per_chat[chat.id] = self.rate_limited_per_chat.get(chat.id, 0) + 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    def bot_send(self, chat: SandboxChat, content: JsonDict) -> JsonDict:
        """Store a message from the bot (``content``: text/entities/html/document/...,
        ``reply_to_message`` given as a message id); returns its Bot API JSON."""
        message = self._new_message(chat, self.bot.to_api())
        reply_to = content.pop("reply_to_message", None)
        message.update(content)
        if reply_to is not None:
            message["reply_to_message"] = copy.deepcopy(chat.messages[reply_to])
        self._store(chat, message)
        if self.enforce_limits:
            self.limiter.record(chat.id, chat.is_group)
        self._emit({"type": "message", "chat_id": chat.id, "message": self._view(message)})
        return public_message(message)

    def find_message(self, chat_id: int, message_id: int) -> JsonDict | None:
        chat = self.chats.get(chat_id)
        return None if chat is None else chat.messages.get(message_id)

    def bot_edit(self, chat_id: int, message_id: int, changes: JsonDict) -> JsonDict:
        """Apply ``changes`` to a stored message (``None`` values delete keys); returns its Bot
        API JSON. The previous version goes to ``edit_history``."""
        chat = self.chats[chat_id]
        message = chat.messages[message_id]
        previous = {k: copy.deepcopy(v) for k, v in message.items() if k != "edit_history"}
        message.setdefault("edit_history", []).append(previous)
        for key, value in changes.items():
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        message["edit_date"] = max(int(self.clock().timestamp()), message["date"])
        self._seq += 1
        self._msg_seq[(chat_id, message_id)] = self._seq
        self._emit({"type": "edit", "chat_id": chat_id, "message": self._view(message)})
        return public_message(message)

    def bot_delete(self, chat_id: int, message_id: int) -> None:
        del self.chats[chat_id].messages[message_id]
        self._seq += 1
        self._emit({"type": "delete", "chat_id": chat_id, "message_id": message_id})

    def answer_callback(self, query_id: str, answer: JsonDict) -> None:
        query = self._callbacks.get(query_id)
        if query is None or query["answered"]:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        query["answered"] = True
        self.callback_answers[query_id] = answer
        self._emit(
            {
                "type": "callback_answer",
                "callback_query_id": query_id,
                "answer": dict(answer),
                "chat_id": query["chat_id"],
                "message_id": query["message_id"],
                "user_id": query["user_id"],
            }
        )

    def store_file(
        self,
        data: bytes,
        folder: str,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        n = next(self._file_ids)
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        ext = ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        elif folder == "photos":
            ext = ".jpg"
        prefix = "AgAC" if folder == "photos" else "BQAC"
        stored = StoredFile(
            file_id=f"{prefix}sandbox{n:08d}",
            file_unique_id=f"AQAD{n:08d}",
            file_path=f"{folder}/file_{n}{ext}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def document_json(self, stored: StoredFile) -> JsonDict:
        data: JsonDict = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if stored.file_name:
            data["file_name"] = stored.file_name
        if stored.mime_type:
            data["mime_type"] = stored.mime_type
        return data

    def photo_json(self, stored: StoredFile) -> list[JsonDict]:
        width, height = _image_size(stored.data)
        return [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data),
                "width": width,
                "height": height,
            }
        ]

    def lookup_user(self, user_id: int) -> JsonDict | None:
        user = self.users.get(user_id)
        return None if user is None else user.to_api()

    # updates ---------------------------------------------------------------

    def take_updates(self, offset: int | None, limit: int) -> list[JsonDict]:
        """Confirm updates below ``offset`` and return up to ``limit`` pending ones."""
        if offset is not None:
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        allowed = self.allowed_updates
        self._updates = [u for u in self._updates if _update_type(u) in allowed]
        batch = copy.deepcopy(self._updates[:limit])
        if batch:
            self._fetched_upto = max(self._fetched_upto, batch[-1]["update_id"])
            self.touch()
        return batch

    def confirm_update(self, update_id: int) -> None:
        """The webhook took this update (Telegram forgets it once answered 200)."""
        self._updates = [u for u in self._updates if u["update_id"] > update_id]
        self._notify()

    def drop_pending_updates(self) -> None:
        self._updates.clear()
        self._notify()

    def touch(self) -> None:
        """Note activity (for :meth:`wait_idle`) and wake up waiters."""
        self._notify()

    async def wait_changed(self, timeout: float) -> None:
        """Wait for any change, at most ``timeout`` seconds (no error on timeout)."""
        event = self._event()
        try:
            async with asyncio.timeout(timeout):
                await event.wait()
        except TimeoutError:
            pass

    # ------------------------------------------------------------------ internals

    def _user(self, user_id: int) -> SandboxUser:
        user = self.users.get(user_id)
        if user is None:
            raise ValueError(f"unknown user {user_id}; add_user() first")
        return user

    def _group(self, chat_id: int) -> SandboxChat:
        chat = self.chats.get(chat_id)
        if chat is None or not chat.is_group:
            raise ValueError(f"unknown group {chat_id}; add_group() first")
        return chat

    def _private_chat(self, user: SandboxUser) -> SandboxChat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = SandboxChat(
                user.id,
                "private",
                username=user.username,
                first_name=user.first_name,
                last_name=user.last_name,
            )
            self.chats[user.id] = chat
        return chat

    def _new_message(self, chat: SandboxChat, sender: JsonDict) -> JsonDict:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return {
            "message_id": message_id,
            "from": sender,
            "chat": chat.to_api(),
            "date": int(self.clock().timestamp()),
        }

    def _store(self, chat: SandboxChat, message: JsonDict) -> None:
        chat.messages[message["message_id"]] = message
        self._seq += 1
        self._msg_seq[(chat.id, message["message_id"])] = self._seq

    def _view(self, message: JsonDict) -> JsonDict:
        return copy.deepcopy(message)

    def _bot_sees(self, chat: SandboxChat, message: JsonDict) -> bool:
        if not chat.is_group:
            return True
        if not chat.bot_member:
            return False
        if not self.privacy_mode:
            return True
        replied = message.get("reply_to_message")
        if replied is not None and replied.get("from", {}).get("id") == self.bot.id:
            return True
        text = message.get("text") or message.get("caption") or ""
        entities = message.get("entities") or message.get("caption_entities") or []
        if any(e["type"] == "bot_command" for e in entities):
            return True
        return f"@{self.bot.username}".lower() in text.lower()

    def _enqueue(self, kind: str, payload: JsonDict) -> None:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(update)
        self._notify()
        self._emit({"type": "update", "update": copy.deepcopy(update)})

    def _my_chat_member(self, chat: SandboxChat, by: int, old: str, new: str) -> None:
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": self._user(by).to_api(),
                "date": int(self.clock().timestamp()),
                "old_chat_member": _member_json(self.bot.to_api(), old),
                "new_chat_member": _member_json(self.bot.to_api(), new),
            },
        )

    def _enqueue_private_status(self, user_id: int, old: str, new: str) -> None:
        user = self._user(user_id)
        chat = self._private_chat(user)
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.to_api(),
                "from": user.to_api(),
                "date": int(self.clock().timestamp()),
                "old_chat_member": _member_json(self.bot.to_api(), old),
                "new_chat_member": _member_json(self.bot.to_api(), new),
            },
        )

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def _notify(self) -> None:
        with contextlib.suppress(RuntimeError):  # no loop yet: nobody can be waiting
            self._last_activity = asyncio.get_running_loop().time()
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    def _emit(self, event: SandboxEvent) -> None:
        self._notify()
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:  # an observer must not break the world
                logger.exception("sandbox subscriber %r failed", subscriber)

    async def _wait_until(self, find: Callable[[], JsonDict | None], timeout: float) -> JsonDict:
        async with asyncio.timeout(timeout):
            while True:
                event = self._event()
                found = find()
                if found is not None:
                    return found
                await event.wait()


def scope_key(scope: JsonDict | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def member_status(status: str, user: JsonDict) -> JsonDict:
    return _member_json(user, status)


def _member_json(user: JsonDict, status: str) -> JsonDict:
    data: JsonDict = {"status": status, "user": user}
    if status == "administrator":
        data.update(
            {
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
                "can_pin_messages": True,
            }
        )
    elif status == "creator":
        data["is_anonymous"] = False
    elif status == "kicked":
        data["until_date"] = 0
    return data


def _update_type(update: JsonDict) -> str:
    return next(k for k in update if k != "update_id")


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, else (1, 1)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                break
            marker = data[i + 1]
            (size,) = struct.unpack(">H", data[i + 2 : i + 4])
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + int(size)
    return 1, 1
