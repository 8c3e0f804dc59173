"""The one repeating job: read the clock, ask what is due, send it, record it. The database is the
schedule, so a restart loses nothing and several nudges never become several jobs."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.services.chasing import ScanResult
from handlers.context import AnyApp, Ctx, DondocApp
from scheduler.delivery import DeliveryStats, Faults, deliver
from scheduler.pacer import Pacer

log = logging.getLogger(__name__)
SCAN_EVERY = 20  # seconds


@dataclass
class RunResult:
    scan: ScanResult
    delivery: DeliveryStats


async def run_once(app: AnyApp, faults: Faults | None = None) -> RunResult:
    """One due-scan and send; scans never overlap (the job and /nhac share one lock)."""
    async with app.bot_data.scan_lock:
        return await _run(app, faults)


async def kick(app: AnyApp) -> None:
    """Run a scan now unless one is running: that one, or the next in a few seconds, will
    send what was just queued. A command must not wait behind an 08:00 burst."""
    if not app.bot_data.scan_lock.locked():
        await run_once(app)


async def _run(app: AnyApp, faults: Faults | None) -> RunResult:
    services = app.bot_data.services
    assert services is not None
    if app.bot_data.pacer is None:
        app.bot_data.pacer = Pacer()
    try:
        # Recurring series: each period's task, made when its period begins (before the scan,
        # which then plans its nudges like any task's).
        await services.series.create_due()
    except Exception:  # one series that cannot be made must not stop the nudges
        log.exception("could not make the recurring series' tasks")
    scan = await services.chasing.scan()
    try:
        # Planned tasks of the annual programme whose month has come: cards queued below.
        await services.programme.activate_due()
    except Exception:  # a planned task that cannot be made must not stop the nudges
        log.exception("could not activate the programme's planned tasks")
    try:
        # Drafts nobody confirmed within a day: say so on them and take their buttons away.
        await _expire_drafts(app)
    except Exception:  # a draft that cannot be edited must not stop the nudges
        log.exception("could not close the expired drafts")
    try:
        # The weekly post and the monthly report, queued as deliveries once their moment came.
        await services.reports.queue_due_posts()
    except Exception:  # a report that cannot be built must not stop the nudges
        log.exception("could not queue the scheduled reports")
    stats = await deliver(app.bot, services, app.bot_data.pacer, faults)
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


async def _expire_drafts(app: AnyApp) -> int:
    """Edit each expired draft to say so, then close it; one whose edit did not go out (the
    network, a 429) stays open for the next scan. Returns how many were closed."""
    services = app.bot_data.services
    assert services is not None
    closed = 0
    for draft_id, edit in await services.drafts.expired_edits():
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
