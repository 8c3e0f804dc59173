"""Reports: the weekly post, the monthly workbook, `/tonghop` and `/baocao`, and the CLI's.

Every number comes from `bot.domain.tally.tally`; this module chooses periods, loads facts,
checks who may see what, and queues the scheduled posts as deliveries (idempotent by key).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.db.uow import UnitOfWork
from bot.domain.model import LEADER_ROLES, UNIT_ROLES, Person, Role, Unit
from bot.domain.reportconfig import (
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
from bot.domain.tally import Period, Tally, WorkdayCounter, tally
from bot.domain.unitnames import UnitDirectory
from bot.reports.chart import chart_png
from bot.reports.workbook import WorkbookData, workbook_bytes
from bot.services.common import Actor, Core, Where
from bot.services.outbox import Outcome
from bot.text.catalog import t
from bot.text.render import esc, examples
from bot.text.reports import TallyReport, percent, period_bounds, tally_text

REPORTS = "reports"
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


def plain(text: str) -> str:
    """Telegram HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))


def workbook_name(year: int, month_no: int) -> str:
    return f"bao-cao-nhiem-vu-{year:04d}-{month_no:02d}.xlsx"


class ReportService:
    def __init__(self, core: Core) -> None:
        self.core = core

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
    ) -> list[Tally]:
        settings = await self.settings(uow)
        facts = await uow.reports.facts(periods)
        workdays = WorkdayCounter(self.core.calendar)
        return [
            tally(
                facts,
                period,
                workdays,
                units=unit_ids,
                count_against=settings.count_against,
                keep_lines=keep_lines and i == 0,
                people=keep_lines and i == 0,
            )
            for i, period in enumerate(periods)
        ]

    async def tally_report(
        self, period: Period, previous: Period | None = None, unit: Unit | None = None
    ) -> TallyReport:
        async with self.core.uow() as uow:
            units = {u.id: u for u in await uow.units.all(include_inactive=True)}
            periods = [period] if previous is None else [period, previous]
            unit_ids = [unit.id] if unit is not None else None
            tallies = await self._tallies(uow, periods, unit_ids)
            current = tallies[0]
            urges = await uow.reports.urges([x.facts.id for x in current.late], period.end)
        return TallyReport(
            current, units, tallies[1] if previous is not None else None, urges, unit
        )

    def texts(self, report: TallyReport, lang: str | None = None) -> tuple[str, bytes | None]:
        """The tally as a message and, when there is anything to draw, its chart."""
        lang = lang or self.core.config.language
        tz = self.core.config.tz
        text = tally_text(report, lang, tz)
        chart = (
            chart_png(report.tally, report.units, lang, tz) if report.tally.total.total else None
        )
        return text, chart

    async def workbook(
        self, period: Period, month_label: str | None, lang: str | None = None
    ) -> tuple[bytes, Tally]:
        lang = lang or self.core.config.language
        async with self.core.uow() as uow:
            units = {u.id: u for u in await uow.units.all(include_inactive=True)}
            people = {p.id: p for p in await uow.people.all(include_inactive=True)}
            [current] = await self._tallies(uow, [period], keep_lines=True)
            details = await uow.reports.details(period)
        data = WorkbookData(current, units, people, details, month_label)
        return workbook_bytes(data, lang, self.core.config.tz), current

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

    async def queue_due_posts(self) -> int:
        """Queue the weekly post and the monthly report when their moment has come today.

        Each goes once per period and chat (the delivery key), across restarts; a moment missed
        while the bot was down is made up later the same day, not on another day."""
        core = self.core
        now = core.clock.now()
        local = now.astimezone(core.config.tz)
        async with core.uow() as uow:
            settings = await self.settings(uow)
            leaders = await core.leadership_chat(uow)
        count = 0
        year, week, _ = local.isocalendar()
        moment = weekly_moment(year, week, settings, core.calendar)
        if moment is not None and moment <= now and moment.date() == local.date():
            chats = [c for c in (leaders, settings.all_units_chat) if c is not None]
            count += await self._queue_weekly(f"{year}-W{week:02d}", moment, chats)
        moment = monthly_moment(local.year, local.month, settings, core.calendar)
        if moment is not None and moment <= now and moment.date() == local.date() and leaders:
            count += await self._queue_monthly(*previous_month(local.year, local.month), leaders)
        return count

    async def _queue_weekly(self, week: str, moment: datetime, chats: list[int]) -> int:
        async with self.core.uow() as uow:
            wanted = [
                c for c in chats if not await uow.deliveries.exists(f"report:week:{week}:{c}")
            ]
        if not wanted:
            return 0
        # Numbers as of the scheduled moment, however late they are sent.
        report = await self.tally_report(
            Period(moment - WEEK, moment), Period(moment - 2 * WEEK, moment - WEEK)
        )
        lang = self.core.config.language
        text, chart = self.texts(report, lang)
        start, end = period_bounds(report.tally.period, self.core.config.tz)
        caption = t("report.chart_caption", lang, start=start, end=end)
        now = self.core.clock.now()
        count = 0
        async with self.core.uow() as uow:
            for chat in wanted:
                key = f"report:week:{week}:{chat}"
                count += await uow.deliveries.add(key, chat, text, [], now)
                if chart is not None:
                    document = (f"tong-hop-{week}.png", "photo", chart)
                    count += await uow.deliveries.add(
                        key + ":chart", chat, caption, [], now, document=document
                    )
            await uow.commit()
        return count

    async def _queue_monthly(self, year: int, month_no: int, chat: int) -> int:
        key = f"report:month:{year:04d}-{month_no:02d}:{chat}"
        async with self.core.uow() as uow:
            if await uow.deliveries.exists(key):
                return 0
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
            person = await uow.people.by_telegram_id(actor.telegram_id)
            lang = self.core.lang_of(person, actor)
            units = await uow.units.all(include_inactive=True)
            if person is None:
                return None, lang, t("not_registered", lang, telegram_id=actor.telegram_id), units
            if not await self.core.chat_registered(uow, where):
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
            period, previous, rest = parse_period(arg, now, self.core.config.tz)
        except ValueError:
            return Answer(Outcome(t("usage.tonghop", lang, **examples(units))))
        if period is None:
            return Answer(Outcome(t("report.future", lang)))
        unit: Unit | None = None
        if rest:
            directory = UnitDirectory(u for u in units)
            unit = directory.find(rest)
            if unit is None:
                codes = ", ".join(u.code for u in directory.units)
                return Answer(Outcome(t("unknown_unit_list", lang, word=esc(rest), codes=codes)))
        if not self._sees_all(actor, person):
            own = next((u for u in units if u.id == person.unit_id), None)
            if own is None or person.role not in UNIT_ROLES:
                return Answer(Outcome(t("report.no_unit", lang)))
            if unit is not None and unit.id != own.id:
                return Answer(Outcome(t("report.denied_unit", lang, unit=esc(own.name))))
            unit = own
        report = await self.tally_report(period, previous, unit)
        text, chart = self.texts(report, lang)
        files = []
        if chart is not None:
            start, end = period_bounds(period, self.core.config.tz)
            caption = t("report.chart_caption", lang, start=start, end=end)
            files.append(ReportFile("tong-hop.png", chart, "photo", caption))
        return Answer(Outcome(text), files)

    async def baocao(self, actor: Actor, where: Where, arg: str) -> Answer:
        person, lang, refusal, _ = await self._who(actor, where)
        if refusal is not None or person is None:
            return Answer(Outcome(refusal))
        if not self._sees_all(actor, person):
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


# --- reading what people type ---------------------------------------------------------------

_DATE = r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _day(d: str, m: str, y: str | None, today: date) -> date:
    year = int(y) if y else today.year
    value = date(year, int(m), int(d))
    if not y and value > today:
        value = date(year - 1, int(m), int(d))
    return value


def parse_period(arg: str, now: datetime, tz: ZoneInfo) -> tuple[Period | None, Period | None, str]:
    """`/tonghop`'s words: (the period, the one to compare with, the rest: a unit).

    tuần (or nothing): the 7 days to now; tháng [M[/YYYY]]: a month (this one so far);
    từ dd/mm[/yyyy] đến dd/mm[/yyyy]: those days. None as the period: it has not begun."""
    text = _norm(arg)
    low = text.lower()
    today = now.astimezone(tz).date()
    if match := re.match(r"(?:tuần|tuan|week)\b\s*(.*)$", low):
        rest = text[len(low) - len(match.group(1)) :]
        return Period(now - WEEK, now), Period(now - 2 * WEEK, now - WEEK), rest.strip()
    if match := re.match(r"(?:tháng|thang|month)\b(?:\s+(\d{1,2})(?:[/.-](\d{4}))?)?\s*(.*)$", low):
        month_no = int(match.group(1)) if match.group(1) else today.month
        year = int(match.group(2)) if match.group(2) else today.year
        if not 1 <= month_no <= 12:
            raise ValueError(arg)
        if not match.group(2) and date(year, month_no, 1) > today:
            year -= 1
        rest = text[len(low) - len(match.group(3)) :]
        start, end = month(year, month_no, tz)
        if start >= now:
            return None, None, rest.strip()
        before = month(*previous_month(year, month_no), tz)
        return capped(start, end, now), capped(*before, now), rest.strip()
    if match := re.match(rf"(?:từ|tu|from)\s+{_DATE}\s+(?:đến|den|to)\s+{_DATE}\s*(.*)$", low):
        g = match.groups()
        first = _day(g[0], g[1], g[2], today)
        last = _day(g[3], g[4], g[5], today) if g[5] else date(first.year, int(g[4]), int(g[3]))
        if last < first and not g[5]:
            last = last.replace(year=last.year + 1)  # từ 20/12 đến 05/01
        if last < first:
            raise ValueError(arg)
        rest = text[len(low) - len(match.group(7)) :]
        start, end = days_period(first, last, tz)
        if start >= now:
            return None, None, rest.strip()
        length = end - start
        return capped(start, end, now), Period(start - length, start), rest.strip()
    if low.startswith(("từ", "tu ", "from")):
        raise ValueError(arg)
    return Period(now - WEEK, now), Period(now - 2 * WEEK, now - WEEK), text


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
        raise ValueError("that week has not begun")
    return capped(start, end, now), Period(start - WEEK, start)
