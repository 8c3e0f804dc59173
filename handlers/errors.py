"""The last line: log the failure, tell the person whether their change stands, tell the admins."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Conflict, TelegramError

from bot.db.once import AlreadyHandled
from bot.text.catalog import t
from handlers.context import Ctx

log = logging.getLogger(__name__)


async def on_error(update: object, ctx: Ctx) -> None:
    services = ctx.bot_data.services
    if update is None and isinstance(ctx.error, TelegramError):
        # Fetching updates failed (PTB's polling loop reports here and tries again itself).
        _polling_failed(ctx, ctx.error, services.core.config.language if services else "vi")
        return
    if isinstance(ctx.error, AlreadyHandled):
        # Telegram sent the update again and another handling committed it first: its change
        # stands, and this one's is rolled back. Nothing went wrong.
        log.info("update handled elsewhere meanwhile (%s): rolled back here", ctx.error)
        return
    log.error("error while handling an update", exc_info=ctx.error)
    if services is None:
        return
    lang = services.core.config.language
    if isinstance(update, Update) and update.effective_chat is not None:
        # A failure after the commit (the reply or a notice could not be sent) must not be
        # reported as "nothing was saved": the change stands.
        saved = update.update_id in ctx.bot_data.saved_updates
        text = t("error.after_save" if saved else "error.internal", lang)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text[:200], show_alert=True)
            else:
                chat_id = update.effective_chat.id
                await ctx.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError:
            log.warning("could not tell the user about the error")
    summary = html.escape(f"{type(ctx.error).__name__}: {ctx.error}"[:500])
    for admin in services.core.config.admins:
        try:
            await ctx.bot.send_message(
                admin, t("error.admin_notice", lang, error=summary), parse_mode=ParseMode.HTML
            )
        except TelegramError:
            log.warning("could not tell admin %s about the error", admin)


def _polling_failed(ctx: Ctx, error: TelegramError, lang: str) -> None:
    """409: another program polls this bot's updates. Polling on would fight it forever with
    a traceback every few seconds; one line, and the bot stops (`dondoc run` exits with 1).
    Anything else while polling (a 5xx, the network) is one WARNING line: PTB retries."""
    if isinstance(error, Conflict):
        if not ctx.bot_data.conflict:
            ctx.bot_data.conflict = True
            log.error(t("instance.conflict", lang))
            if ctx.bot_data.stop is not None:
                ctx.bot_data.stop()
        return
    log.warning("could not fetch updates from Telegram (%s): trying again", error)
