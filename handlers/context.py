"""A typed CallbackContext: handlers reach the services as attributes, not through dict lookups."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services.container import Services
from scheduler.pacer import Pacer


class BotData:
    """Application-wide state; PTB instantiates it, the composition root fills it."""

    def __init__(self) -> None:
        self.services: Services | None = None
        self.on_shutdown: list[Callable[[], Awaitable[None]]] = []
        # Run by post_init before anything else reads the database: the roster file of
        # DONDOC_ORG_FILE, imported on the runtime the bot then runs with (bot/__main__.py).
        self.on_start: list[Callable[[], Awaitable[None]]] = []
        # Made here, not at the first scan: replies are counted in it from the first update.
        self.pacer: Pacer | None = Pacer()
        # One due-scan at a time, whether the repeating job or a /nhac runs it.
        self.scan_lock = asyncio.Lock()
        # Updates whose change was committed before a later step (the reply, a notice) failed:
        # the error handler must not tell the person that nothing was saved. Bounded: only the
        # error handler, right after the failing handler, reads it.
        self.saved_updates: deque[int] = deque(maxlen=1000)
        # Telegram answered 409 Conflict (another program polls this bot): the run stops.
        self.conflict = False
        # Ends `dondoc run`'s polling (bot/serve.py serve_polling); None in tests' loops.
        self.stop: Callable[[], None] | None = None
        # Several instances on one PostgreSQL: only the leader runs the scheduled work (due-scan,
        # sender, reports, backup); a single instance always leads. A new leader first takes
        # back what the one before left claimed or in flight (scheduler/jobs.py).
        self.leader = True
        self.recover_first = False
        # For /healthz and /metrics (handlers/web.py): when the last update was handled, and
        # when each update being handled began (by update_id).
        self.last_update_at: float | None = None
        self.update_started: dict[int, float] = {}


class Ctx(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services were not attached to the application")
        return services


DondocApp = Application[ExtBot[None], Ctx, dict[Any, Any], dict[Any, Any], BotData, Any]
# What a handler's context exposes as `ctx.application` (PTB leaves its context type generic).
AnyApp = Application[ExtBot[None], Any, dict[Any, Any], dict[Any, Any], BotData, Any]
