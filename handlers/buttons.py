"""Inline buttons. The data names a verb and an id; who may act is decided from the database."""

from __future__ import annotations

import re

from telegram import Update

from bot.services.outbox import Outcome
from bot.text.catalog import t
from handlers.adapt import actor_of, answer, where_of
from handlers.context import Ctx

# ASCII digits only: str.isdigit() also takes "²", which int() refuses. Ids are database keys
# (BigInteger), so anything past 2**63 - 1 is forged or garbled.
_DATA = re.compile(r"([a-z]{2,8}):([0-9]{1,19})")
MAX_ID = 2**63 - 1


def parse_data(data: str | None) -> tuple[str, int] | None:
    """ "ack:42" → ("ack", 42); None for anything a button of ours never carries."""
    match = _DATA.fullmatch(data or "")
    if match is None:
        return None
    item = int(match.group(2))
    return (match.group(1), item) if 0 < item <= MAX_ID else None


async def button(update: Update, ctx: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    actor, where = actor_of(update), where_of(update)
    tasks = ctx.services.tasks
    parsed = parse_data(query.data)
    if parsed is None:
        lang = await ctx.services.roster.language_of(actor)
        return await answer(update, ctx, Outcome(t("button.stale", lang), alert=True))
    verb, item = parsed
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
