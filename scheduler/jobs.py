"""The one repeating job: read the clock, ask what is due, send it, record it. The database is the
schedule, so a restart loses nothing and several nudges never become several jobs."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, fields
from datetime import time as clock_time
from pathlib import Path

from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.db import backup
from bot.db.inline import off_loop
from bot.services.chasing import ScanResult
from bot.services.outbox import Outgoing
from bot.text.catalog import t
from handlers import metrics
from handlers.context import AnyApp, Ctx, DondocApp
from scheduler.delivery import DeliveryStats, Faults, deliver
from scheduler.pacer import Pacer

log = logging.getLogger(__name__)
SCAN_EVERY = 20  # seconds
MAINTENANCE_AT = clock_time(2, 30)  # in the bot's time zone: after the night's backup (02:00)


@dataclass
class RunResult:
    scan: ScanResult
    delivery: DeliveryStats


async def run_once(app: AnyApp, faults: Faults | None = None) -> RunResult:
    """One due-scan and send; scans never overlap (the job and /nhac share one lock). On
    SQLite its statements run in a worker thread (bot.db.inline): over a province's tasks
    some take long enough to hold up the replies to people, which run on the event loop."""
    async with app.bot_data.scan_lock:
        with off_loop():
            return await _run(app, faults)


async def kick(app: AnyApp) -> None:
    """Run a scan now unless one is running: that one, or the next in a few seconds, will
    send what was just queued. A command must not wait behind an 08:00 burst. An instance that
    is not the leader sends nothing: the leader's next scan sends it (two senders would break
    Telegram's limits, and the leader's recovery would take back rows still in flight): it is
    woken to send it now."""
    if not app.bot_data.leader:
        services = app.bot_data.services
        assert services is not None
        await services.ops.wake_leader()
    elif not app.bot_data.scan_lock.locked():
        await run_once(app)


async def recover(app: AnyApp) -> None:
    """Take back what an instance that is gone left claimed or in flight: at start-up for the
    one instance, on taking the lead for one of several."""
    services = app.bot_data.services
    assert services is not None
    recovered = await services.chasing.recover()
    if recovered.back or recovered.again or recovered.unknown:
        log.warning(
            "after the restart: %s queued messages will be sent; %s were cut off while sending "
            "and are sent again, marked; %s cut off a second time are not sent again",
            recovered.back,
            recovered.again,
            recovered.unknown,
        )


async def _run(app: AnyApp, faults: Faults | None) -> RunResult:
    services = app.bot_data.services
    assert services is not None
    if app.bot_data.pacer is None:
        app.bot_data.pacer = Pacer()
    pacer: Pacer = app.bot_data.pacer
    began = time.monotonic()
    if app.bot_data.recover_first:
        await recover(app)
        app.bot_data.recover_first = False
    # Series, nudges, programme, expired drafts, scheduled reports: queued as deliveries.
    prepared = await services.due_scan.prepare()
    scan = prepared.scan
    try:
        # Drafts nobody confirmed within a day: say so on them and take their buttons away.
        await _expire_drafts(app, prepared.expired)
    except Exception:  # a draft that cannot be edited must not stop the nudges
        log.exception("could not close the expired drafts")
    data = app.bot_data
    stats = await deliver(app.bot, services, pacer, faults, leading=lambda: data.leader)
    if prepared.later:
        # The weekly post's texts have gone out: now its charts, drawn and queued, then sent.
        for chart in prepared.later:
            try:
                await chart()
            except Exception:  # the next scan tries again (ReportService.due_posts)
                log.exception("could not draw the weekly chart")
        stats = _added(stats, await deliver(app.bot, services, pacer, faults, lambda: data.leader))
    metrics.SENT.inc(stats.sent)
    metrics.FAILED.inc(stats.failed)
    metrics.RATE_LIMITED.inc(stats.rate_limited)
    metrics.SCAN_SECONDS.observe(time.monotonic() - began)
    if scan.nudges or stats.sent or stats.failed or stats.unknown or stats.resent:
        log.info(
            "due scan: %s nudges (%s cancelled), %s messages sent, %s deferred, %s failed, "
            "%s to send again (marked), %s unknown, %s rate-limited",
            scan.nudges,
            scan.cancelled,
            stats.sent,
            stats.deferred,
            stats.failed,
            stats.resent,
            stats.unknown,
            stats.rate_limited,
        )
    return RunResult(scan, stats)


def _added(first: DeliveryStats, then: DeliveryStats) -> DeliveryStats:
    """Two rounds of sending in one scan, counted as one."""
    return DeliveryStats(
        **{f.name: getattr(first, f.name) + getattr(then, f.name) for f in fields(DeliveryStats)}
    )


async def _expire_drafts(app: AnyApp, expired: list[tuple[int, Outgoing | None]]) -> int:
    """Edit each expired draft to say so, then close it; one whose edit did not go out (the
    network, a 429) stays open for the next scan. Returns how many were closed."""
    services = app.bot_data.services
    assert services is not None
    closed = 0
    for draft_id, edit in expired:
        if edit is not None:
            try:
                await app.bot.edit_message_text(
                    edit.text,
                    chat_id=edit.chat_id,
                    message_id=edit.edit_message_id,
                    parse_mode=ParseMode.HTML,
                )
            except BadRequest as exc:
                # Deleted, or already showing this: nothing more to do with it either way.
                if "not modified" not in exc.message:
                    log.warning("could not mark draft %s expired: %s", draft_id, exc)
            except TelegramError as exc:
                log.warning("could not mark draft %s expired, will retry: %s", draft_id, exc)
                continue
        closed += await services.drafts.mark_expired(draft_id)
    return closed


async def _due_scan(ctx: Ctx) -> None:
    if ctx.bot_data.leader:
        await run_once(ctx.application)


def schedule(app: DondocApp) -> None:
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    app.job_queue.run_repeating(
        _due_scan,
        interval=SCAN_EVERY,
        first=1,
        name="due-scan",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    app.job_queue.run_daily(_maintenance, time=MAINTENANCE_AT, name="nightly-maintenance")


async def _maintenance(ctx: Ctx) -> None:
    await nightly_maintenance(ctx.application)


async def nightly_maintenance(app: AnyApp) -> int:
    """What the database gathers and nothing else removes: the keys of handled updates older
    than two days (bot.db.once). By the leader only; returns how many rows went."""
    if not app.bot_data.leader:
        return 0
    services = app.bot_data.services
    assert services is not None
    try:
        pruned = await services.ops.prune_handled()
    except Exception:
        log.exception("nightly maintenance failed")
        return 0
    log.info("nightly maintenance: %s handled updates' keys forgotten", pruned)
    return pruned


async def nightly_backup(app: AnyApp, database_url: str, folder: Path, keep: int) -> Path | None:
    """One backup into `folder`, the oldest beyond `keep` removed; by the leader only (one
    backup a night per database, whatever the number of instances)."""
    if not app.bot_data.leader:
        return None
    services = app.bot_data.services
    assert services is not None
    moment = services.core.clock.now().astimezone(services.core.config.tz)
    try:
        target, removed = await asyncio.to_thread(
            backup.nightly, database_url, folder, keep, moment
        )
    except backup.BackupError as exc:
        log.error("nightly backup into %s failed: %s", folder, t(exc.key, "en", **exc.params))
        return None
    log.info("nightly backup: %s (%s older removed)", target, len(removed))
    return target


def schedule_backup(
    app: DondocApp, database_url: str, folder: Path, keep: int, at: clock_time
) -> None:
    assert app.job_queue is not None

    async def job(_: Ctx) -> None:
        await nightly_backup(app, database_url, folder, keep)

    # A naive time is read in the bot's time zone (Defaults.tzinfo).
    app.job_queue.run_daily(job, time=at, name="nightly-backup")
