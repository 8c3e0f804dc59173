"""Inline buttons. The data names a verb and an id; who may act is decided from the database."""

from __future__ import annotations

from telegram import Update

from bot.services.outbox import Outcome
from bot.text.catalog import t
from handlers.adapt import actor_of, answer, where_of
from handlers.context import Ctx


async def button(update: Update, ctx: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    verb, _, raw_id = (query.data or "").partition(":")
    actor, where = actor_of(update), where_of(update)
    tasks = ctx.services.tasks
    # Ids are database keys; anything longer than a BigInteger is forged or garbled.
    if not raw_id.isdigit() or len(raw_id) > 18:
        lang = await ctx.services.roster.language_of(actor)
        return await answer(update, ctx, Outcome(t("button.stale", lang), alert=True))
    item = int(raw_id)
    if verb == "ack":
        outcome = await tasks.acknowledge(actor, where, item)
    elif verb == "rep":
        outcome = await tasks.ask_report(actor, where, item)
    elif verb == "ext":
        outcome = await tasks.ask_extension(actor, where, item)
    elif verb == "apr":
        outcome = await tasks.approve(actor, where, item)
    elif verb == "ret":
        outcome = await tasks.ask_return(actor, where, item)
    elif verb in ("exy", "exn"):
        outcome = await tasks.decide_extension(actor, where, item, approve=verb == "exy")
    elif verb in ("pgy", "pgn"):
        message_id = query.message.message_id if query.message else None
        outcome = await ctx.services.programme.decide(
            actor, where, item, message_id, confirm=verb == "pgy"
        )
    elif verb == "dgo":
        outcome = await ctx.services.drafts.confirm(actor, where, item)
    elif verb == "dhy":
        outcome = await ctx.services.drafts.cancel(actor, where, item)
    else:
        lang = await ctx.services.roster.language_of(actor)
        outcome = Outcome(t("button.stale", lang), alert=True)
    await answer(update, ctx, outcome)
