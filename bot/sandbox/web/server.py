"""Routes of the sandbox web chat (see the package docstring for the API)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from datetime import datetime
from html import escape as html_escape
from importlib import resources
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.calendar import format_deadline
from bot.sandbox.demo import Demo, role_of
from bot.sandbox.live import LiveBot
from bot.sandbox.state import JsonDict, SandboxEvent, TooLong
from bot.text.catalog import M, t

logger = logging.getLogger(__name__)

MAX_UPLOAD = 20 * 1024 * 1024
HEARTBEAT = 15.0  # seconds between SSE comments, so a dead client is noticed
PAGES = {
    "/": ("index.html", "text/html"),
    "/app.js": ("app.js", "text/javascript"),
    "/style.css": ("style.css", "text/css"),
}
LIVE_EVENTS = frozenset({"message", "edit", "delete", "callback_answer"})

Stream = asyncio.Queue[SandboxEvent | None]


def too_long(length: int, limit: int, lang: str) -> str:
    """What the page says (app.js says the same before sending) of a message over the limit."""
    sep = "." if lang == "vi" else ","
    size, most = f"{length:,}".replace(",", sep), f"{limit:,}".replace(",", sep)
    return t("sandbox.too_long", lang, size=size, most=most)


_SLOT = re.compile(r"\{\{(\w+)\}\}")


def page_in(html: str, lang: str) -> str:
    """index.html in `lang`: each {{name}} is the catalog's sandbox.page.name (escaped, but for
    the help's own HTML), {{strings}} app.js's words as a JSON table (sandbox.js.*, and the
    too-long refusal the server says too)."""
    strings = {
        key.removeprefix("sandbox.js."): t(key, lang) for key in M if key.startswith("sandbox.js.")
    }
    strings["too_long"] = t("sandbox.too_long", lang)
    buttons = {name: t(f"btn.{name}", lang) for name in ("ack", "report", "approve")}

    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        if name == "lang":
            return lang
        if name == "strings":
            # Inside <script>: no "</" may end it early.
            return json.dumps(strings, ensure_ascii=False).replace("<", "\\u003c")
        if name == "help_html":
            return t("sandbox.page.help_html", lang, **buttons)
        return html_escape(t(f"sandbox.page.{name}", lang))

    return _SLOT.sub(fill, html)


class SandboxWeb:
    """The web chat for one running sandbox: a bot (``live``) and its demo ward."""

    def __init__(self, live: LiveBot, demo: Demo) -> None:
        self.live = live
        self.tg = live.tg
        self.demo = demo
        self.people = {p.id for p in demo.personas}
        self.groups = {g.id for g in demo.groups}
        self._streams: set[Stream] = set()
        self._ff_lock = asyncio.Lock()
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        for path in PAGES:
            app.router.add_get(path, self._page)
        app.router.add_get("/api/state", self._state)
        app.router.add_post("/api/send", self._send)
        app.router.add_post("/api/press", self._press)
        app.router.add_get("/api/files/{file_id}", self._file)
        app.router.add_get("/api/events", self._events)
        app.router.add_post("/api/fast-forward", self._fast_forward)
        app.on_shutdown.append(self._close_streams)
        self.app = app

    # ------------------------------------------------------------------ helpers

    @property
    def lang(self) -> str:
        """The notices' language: the bot's (DONDOC_LANGUAGE)."""
        return self.live.runtime.settings.language

    def now(self) -> datetime:
        return self.live.runtime.services.core.clock.now()

    def clock_json(self) -> JsonDict:
        settings = self.live.runtime.settings
        now = self.now()
        return {
            "now": now.isoformat(),
            "tz": settings.timezone,
            "label": format_deadline(now, self.lang, settings.tz),
        }

    def _chat(self, chat_id: int, title: str, kind: str) -> JsonDict:
        # Who is in the chat, as the stand-in knows it: the page shows a persona only theirs.
        members = sorted(self.tg.chats[chat_id].members) if kind == "group" else [chat_id]
        return {
            "id": chat_id,
            "title": title,
            "type": kind,
            "members": members,
            "messages": [_message_view(m) for m in self.tg.messages(chat_id)],
        }

    def _broadcast(self, event: SandboxEvent) -> None:
        for stream in self._streams:
            stream.put_nowait(event)

    def _check_actor(self, chat_id: int, user_id: int) -> str | None:
        """Why this persona may not act in this chat, or None. The stand-in refuses too; this
        says it in the page's language, with names."""
        lang = self.lang
        if user_id not in self.people:
            return t("sandbox.no_user", lang, user=user_id)
        if chat_id != user_id and chat_id not in self.groups:
            return t("sandbox.no_chat", lang, chat=chat_id, user=user_id)
        if chat_id != user_id and user_id not in self.tg.chats[chat_id].members:
            name, title = self._name(user_id), self._title(chat_id)
            return t("sandbox.not_member", lang, name=name, title=title)
        return None

    def _name(self, user_id: int) -> str:
        return next((p.name for p in self.demo.personas if p.id == user_id), str(user_id))

    # ------------------------------------------------------------------ routes

    async def _page(self, request: web.Request) -> web.Response:
        name, content_type = PAGES[request.path]
        body = resources.files(__package__).joinpath(name).read_bytes()
        if name == "index.html":
            body = page_in(body.decode("utf-8"), self.lang).encode("utf-8")
        return web.Response(
            body=body,
            content_type=content_type,
            charset="utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    async def _state(self, request: web.Request) -> web.Response:
        chats = [self._chat(g.id, g.title, "group") for g in self.demo.groups]
        chats += [self._chat(p.id, self.tg.bot.first_name, "private") for p in self.demo.personas]
        spec = self.demo.spec
        roles = {p.telegram_id: role_of(spec, p, self.lang) for p in spec.people}
        return _json(
            {
                "ward": self.demo.ward,
                "bot": self.tg.bot.to_api(),
                "personas": [
                    {"id": p.id, "name": p.name, "role": roles[p.id], "leader": p.leader}
                    for p in self.demo.personas
                ],
                "chats": chats,
                "clock": self.clock_json(),
            }
        )

    async def _send(self, request: web.Request) -> web.Response:
        form = await request.post()
        try:
            chat_id = int(str(form["chat_id"]))
            user_id = int(str(form["user_id"]))
            reply_raw = str(form.get("reply_to") or "")
            reply_to = int(reply_raw) if reply_raw else None
        except (KeyError, ValueError):
            return _error(t("sandbox.bad_send", self.lang))
        refusal = self._check_actor(chat_id, user_id)
        if refusal:
            return _error(refusal)
        text = str(form.get("text") or "").strip() or None
        document = None
        upload = form.get("file")
        if isinstance(upload, web.FileField):
            data = upload.file.read()
            document = (upload.filename or "tep", data, upload.content_type or None)
        if text is None and document is None:
            return _error(t("sandbox.empty_message", self.lang))
        try:
            if document is not None:
                message = self.tg.send_message(
                    chat_id, user_id, reply_to=reply_to, document=document, caption=text
                )
            else:
                message = self.tg.send_message(chat_id, user_id, text, reply_to=reply_to)
        except TooLong as exc:
            return _error(too_long(exc.length, exc.limit, self.lang))
        except ValueError:
            # Who may write where was checked above: what is left is a reply to a message that
            # is not there (the stand-in says so in English).
            return _error(t("sandbox.reply_gone", self.lang, message=reply_to))
        return _json({"message": _message_view(message)})

    async def _press(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            chat_id, message_id = int(body["chat_id"]), int(body["message_id"])
            user_id, data = int(body["user_id"]), str(body["data"])
        except (KeyError, TypeError, ValueError):
            return _error(t("sandbox.bad_press", self.lang))
        refusal = self._check_actor(chat_id, user_id)
        if refusal:
            return _error(refusal)
        try:
            query_id = self.tg.press_button(chat_id, message_id, user_id, data)
        except ValueError:
            # Membership was checked above: the message, or this button on it, is gone (pressed
            # again from a second tab after the card was edited).
            return _error(t("sandbox.button_gone", self.lang, message=message_id))
        try:
            answer: JsonDict | None = await self.tg.wait_for_callback_answer(query_id, timeout=15)
        except TimeoutError:
            answer = None
        return _json({"answer": answer})

    async def _file(self, request: web.Request) -> web.Response:
        stored = self.tg.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound(text=t("sandbox.no_file", self.lang))
        mime = stored.mime_type or "application/octet-stream"
        name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
        inline = mime.startswith("image/") and "download" not in request.query
        disposition = "inline" if inline else "attachment"
        return web.Response(
            body=stored.data,
            content_type=mime,
            headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}"},
        )

    async def _events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        stream: Stream = asyncio.Queue()

        def forward(event: SandboxEvent) -> None:
            if event["type"] in LIVE_EVENTS:
                stream.put_nowait(event)

        unsubscribe = self.tg.subscribe(forward)
        self._streams.add(stream)
        try:
            await response.write(b"retry: 1000\n: connected\n\n")
            while True:
                try:
                    async with asyncio.timeout(HEARTBEAT):
                        event = await stream.get()
                except TimeoutError:
                    await response.write(b": ping\n\n")
                    continue
                if event is None:
                    break
                await response.write(_sse(event))
        except ConnectionResetError:
            pass  # the page went away
        finally:
            unsubscribe()
            self._streams.discard(stream)
        return response

    async def _fast_forward(self, request: web.Request) -> web.Response:
        async with self._ff_lock:
            counts = {"message": 0, "edit": 0}
            where: list[int] = []
            bot_id = self.tg.bot.id

            def count(event: SandboxEvent) -> None:
                message = event.get("message") or {}
                if event["type"] in counts and message.get("from", {}).get("id") == bot_id:
                    counts[event["type"]] += 1
                    if event["chat_id"] not in where:
                        where.append(event["chat_id"])

            unsubscribe = self.tg.subscribe(count)
            try:
                moment = await self.live.fast_forward()
                if moment is not None:
                    with contextlib.suppress(TimeoutError):
                        await self.tg.wait_idle(timeout=10)
            finally:
                unsubscribe()
        clock = self.clock_json()
        self._broadcast({"type": "clock", "clock": clock})
        if moment is None:
            text = t("sandbox.nothing_scheduled", self.lang)
            return _json({"moved": False, "text": text, "clock": clock})
        sent, edited = counts["message"], counts["edit"]
        text = t("sandbox.moved", self.lang, label=clock["label"], sent=sent, edited=edited)
        text += f": {'; '.join(self._title(c) for c in where)}." if where else "."
        return _json({"moved": True, "text": text, "clock": clock, **counts})

    def _title(self, chat_id: int) -> str:
        for group in self.demo.groups:
            if group.id == chat_id:
                return group.title
        return t("sandbox.private_chat", self.lang, name=self._name(chat_id))

    async def _close_streams(self, _: web.Application) -> None:
        for stream in self._streams:
            stream.put_nowait(None)


def _message_view(message: JsonDict) -> JsonDict:
    """A stored message for the page: no edit history; the replied message in brief."""
    view = {k: v for k, v in message.items() if k != "edit_history"}
    replied = view.get("reply_to_message")
    if replied is not None:
        view["reply_to_message"] = {
            k: replied[k]
            for k in ("message_id", "from", "text", "caption", "document", "photo")
            if k in replied
        }
    return view


def _sse(event: SandboxEvent) -> bytes:
    if "message" in event:
        event = {**event, "message": _message_view(event["message"])}
    data = json.dumps(event, ensure_ascii=False)
    return f"data: {data}\n\n".encode()


def _json(body: Any, status: int = 200) -> web.Response:
    return web.Response(
        status=status,
        text=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
    )


def _error(text: str) -> web.Response:
    return _json({"error": text}, status=400)
