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


# The categories in the order a line gives them, the worst news first. The totals say them in
# words (and so serve as the legend); a unit's line gives each as its symbol and count, leaving
# out those with no task, so that it fits a phone's width (35 to 40 characters).
_PARTS = (
    ("open_late", "⏰"),
    ("open_in_time", "⏳"),
    ("done_on_time", "✅"),
    ("done_late", "☑️"),
    ("no_deadline", "♾️"),
)


def _shift(delta: str) -> str:
    return f" {delta}" if delta not in ("", "=") else ""


def unit_line(label: str, c: Counts, delta: str) -> str:
    """One unit on one line: "<b>TCKH</b> ⏰ 2 ▲1 · ✅ 5 · 71%". `delta` is the change of its
    late open tasks against the period before ("" when there is none to compare with)."""
    parts = []
    for name, symbol in _PARTS:
        n = getattr(c, name)
        shift = _shift(delta) if name == "open_late" else ""
        if n or shift:
            parts.append(f"{symbol} {n}{shift}")
    if c.rate is not None:
        parts.append(f"{c.rate * 100:.0f}%")
    return f"<b>{esc(label)}</b> " + " · ".join(parts)


def totals_lines(c: Counts, delta: str, lang: str) -> list[str]:
    """The totals in words, two categories a line: late and in time (open), on time and late
    (done); then what has no deadline, if any, and the tasks assigned in the period."""

    def part(name: str, shift: str = "") -> str:
        return t(f"report.part.{name}", lang, n=getattr(c, name)) + shift

    lines = [
        part("open_late", _shift(delta)) + " · " + part("open_in_time"),
        part("done_on_time") + " · " + part("done_late"),
    ]
    if c.no_deadline:
        lines.append(part("no_deadline"))
    extra = [t("report.assigned", lang, n=c.assigned)]
    for name in ("unacknowledged", "extended"):
        if getattr(c, name):
            extra.append(t(f"report.{name}", lang, n=getattr(c, name)))
    lines.append(" · ".join(extra))
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
    total = tally.total
    # The headline first: the rate, then the totals, then each unit (a phone shows the top).
    change = ""
    if previous is not None and previous.total.rate is not None:
        change = t("report.rate_change", lang, rate=percent(previous.total.rate, lang))
    lines.append(t("report.rate", lang, rate=percent(total.rate, lang), change=change))
    codes = {uid: report.units[uid].code if uid in report.units else "?" for uid in tally.units}
    order = [u for u in worst_first(tally.units, codes) if tally.units[u].total]
    before_total = previous.total.open_late if previous is not None else None
    lines += totals_lines(total, _delta(total.open_late, before_total), lang)
    if report.scope is not None:
        order = []  # its one unit's figures are the totals above
    else:
        lines.append("")
    for unit_id in order[:max_units]:
        counts = tally.units[unit_id]
        before = None
        if previous is not None:
            prior = previous.units.get(unit_id)
            before = prior.open_late if prior is not None else 0
        lines.append(unit_line(codes[unit_id], counts, _delta(counts.open_late, before)))
    if len(order) > max_units:
        lines.append(t("report.units_more", lang, count=len(order) - max_units))
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
        late = len(tally.late) if tally.late_count is None else tally.late_count
        if late > max_late:
            lines.append(t("report.late_more", lang, count=late - max_late))
    lines.append("")
    basis = t("report.basis_original", lang) if tally.count_against == "original" else ""
    lines.append(t("report.note", lang, asof=as_of(tally.period.end, tz, lang), basis=basis))
    return "\n".join(lines)
