"""Task commands: parse the update, call one use case, answer. Nothing else lives here."""

from __future__ import annotations

from telegram import Update

from bot.services.series import is_series_code
from bot.services.tasks import Replied
from handlers import drafts
from handlers.adapt import actor_of, answer, attachment_of, command_tail, text_of, where_of
from handlers.context import Ctx


def split_code(tail: str) -> tuple[str, str]:
    code, _, rest = tail.partition(" ")
    return code.strip(), rest.strip()


async def usage(update: Update, ctx: Ctx, key: str) -> None:
    text = await ctx.services.roster.usage(actor_of(update), key)
    assert update.effective_message is not None
    await update.effective_message.reply_html(text)


async def giao(update: Update, ctx: Ctx) -> None:
    message = update.effective_message
    assert message is not None
    if not command_tail(message) and (source := drafts.source_of(message, ctx.bot.id)):
        # "/giao" alone on a conclusion: a draft of its tasks, not one task.
        return await drafts.giao(update, ctx, source)
    replied = None
    source = message.reply_to_message
    if source is not None and not (source.from_user and source.from_user.id == ctx.bot.id):
        replied = Replied(
            text=text_of(source),
            attachment=attachment_of(source),
            link=source.link,
        )
    own = attachment_of(message)
    if replied is None and own is not None:
        # A document sent with "/giao ..." as its caption is the task's attachment.
        replied = Replied(text="", attachment=own)
    outcome = await ctx.services.tasks.assign(
        actor_of(update), where_of(update), command_tail(message), replied
    )
    await answer(update, ctx, outcome)


async def nhan(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    code, _ = split_code(command_tail(update.effective_message))
    if not code:
        return await usage(update, ctx, "usage.nhan")
    outcome = await ctx.services.tasks.acknowledge(actor_of(update), where_of(update), code)
    await answer(update, ctx, outcome)


async def xong(update: Update, ctx: Ctx) -> None:
    message = update.effective_message
    assert message is not None
    code, result = split_code(command_tail(message))
    if not code:
        return await usage(update, ctx, "usage.xong")
    outcome = await ctx.services.tasks.report(
        actor_of(update), where_of(update), code, result, attachment_of(message)
    )
    await answer(update, ctx, outcome)


async def giahan(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    code, rest = split_code(command_tail(update.effective_message))
    if not code or not rest:
        return await usage(update, ctx, "usage.giahan")
    outcome = await ctx.services.tasks.request_extension(
        actor_of(update), where_of(update), code, rest
    )
    await answer(update, ctx, outcome)


async def huy(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    code, reason = split_code(command_tail(update.effective_message))
    if not code:
        return await usage(update, ctx, "usage.huy")
    if is_series_code(code):
        outcome = await ctx.services.series.end(actor_of(update), where_of(update), code, reason)
    else:
        outcome = await ctx.services.tasks.withdraw(
            actor_of(update), where_of(update), code, reason
        )
    await answer(update, ctx, outcome)


async def dinhky(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.series.listing(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)


async def chuyen(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    code, unit = split_code(command_tail(update.effective_message))
    if not code or not unit:
        return await usage(update, ctx, "usage.chuyen")
    outcome = await ctx.services.tasks.reassign(actor_of(update), where_of(update), code, unit)
    await answer(update, ctx, outcome)


async def viec(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.tasks.open_tasks(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)


async def nv(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.tasks.show(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)


async def reply(update: Update, ctx: Ctx) -> None:
    """A reply to one of the bot's drafts, prompts or cards: the answer to what it asked."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None
    replied_to = message.reply_to_message.message_id
    text = text_of(message)
    actor, where = actor_of(update), where_of(update)
    outcome = await ctx.services.drafts.on_reply(actor, where, replied_to, text)
    if outcome is None:
        outcome = await ctx.services.tasks.on_reply(
            actor, where, replied_to, text, attachment_of(message)
        )
    if outcome is not None:
        await answer(update, ctx, outcome)
