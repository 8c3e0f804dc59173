"""Tallies as text: the weekly post and `/tonghop` (a monospace table, worst units first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.model import Unit
from bot.domain.tally import Counts, Period, Tally, worst_first
from bot.text.catalog import t
from bot.text.render import esc

MAX_UNITS = 35  # rows of the table: a ward has 5 to 20 units; a district-sized roster is cut
MAX_LATE = 25  # late tasks listed at most (the service counts urges for these only)
TEXT_LIMIT = 4000  # Telegram allows 4096


@dataclass
class TallyReport:
    """A tally and what its texts need."""

    tally: Tally
    units: dict[int, Unit]
    previous: Tally | None = None
    # Open late task id → reminders, for the first MAX_LATE of tally.late (those listed).
    urges: dict[int, int] = field(default_factory=dict)
    scope: Unit | None = None  # one unit's figures only
    note: str = ""  # said under the period: which dates were taken when no year was written


def moment(value: datetime, tz: ZoneInfo) -> str:
    local = value.astimezone(tz)
    if local.hour == 0 and local.minute == 0:
        return local.strftime("%d/%m/%Y")
    return local.strftime("%H:%M %d/%m/%Y")


def period_bounds(period: Period, tz: ZoneInfo) -> tuple[str, str]:
    """How a period is written: days for whole days ("01/11/2026 – 30/11/2026"), else moments."""
    start, end = period.start.astimezone(tz), period.end.astimezone(tz)
    if (start.hour, start.minute, end.hour, end.minute) == (0, 0, 0, 0):
        return start.strftime("%d/%m/%Y"), (end - timedelta(days=1)).strftime("%d/%m/%Y")
    return moment(start, tz), moment(end, tz)


def percent(rate: float | None, lang: str) -> str:
    return t("report.no_rate", lang) if rate is None else f"{rate * 100:.0f}%"


def _delta(now: int, before: int | None) -> str:
    if before is None:
        return ""
    change = now - before
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return "="


# The table's columns: the unit, Tổng, ĐH, HQ, TH, QH, ±, NQH, TL%. These minimum widths keep a
# ward's usual table as narrow as a phone shows it; a wider value widens its column (and every row
# with it) so that numbers never run together.
_MIN_WIDTHS = (7, 4, 3, 3, 3, 3, 4, 4, 5)
MAX_CODE = 16  # unit codes are abbreviations; a longer "code" is a name and is cut


def _cells(label: str, c: Counts, delta: str) -> list[str]:
    rate = "—" if c.rate is None else f"{c.rate * 100:.0f}"
    worst = str(c.worst_days_late) if c.worst_days_late else ""
    numbers = (c.total, c.done_on_time, c.done_late, c.open_in_time, c.open_late)
    return [label[:MAX_CODE], *map(str, numbers), delta, worst, rate]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """The header and rows of cells as aligned lines: the first column left, the others right,
    every figure at least one space from the one before (a title may fill its column: the unit
    column before it always ends in a space)."""
    widths = [max(w, len(cell)) for w, cell in zip(_MIN_WIDTHS, header, strict=True)]
    for cells in rows:
        for i, cell in enumerate(cells):
            widths[i] = max(widths[i], len(cell) + 1)
    lines = []
    for cells in [header, *rows]:
        first = f"{cells[0]:<{widths[0]}}"
        pairs = zip(cells[1:], widths[1:], strict=True)
        lines.append(first + "".join(f"{cell:>{width}}" for cell, width in pairs))
    return lines


def as_of(end: datetime, tz: ZoneInfo, lang: str) -> str:
    """The moment figures are classified at: a period of whole days ends at midnight, which
    would read as the next day ("23/11/2026" for a week to Sunday 22/11); say its last day."""
    local = end.astimezone(tz)
    if local.hour == 0 and local.minute == 0:
        last = (local - timedelta(days=1)).strftime("%d/%m/%Y")
        return t("report.asof_day_end", lang, day=last)
    return moment(end, tz)


def definition(tally: Tally, lang: str, tz: ZoneInfo) -> str:
    return t(
        "report.definition",
        lang,
        deadline=t(f"report.deadline.{tally.count_against}", lang),
        asof=as_of(tally.period.end, tz, lang),
    )


def tally_text(report: TallyReport, lang: str, tz: ZoneInfo) -> str:
    tally = report.tally
    start, end = period_bounds(tally.period, tz)
    scope = t("report.scope", lang, unit=esc(report.scope.name)) if report.scope else ""
    if tally.total.total == 0:
        empty = t("report.empty", lang, start=start, end=end, scope=scope)
        return f"{empty}\n{report.note}" if report.note else empty
    for max_units, max_late in ((MAX_UNITS, MAX_LATE), (20, 10), (10, 5)):
        text = _compose(report, lang, tz, max_units, max_late)
        if len(text) <= TEXT_LIMIT:
            break
    return text


def _compose(report: TallyReport, lang: str, tz: ZoneInfo, max_units: int, max_late: int) -> str:
    tally = report.tally
    start, end = period_bounds(tally.period, tz)
    if report.scope is not None:
        title = t("report.title_unit", lang, unit=esc(report.scope.name))
    else:
        title = t("report.title", lang)
    lines = [title, t("report.period", lang, start=start, end=end)]
    if report.note:
        lines.append(report.note)
    previous = report.previous
    codes = {uid: report.units[uid].code if uid in report.units else "?" for uid in tally.units}
    order = [u for u in worst_first(tally.units, codes) if tally.units[u].total]
    table: list[list[str]] = []
    for unit_id in order[:max_units]:
        counts = tally.units[unit_id]
        before = None
        if previous is not None:
            prior = previous.units.get(unit_id)
            before = prior.open_late if prior is not None else 0
        table.append(_cells(codes[unit_id], counts, _delta(counts.open_late, before)))
    if len(order) > 1:
        before_total = previous.total.open_late if previous is not None else None
        delta = _delta(tally.total.open_late, before_total)
        table.append(_cells(t("report.total_row", lang), tally.total, delta))
    header = t("report.header", lang).split("|")
    lines.append("<pre>" + esc("\n".join(_table(header, table))) + "</pre>")
    if len(order) > max_units:
        lines.append(t("report.units_more", lang, count=len(order) - max_units))
    total = tally.total
    change = ""
    if previous is not None and total.rate is not None and previous.total.rate is not None:
        points = round((total.rate - previous.total.rate) * 100)
        if points:
            key = "report.points.up" if points > 0 else "report.points.down"
            change = t("report.rate_change", lang, sign=t(key, lang, n=abs(points)))
    lines.append(t("report.rate", lang, rate=percent(total.rate, lang), change=change))
    lines.append(
        t(
            "report.extra",
            lang,
            assigned=total.assigned,
            no_deadline=total.no_deadline,
            unacknowledged=total.unacknowledged,
            extended=total.extended,
        )
    )
    if tally.late:
        lines.append("")
        lines.append(t("report.late_title", lang))
        for line in tally.late[:max_late]:
            unit = report.units.get(line.lead_unit_id)
            lines.append(
                t(
                    "report.late_item",
                    lang,
                    code=esc(line.facts.code),
                    unit=esc(unit.code if unit else "?"),
                    days=line.days_late,
                    urges=report.urges.get(line.facts.id, 0),
                )
            )
        if len(tally.late) > max_late:
            lines.append(t("report.late_more", lang, count=len(tally.late) - max_late))
    lines.append("")
    lines.append(t("report.legend", lang))
    lines.append(definition(tally, lang, tz))
    return "\n".join(lines)
