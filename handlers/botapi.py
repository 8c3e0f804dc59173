"""Bot API calls whose answer the bot does not need as PTB objects.

PTB's `send_message` and `edit_message_text` turn Telegram's answer into a `Message`: the sent
message, the one it replies to, their chats, senders, entities and keyboard, each attribute set
through `TelegramObject.__setattr__`. On the update path that was the largest part of PTB's CPU,
for an answer of which the bot reads at most the message id. These calls go through the bot's
own request object (its timeouts, its transport, and its mapping of Telegram's errors:
RetryAfter, ChatMigrated, Forbidden, BadRequest, NetworkError), and keep Telegram's answer as the
dict it is. Keyboards and reply parameters are passed as the JSON Telegram takes rather than
built as PTB objects first.

They enter PTB below `Bot._post` (`_call`): what `_post` adds on the way is the Defaults, for
values left at PTB's DEFAULT_NONE, datetimes, media and poll options, none of which these calls
send, and a `RequestParameter.from_input` per value, which looks for files in each; each value
here is already the text PTB would send. `BaseRequest.post` and `RequestParameter` are PTB's
internals (pinned to PTB 22 in pyproject.toml); `Bot.do_api_request`, the public way in, warns
for every method PTB already has."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from telegram import Bot, Message
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

JSON = dict[str, Any]
HTML = "HTML"
FORCE_REPLY: JSON = {"force_reply": True, "selective": True}


def keyboard(rows: Iterable[Iterable[tuple[str, str]]]) -> JSON:
    """An inline keyboard from rows of (label, callback data)."""
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": data} for label, data in row] for row in rows
        ]
    }


def replying_to(message: Message) -> JSON:
    """Where a reply to `message` goes, as Message.reply_text would send it: quoting it (sent
    even if it was deleted meanwhile), in its forum topic if it is in one."""
    where: JSON = {
        "reply_parameters": {"message_id": message.message_id, "allow_sending_without_reply": True}
    }
    if message.is_topic_message and message.message_thread_id is not None:
        where["message_thread_id"] = message.message_thread_id
    if message.direct_messages_topic is not None:
        where["direct_messages_topic_id"] = message.direct_messages_topic.topic_id
    return where


async def send_text(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: JSON | None = None,
    reply_to: int | None = None,
    **extra: Any,
) -> int:
    """sendMessage in HTML; returns the new message's id."""
    data: JSON = {"chat_id": chat_id, "text": text, "parse_mode": HTML, **extra}
    if markup is not None:
        data["reply_markup"] = markup
    if reply_to is not None:
        data["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
    result = await _call(bot, "sendMessage", data)
    return int(result["message_id"])


async def edit_text(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: JSON | None = None
) -> None:
    """editMessageText in HTML; without `markup` the buttons go (as PTB's call does)."""
    data: JSON = {"chat_id": chat_id, "message_id": message_id, "text": text, "parse_mode": HTML}
    if markup is not None:
        data["reply_markup"] = markup
    await _call(bot, "editMessageText", data)


async def drop_buttons(bot: Bot, chat_id: int, message_id: int) -> None:
    """editMessageReplyMarkup with no markup: the message keeps its text, loses its buttons."""
    await _call(bot, "editMessageReplyMarkup", {"chat_id": chat_id, "message_id": message_id})


async def answer_button(
    bot: Bot, query_id: str, text: str | None = None, show_alert: bool | None = None
) -> None:
    """answerCallbackQuery, as CallbackQuery.answer sends it (what is None is left out)."""
    data: JSON = {"callback_query_id": query_id}
    if text is not None:
        data["text"] = text
    if show_alert is not None:
        data["show_alert"] = show_alert
    await _call(bot, "answerCallbackQuery", data)


async def _call(bot: Bot, method: str, data: JSON) -> Any:
    """`method` with `data` over the bot's request object, as `Bot._post` would send it; returns
    the answer's "result". Each value goes as the text PTB would put on the wire (its
    `RequestParameter.json_value`: JSON, a string as it is), made here in one pass."""
    parameters = [
        RequestParameter(
            key,
            value
            if isinstance(value, str)
            else str(value)
            if type(value) is int
            else json.dumps(value),
            None,
        )
        for key, value in data.items()
    ]
    return await bot.request.post(f"{bot.base_url}/{method}", RequestData(parameters))
