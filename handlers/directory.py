"""/donvi: the units, their codes, heads and group chats."""

from __future__ import annotations

from telegram import Update

from handlers.adapt import actor_of, answer, where_of
from handlers.context import Ctx


async def donvi(update: Update, ctx: Ctx) -> None:
    outcome = await ctx.services.directory.units(actor_of(update), where_of(update))
    await answer(update, ctx, outcome)
