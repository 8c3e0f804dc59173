"""Reports: the weekly post, the monthly workbook, `/tonghop` and `/baocao`, and the CLI's.

Every number comes from `bot.domain.tally.tally`; this module chooses periods, loads facts,
checks who may see what, and queues the scheduled posts as deliveries (idempotent by key).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from bot.collector import collector_paused
from bot.db.published import Published
from bot.db.uow import UnitOfWork
from bot.domain.model import LEADER_ROLES, UNIT_ROLES, Person, Role, Unit
from bot.domain.reportconfig import (
    PeriodError,
    ReportSettings,
    capped,
    iso_week,
    month,
    monthly_moment,
    previous_month,
    report_settings_from,
    weekly_moment,
)
from bot.domain.reportconfig import (
    days as days_period,
)
from bot.domain.tally import Counts, Period, Tally, TallyCounter, WorkdayCounter
from bot.domain.unitnames import UnitDirectory
from bot.services.common import ORG_TEXT, REPORTS, Actor, Core, Where
from bot.services.decisions import DecisionService
from bot.services.outbox import Outcome
from bot.text.catalog import t
from bot.text.render import ambiguous_unit, echo, esc, examples
from bot.text.reports import MAX_LATE, TallyReport, percent, period_bounds, tally_text
from bot.text.reports import moment as moment_text

FACTS_CHUNK = 1000  # tasks read at a time by a report (four statements)
COUNT_STEP = 250  # tasks counted between two turns of the event loop (about 10 ms)
WEEK = timedelta(days=7)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class ReportFile:
    name: str
    data: bytes
    kind: str  # photo | document
    caption: str


@dataclass
class Answer:
    """What a report command says, plus the files that go with it."""

    outcome: Outcome
    files: list[ReportFile] = field(default_factory=list)
    # Files made after the text has gone out: a chart is drawn by a Python process of its own,
    # seconds on a busy host, and the figures should not wait for their picture.
    later: Later | None = None


Later = Callable[[], Awaitable[list[ReportFile]]]


def chart_later(
    tally: Tally, units: dict[int, Unit], lang: str, tz: ZoneInfo, name: str, caption: str
) -> Later | None:
    """The tally's chart, to draw once its figures have gone out (None: nothing to draw).

    A chart is drawn by a Python process of its own that loads matplotlib, 2 to 10 s on a busy
    host: /tonghop's answer and the weekly post send their text first, then this."""
    if not tally.total.total:
        return None

    async def draw() -> list[ReportFile]:
        from bot.reports.drawing import chart_png

        return [ReportFile(name, await chart_png(tally, units, lang, tz), "photo", caption)]

    return draw


def plain(text: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))


def workbook_name(year: int, month_no: int) -> str:
    return f"bao-cao-nhiem-vu-{year:04d}-{month_no:02d}.xlsx"


TEXT_LIMIT = 4000  # Telegram takes 4096 characters of text


@dataclass(frozen=True, slots=True)
class DuePosts:
    """The scheduled reports to queue now (`ReportService.due_posts`)."""

    weeks: list[tuple[str, datetime, list[int]]]  # (ISO week, its moment, chats still to get it)
    monthly: tuple[int, int, int] | None  # (year, month, chat) of a monthly report to queue
    # (ISO week, chats): the week's text queued and its chart not, the process having stopped
    # between the two (the chart is drawn after the text has gone out: `_queue_weekly`).
    charts: list[tuple[str, list[int]]] = field(default_factory=list)


def _week_key(week: str, chat: int) -> str:
    return f"report:week:{week}:{chat}"


def _month_key(year: int, month_no: int, chat: int) -> str:
    return f"report:month:{year:04d}-{month_no:02d}:{chat}"


class ReportService:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.decisions = DecisionService(core)
        # Weeks whose post has no chart (nothing to draw): the due-scan stops asking for one.
        self._chartless: set[str] = set()

    async def settings(self, uow: UnitOfWork | None = None) -> ReportSettings:
        if uow is None:
            async with self.core.uow() as own:
                return await self.settings(own)
        value = await uow.settings.get(REPORTS)
        return report_settings_from(json.loads(value) if value else None)

    # --- the numbers --------------------------------------------------------------------------

    async def _tallies(
        self,
        uow: UnitOfWork,
        periods: list[Period],
        unit_ids: list[int] | None = None,
        keep_lines: bool = False,
        late_limit: int | None = None,
    ) -> list[Tally]:
        settings = await self.settings(uow)
        workdays = WorkdayCounter(self.core.calendar)
        counters = [
            TallyCounter(
                period,
                workdays,
                units=unit_ids,
                count_against=settings.count_against,
                keep_lines=keep_lines and i == 0,
                people=keep_lines and i == 0,
                late=i == 0,  # the period compared with: its counts only
                late_limit=late_limit,
            )
            for i, period in enumerate(periods)
        ]
        # A chunk of tasks at a time, the event loop free between two: commands are answered
        # while a province's weekly tally is counted, and only a chunk's facts are held. The
        # collector is paused over the reading too, not the counting alone: paused only there,
        # the reads' rows set off the full collections instead (10-20 ms of one turn each, four
        # or five a Monday scan at 1M tasks).
        with collector_paused():
            async for chunk in uow.reports.fact_chunks(periods, FACTS_CHUNK):
                for counter in counters:
                    for start in range(0, len(chunk), COUNT_STEP):
                        counter.add(chunk[start : start + COUNT_STEP])
                        await asyncio.sleep(0)
                del chunk
            return [counter.result() for counter in counters]

    async def tally_report(
        self,
        period: Period,
        previous: Period | None = None,
        unit: Unit | None = None,
        published: Published | None = None,
    ) -> TallyReport:
        """The figures of `period`, and of `previous` to compare with: what was published for
        it when given (`published`), otherwise counted now."""
        async with self.core.uow(read_only=True) as uow:
            units = {u.id: u for u in await uow.units.all(include_inactive=True)}
            periods = [period] if previous is None or published is not None else [period, previous]
            unit_ids = [unit.id] if unit is not None else None
            # The text lists the worst MAX_LATE late tasks and counts the others.
            tallies = await self._tallies(uow, periods, unit_ids, late_limit=MAX_LATE)
            current = tallies[0]
            # Only the late tasks the text lists show their urges (9,000 late tasks cost a
            # tenth of a second to count for, the 25 listed nothing).
            listed = current.late[:MAX_LATE]
            urges = await uow.reports.urges([x.facts.id for x in listed], period.end)
        before = tallies[1] if len(tallies) > 1 else None
        if published is not None:
            before = as_tally(published, unit_ids)
        return TallyReport(current, units, before, urges, unit)

    async def texts(self, report: TallyReport, lang: str | None = None) -> tuple[str, bytes | None]:
        """The tally as a message and, when there is anything to draw, its chart.

        Drawing takes a third of a second and more; it runs in a process of its own
        (bot.reports.drawing) so that the event loop keeps answering everyone else and
        scanning for nudges meanwhile, and the bot's memory stays without matplotlib."""
        lang = lang or self.core.config.language
        tz = self.core.config.tz
        text = tally_text(report, lang, tz)
        chart = None
        if report.tally.total.total:
            # Drawn by a process of its own: the bot never loads matplotlib (and numpy), and its
            # event loop is not held while the chart is drawn.
            from bot.reports.drawing import chart_png

            chart = await chart_png(report.tally, report.units, lang, tz)
        return text, chart

    async def workbook(
        self, period: Period, month_label: str | None, lang: str | None = None
    ) -> tuple[bytes, Tally]:
        lang = lang or self.core.config.language
        async with self.core.uow(read_only=True) as uow:
            units = {u.id: u for u in await uow.units.all(include_inactive=True)}
            people = {p.id: p for p in await uow.people.all(include_inactive=True)}
            [current] = await self._tallies(uow, [period], keep_lines=True)
            details = await uow.reports.details(period)
            waiting = await self.decisions.summary(uow, self.core.clock.now())
            # The roster's name: and place: win over DONDOC_ORG_NAME and DONDOC_ORG_PLACE.
            name = await uow.settings.get(ORG_TEXT["name"]) or self.core.config.org_name
            place = await uow.settings.get(ORG_TEXT["place"]) or self.core.config.org_place
        made = self.core.clock.now().astimezone(self.core.config.tz).date()
        from bot.reports.workbook import WorkbookData, workbook_bytes  # openpyxl: when used

        data = WorkbookData(
            current,
            units,
            people,
            details,
            month_label,
            decisions=waiting,
            org_name=name,
            place=place,
            made=made,
        )
        # A month of 20,000 tasks takes seconds to write: off the event loop (the reads above
        # stay on it), so other users and the nudge scan are not frozen meanwhile.
        book = await asyncio.to_thread(workbook_bytes, data, lang, self.core.config.tz)
        return book, current

    async def monthly_file(self, year: int, month_no: int, lang: str | None = None) -> ReportFile:
        lang = lang or self.core.config.language
        start, end = month(year, month_no, self.core.config.tz)
        period = capped(start, end, self.core.clock.now())
        label = f"{month_no:02d}/{year}"
        data, current = await self.workbook(period, label, lang)
        caption = t(
            "report.monthly_caption",
            lang,
            month=label,
            total=current.total.total,
            rate=percent(current.total.rate, lang),
        )
        return ReportFile(workbook_name(year, month_no), data, "document", caption)

    # --- the scheduled posts ------------------------------------------------------------------

    async def next_post_at(self) -> datetime | None:
        """The next weekly post or monthly report still to come (the sandbox's ⏩ jumps there)."""
        core = self.core
        now = core.clock.now()
        local = now.astimezone(core.config.tz)
        async with core.uow() as uow:
            settings = await self.settings(uow)
        moments: list[datetime] = []
        for days in (0, 7):
            year, week, _ = (local + timedelta(days=days)).isocalendar()
            moment = weekly_moment(year, week, settings, core.calendar)
            if moment is not None and moment > now:
                moments.append(moment)
                break
        year, month_no = local.year, local.month
        for _ in range(2):
            moment = monthly_moment(year, month_no, settings, core.calendar)
            if moment is not None and moment > now:
                moments.append(moment)
                break
            year, month_no = (year + 1, 1) if month_no == 12 else (year, month_no + 1)
        return min(moments, default=None)

    async def due_posts(self, uow: UnitOfWork, now: datetime) -> DuePosts:
        """The weekly posts and the monthly report due at `now` and not queued yet, read in the
        caller's read transaction (the due-scan's one for all its steps): on most scans,
        nothing, found with one query of their delivery keys."""
        core = self.core
        local = now.astimezone(core.config.tz)
        settings = await self.settings(uow)
        leaders = await core.leadership_chat(uow)
        chats = [c for c in (leaders, settings.all_units_chat) if c is not None]
        # This week's post, or a missed one of the weeks before (two: a week wholly off, at
        # Tết, may lie between a post and the next working day).
        candidates: list[tuple[str, datetime]] = []
        for days_back in (14, 7, 0):
            year, week, _ = (local - timedelta(days=days_back)).isocalendar()
            moment = weekly_moment(year, week, settings, core.calendar)
            if moment is not None and self._weekly_due(moment, now):
                candidates.append((f"{year}-W{week:02d}", moment))
        monthly: tuple[int, int, int] | None = None
        moment = monthly_moment(local.year, local.month, settings, core.calendar)
        if moment is not None and moment <= now and moment.date() == local.date() and leaders:
            monthly = (*previous_month(local.year, local.month), leaders)
        keys = [_week_key(label, c) + end for label, _ in candidates for c in chats
                for end in ("", ":chart")]  # fmt: skip
        if monthly is not None:
            keys.append(_month_key(*monthly))
        taken = await uow.deliveries.existing(keys)
        weeks: list[tuple[str, datetime, list[int]]] = []
        charts: list[tuple[str, list[int]]] = []
        for label, moment in candidates:
            wanted = [c for c in chats if _week_key(label, c) not in taken]
            # A week with nothing to draw has no chart either: told apart when it is queued.
            unsent = [c for c in chats if c not in wanted and _week_key(label, c) + ":chart"
                      not in taken]  # fmt: skip
            if unsent and label not in self._chartless:
                charts.append((label, unsent))
            # A make-up speaks of a week the office was using the bot in, not of the weeks
            # before it was installed.
            make_up = moment.astimezone(core.config.tz).date() != local.date()
            if wanted and (not make_up or await uow.tasks.any_before(moment)):
                weeks.append((label, moment, wanted))
        if monthly is not None and _month_key(*monthly) in taken:
            monthly = None
        return DuePosts(weeks, monthly, charts)

    async def queue_due_posts(
        self,
        due: DuePosts | None = None,
        later: list[Callable[[], Awaitable[int]]] | None = None,
    ) -> int:
        """Queue the weekly post and the monthly report when their moment has come (`due`: as
        `due_posts` found them, else read here).

        Each goes once per period and chat (the delivery key), across restarts. A monthly
        report missed while the bot was down is made up later the same day; a weekly post
        later the same day or, failing that, on the next working day from the office's opening
        (see `_weekly_due`).

        The weekly charts are drawn after the texts are queued: put in `later` when given, for
        the caller to run once it has sent the texts (the due-scan), else run here."""
        if due is None:
            async with self.core.uow(read_only=True) as uow:
                due = await self.due_posts(uow, self.core.clock.now())
        count = 0
        charts: list[Callable[[], Awaitable[int]]] = []
        for label, moment, wanted in due.weeks:
            queued, chart = await self._queue_weekly(label, moment, wanted)
            count += queued
            if chart is not None:
                charts.append(chart)
        for label, chats in due.charts:
            charts.append(partial(self._queue_published_chart, label, chats))
        if due.monthly is not None:
            count += await self._queue_monthly(*due.monthly)
        if later is not None:
            later.extend(charts)
        else:
            for chart in charts:
                count += await chart()
        return count

    def _weekly_due(self, moment: datetime, now: datetime) -> bool:
        """Whether a week's post, due at `moment`, goes out at `now` (if not sent yet).

        Made up the same day, or on the next working day from its office opening to its end:
        a Friday 16:00 post missed because the bot was down all Friday evening goes out on
        Monday morning, when the week's work starts and the figures still serve; never on a
        weekend or a holiday (nobody wants reports then), and no later than that day, so it
        cannot pile up behind the following week's post."""
        if now < moment:
            return False
        tz = self.core.config.tz
        day, today = moment.astimezone(tz).date(), now.astimezone(tz).date()
        if today == day:
            return True
        calendar = self.core.calendar
        following = calendar.next_working_day(day)
        return today == following and now >= calendar.start_of_office(following)

    async def _queue_weekly(
        self, week: str, moment: datetime, wanted: list[int]
    ) -> tuple[int, Callable[[], Awaitable[int]] | None]:
        """The week's post to the chats that have not had it (`wanted`, read by the caller; the
        delivery key keeps a second one out should another instance be first), and what queues
        its chart once drawn (None: nothing to draw)."""
        # Numbers as of the scheduled moment, however late they are sent; the change against
        # last week's post is against what that post published.
        async with self.core.uow(read_only=True) as uow:
            last = await uow.published.get(week_key(moment - WEEK, self.core.config.tz))
        report = await self.tally_report(
            Period(moment - WEEK, moment), Period(moment - 2 * WEEK, moment - WEEK), None, last
        )
        lang = self.core.config.language
        tz = self.core.config.tz
        text = tally_text(report, lang, tz)
        now = self.core.clock.now()
        # The leaders' own steps, as they stand when the post is made: who, how many, oldest.
        async with self.core.uow(read_only=True) as uow:
            waiting = await self.decisions.summary(uow, now)
        room = TEXT_LIMIT - len(text) - 2
        if waiting and room > 200:  # nothing pending: the post stays as it was
            text += "\n\n" + self.decisions.summary_text(waiting, lang, budget=min(800, room))
        count = 0
        current = report.tally
        async with self.core.uow() as uow:
            await uow.published.add(
                f"week:{week}",
                current.period,
                current.count_against,
                current.units,
                current.total,
                now,
            )
            for chat in wanted:
                count += await uow.deliveries.add(_week_key(week, chat), chat, text, [], now)
            await uow.commit()
        draw = self._week_chart(week, current, report.units)
        if draw is None:
            self._chartless.add(week)
            return count, None
        return count, partial(self._queue_chart, week, wanted, draw)

    def _week_chart(self, week: str, tally: Tally, units: dict[int, Unit]) -> Later | None:
        lang, tz = self.core.config.language, self.core.config.tz
        start, end = period_bounds(tally.period, tz)
        caption = t("report.chart_caption", lang, start=start, end=end)
        return chart_later(tally, units, lang, tz, f"tong-hop-{week}.png", caption)

    async def _queue_chart(self, week: str, chats: list[int], draw: Later) -> int:
        """The week's chart, after its text: once per chat (its own delivery key), however
        often this runs."""
        [chart] = await draw()
        count = 0
        async with self.core.uow() as uow:
            for chat in chats:
                count += await uow.deliveries.add(
                    _week_key(week, chat) + ":chart",
                    chat,
                    chart.caption,
                    [],
                    self.core.clock.now(),
                    document=(chart.name, chart.kind, chart.data),
                )
            await uow.commit()
        return count

    async def _queue_published_chart(self, week: str, chats: list[int]) -> int:
        """The chart of a week whose text was queued and whose chart was not (the process
        stopped between the two), drawn from the figures the text published."""
        async with self.core.uow(read_only=True) as uow:
            published = await uow.published.get(f"week:{week}")
            units = {u.id: u for u in await uow.units.all(include_inactive=True)}
        draw = None if published is None else self._week_chart(week, as_tally(published), units)
        if draw is None:
            self._chartless.add(week)
            return 0
        return await self._queue_chart(week, chats, draw)

    async def _queue_monthly(self, year: int, month_no: int, chat: int) -> int:
        """The month's report file (not queued yet: read by the caller; the key keeps a second
        one out should another instance be first)."""
        key = _month_key(year, month_no, chat)
        report = await self.monthly_file(year, month_no)
        async with self.core.uow() as uow:
            added = await uow.deliveries.add(
                key,
                chat,
                report.caption,
                [],
                self.core.clock.now(),
                document=(report.name, "document", report.data),
            )
            await uow.commit()
        return int(added)

    # --- on demand ----------------------------------------------------------------------------

    async def _who(
        self, actor: Actor, where: Where
    ) -> tuple[Person | None, str, str | None, list[Unit]]:
        """The person, their language, a refusal (or None) and every unit."""
        async with self.core.uow() as uow:
            person = await self.core.person(uow, actor)
            lang = self.core.lang_of(person, actor)
            units = await uow.units.all(include_inactive=True)
            if person is None:
                return None, lang, t("not_registered", lang, telegram_id=actor.telegram_id), units
            # The all-units group receives the weekly post, so it may ask for reports too: a
            # reading chat like the leadership group, where each person's own rights decide
            # what they see.
            if not await self.core.chat_registered(uow, where) and (
                where.chat_id != (await self.settings(uow)).all_units_chat
            ):
                refusal = t("unregistered_chat", lang, **examples(units))
                return person, lang, refusal, units
        return person, lang, None, units

    def _sees_all(self, actor: Actor, person: Person) -> bool:
        return (
            person.role in LEADER_ROLES
            or person.role in (Role.OFFICE, Role.ADMIN)
            or actor.telegram_id in self.core.config.admins
        )

    async def tonghop(self, actor: Actor, where: Where, arg: str) -> Answer:
        person, lang, refusal, units = await self._who(actor, where)
        if refusal is not None or person is None:
            return Answer(Outcome(refusal))
        now = self.core.clock.now()
        try:
            asked = await self._posted_week(arg, now) or parse_period(arg, now, self.core.config.tz)
        except ValueError:
            return Answer(Outcome(t("usage.tonghop", lang, **examples(units))))
        period, previous, rest = asked.period, asked.previous, asked.rest
        if period is None:
            return Answer(Outcome(t("report.future", lang)))
        unit: Unit | None = None
        if rest:
            directory = UnitDirectory(u for u in units)
            unit = directory.find(rest)
            if unit is None and (shared := directory.ambiguous(rest)):
                return Answer(Outcome(ambiguous_unit(rest, shared, lang)))
            if unit is None:
                codes = ", ".join(u.code for u in directory.units)
                return Answer(Outcome(t("unknown_unit_list", lang, word=echo(rest), codes=codes)))
        # A unit's people get their own unit's figures unless they name another; whether they
        # may is the visibility rule, the same as for /viec, /nv and /lich.
        own = next((u for u in units if u.id == person.unit_id), None)
        if unit is not None and not self.core.may_see(person, actor, unit.id):
            if own is None:
                return Answer(Outcome(t("report.no_unit", lang)))
            return Answer(Outcome(t("report.denied_unit", lang, unit=esc(own.name))))
        if unit is None and not self._sees_all(actor, person):
            if own is None or person.role not in UNIT_ROLES:
                return Answer(Outcome(t("report.no_unit", lang)))
            unit = own
        async with self.core.uow() as uow:
            published = await uow.published.of_period(period)
            earlier = await uow.published.of_period(previous) if previous is not None else None
        report = await self.tally_report(period, previous, unit, earlier)
        if asked.guessed:
            start, end = period_bounds(period, self.core.config.tz)
            # The example: the same days a year earlier, written with their years.
            tz = self.core.config.tz
            first = period.start.astimezone(tz).date()
            last = (period.end.astimezone(tz) - timedelta(microseconds=1)).date()
            ex_start, ex_end = (f"{d:%d/%m}/{d.year - 1}" for d in (first, last))
            report.note = t(
                "report.guessed_year", lang, start=start, end=end, ex_start=ex_start, ex_end=ex_end
            )
        if published is not None:
            report.note = self._as_published(report, published, lang)
        tz = self.core.config.tz
        answer = Answer(Outcome(tally_text(report, lang, tz)))
        start, end = period_bounds(period, tz)
        caption = t("report.chart_caption", lang, start=start, end=end)
        answer.later = chart_later(report.tally, report.units, lang, tz, "tong-hop.png", caption)
        return answer

    async def _posted_week(self, arg: str, now: datetime) -> AskedPeriod | None:
        """ "tuần 48[/2026] [đơn vị]": the week the weekly post of ISO week 48 spoke of (the
        period it published, or the one it will), compared with the post before it. None:
        not such words. ValueError: a week that does not exist."""
        match = _POSTED_WEEK.match(_norm(arg).lower())
        if match is None:
            return None
        tz = self.core.config.tz
        today = now.astimezone(tz).date()
        number = int(match.group(1))
        year = int(match.group(2)) if match.group(2) else today.year
        rest = _norm(arg)[match.start(3) :].strip()
        if _PERIOD_WORDS.match(rest.lower()):
            raise ValueError(arg)
        if not match.group(2) and number > today.isocalendar()[1]:
            year -= 1
        date.fromisocalendar(year, number, 1)  # ValueError: no such week
        settings = await self.settings()
        periods = []
        for back in (0, 1):
            day = date.fromisocalendar(year, number, 1) - timedelta(days=7 * back)
            key = f"week:{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"
            async with self.core.uow() as uow:
                kept = await uow.published.get(key)
            if kept is not None:
                periods.append(kept.period)
                continue
            moment = weekly_moment(*day.isocalendar()[:2], settings, self.core.calendar)
            if moment is None:  # no weekly post: the ISO week itself
                start, end = iso_week(*day.isocalendar()[:2], tz)
            else:
                start, end = moment - WEEK, moment
            periods.append(Period(start, end))
        period, previous = periods
        if period.start >= now:
            return AskedPeriod(None, None, rest)
        return AskedPeriod(capped(period.start, period.end, now), previous, rest)

    def _as_published(self, report: TallyReport, published: Published, lang: str) -> str:
        """Show what was published for the period, and say what counting it now gives instead
        when that differs (a setting or a day off changed since, say)."""
        tz = self.core.config.tz
        now = report.tally
        unit_ids = list(now.units) if report.scope is not None else None
        then = as_tally(published, unit_ids)
        changes = []
        for unit_id in sorted(set(now.units) | set(then.units)):
            old = then.units.get(unit_id, Counts())
            new = now.units.get(unit_id, Counts())
            fields = [
                t(f"history.field.{name}", lang, old=getattr(old, name), new=getattr(new, name))
                for name in _SHOWN
                if getattr(old, name) != getattr(new, name)
            ]
            if fields:
                unit = report.units.get(unit_id)
                code = esc(unit.code) if unit is not None else "?"
                changes.append(f"{code}: {', '.join(fields)}")
        report.tally = replace(now, units=then.units, total=then.total)
        note = t("history.as_published", lang, when=moment_text(published.published_at, tz))
        if changes:
            note += "\n" + t("history.changed", lang, changes="; ".join(changes))
        return f"{report.note}\n{note}" if report.note else note

    async def baocao(self, actor: Actor, where: Where, arg: str) -> Answer:
        person, lang, refusal, _ = await self._who(actor, where)
        if refusal is not None or person is None:
            return Answer(Outcome(refusal))
        if not self.core.may_see(person, actor, None):  # every unit's figures
            return Answer(Outcome(t("report.denied", lang)))
        now = self.core.clock.now().astimezone(self.core.config.tz)
        try:
            year, month_no = parse_month_arg(arg, now.date())
        except ValueError:
            return Answer(Outcome(t("usage.baocao", lang)))
        if date(year, month_no, 1) > now.date():
            return Answer(Outcome(t("report.future", lang)))
        report = await self.monthly_file(year, month_no, lang)
        label = f"{month_no:02d}/{year}"
        return Answer(Outcome(t("report.file_sent", lang, month=label)), [report])


def week_key(moment: datetime, tz: ZoneInfo) -> str:
    """The key a weekly post's figures are kept under: its ISO week."""
    year, week, _ = moment.astimezone(tz).isocalendar()
    return f"week:{year}-W{week:02d}"


def as_tally(published: Published, unit_ids: list[int] | None = None) -> Tally:
    """Published figures as a tally's counts (no lines): all units', or those of `unit_ids`
    (each listed, their total theirs)."""
    if unit_ids is None:
        return Tally(published.period, published.count_against, dict(published.units), {},
                     published.total)  # fmt: skip
    units = {u: published.units.get(u, Counts()) for u in unit_ids}
    total = Counts()
    for counts in units.values():
        for name in _FIELDS:
            setattr(total, name, getattr(total, name) + getattr(counts, name))
        total.worst_days_late = max(total.worst_days_late, counts.worst_days_late)
    return Tally(published.period, published.count_against, units, {}, total)


_FIELDS = ("total", "assigned", "done_on_time", "done_late", "open_in_time", "open_late",
           "no_deadline", "unacknowledged", "extended")  # fmt: skip
# The figures a note of later changes names (those of the table).
_SHOWN = ("total", "done_on_time", "done_late", "open_in_time", "open_late", "no_deadline")


# --- reading what people type ---------------------------------------------------------------

_DATE = r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Words that speak of a period: a rest starting with one is a period we do not read, not a unit.
_PERIOD_WORDS = re.compile(
    r"(?:hôm|hom|ngày|ngay|năm|nam|quý|quy|tuần|tuan|tháng|thang|trước|truoc|sau|này|nay|qua"
    r"|today|yesterday|last|this|next|week|month|quarter|year|\d+)\b",
)
_POSTED_WEEK = re.compile(r"(?:tuần|tuan|week)\s+(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?\b\s*(.*)$")
MAX_WRAP = timedelta(days=92)  # "từ 20/12 đến 05/01" crosses the new year; longer is a slip


@dataclass(frozen=True, slots=True)
class AskedPeriod:
    period: Period | None  # None: it has not begun
    previous: Period | None  # the one to compare with
    rest: str  # what follows: a unit
    guessed: bool = False  # days written without a year, taken from an earlier year


def _previous_iso_week(today: date, tz: ZoneInfo) -> tuple[Period, Period]:
    year, week, _ = (today - timedelta(days=7)).isocalendar()
    start, end = iso_week(year, week, tz)
    return Period(start, end), Period(start - WEEK, start)


def _quarter(number: int, year: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    first, _ = month(year, 3 * number - 2, tz)
    _, last = month(year, 3 * number, tz)
    return first, last


def _range(g: tuple[str | None, ...], today: date) -> tuple[date, date, bool]:
    """The days of "từ dd/mm[/yyyy] đến dd/mm[/yyyy]" and whether a year was taken from an
    earlier year. Without years: the most recent such range that has begun by today."""
    d1, m1, y1, d2, m2, y2 = g
    if y1 and y2:
        first, last = date(int(y1), int(m1), int(d1)), date(int(y2), int(m2), int(d2))  # type: ignore[arg-type]
    elif y1 or y2:
        year = int(y1 or y2)  # type: ignore[arg-type]
        first, last = date(year, int(m1), int(d1)), date(year, int(m2), int(d2))  # type: ignore[arg-type]
        if last < first:  # "từ 20/12/2026 đến 05/01": into the next year; the reverse, before
            if y1:
                last = last.replace(year=year + 1)
            else:
                first = first.replace(year=year - 1)
    else:
        first = date(today.year, int(m1), int(d1))  # type: ignore[arg-type]
        last = date(today.year, int(m2), int(d2))  # type: ignore[arg-type]
        if last < first:
            last = last.replace(year=today.year + 1)
        if first > today:
            first, last = first.replace(year=first.year - 1), last.replace(year=last.year - 1)
        if last - first > MAX_WRAP:
            raise ValueError("the end is before the start")
        return first, last, first.year != today.year
    if last < first:
        raise ValueError("the end is before the start")
    return first, last, False


def parse_period(arg: str, now: datetime, tz: ZoneInfo) -> AskedPeriod:
    """`/tonghop`'s words: the period, the one to compare with, and the rest (a unit).

    tuần (or nothing): the 7 days to now; tuần trước: last ISO week (Monday to Sunday);
    tháng [M[/YYYY]]: a month (this one so far); tháng trước: last month; quý N|I-IV [/YYYY]: a
    quarter; từ dd/mm[/yyyy] đến dd/mm[/yyyy]: those days (without years: the most recent such
    days that have begun, said in the answer when that is not this year). A period it cannot
    read, or an end before the start, raises ValueError; a period not begun has None."""
    try:
        return _parse_period(arg, now, tz)
    except OverflowError:  # a year like 9999 or 0001 runs off the calendar
        raise ValueError(arg) from None


def _parse_period(arg: str, now: datetime, tz: ZoneInfo) -> AskedPeriod:
    text = _norm(arg)
    low = text.lower()
    today = now.astimezone(tz).date()

    def after(tail: str) -> str:
        rest = text[len(low) - len(tail) :].strip()
        if _PERIOD_WORDS.match(rest.lower()):
            raise ValueError(arg)  # "tuần sau", "tháng này nữa": not a unit
        return rest

    if match := re.match(r"(?:tuần|tuan|week)\s+(?:trước|truoc)\b\s*(.*)$", low):
        period, previous = _previous_iso_week(today, tz)
        return AskedPeriod(period, previous, after(match.group(1)))
    if match := re.match(r"(?:tuần|tuan|week)\b\s*(.*)$", low):
        return AskedPeriod(
            Period(now - WEEK, now), Period(now - 2 * WEEK, now - WEEK), after(match.group(1))
        )
    if match := re.match(r"(?:tháng|thang|month)\s+(?:trước|truoc)\b\s*(.*)$", low):
        year, month_no = previous_month(today.year, today.month)
        start, end = month(year, month_no, tz)
        before = month(*previous_month(year, month_no), tz)
        return AskedPeriod(Period(start, end), Period(*before), after(match.group(1)))
    if match := re.match(r"(?:tháng|thang|month)\b(?:\s+(\d{1,2})(?:[/.-](\d{4}))?)?\s*(.*)$", low):
        month_no = int(match.group(1)) if match.group(1) else today.month
        year = int(match.group(2)) if match.group(2) else today.year
        if not 1 <= month_no <= 12:
            raise ValueError(arg)
        if not match.group(2) and date(year, month_no, 1) > today:
            year -= 1
        rest = after(match.group(3))
        start, end = month(year, month_no, tz)
        if start >= now:
            return AskedPeriod(None, None, rest)
        before = month(*previous_month(year, month_no), tz)
        return AskedPeriod(capped(start, end, now), capped(*before, now), rest)
    if match := re.match(
        r"(?:quý|quy|quarter)\s+(iv|iii|ii|i|[1-4])\b(?:\s*(?:[/.-]|năm|nam)\s*(\d{4}))?\s*(.*)$",
        low,
    ):
        number = _ROMAN.get(match.group(1)) or int(match.group(1))
        year = int(match.group(2)) if match.group(2) else today.year
        rest = after(match.group(3))
        start, end = _quarter(number, year, tz)
        if not match.group(2) and start >= now:
            start, end = _quarter(number, year - 1, tz)
        if start >= now:
            return AskedPeriod(None, None, rest)
        before = _quarter(number - 1, year, tz) if number > 1 else _quarter(4, year - 1, tz)
        return AskedPeriod(capped(start, end, now), capped(*before, now), rest)
    if match := re.match(rf"(?:từ|tu|from)\s+{_DATE}\s+(?:đến|den|to)\s+{_DATE}\s*(.*)$", low):
        first, last, guessed = _range(match.groups()[:6], today)
        rest = after(match.group(7))
        start, end = days_period(first, last, tz)
        if start >= now:
            return AskedPeriod(None, None, rest)
        length = end - start
        return AskedPeriod(capped(start, end, now), Period(start - length, start), rest, guessed)
    if _PERIOD_WORDS.match(low) or low.startswith(("từ", "tu ", "from")):
        raise ValueError(arg)  # "hôm nay", "năm 2026", "từ hôm qua": not read, not a unit
    return AskedPeriod(Period(now - WEEK, now), Period(now - 2 * WEEK, now - WEEK), text)


def parse_month_arg(arg: str, today: date) -> tuple[int, int]:
    """`/baocao`'s words: nothing → last month; "tháng M/YYYY", "M/YYYY", "tháng M"."""
    low = _norm(arg).lower()
    if not low:
        return previous_month(today.year, today.month)
    match = re.fullmatch(r"(?:tháng|thang|month)?\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?", low)
    if not match:
        raise ValueError(arg)
    month_no = int(match.group(1))
    if not 1 <= month_no <= 12:
        raise ValueError(arg)
    year = int(match.group(2)) if match.group(2) else today.year
    if not match.group(2) and date(year, month_no, 1) > today:
        year -= 1
    return year, month_no


def iso_week_period(year: int, week: int, now: datetime, tz: ZoneInfo) -> tuple[Period, Period]:
    start, end = iso_week(year, week, tz)
    if start >= now:
        raise PeriodError(
            f"the week {year}-W{week:02d} has not started yet",
            "period.week_not_started",
            week=f"{year}-W{week:02d}",
        )
    return capped(start, end, now), Period(start - WEEK, start)
