"""/nhac (a leader's urge) and /lich (the upcoming nudges)."""

from __future__ import annotations

from telegram import Update

from handlers.adapt import actor_of, answer, command_tail, where_of
from handlers.context import Ctx
from handlers.tasks import split_code, usage
from scheduler.jobs import kick


async def nhac(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    code, note = split_code(command_tail(update.effective_message))
    if not code:
        return await usage(update, ctx, "usage.nhac")
    outcome = await ctx.services.chasing.urge(actor_of(update), where_of(update), code, note)
    try:
        await answer(update, ctx, outcome)
    finally:
        if outcome.changed:  # even when the reply failed: the urge is saved and goes out
            await kick(ctx.application)  # in office hours now, not in 20 s


async def lich(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.chasing.schedule(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)
