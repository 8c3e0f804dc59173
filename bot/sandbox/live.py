"""The real bot, wired to the in-process Bot API stand-in: for the tests and the sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.app import Runtime, build_application, open_runtime, post_init
from bot.calendar import WorkCalendar
from bot.clock import Clock
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.sandbox.botapi import BotApiServer
from bot.sandbox.state import FakeTelegram
from handlers.context import DondocApp
from handlers.ordering import ChatOrderedProcessor
from scheduler.jobs import run_once


class TrackingProcessor(ChatOrderedProcessor):
    """Updates as in production (concurrently, each chat's in order), and knows when none is
    being handled: tests and the sandbox wait for the bot to settle instead of guessing with
    sleeps."""

    def __init__(self) -> None:
        super().__init__()
        self.busy = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self.busy += 1
        try:
            await super().do_process_update(update, coroutine)
        finally:
            self.busy -= 1


@dataclass
class LiveBot:
    tg: FakeTelegram
    server: BotApiServer
    runtime: Runtime
    app: DondocApp
    url: str
    processor: TrackingProcessor

    @classmethod
    async def start(
        cls,
        settings: Settings,
        tg: FakeTelegram,
        clock: Clock | None = None,
        calendar: WorkCalendar | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        poll_timeout: int = 1,
        schedule: bool = False,
        read_timeout: float | None = None,
    ) -> LiveBot:
        server = BotApiServer(tg)
        url = await server.start(host, port)
        # Alembic runs its own event loop: give it a thread of its own.
        await asyncio.to_thread(upgrade, settings.database_url)
        runtime = open_runtime(settings, clock=clock, calendar=calendar)
        processor = TrackingProcessor()
        options: dict[str, Any] = {"concurrent_updates": processor}
        if read_timeout is not None:
            options["read_timeout"] = read_timeout
        app = build_application(runtime, tg.token, url, schedule=schedule, **options)
        await app.initialize()
        await post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)
        return cls(tg=tg, server=server, runtime=runtime, app=app, url=url, processor=processor)

    async def settled(self, timeout: float = 60.0) -> None:
        """Wait until Telegram has nothing queued for the bot and the bot is handling nothing.

        `timeout` only catches a bot that hangs: a handler may rightly wait seconds on a child
        process (/tonghop's chart: a new interpreter loading matplotlib took 9 to 11 s at a
        load of 10 on two cores, and 10 s was the limit here)."""
        async with asyncio.timeout(timeout):
            while True:
                await self.tg.wait_idle(timeout=timeout)
                if self.app.update_queue.empty() and self.processor.busy == 0:
                    return
                await asyncio.sleep(0.02)

    async def next_event(self) -> datetime | None:
        """When the next scheduled thing (a nudge, a tally) is due, if anything is scheduled."""
        services = self.runtime.services
        moments = [
            await services.chasing.next_event(),
            await services.reports.next_post_at(),
            await services.series.next_start(),  # a recurring task's next period
        ]
        return min((m for m in moments if m is not None), default=None)

    async def fast_forward(self) -> datetime | None:
        """Sandbox only: move the clock to the next scheduled event and run what fell due.
        Returns the new time, or None when nothing is scheduled."""
        moment = await self.next_event()
        clock = self.runtime.services.core.clock
        if moment is None or not hasattr(clock, "jump_to"):
            return None
        clock.jump_to(moment)
        await run_once(self.app)
        return moment

    async def stop(self) -> None:
        """Stop polling, finish in-flight handlers, close the database, then the server."""
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
        # post_shutdown runs only under run_polling: close the database here.
        await self.runtime.close()
        await self.server.stop()
