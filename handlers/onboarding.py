"""/start, /help, /lang, /dangky, /moi: getting people and chats onto the roster."""

from __future__ import annotations

from telegram import Update

from bot.services.outbox import Outcome
from bot.text.catalog import t
from bot.text.render import clip, esc
from handlers.adapt import actor_of, answer, command_tail, text_of, where_of
from handlers.context import Ctx


async def start(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.roster.start(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)


async def help_(update: Update, ctx: Ctx) -> None:
    lang = await ctx.services.roster.language_of(actor_of(update))
    # The reports' definitions are read here, not repeated under every weekly post.
    await answer(update, ctx, Outcome(t("help", lang) + "\n\n" + t("help.reports", lang)))


async def unknown(update: Update, ctx: Ctx) -> None:
    """What no other handler took (setup.py decides which messages reach here): point to /help."""
    message = update.effective_message
    assert message is not None
    lang = await ctx.services.roster.language_of(actor_of(update))
    text = text_of(message)
    if text.startswith("/"):
        command, _, target = text.split(maxsplit=1)[0].partition("@")
        if target and target.lower() != ctx.bot.username.lower():
            return  # "/giao@otherbot": written to another bot, even in a private chat
        hint = t("fallback.command", lang, command=esc(clip(command, 40)))
    else:
        hint = t("fallback.text", lang)
    await answer(update, ctx, Outcome(hint))


async def lang(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.roster.set_language(
        actor_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)


async def dangky(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.roster.register_chat(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)


async def moi(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.roster.create_invite(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)
