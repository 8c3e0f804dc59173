"""The composition root's wiring: settings → engine → services → Application → handlers."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults

from bot.calendar import WorkCalendar
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db.engine import create_engine, make_sessionmaker
from bot.db.uow import UnitOfWorkFactory
from bot.domain.rules import Visibility
from bot.services.common import Core, CoreConfig
from bot.services.container import Services
from bot.text.catalog import t
from handlers import metrics
from handlers.context import BotData, Ctx, DondocApp
from handlers.setup import publish_commands, register
from scheduler import jobs

log = logging.getLogger("dondoc")


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
        uow=UnitOfWorkFactory(make_sessionmaker(engine)),
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
    rate_limit: bool = True,
    schedule: bool = True,
    **timeouts: Any,
) -> DondocApp:
    """The Application, not started. `api_url` is Telegram's root or a stand-in's."""
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
    if rate_limit:
        # The limiter keeps command replies, which the Pacer does not see, within Telegram's
        # overall and per-group limits. It must not retry a 429 itself: it would sleep out
        # retry_after inside the send while the delivery row says "sending", so a crash then
        # turns an unsent reminder into "unknown" (never sent). With no retries the 429 reaches
        # scheduler.delivery as RetryAfter, which returns the row to pending; replies wait it
        # out in handlers.adapt. Tests build the app the same way (bot.sandbox.live).
        # PTB types the limiter by its per-call data; ours passes none.
        builder = builder.rate_limiter(AIORateLimiter(max_retries=0))  # type: ignore[arg-type]
        # With no retries, the limiter logs every 429 at ERROR with a traceback before raising
        # it; the sender logs it as one WARNING line instead (scheduler/delivery.py).
        logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_no_429_traceback)
    for name, value in timeouts.items():
        builder = getattr(builder, name)(value)
    app: DondocApp = builder.build()
    app.bot_data.services = runtime.services
    app.bot_data.on_shutdown.append(runtime.close)
    register(app)
    metrics.instrument(app)
    if schedule:
        jobs.schedule(app)
    return app


def _no_429_traceback(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Rate limit hit after maximum of 0 retries")


async def post_init(app: DondocApp) -> None:
    """Runs under run_polling; tests call it themselves after initialize()."""
    services = app.bot_data.services
    assert services is not None
    me = await app.bot.get_me()
    core = services.core
    await core.load_org_settings()
    if app.bot_data.leader:  # one of several instances recovers on taking the lead instead
        await jobs.recover(app)
    core.config = dataclasses.replace(core.config, bot_username=me.username or "")
    await publish_commands(app)
    # The one start-up line a person reads, in the office's language.
    log.info(t("cli.running", core.config.language, username=me.username, id=me.id))


async def post_shutdown(app: DondocApp) -> None:
    for close in app.bot_data.on_shutdown:
        await close()
