"""Updates handled concurrently, each chat's in the order Telegram sent them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# How many updates run their handlers at once. The database is the bottleneck beyond a few
# (SQLite has one writer), so more would only queue there while holding connections.
RUNNING = 8
# How many may wait for their chat's turn. PTB's own semaphore counts waiting updates too, so
# it is set well above RUNNING: a chat with a queue of its own must not hold every slot while
# other chats' updates could run.
WAITING = 1024


class ChatOrderedProcessor(BaseUpdateProcessor):
    """A lock per chat: a chat's updates run one after another, in order, while other chats'
    run alongside. An update without a chat (none that we handle) is keyed by its user.

    Order holds because PTB starts one task per update in the order it fetched them, and both
    the semaphore and asyncio.Lock hand over to waiters first come, first served."""

    def __init__(self, running: int = RUNNING) -> None:
        super().__init__(max_concurrent_updates=WAITING)
        self._running = asyncio.Semaphore(running)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}  # updates using each lock, so unused ones go away

    @staticmethod
    def key(update: object) -> int | None:
        if not isinstance(update, Update):
            return None
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = self.key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        lock = self._locks.get(key)
        if lock is None:  # not made for every update only to be thrown away
            lock = self._locks[key] = asyncio.Lock()
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock, self._running:
                await coroutine
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:
                del self._holders[key]
                del self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
