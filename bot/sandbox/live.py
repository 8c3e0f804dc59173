"""The real bot, wired to the in-process Bot API stand-in: for the tests and the sandbox."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.app import Runtime, build_application, open_runtime, post_init
from bot.calendar import WorkCalendar
from bot.clock import Clock
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.sandbox.botapi import BotApiServer
from bot.sandbox.state import FakeTelegram
from handlers.context import DondocApp


@dataclass
class LiveBot:
    tg: FakeTelegram
    server: BotApiServer
    runtime: Runtime
    app: DondocApp
    url: str

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
    ) -> LiveBot:
        server = BotApiServer(tg)
        url = await server.start(host, port)
        # Alembic runs its own event loop: give it a thread of its own.
        await asyncio.to_thread(upgrade, settings.database_url)
        runtime = open_runtime(settings, clock=clock, calendar=calendar)
        app = build_application(runtime, tg.token, url, rate_limit=False)
        await app.initialize()
        await post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=poll_timeout)
        return cls(tg=tg, server=server, runtime=runtime, app=app, url=url)

    async def stop(self) -> None:
        """Stop polling, finish in-flight handlers, close the database, then the server."""
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()  # post_shutdown closes the database
        await self.server.stop()
