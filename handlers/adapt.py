"""Reading updates into the core's neutral terms, and sending the core's outgoing messages."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import CallbackQuery, Message, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.db.once import CURRENT
from bot.domain.model import Attachment
from bot.services.common import Actor, Where
from bot.services.outbox import Outcome, Outgoing
from handlers import botapi
from handlers.botapi import FORCE_REPLY, JSON, keyboard
from handlers.context import Ctx

log = logging.getLogger(__name__)
CALLBACK_ANSWER_LIMIT = 200
# Replies are not held behind a rate limiter (bot/app.py): an answer to someone who is waiting for
# it is worth a short wait and one more try after a 429; it has no row to go back to, unlike a
# reminder.
REPLY_PATIENCE = 10.0  # seconds
_TAG = re.compile(r"<[^>]+>")
# C0 and C1 control characters but the line break and the tab. PostgreSQL's text cannot hold NUL
# (an invite could not be redeemed by someone named "A\x00"); the others only garble a card.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Telegram's own limits: a username is at most 32 characters, a name 64 each; the database
# columns are 64 and 255, and a longer value from a hostile client must not reach them.
NAME_LIMIT = 255
USERNAME_LIMIT = 64
T = TypeVar("T")


def clean(text: str) -> str:
    """Every text that comes from Telegram passes here before the core sees it."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def text_of(message: Message) -> str:
    """A message's text or caption, cleaned."""
    return clean(message.text or message.caption or "")


def ignored(update: object) -> bool:
    """Updates the bot has nothing to say to: channel posts (no person sent them), a button
    press on an inline-mode message (no chat to answer in), anything without a sender."""
    if not isinstance(update, Update):
        return True
    if update.channel_post is not None or update.edited_channel_post is not None:
        return True
    query = update.callback_query
    if query is not None:
        return query.message is None or query.from_user is None
    message = update.effective_message
    if message is not None and (update.effective_user is None or update.effective_chat is None):
        return True
    return message is not None and message.chat.type == "channel"


async def patiently(call: Callable[[], Awaitable[T]]) -> T:
    try:
        return await call()
    except RetryAfter as exc:
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        if seconds > REPLY_PATIENCE:
            raise
        await asyncio.sleep(seconds)
        return await call()


def actor_of(update: Update) -> Actor:
    user = update.effective_user
    assert user is not None
    username = clean(user.username or "")[:USERNAME_LIMIT] or None
    return Actor(
        telegram_id=user.id,
        # A name of control characters only is no name: the id stands in, as on Telegram.
        name=clean(user.full_name).strip()[:NAME_LIMIT] or str(user.id),
        username=username,
        language_code=clean(user.language_code or "")[:8] or None,
    )


def where_of(update: Update) -> Where:
    chat = update.effective_chat
    assert chat is not None
    message = update.effective_message
    # A button press is keyed by its own id, not by the message the button sits on.
    message_id = message.message_id if message and not update.callback_query else None
    return Where(
        chat_id=chat.id,
        private=chat.type == "private",
        message_id=message_id,
        button=update.callback_query is not None,
    )


def command_tail(message: Message) -> str:
    """Everything after "/cmd" or "/cmd@bot", newlines kept (context.args would lose them)."""
    text = text_of(message)
    first, _, rest = text.partition(" ")
    if "\n" in first:
        first, _, more = first.partition("\n")
        rest = more + (" " + rest if rest else "")
    return rest.strip()


def attachment_of(message: Message) -> Attachment | None:
    if message.document is not None:
        doc = message.document
        name = clean(doc.file_name)[:NAME_LIMIT] if doc.file_name else None
        return Attachment(file_id=doc.file_id, file_name=name, kind="document")
    if message.photo:
        return Attachment(file_id=message.photo[-1].file_id, file_name=None, kind="photo")
    return None


def _markup(out: Outgoing) -> JSON | None:
    if out.force_reply:
        return dict(FORCE_REPLY)
    if out.buttons:
        return keyboard(((b.label, b.data) for b in row) for row in out.buttons)
    return None


def counted(ctx: Ctx, chat_id: int) -> None:
    """Tell the pacer a message went out, so the bulk sender keeps within Telegram's limits."""
    if ctx.bot_data.pacer is not None:
        ctx.bot_data.pacer.note(chat_id)


async def send_one(ctx: Ctx, out: Outgoing) -> int | None:
    """Send or edit; returns the id of a message sent (None for an edit)."""
    bot = ctx.bot
    counted(ctx, out.chat_id)
    markup = _markup(out)
    if out.edit_message_id is not None:
        try:
            if out.markup_only:
                await botapi.drop_buttons(bot, out.chat_id, out.edit_message_id)
            else:
                buttons = None if out.force_reply else markup
                await botapi.edit_text(bot, out.chat_id, out.edit_message_id, out.text, buttons)
        except BadRequest as exc:
            # "not modified" means the card already shows this; anything else is logged only:
            # the state is committed, a stale card is not worth failing the step for.
            if "not modified" not in exc.message:
                log.warning("could not edit %s/%s: %s", out.chat_id, out.edit_message_id, exc)
        return None
    if out.document is not None:
        reply = (
            ReplyParameters(out.reply_to, allow_sending_without_reply=True)
            if out.reply_to
            else None
        )
        send = bot.send_photo if out.document.kind == "photo" else bot.send_document
        sent = await send(
            out.chat_id,
            out.document.file_id,
            caption=out.text[:1024],
            parse_mode=ParseMode.HTML,
            reply_parameters=reply,
        )
        return sent.message_id
    return await botapi.send_text(bot, out.chat_id, out.text, markup, out.reply_to or None)


async def deliver(ctx: Ctx, messages: list[Outgoing]) -> None:
    """Send after the commit; a failure to reach one chat does not stop the others. Each chat's
    messages go out in order, different chats' side by side: an update holds its chat (its
    updates run one after another, handlers/ordering.py) until the last is sent, and a /xong's
    card edit in the unit's group and its review prompt to the leaders, say, were each a full
    round trip to Telegram (and for a tracked card, a transaction) after the other."""
    chats: dict[int, list[Outgoing]] = {}
    for out in messages:
        chats.setdefault(out.chat_id, []).append(out)
    if len(chats) <= 1 or _change_to_commit():
        await _deliver_in_order(ctx, messages)
        return
    await _together(*(_deliver_in_order(ctx, outs) for outs in chats.values()))


def _change_to_commit() -> bool:
    """The update's change is still to be committed, with its key (bot.db.once): a button that
    only asks for a reply makes its change in the prompt's record. That commit must be the
    update's own task's, so its messages go out from it, one after another."""
    current = CURRENT.get()
    return current is not None and current.carries()


async def _together(*steps: Awaitable[object]) -> None:
    """All of `steps` side by side, each to its end even if another fails; then the first
    failure, as the steps one after another would have raised it."""
    done = await asyncio.gather(*steps, return_exceptions=True)
    for outcome in done:
        if isinstance(outcome, BaseException):
            raise outcome


async def _deliver_in_order(ctx: Ctx, messages: list[Outgoing]) -> None:
    services = ctx.services
    for out in messages:
        try:
            sent = await patiently(lambda: send_one(ctx, out))  # noqa: B023 (called at once)
        except Forbidden as exc:
            if out.private_to is not None:
                await services.roster.cannot_message(out.private_to)
            else:
                log.warning("chat %s refused a message: %s", out.chat_id, exc)
            continue
        except TelegramError as exc:
            log.warning("sending to chat %s failed: %s", out.chat_id, exc)
            continue
        if sent is None:
            continue
        if out.track is not None:
            task_id, kind = out.track
            await services.tasks.record_message(task_id, out.chat_id, sent, kind)
        if out.prompt is not None:
            await services.tasks.record_prompt(out.prompt, out.chat_id, sent)
        if out.draft is not None:
            await services.drafts.record_message(out.draft, out.chat_id, sent)


async def answer(update: Update, ctx: Ctx, outcome: Outcome) -> None:
    """Tell the person who acted and everyone else: in each chat, the person's answer first."""
    if outcome.changed:
        ctx.bot_data.saved_updates.append(update.update_id)
    query = update.callback_query
    if query is not None and (
        len(outcome.reply or "") > CALLBACK_ANSWER_LIMIT or _change_to_commit()
    ):
        # A private message, before any other there; or a change still to commit, from here.
        await _answer_button(ctx, query, outcome)
        await deliver(ctx, outcome.messages)
    elif query is not None:
        # The alert is no chat's message: it and the messages (the card's edit) side by side.
        await _together(_answer_button(ctx, query, outcome), deliver(ctx, outcome.messages))
    elif outcome.reply and update.effective_message is not None:
        message, reply = update.effective_message, outcome.reply
        here = [m for m in outcome.messages if m.chat_id == message.chat_id]
        elsewhere = [m for m in outcome.messages if m.chat_id != message.chat_id]

        async def reply_first() -> None:  # in this chat, the reply before the rest
            counted(ctx, message.chat_id)
            where = botapi.replying_to(message)
            await patiently(lambda: botapi.send_text(ctx.bot, message.chat_id, reply, **where))
            await deliver(ctx, here)

        if _change_to_commit():
            await reply_first()
            await deliver(ctx, elsewhere)
        else:
            await _together(reply_first(), deliver(ctx, elsewhere))
    else:
        await deliver(ctx, outcome.messages)


async def _answer_button(ctx: Ctx, query: CallbackQuery, outcome: Outcome) -> None:
    text = outcome.reply
    if text is not None and len(text) > CALLBACK_ANSWER_LIMIT:
        # Too long for an alert: say it to the person privately, not in front of the group.
        await botapi.answer_button(ctx.bot, query.id)
        try:
            counted(ctx, query.from_user.id)
            await ctx.bot.send_message(query.from_user.id, text, parse_mode=ParseMode.HTML)
        except Forbidden:
            if query.message is not None:
                await ctx.bot.send_message(query.message.chat.id, text, parse_mode=ParseMode.HTML)
    else:
        await botapi.answer_button(
            ctx.bot, query.id, _plain(text) if text else None, show_alert=outcome.alert
        )


def _plain(text: str) -> str:
    """Callback answers are plain text: drop the HTML the catalog uses."""
    return html.unescape(_TAG.sub("", text))
