"""The Bot API methods of the sandbox: parameters in, Telegram's JSON (or ApiError) out.

:class:`BotApi` is transport-free; :mod:`bot.sandbox.botapi` puts it behind HTTP. Parameters may
arrive as strings (form or multipart, non-string values JSON-encoded, as PTB sends them) or typed
(a JSON body); :func:`normalize_params` turns both into typed values.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.sandbox.entities import EntityParseError, parse_html, utf16_len
from bot.sandbox.state import (
    DEFAULT_ALLOWED_UPDATES,
    MAX_CAPTION,
    MAX_TEXT,
    ApiError,
    FakeTelegram,
    JsonDict,
    SandboxChat,
    StoredFile,
    bad_request,
    forbidden,
    member_status,
    scope_key,
)

MAX_CALLBACK_DATA = 64

# Parameters whose string values must not be JSON-decoded.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "language_code",
        "callback_query_id",
        "file_id",
        "url",
        "inline_message_id",
        "action",
        "name",
        "description",
        "short_description",
        "secret_token",
        "business_connection_id",
        "message_effect_id",
        "title",
        "document",
        "photo",
        "ip_address",
    }
)


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    data: bytes
    content_type: str | None

    def summary(self) -> JsonDict:
        return {"upload": self.filename, "size": len(self.data), "mime_type": self.content_type}


def normalize_params(raw: Mapping[str, Any]) -> JsonDict:
    """Decode JSON-encoded values and resolve ``attach://name`` references to uploads."""
    params: JsonDict = {}
    for key, value in raw.items():
        if isinstance(value, str) and key not in STRING_PARAMS:
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        params[key] = value
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            attached = raw.get(value.removeprefix("attach://"))
            if isinstance(attached, Upload):
                params[key] = attached
    return params


def summarize(params: JsonDict) -> JsonDict:
    """Params for the call log: uploads become a small JSON summary."""
    return {k: v.summary() if isinstance(v, Upload) else v for k, v in params.items()}


Handler = Callable[[JsonDict], Awaitable[Any]]


class BotApi:
    """Dispatches Bot API calls onto a :class:`FakeTelegram`."""

    def __init__(self, state: FakeTelegram) -> None:
        self.state = state
        self.closing = False
        self._poller: object | None = None
        self._handlers: dict[str, Handler] = {
            "getme": self.get_me,
            "logout": self.true,
            "close": self.true,
            "getupdates": self.get_updates,
            "deletewebhook": self.delete_webhook,
            "setwebhook": self.set_webhook,
            "getwebhookinfo": self.get_webhook_info,
            "sendmessage": self.send_message,
            "senddocument": self.send_document,
            "sendphoto": self.send_photo,
            "editmessagetext": self.edit_message_text,
            "editmessagecaption": self.edit_message_caption,
            "editmessagereplymarkup": self.edit_message_reply_markup,
            "deletemessage": self.delete_message,
            "answercallbackquery": self.answer_callback_query,
            "getfile": self.get_file,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "deletemycommands": self.delete_my_commands,
            "getchat": self.get_chat,
            "getchatmember": self.get_chat_member,
            "getchatadministrators": self.get_chat_administrators,
            "getchatmembercount": self.get_chat_member_count,
            "sendchataction": self.send_chat_action,
            "setmydescription": self.true,
            "setmyshortdescription": self.true,
            "setmyname": self.true,
            "setchatmenubutton": self.true,
            "setmydefaultadministratorrights": self.true,
        }

    async def call(self, method: str, raw_params: Mapping[str, Any]) -> tuple[int, JsonDict]:
        """Run one call; returns ``(http_status, body)`` exactly as Telegram would answer."""
        state = self.state
        params = normalize_params(raw_params)
        state.calls.append((method, summarize(params)))
        name = method.lower()
        handler = self._handlers.get(name)
        if handler is None:
            state.refused.append((method, "method not found"))
            return 400, bad_request("method not found").to_json()
        polling = name == "getupdates"
        if not polling:
            state.inflight += 1
            state.touch()
        try:
            chat_id = params.get("chat_id")
            fault = state.take_fault(name, chat_id if isinstance(chat_id, int) else None)
            if fault is not None:
                raise fault
            delay = state.take_delay(name)
            if delay is not None and not delay[1]:
                await self._sleep(delay[0])
            result = await handler(params)
            if delay is not None and delay[1]:
                await self._sleep(delay[0])
            hold = state.take_hold(name, chat_id if isinstance(chat_id, int) else None)
            if hold is not None:
                await hold.wait()
            return 200, {"ok": True, "result": result}
        except ApiError as error:
            state.refused.append((method, error.description))
            return error.status, error.to_json()
        finally:
            if not polling:
                state.inflight -= 1
                state.touch()

    def close(self) -> None:
        """Wake up long polls and held answers: the server is stopping."""
        self.closing = True
        self.state.touch()

    async def _sleep(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self.closing and loop.time() < deadline:
            await self.state.wait_changed(deadline - loop.time())

    # ------------------------------------------------------------------ bot and updates

    async def true(self, p: JsonDict) -> bool:
        return True

    async def get_me(self, p: JsonDict) -> JsonDict:
        return {
            **self.state.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.state.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, p: JsonDict) -> list[JsonDict]:
        state = self.state
        if state.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _opt_int(p, "offset")
        limit = min(max(_opt_int(p, "limit") or 100, 1), 100)
        timeout = max(_opt_float(p, "timeout") or 0.0, 0.0)
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            state.allowed_updates = (
                frozenset(str(a) for a in allowed) if allowed else DEFAULT_ALLOWED_UPDATES
            )
        me = object()
        self._poller = me
        state.touch()  # a newer poll ends an older one with 409, like Telegram
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._poller is not me:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = state.take_updates(offset, limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self.closing:
                if self._poller is me:
                    self._poller = None
                return batch
            await state.wait_changed(remaining)

    async def delete_webhook(self, p: JsonDict) -> bool:
        self.state.webhook_url = ""
        if _bool(p, "drop_pending_updates"):
            self.state.drop_pending_updates()
        return True

    async def set_webhook(self, p: JsonDict) -> bool:
        self.state.webhook_url = _str(p, "url") or ""
        self.state.webhook_secret = _str(p, "secret_token") or ""
        if _bool(p, "drop_pending_updates"):
            self.state.drop_pending_updates()
        return True

    async def get_webhook_info(self, p: JsonDict) -> JsonDict:
        return {
            "url": self.state.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": self.state.pending_updates(),
        }

    # ------------------------------------------------------------------ sending

    async def send_message(self, p: JsonDict) -> JsonDict:
        chat = self._writable_chat(p)
        text, entities, html = self._formatted(p, "text", "entities")
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise bad_request("message is too long")
        content: JsonDict = {"text": text}
        if entities:
            content["entities"] = entities
        if html is not None:
            content["html"] = html
        return self._send(chat, p, content)

    async def send_document(self, p: JsonDict) -> JsonDict:
        chat = self._writable_chat(p)
        stored = self._input_file(p, "document", "documents")
        content: JsonDict = {"document": self.state.document_json(stored)}
        return self._send(chat, p, self._with_caption(p, content))

    async def send_photo(self, p: JsonDict) -> JsonDict:
        chat = self._writable_chat(p)
        stored = self._input_file(p, "photo", "photos")
        content: JsonDict = {"photo": self.state.photo_json(stored)}
        return self._send(chat, p, self._with_caption(p, content))

    async def send_chat_action(self, p: JsonDict) -> bool:
        self._writable_chat(p)
        return True

    def _send(self, chat: SandboxChat, p: JsonDict, content: JsonDict) -> JsonDict:
        markup = _reply_markup(p)
        if markup is not None:
            content["reply_markup"] = markup
        reply_to = self._reply_to(chat, p)
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        self.state.check_rate_limit(chat)
        return self.state.bot_send(chat, content)

    def _with_caption(self, p: JsonDict, content: JsonDict) -> JsonDict:
        caption, entities, html = self._formatted(p, "caption", "caption_entities")
        if caption:
            if utf16_len(caption) > MAX_CAPTION:
                raise bad_request("message caption is too long")
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
            if html is not None:
                content["html"] = html
        return content

    def _formatted(
        self, p: JsonDict, key: str, entities_key: str
    ) -> tuple[str, list[JsonDict], str | None]:
        """``(text, entities, raw html or None)`` of a text or caption parameter."""
        raw = _str(p, key) or ""
        parse_mode = (_str(p, "parse_mode") or "").lower()
        if parse_mode == "html":
            try:
                text, entities = parse_html(raw, self.state.lookup_user)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
            return text, entities, raw
        given = p.get(entities_key)
        entities = given if isinstance(given, list) else []
        # MarkdownV2 and Markdown are not interpreted: the text is kept as sent.
        stripped = raw.strip()
        head = utf16_len(raw[: len(raw) - len(raw.lstrip())])
        return stripped, [{**e, "offset": e["offset"] - head} for e in entities], None

    def _reply_to(self, chat: SandboxChat, p: JsonDict) -> int | None:
        params = p.get("reply_parameters")
        allow = _bool(p, "allow_sending_without_reply")
        message_id = _opt_int(p, "reply_to_message_id")
        if isinstance(params, dict):
            message_id = _opt_int(params, "message_id")
            allow = _bool(params, "allow_sending_without_reply")
            other_chat = params.get("chat_id")
            if other_chat is not None and other_chat != chat.id:
                raise bad_request("message to be replied not found")
        if message_id is None:
            return None
        if message_id in chat.messages:
            return message_id
        if allow:
            return None
        raise bad_request("message to be replied not found")

    def _input_file(self, p: JsonDict, key: str, folder: str) -> StoredFile:
        value = p.get(key)
        if isinstance(value, Upload):
            if not value.data:
                raise bad_request("file must be non-empty")
            mime = value.content_type
            if mime in (None, "application/octet-stream"):
                mime = None  # let the file name decide, as Telegram does
            return self.state.store_file(value.data, folder, value.filename, mime)
        if isinstance(value, str) and value:
            if value.startswith(("http://", "https://")):
                raise bad_request("failed to get HTTP URL content")
            stored = self.state.files.get(value)
            if stored is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            return stored
        raise bad_request(f"there is no {key} in the request")

    def _writable_chat(self, p: JsonDict) -> SandboxChat:
        return self.state.check_can_write(self._chat_id(p))

    def _chat_id(self, p: JsonDict) -> int:
        value = p.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        if isinstance(value, str) and value.startswith("@"):
            for chat in self.state.chats.values():
                if chat.username and chat.username.lower() == value[1:].lower():
                    return chat.id
            raise bad_request("chat not found")
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request("chat not found")
        return value

    # ------------------------------------------------------------------ editing

    def _editable(self, p: JsonDict, what: str = "edit") -> tuple[SandboxChat, JsonDict]:
        if p.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the sandbox")
        chat = self._writable_chat(p)
        message_id = _opt_int(p, "message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.messages.get(message_id)
        if message is None:
            raise bad_request(f"message to {what} not found")
        if what == "edit" and message.get("from", {}).get("id") != self.state.bot.id:
            raise bad_request("message can't be edited")
        return chat, message

    async def edit_message_text(self, p: JsonDict) -> JsonDict:
        chat, message = self._editable(p)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        text, entities, html = self._formatted(p, "text", "entities")
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise bad_request("message is too long")
        markup = _reply_markup(p)
        if (
            text == message["text"]
            and entities == message.get("entities", [])
            and markup == _inline_markup(message)
        ):
            raise _not_modified()
        changes = {"text": text, "entities": entities or None, "html": html, "reply_markup": markup}
        return self.state.bot_edit(chat.id, message["message_id"], changes)

    async def edit_message_caption(self, p: JsonDict) -> JsonDict:
        chat, message = self._editable(p)
        if "document" not in message and "photo" not in message:
            raise bad_request("there is no caption in the message to edit")
        content = self._with_caption(p, {})
        markup = _reply_markup(p)
        if (
            content.get("caption") == message.get("caption")
            and content.get("caption_entities") == message.get("caption_entities")
            and markup == _inline_markup(message)
        ):
            raise _not_modified()
        changes = {
            "caption": content.get("caption"),
            "caption_entities": content.get("caption_entities"),
            "html": content.get("html"),
            "reply_markup": markup,
        }
        return self.state.bot_edit(chat.id, message["message_id"], changes)

    async def edit_message_reply_markup(self, p: JsonDict) -> JsonDict:
        chat, message = self._editable(p)
        markup = _reply_markup(p)
        if markup == _inline_markup(message):
            raise _not_modified()
        return self.state.bot_edit(chat.id, message["message_id"], {"reply_markup": markup})

    async def delete_message(self, p: JsonDict) -> bool:
        chat, message = self._editable(p, "delete")
        self.state.bot_delete(chat.id, message["message_id"])
        return True

    async def answer_callback_query(self, p: JsonDict) -> bool:
        query_id = _str(p, "callback_query_id")
        if not query_id:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = _str(p, "text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        answer: JsonDict = {"text": text, "show_alert": _bool(p, "show_alert")}
        for key in ("url", "cache_time"):
            if p.get(key) is not None:
                answer[key] = p[key]
        self.state.answer_callback(query_id, answer)
        return True

    # ------------------------------------------------------------------ files, commands, chats

    async def get_file(self, p: JsonDict) -> JsonDict:
        stored = self.state.files.get(_str(p, "file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.to_api()

    async def set_my_commands(self, p: JsonDict) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        cleaned: list[JsonDict] = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(p)
        if cleaned:
            self.state.commands[key] = cleaned
        else:
            self.state.commands.pop(key, None)
        return True

    async def get_my_commands(self, p: JsonDict) -> list[JsonDict]:
        return list(self.state.commands.get(self._commands_key(p), []))

    async def delete_my_commands(self, p: JsonDict) -> bool:
        self.state.commands.pop(self._commands_key(p), None)
        return True

    def _commands_key(self, p: JsonDict) -> tuple[str, str]:
        scope = p.get("scope")
        if scope is not None and not isinstance(scope, dict):
            raise bad_request("can't parse BotCommandScope JSON object")
        return scope_key(scope), _str(p, "language_code") or ""

    def _known_chat(self, p: JsonDict) -> SandboxChat:
        chat_id = self._chat_id(p)
        chat = self.state.chats.get(chat_id)
        if chat is None:
            if chat_id not in self.state.users:
                raise bad_request("chat not found")
            user = self.state.users[chat_id]
            return SandboxChat(
                user.id,
                "private",
                username=user.username,
                first_name=user.first_name,
                last_name=user.last_name,
            )
        if chat.is_group and not chat.bot_member:
            kind = "supergroup" if chat.type == "supergroup" else "group"
            raise forbidden(f"bot is not a member of the {kind} chat")
        return chat

    async def get_chat(self, p: JsonDict) -> JsonDict:
        chat = self._known_chat(p)
        return {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def get_chat_member(self, p: JsonDict) -> JsonDict:
        chat = self._known_chat(p)
        user_id = _opt_int(p, "user_id")
        state = self.state
        if user_id == state.bot.id:
            status = "administrator" if chat.is_group else "member"
            return member_status(status, state.bot.to_api())
        user = state.users.get(user_id) if user_id is not None else None
        if user is None:
            raise bad_request("user not found")
        if not chat.is_group:
            if user.id != chat.id:
                raise bad_request("user not found")
            return member_status("kicked" if user.blocked else "member", user.to_api())
        if user.id in chat.admins:
            return member_status("administrator", user.to_api())
        return member_status("member" if user.id in chat.members else "left", user.to_api())

    async def get_chat_administrators(self, p: JsonDict) -> list[JsonDict]:
        chat = self._known_chat(p)
        if not chat.is_group:
            raise bad_request("there are no administrators in the private chat")
        admins = [member_status("administrator", self.state.bot.to_api())]
        for user_id in sorted(chat.admins):
            user = self.state.users.get(user_id)
            if user is not None:
                admins.append(member_status("administrator", user.to_api()))
        return admins

    async def get_chat_member_count(self, p: JsonDict) -> int:
        chat = self._known_chat(p)
        return len(chat.members) + 1 if chat.is_group else 2


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a content and reply markup of the current message"
    )


def _inline_markup(message: JsonDict) -> JsonDict | None:
    markup = message.get("reply_markup")
    return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None


def _reply_markup(p: JsonDict) -> JsonDict | None:
    """The validated ``reply_markup``; an empty inline keyboard is no markup."""
    markup = p.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'can\'t parse inline keyboard button: field "inline_keyboard" must be an Array'
            )
        for row in rows:
            for button in row:
                _check_button(button)
        rows = [row for row in rows if row]
        return {"inline_keyboard": rows} if rows else None
    if any(k in markup for k in ("keyboard", "remove_keyboard", "force_reply")):
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _check_button(button: object) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    elif "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"(https?|tg)://", url):
            raise bad_request("BUTTON_URL_INVALID")
    elif not any(
        k in button
        for k in (
            "web_app",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "callback_game",
            "pay",
        )
    ):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


def _str(p: Mapping[str, Any], key: str) -> str | None:
    value = p.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise bad_request(f"can't parse {key}")


def _opt_int(p: Mapping[str, Any], key: str) -> int | None:
    value = p.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise bad_request(f"invalid {key} specified")
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        raise bad_request(f"invalid {key} specified") from None


def _opt_float(p: Mapping[str, Any], key: str) -> float | None:
    value = p.get(key)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {key} specified") from None


def _bool(p: Mapping[str, Any], key: str) -> bool:
    value = p.get(key)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)
