"""What an operator asks of a running instance (/healthz, /metrics): is the database there, and
how many messages wait to go out."""

from __future__ import annotations

from datetime import timedelta

from bot.db.instance import WAKE_CHANNEL
from bot.services.common import Core

# Rows of the outbox not yet through: queued, claimed by the sender, or on their way.
BACKLOG_STATES = ("pending", "claimed", "sending")
# How long an update's key is kept (bot.db.once): Telegram resends an update for up to 24 hours.
HANDLED_KEPT = timedelta(days=2)


class OpsService:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def backlog(self) -> int:
        """Messages queued and not yet sent; raises if the database cannot be reached."""
        async with self.core.uow() as uow:
            return await uow.deliveries.backlog(BACKLOG_STATES)

    async def handled_before(self, key: str) -> bool:
        """Whether an update with this key committed its change already (bot.db.once)."""
        async with self.core.uow(read_only=True) as uow:
            return await uow.handled.seen(key)

    async def wake_leader(self) -> None:
        """One of several instances queued messages: the leader sends them now (PostgreSQL)."""
        async with self.core.uow() as uow:
            await uow.deliveries.wake_leader(WAKE_CHANNEL)
            await uow.commit()

    async def prune_handled(self) -> int:
        """The nightly clean-up: the keys of updates handled more than HANDLED_KEPT ago
        forgotten; how many."""
        async with self.core.uow() as uow:
            pruned = await uow.due.prune_handled(self.core.clock.now() - HANDLED_KEPT)
            await uow.commit()
        return pruned
