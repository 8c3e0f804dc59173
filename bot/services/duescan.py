"""The due-scan up to the outbox, in the scheduler's order: recurring series, the nudges (and the
leaders' digest), the programme, expired drafts, the scheduled reports. Sending is the
scheduler's (scheduler/jobs.py); this decides what is queued.

Most scans have nothing to do but a few nudges: one query says whether series, programme and
drafts have anything due, and the steps with nothing are not opened at all (each used to begin
a write transaction to find nothing)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from bot.services.chasing import ChasingService, ScanResult
from bot.services.common import Core
from bot.services.drafts import DraftService
from bot.services.outbox import Outgoing
from bot.services.programme import ProgrammeService
from bot.services.reports import DuePosts, ReportService
from bot.services.series import SeriesService

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """What one scan queued, and the expired drafts whose messages the scheduler edits."""

    scan: ScanResult
    expired: list[tuple[int, Outgoing | None]] = field(default_factory=list)
    # The weekly post's charts, each queueing its own once drawn: run after the texts are sent
    # (a chart process loads matplotlib, seconds the figures should not wait).
    later: list[Callable[[], Awaitable[int]]] = field(default_factory=list)


class DueScan:
    def __init__(
        self,
        core: Core,
        series: SeriesService,
        chasing: ChasingService,
        programme: ProgrammeService,
        drafts: DraftService,
        reports: ReportService,
    ) -> None:
        self.core = core
        self.series = series
        self.chasing = chasing
        self.programme = programme
        self.drafts = drafts
        self.reports = reports

    async def prepare(self) -> Prepared:
        """Each step but the nudges' own is guarded: one that fails must not stop the nudges.
        What each step has to do is read first, in one read transaction: on most scans that
        and the claimed nudges' own chunk are all the scan does."""
        now = self.core.clock.now()
        posts: DuePosts | None = None
        async with self.core.uow(read_only=True) as uow:
            pending = await uow.due.pending(now)
            # A series' new task may have a nudge due at once: then the nudges are read after.
            outlook = None if pending.series else await self.chasing.outlook(uow, now)
            try:
                posts = await self.reports.due_posts(uow, now)
            except Exception:
                log.exception("could not read the scheduled reports' settings")
                posts = DuePosts([], None)
            if outlook is not None:  # the roster read above, for the scan's writes
                outlook = replace(outlook, roster=uow.snapshot)
        if pending.series:
            try:
                # Each period's task, made when its period begins (before the nudges, which
                # then plan its reminders like any task's).
                await self.series.create_due()
            except Exception:
                log.exception("could not make the recurring series' tasks")
        prepared = Prepared(await self.chasing.scan(outlook))
        if pending.programme:
            try:
                # Planned tasks of the annual programme whose month has come.
                await self.programme.activate_due()
            except Exception:
                log.exception("could not activate the programme's planned tasks")
        if pending.drafts:
            try:
                # Drafts nobody confirmed within a day: the scheduler edits their messages.
                prepared.expired = await self.drafts.expired_edits()
            except Exception:
                log.exception("could not read the expired drafts")
        try:
            # The weekly post and the monthly report, queued once their moment came.
            await self.reports.queue_due_posts(posts, prepared.later)
        except Exception:
            log.exception("could not queue the scheduled reports")
        return prepared
