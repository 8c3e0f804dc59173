"""The composition root's wiring: settings → engine → services → Application → handlers."""

from __future__ import annotations

import dataclasses
import gc
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot.calendar import WorkCalendar
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine, is_sqlite, make_sessionmaker
from bot.db.uow import UnitOfWorkFactory
from bot.domain.rules import Visibility
from bot.services.common import Core, CoreConfig
from bot.services.container import Services
from bot.text.catalog import t
from handlers import metrics
from handlers.context import BotData, Ctx, DondocApp
from handlers.ordering import ChatOrderedProcessor
from handlers.setup import publish_commands, register
from handlers.transport import AiohttpRequest, Handover, SwitchingRequest
from handlers.unguarded import lift_assignment_guard
from scheduler import jobs

log = logging.getLogger("dondoc")
TIMEOUTS = ("read_timeout", "write_timeout", "connect_timeout", "pool_timeout")


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    services: Services

    async def close(self) -> None:
        await self.engine.dispose()


def calendar_from(settings: Settings) -> WorkCalendar:
    return WorkCalendar(
        tz=settings.tz,
        office_start=settings.office_start_time,
        office_end=settings.office_end_time,
        lunch=settings.lunch,
        day_off_rule=settings.day_off_rule,
    )


def open_runtime(
    settings: Settings, clock: Clock | None = None, calendar: WorkCalendar | None = None
) -> Runtime:
    engine = create_engine(settings.database_url)
    core = Core(
        uow=UnitOfWorkFactory(
            make_sessionmaker(engine), single_writer=is_sqlite(settings.database_url)
        ),
        clock=clock or SystemClock(),
        calendar=calendar or calendar_from(settings),
        config=CoreConfig(
            language=settings.language,
            review=settings.review,
            admins=frozenset(settings.admins),
            tz=settings.tz,
            org_name=settings.org_name.strip(),
            org_place=settings.org_place.strip(),
            visibility=Visibility(settings.visibility),
        ),
    )
    return Runtime(settings=settings, engine=engine, services=Services.build(core))


def build_application(
    runtime: Runtime,
    token: str,
    api_url: str,
    schedule: bool = True,
    **options: Any,
) -> DondocApp:
    """The Application, not started. `api_url` is Telegram's root or a stand-in's. `options`
    are ApplicationBuilder settings (timeouts, concurrent_updates)."""
    lift_assignment_guard()
    # No rate limiter on the update path: PTB's AIORateLimiter holds every call behind one
    # global 30/s queue (callback answers and edits included) and, with updates handled one at a
    # time, each of its waits stalled every chat. Telegram's limits are kept where they bind:
    # the bulk sender paces queued messages (scheduler.pacer, which also counts the replies
    # sent here), and a reply to a person's own action goes out at once; a 429 on it is waited
    # out in handlers.adapt.
    options.setdefault("concurrent_updates", ChatOrderedProcessor())
    # PTB's requests over aiohttp (handlers/transport.py): the same timeouts and pool sizes as
    # PTB's own HTTPXRequest, about a third of its CPU per call. A polling bot starts over httpx
    # and moves to aiohttp once its first getUpdates is out, so that no start waits for
    # aiohttp's import (~130 ms); a webhook's server loads aiohttp anyway.
    timeouts = {k: options.pop(k) for k in TIMEOUTS if k in options}
    if runtime.settings.webhook:
        options.setdefault("request", AiohttpRequest(**timeouts))
        options.setdefault("get_updates_request", AiohttpRequest(connection_pool_size=1))
    else:
        handover = Handover()
        options.setdefault("request", SwitchingRequest(handover, **timeouts))
        options.setdefault(
            "get_updates_request", SwitchingRequest(handover, polls=True, connection_pool_size=1)
        )
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
        .context_types(ContextTypes(context=Ctx, bot_data=BotData))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=runtime.settings.tz))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    for name, value in options.items():
        builder = getattr(builder, name)(value)
    app: DondocApp = builder.build()
    app.bot_data.services = runtime.services
    app.bot_data.on_shutdown.append(runtime.close)
    register(app)
    metrics.instrument(app)
    if schedule:
        jobs.schedule(app)
    return app


async def post_init(app: DondocApp) -> None:
    """Runs under serve_polling or serve_webhook; tests call it themselves after initialize()."""
    services = app.bot_data.services
    assert services is not None
    # initialize() has just asked getMe: one round trip to Telegram less at every start.
    me = app.bot.bot
    core = services.core
    for step in app.bot_data.on_start:
        await step()
    await core.load_org_settings()
    if app.bot_data.leader:  # one of several instances recovers on taking the lead instead
        await jobs.recover(app)
    core.config = dataclasses.replace(core.config, bot_username=me.username or "")
    await publish_commands(app)
    # What start-up built (modules, the roster, the calendar) lives as long as the process:
    # out of the collector's sight, a full collection no longer walks it (one took ~0.15 s,
    # stalling every update in flight). `dondoc run` starts with the collector off (see
    # bot.__main__.main): it is on from here.
    gc.freeze()
    gc.enable()
    # The one start-up line a person reads, in the office's language.
    log.info(t("cli.running", core.config.language, username=me.username, id=me.id))


async def post_shutdown(app: DondocApp) -> None:
    for close in app.bot_data.on_shutdown:
        await close()
