"""Deadlines the way Vietnamese officials write them.

Matching works on a folded copy of the text (lower case, accents and đ removed), so "Thứ Sáu",
"thu sau" and "THỨ SÁU" read alike. Errors carry codes and parameters; wording them is the text
layer's job.

Decisions on points the written forms leave open:

* Without a time the deadline is the close of the office day (``WorkCalendar.close_of``).
* "Past" is judged on the day as written, before rolling: "21/11/2026" (a Saturday) is refused
  on Sunday 22/11 even though art. 148 would carry it to Monday, because the writer made a mistake.
* A day without a year is its next occurrence whose deadline is still ahead (today included).
  When its last occurrence passed less than ``RECENT_PAST_DAYS`` ago, the writer more likely slipped
  than meant a date nearly a year away, so that is AMBIGUOUS (params ``date``: the passed one,
  ``next``: the next one) rather than a silent guess. The same holds for "tháng 10", "quý III".
* Fuzzy points without "này" move on once passed (art. 146): "giữa tháng" after the 15th is next
  month's 15th, "cuối tuần" on a Sunday is the coming Friday, "giữa năm" in November is next
  year's 30/6. With "này" ("tuần này", "tháng này", "thứ 6 tuần này") a passed point is PAST.
* A bare weekday ("thứ 6", "T6") is its next occurrence, today included while its deadline (the
  close of office, or the written time) is still ahead; "tuần sau/tuần tới" means the next
  calendar week (Monday to Sunday). "tuần sau" alone and "cuối tuần" mean Friday, the last
  working day.
* Offsets ("10 ngày", "5 ngày làm việc", "2 tháng kể từ ngày giao") count from today's date, the
  day of assignment; calendar months clamp to the month's last day.
* "kể từ ngày giao/nhận/ký ..." adds nothing: the phrase is parsed on the day of assignment.
* "trong/trong vòng/không quá N giờ" and "N tiếng" are durations from ``now``; "N giờ làm việc"
  counts office hours only. A bare "17h"/"trước 17h" is a clock time today.
* Roll-forward applies to every computed day, with or without a written time, and keeps the time.
  Under ``DayOffRule.PREVIOUS`` the day rolls back to the working day before, unless that has
  already passed, when it rolls forward as art. 148 has it.
* "24h"/"24 giờ" means the very end of that day (23:59), as in "trước 24 giờ ngày 15/12".
* A weekday written next to a date ("thứ Sáu, 18/12") must agree with it, else AMBIGUOUS (params
  ``date``, ``weekday`` and ``date_weekday`` as ISO numbers, Monday = 1).
"""

from __future__ import annotations

import calendar as _stdcal
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.calendar.workdays import WorkCalendar
from bot.patterns import LazyPattern, lazy

RECENT_PAST_DAYS = 90

# Offsets beyond a century are typos, and a day-by-day loop over them would stall the bot.
_MAX_OFFSET_DAYS = 36_600


class DeadlineErrorCode(StrEnum):
    UNREADABLE = "unreadable"
    PAST = "past"
    INVALID_DATE = "invalid_date"
    AMBIGUOUS = "ambiguous"


class DeadlineError(Exception):
    def __init__(self, code: DeadlineErrorCode, params: dict[str, str] | None = None) -> None:
        self.code = code
        self.params: dict[str, str] = dict(params or {})
        super().__init__(f"{code}: {self.params}" if self.params else str(code))


@dataclass(frozen=True)
class ParsedDeadline:
    due: datetime | None
    has_time: bool
    rolled_from: date | None
    text: str


# -- text normalisation --------------------------------------------------------------------------

_TRAILING = " \t.,;:!?…-–—"


def _nfc(text: str) -> str:
    # Stray combining marks that NFC could not attach would break the one-char-per-char folding.
    return unicodedata.normalize("NFC", text).translate(_STRAY_MARKS)


class _StrayMarks(dict[int, str | None]):
    """str.translate's table for _nfc: combining marks dropped, anything else kept; filled as
    characters are first seen, and only for the lower planes (see _FoldTable)."""

    def __missing__(self, code: int) -> str | None:
        kept = None if unicodedata.combining(chr(code)) else chr(code)
        if code < 0x3000:
            self[code] = kept
        return kept


_STRAY_MARKS = _StrayMarks()


class _FoldTable(dict[int, str]):
    """str.translate's table for _fold, filled as characters are first seen (the lookup is in
    C; normalising each character anew was a Python loop over the whole message). Only the
    lower planes are kept, so text from a hostile client cannot grow it without end."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐÐ":
            out = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out = base.lower()[:1] or base
        if code < 0x3000:
            self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


def _fold(text: str) -> str:
    """Lower case without accents, one output character per input character.

    Keeping the length lets extract_deadline find a phrase in the folded copy and cut the original.
    """
    return text.translate(_FOLD_TABLE)


def _clean(text: str) -> str:
    cleaned = " ".join(_nfc(text).split()).strip(_TRAILING)
    while len(cleaned) >= 2 and cleaned[0] in "([" and cleaned[-1] in ")]":
        cleaned = cleaned[1:-1].strip(_TRAILING)
    return cleaned


def _fold_for_parse(cleaned: str) -> str:
    folded = _fold(cleaned)
    folded = re.sub(r"[,()\[\]]", " ", folded)
    # A colon is punctuation ("hạn: 15/12") except inside a clock time ("9:00").
    folded = re.sub(r"(?<![0-9]):|:(?![0-9])", " ", folded)
    return " ".join(folded.split())


# -- grammar pieces (folded text) ----------------------------------------------------------------

_NUMBER_WORDS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
    "muoi mot": 11,
    "muoi hai": 12,
    "muoi lam": 15,
    "muoi nam": 15,
    "hai muoi": 20,
    "ba muoi": 30,
}
_NUM = (
    r"(?P<n>[0-9]{1,6}|"
    + "|".join(w.replace(" ", r"\s+") for w in sorted(_NUMBER_WORDS, key=len, reverse=True))
    + ")"
)
_WD = r"(?:thu\s*[2-7]|thu\s+(?:hai|bay|ba|tu|nam|sau)|t\s?[2-7]|chu\s+nhat|cn)"
_WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_NEXT = r"(?:sau|toi|ke\s+tiep|ke)"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_TIME = (
    r"(?:(?P<h1>[0-9]{1,2})\s*h(?P<m1>[0-9]{1,2})?(?:\s*(?:phut|p|'))?"
    r"|(?P<h2>[0-9]{1,2})\s*gio(?:\s*(?P<m2>[0-9]{1,2})(?:\s*phut)?)?"
    r"|(?P<h3>[0-9]{1,2})\s*:\s*(?P<m3>[0-9]{2}))"
    r"(?:\s+(?P<pd>sang|trua|chieu|toi|dem))?"
)
_AT = r"(?:vao\s+luc|luc|vao)"
_TIME_FIRST = lazy(rf"(?:{_AT}\s+)?{_TIME}\s+(?P<rest>.+)")
_TIME_LAST = lazy(rf"(?P<rest>.+?)\s+(?:{_AT}\s+)?{_TIME}")
_TIME_ONLY = lazy(rf"(?:{_AT}\s+)?{_TIME}(?:\s+(?:hom\s+nay|trong\s+ngay))?")

_PREFIX = lazy(
    r"(?:hoan\s+thanh|xong|nop|thoi\s+han|han\s+chot|han|deadline|truoc|cham\s+nhat|muon\s+nhat"
    r"|den|het|la|xu\s+ly|thuc\s+hien|bao\s+cao)(?:\s+|$)"
)
_WITHIN = lazy(
    r"(?:trong\s+vong|trong\s+thoi\s+han|trong\s+thoi\s+gian|trong|khong\s+qua|khong\s+muon\s+hon"
    r"|toi\s+da)\s+"
)
_NO_DEADLINE = lazy(
    r"thuong\s+xuyen(?:\s+lien\s+tuc)?|lien\s+tuc|(?:khong|ko|k)(?:\s+co)?\s+(?:thoi\s+)?han"
    r"(?:\s+cu\s+the)?"
)
_HOURS = lazy(
    rf"(?P<within>(?:trong(?:\s+vong)?|khong\s+qua|toi\s+da)\s+)?{_NUM}\s*"
    r"(?:(?P<unit>h|gio|tieng)(?P<work>\s+lam\s+viec)?)"
)


def _fmt(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _unreadable(text: str) -> DeadlineError:
    return DeadlineError(DeadlineErrorCode.UNREADABLE, {"text": text})


def _invalid(**params: str) -> DeadlineError:
    return DeadlineError(DeadlineErrorCode.INVALID_DATE, params)


def _month_end(year: int, month: int) -> date:
    return date(year, month, _stdcal.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, _stdcal.monthrange(year, month)[1]))


def _month_point(year: int, month: int, point: str | None) -> date:
    # Civil Code art. 146: đầu tháng = the 1st, giữa tháng = the 15th, cuối tháng = the last day.
    if point == "dau":
        return date(year, month, 1)
    if point == "giua":
        return date(year, month, 15)
    return _month_end(year, month)


def _quarter_point(year: int, quarter: int, point: str | None) -> date:
    if point == "dau":
        return date(year, quarter * 3 - 2, 1)
    return _month_end(year, quarter * 3)


def _weekday_index(written: str) -> int:
    compact = written.replace(" ", "")
    if compact in ("cn", "chunhat"):
        return 6
    if compact.startswith("thu") and compact[3:] in _WEEKDAY_WORDS:
        return _WEEKDAY_WORDS[compact[3:]]
    return int(compact[-1]) - 2


def _number(written: str) -> int:
    key = " ".join(written.split())
    if key in _NUMBER_WORDS:
        return _NUMBER_WORDS[key]
    return int(key)


def _year(written: str) -> int:
    value = int(written)
    return 2000 + value if len(written) == 2 else value


@dataclass(frozen=True)
class _Ctx:
    now: datetime
    cal: WorkCalendar
    at: time | None

    @property
    def today(self) -> date:
        return self.now.date()

    def deadline_of(self, d: date) -> datetime:
        if self.at is None:
            return self.cal.close_of(d)
        return datetime.combine(d, self.at, tzinfo=self.cal.tz)

    def is_ahead(self, d: date) -> bool:
        return self.deadline_of(d) >= self.now


def _next_occurrence(make: Callable[[int], date], ctx: _Ctx, label: str) -> date:
    """Resolve a yearless day to its next occurrence still ahead (see module doc on AMBIGUOUS)."""
    year = ctx.today.year
    candidates = []
    # Eight years ahead finds the next 29/02; one year back finds a just-passed occurrence.
    for y in range(year - 1, year + 9):
        try:
            candidates.append(make(y))
        except ValueError:
            continue
    if not candidates:
        raise _invalid(date=label)
    previous: date | None = None
    for candidate in candidates:
        if ctx.is_ahead(candidate):
            if previous is not None and (ctx.today - previous).days <= RECENT_PAST_DAYS:
                raise DeadlineError(
                    DeadlineErrorCode.AMBIGUOUS, {"date": _fmt(previous), "next": _fmt(candidate)}
                )
            return candidate
        previous = candidate
    raise _invalid(date=label)


def _advancing(make: Callable[[int], date], ctx: _Ctx) -> date:
    """This period's point, or the next period's once this one has passed (step = 1 period)."""
    current = make(0)
    return current if ctx.is_ahead(current) else make(1)


# -- day handlers -------------------------------------------------------------------------------

_Handler = Callable[[re.Match[str], _Ctx], date]
_RULES: list[tuple[LazyPattern, _Handler]] = []


def _rule(pattern: str) -> Callable[[_Handler], _Handler]:
    def register(handler: _Handler) -> _Handler:
        _RULES.append((lazy(pattern), handler))
        return handler

    return register


def _check_weekday(d: date, m: re.Match[str]) -> date:
    for group in ("wd1", "wd2"):
        written = m.group(group)
        if written is not None and _weekday_index(written) != d.weekday():
            raise DeadlineError(
                DeadlineErrorCode.AMBIGUOUS,
                {
                    "date": _fmt(d),
                    "weekday": str(_weekday_index(written) + 1),
                    "date_weekday": str(d.isoweekday()),
                },
            )
    return d


def _day_month_year(m: re.Match[str], ctx: _Ctx) -> date:
    day, month = int(m.group("d")), int(m.group("m"))
    written_year = m.group("y") or m.group("y2")
    if m.group("ynay"):  # "năm nay": this year, said outright, so never moved to the next
        written_year = str(ctx.today.year)
    label = f"{day:02d}/{month:02d}" + (f"/{_year(written_year)}" if written_year else "")
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise _invalid(date=label)
    if written_year:
        try:
            resolved = date(_year(written_year), month, day)
        except ValueError:
            raise _invalid(date=label) from None
    else:
        resolved = _next_occurrence(lambda y: date(y, month, day), ctx, label)
    return _check_weekday(resolved, m)


_YEAR_TAIL = (
    r"(?:\s*(?P=sep)\s*(?P<y>[0-9]{4}|[0-9]{2})|\s+nam\s+(?P<y2>[0-9]{4})|\s+nam\s+(?P<ynay>nay))?"
)
_rule(
    rf"(?:(?P<wd1>{_WD})\s+)?(?:ngay\s+)?(?P<d>[0-9]{{1,2}})\s*(?P<sep>[/.-])\s*(?P<m>[0-9]{{1,2}})"
    rf"{_YEAR_TAIL}(?:\s+(?P<wd2>{_WD}))?"
)(_day_month_year)
_rule(
    rf"(?:(?P<wd1>{_WD})\s+)?(?:ngay\s+)?(?P<d>[0-9]{{1,2}})\s+thang\s+(?P<m>[0-9]{{1,2}})"
    rf"(?:\s+nam\s+(?P<y>[0-9]{{4}})|\s*[/-]\s*(?P<y2>[0-9]{{4}})|\s+nam\s+(?P<ynay>nay))?"
    rf"(?:\s+(?P<wd2>{_WD}))?"
)(_day_month_year)


@_rule(rf"ngay\s+(?P<d>[0-9]{{1,2}})(?:\s+thang\s+(?P<rel>nay|{_NEXT}))?")
def _day_of_month(m: re.Match[str], ctx: _Ctx) -> date:
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        raise _invalid(date=f"{day:02d}")
    rel = m.group("rel")
    first = ctx.today.replace(day=1)
    if rel is not None:
        month = first if rel == "nay" else _add_months(first, 1)
        try:
            return month.replace(day=day)
        except ValueError:
            raise _invalid(date=f"{day:02d}/{month.month:02d}/{month.year}") from None
    # The next month that has that day and whose deadline is still ahead.
    for step in range(13):
        month = _add_months(first, step)
        try:
            candidate = month.replace(day=day)
        except ValueError:
            continue
        if ctx.is_ahead(candidate):
            return candidate
    raise _invalid(date=f"{day:02d}")


def _month_of(m: re.Match[str], ctx: _Ctx) -> date:
    month = int(m.group("m"))
    point = m.group("pt")
    written_year = m.groupdict().get("y")
    yrel = m.groupdict().get("yrel")
    label = f"{month:02d}" + (f"/{written_year}" if written_year else "")
    if not 1 <= month <= 12:
        raise _invalid(month=label)
    if written_year:
        return _month_point(int(written_year), month, point)
    if yrel is not None:
        year = ctx.today.year + (0 if yrel == "nay" else 1)
        return _month_point(year, month, point)
    return _next_occurrence(lambda y: _month_point(y, month, point), ctx, label)


_rule(r"(?:(?P<pt>dau|giua|cuoi)\s+)?(?:thang\s+)?(?P<m>[0-9]{1,2})\s*[/-]\s*(?P<y>[0-9]{4})")(
    _month_of
)
_rule(
    r"(?:(?P<pt>dau|giua|cuoi)\s+)?thang\s+(?P<m>[0-9]{1,2})"
    rf"(?:\s+(?:nam\s+)?(?P<y>[0-9]{{4}})|\s+nam\s+(?P<yrel>nay|{_NEXT}))?"
)(_month_of)


@_rule(rf"(?:(?P<pt>dau|giua|cuoi)\s+)?thang(?:\s+(?P<rel>nay|{_NEXT}))?")
def _month_relative(m: re.Match[str], ctx: _Ctx) -> date:
    point, rel = m.group("pt"), m.group("rel")
    first = ctx.today.replace(day=1)

    def make(step: int) -> date:
        month = _add_months(first, step)
        return _month_point(month.year, month.month, point)

    if rel == "nay":
        return make(0)
    if rel is not None:
        return make(1)
    return _advancing(make, ctx)


def _quarter_number(written: str) -> int:
    return _ROMAN[written] if written in _ROMAN else int(written)


@_rule(
    r"(?:(?P<pt>dau|cuoi)\s+)?quy\s+(?P<q>iv|iii|ii|i|[0-9]{1,2})"
    r"(?:\s*[/-]\s*(?P<y>[0-9]{4})|\s+(?:nam\s+)?(?P<y2>[0-9]{4})"
    rf"|\s+nam\s+(?P<yrel>nay|{_NEXT}))?"
)
def _quarter(m: re.Match[str], ctx: _Ctx) -> date:
    quarter = _quarter_number(m.group("q"))
    point = m.group("pt")
    written_year = m.group("y") or m.group("y2")
    if not 1 <= quarter <= 4:
        raise _invalid(quarter=str(quarter))
    if written_year:
        return _quarter_point(int(written_year), quarter, point)
    yrel = m.group("yrel")
    if yrel is not None:
        return _quarter_point(ctx.today.year + (0 if yrel == "nay" else 1), quarter, point)
    return _next_occurrence(lambda y: _quarter_point(y, quarter, point), ctx, f"Q{quarter}")


@_rule(rf"(?:(?P<pt>dau|cuoi)\s+)?quy(?:\s+(?P<rel>nay|{_NEXT}))?")
def _quarter_relative(m: re.Match[str], ctx: _Ctx) -> date:
    point, rel = m.group("pt"), m.group("rel")
    this_quarter = (ctx.today.month - 1) // 3

    def make(step: int) -> date:
        index = ctx.today.year * 4 + this_quarter + step
        return _quarter_point(index // 4, index % 4 + 1, point)

    if rel == "nay":
        return make(0)
    if rel is not None:
        return make(1)
    return _advancing(make, ctx)


@_rule(
    r"(?:(?P<kind>(?:6|sau)\s+thang\s+(?:dau|cuoi)|dau|giua|cuoi)\s+)?nam"
    rf"(?:\s+(?P<y>[0-9]{{4}})|\s+(?P<rel>nay|{_NEXT}))?"
)
def _year_point(m: re.Match[str], ctx: _Ctx) -> date:
    kind = " ".join((m.group("kind") or "cuoi").split())

    def make(year: int) -> date:
        # Art. 146: đầu năm = 1/1, giữa năm = 30/6, cuối năm = 31/12; halves end with them.
        if kind == "dau":
            return date(year, 1, 1)
        if kind in ("giua", "6 thang dau", "sau thang dau"):
            return date(year, 6, 30)
        return date(year, 12, 31)

    if m.group("y"):
        return make(int(m.group("y")))
    rel = m.group("rel")
    if rel == "nay":
        return make(ctx.today.year)
    if rel is not None:
        return make(ctx.today.year + 1)
    return _advancing(lambda step: make(ctx.today.year + step), ctx)


_RELATIVE_DAYS = {
    "hom nay": 0,
    "nay": 0,  # "14h chiều nay": the session splits off first, leaving "nay"
    "ngay trong ngay": 0,
    "ngay hom nay": 0,
    "ngay": 0,
    "cuoi ngay": 0,
    "ngay mai": 1,
    "mai": 1,
    "ngay kia": 2,
    "ngay mot": 2,
    "mot": 2,
    "ngay kia ngay mot": 2,
}


@_rule("|".join(k.replace(" ", r"\s+") for k in sorted(_RELATIVE_DAYS, key=len, reverse=True)))
def _relative_day(m: re.Match[str], ctx: _Ctx) -> date:
    return ctx.today + timedelta(days=_RELATIVE_DAYS[" ".join(m.group(0).split())])


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


@_rule(rf"(?P<wd>{_WD})(?:\s+(?:tuan\s+(?P<rel>nay|{_NEXT})|(?P<this>nay)))?")
def _weekday(m: re.Match[str], ctx: _Ctx) -> date:
    index = _weekday_index(m.group("wd"))
    rel = m.group("rel") or m.group("this")  # "thứ 6 này" is "thứ 6 tuần này"
    if rel == "nay":
        return _monday(ctx.today) + timedelta(days=index)
    if rel is not None:
        return _monday(ctx.today) + timedelta(days=7 + index)
    for step in range(8):
        candidate = ctx.today + timedelta(days=step)
        if candidate.weekday() == index and ctx.is_ahead(candidate):
            return candidate
    raise AssertionError("a weekday recurs within eight days")  # pragma: no cover


@_rule(rf"(?:(?P<pt>dau|cuoi)\s+)?tuan(?:\s+(?P<rel>nay|{_NEXT}))?")
def _week(m: re.Match[str], ctx: _Ctx) -> date:
    # Friday, not Sunday: Saturday and Sunday are off, so the week's work ends on Friday.
    offset = 0 if m.group("pt") == "dau" else 4
    this_week = _monday(ctx.today) + timedelta(days=offset)
    rel = m.group("rel")
    if rel == "nay":
        return this_week
    if rel is not None:
        return this_week + timedelta(days=7)
    return this_week if ctx.is_ahead(this_week) else this_week + timedelta(days=7)


_SINCE = (
    r"(?:\s+(?:ke|tinh)\s+tu\s+(?:ngay\s+|khi\s+|luc\s+)?"
    r"(?:giao|nhan|ky|ban\s+hanh|hom\s+nay)(?:\s+[a-z]+)*)?"
)


@_rule(
    rf"(?:sau\s+)?(?:{_NUM}\s+(?P<unit>ngay\s+lam\s+viec|ngay\s+lv|ngay|tuan|thang|nam)"
    rf"|nua\s+(?P<half>thang|nam)){_SINCE}"
)
def _offset(m: re.Match[str], ctx: _Ctx) -> date:
    if m.group("half"):
        # Art. 146: nửa tháng is 15 days; nửa năm is six months.
        if m.group("half") == "thang":
            return ctx.today + timedelta(days=15)
        return _add_months(ctx.today, 6)
    n = _number(m.group("n"))
    unit = " ".join(m.group("unit").split())
    if n < 1:
        raise _unreadable(m.group(0))
    days_per_unit = {"tuan": 7, "thang": 31, "nam": 366}.get(unit, 1)
    if n * days_per_unit > _MAX_OFFSET_DAYS:
        raise _invalid(offset=m.group(0))
    if unit in ("ngay lam viec", "ngay lv"):
        return ctx.cal.add_working_days(ctx.today, n)
    if unit == "ngay":
        return ctx.today + timedelta(days=n)
    if unit == "tuan":
        return ctx.today + timedelta(weeks=n)
    return _add_months(ctx.today, n if unit == "thang" else 12 * n)


def _parse_day(text: str, ctx: _Ctx) -> date:
    core = text
    while (m := _WITHIN.match(core)) is not None:
        core = core[m.end() :]
    for pattern, handler in _RULES:
        match = pattern.fullmatch(core)
        if match is not None:
            return handler(match, ctx)
    raise _unreadable(text)


def _time_of(m: re.Match[str]) -> time:
    hour_text = m.group("h1") or m.group("h2") or m.group("h3")
    minute_text = m.group("m1") or m.group("m2") or m.group("m3") or "0"
    hour, minute = int(hour_text), int(minute_text)
    period = m.group("pd")
    # "3 giờ chiều" is 15:00; "1 giờ trưa" is 13:00 while "11 giờ trưa" stays 11:00.
    latest_shifted = 2 if period == "trua" else 11
    if period in ("chieu", "toi", "dem", "trua") and 1 <= hour <= latest_shifted:
        hour += 12
    if hour == 24 and minute == 0:
        return time(23, 59)
    if hour > 23 or minute > 59:
        raise _invalid(time=f"{hour_text}:{minute_text.zfill(2)}")
    return time(hour, minute)


_SESSION = lazy(r"(?:buoi\s+)?(?P<session>sang|chieu)\s+(?P<rest>.+)")


def _resolve(core: str, now: datetime, cal: WorkCalendar) -> tuple[date, time | None]:
    session = _SESSION.fullmatch(core)
    if session is not None:
        # "sáng mai": by the end of tomorrow's morning session; "chiều nay": by the close today.
        rest = "hom nay" if session.group("rest") == "nay" else session.group("rest")
        day, at = _resolve(rest, now, cal)
        morning = session.group("session") == "sang"
        if at is None and morning:
            at = cal.lunch[0] if cal.lunch is not None else time(12, 0)
        elif at is not None and not morning and 1 <= at.hour <= 11:
            at = at.replace(hour=at.hour + 12)  # "chiều mai 3h" is 15:00
        elif at is not None and morning and at.hour >= 12:
            raise _invalid(time=f"sáng {at:%H:%M}")  # "sáng mai 14h" is a slip
        return day, at
    try:
        return _parse_day(core, _Ctx(now, cal, None)), None
    except DeadlineError as error:
        if error.code is not DeadlineErrorCode.UNREADABLE:
            raise
    for splitter in (_TIME_FIRST, _TIME_LAST):
        m = splitter.fullmatch(core)
        if m is None:
            continue
        at = _time_of(m)
        try:
            return _parse_day(m.group("rest"), _Ctx(now, cal, at)), at
        except DeadlineError as error:
            if error.code is not DeadlineErrorCode.UNREADABLE:
                raise
    m = _TIME_ONLY.fullmatch(core)
    if m is not None:
        return now.date(), _time_of(m)
    raise _unreadable(core)


def _strip_prefixes(folded: str) -> str:
    core = folded
    while (m := _PREFIX.match(core)) is not None and m.end() > 0:
        core = core[m.end() :]
    return core


_NEGATIVE = lazy(r"\s*[-–—]\s*[0-9]+\s*(?:ngay|tuan|thang|nam|gio|h|tieng)\b")


def parse_deadline(text: str, now: datetime, cal: WorkCalendar) -> ParsedDeadline:
    """Read one deadline phrase ("trước 15/12", "5 ngày làm việc", "thường xuyên", ...)."""
    local_now = cal.to_local(now)
    if _NEGATIVE.match(_fold(_nfc(text))):
        raise _unreadable(_clean(text))  # "-3 ngày": cleaning would drop the minus sign
    cleaned = _clean(text)
    core = _strip_prefixes(_fold_for_parse(cleaned))
    if not core:
        raise _unreadable(cleaned)
    if _NO_DEADLINE.fullmatch(core):
        return ParsedDeadline(due=None, has_time=False, rolled_from=None, text=cleaned)

    hours = _HOURS.fullmatch(core)
    if hours is not None and (
        hours.group("within") or hours.group("unit") == "tieng" or hours.group("work")
    ):
        n = _number(hours.group("n"))
        if n < 1:
            raise _unreadable(cleaned)
        if n > _MAX_OFFSET_DAYS:
            raise _invalid(offset=hours.group(0))
        if hours.group("work"):
            due = cal.add_office_hours(local_now, n)
        else:
            due = local_now + timedelta(hours=n)
        return _finish(due, True, cal, cleaned, local_now)

    try:
        day, at = _resolve(core, local_now, cal)
    except DeadlineError as error:
        if error.code is DeadlineErrorCode.UNREADABLE:
            raise _unreadable(cleaned) from None
        raise
    written = cal.close_of(day) if at is None else datetime.combine(day, at, tzinfo=cal.tz)
    if written < local_now:
        params = {"date": _fmt(day)}
        if at is not None:
            params["time"] = at.strftime("%H:%M")
        raise DeadlineError(DeadlineErrorCode.PAST, params)
    return _finish(written, at is not None, cal, cleaned, local_now)


def _finish(
    due: datetime, has_time: bool, cal: WorkCalendar, cleaned: str, now: datetime
) -> ParsedDeadline:
    day = due.date()
    rolled = cal.roll(day)
    if rolled < day and datetime.combine(rolled, due.timetz()) < now:
        # DayOffRule.PREVIOUS, but the working day before has already passed ("trước 20/12",
        # a Sunday, written on Saturday 19/12): the next working day, as art. 148 has it.
        rolled = cal.next_working_day(day, include_self=True)
    if rolled == day:
        return ParsedDeadline(due=due, has_time=has_time, rolled_from=None, text=cleaned)
    moved = datetime.combine(rolled, due.timetz().replace(tzinfo=None), tzinfo=cal.tz)
    return ParsedDeadline(due=moved, has_time=has_time, rolled_from=day, text=cleaned)


# -- finding the deadline at the end of a command -------------------------------------------------

# Explicit markers announce a deadline, so an unreadable phrase after them is an error worth
# reporting; the others ("trước", "trong", ...) are ordinary words too.
_MARKER = lazy(
    r"(?<![0-9a-z])(?:"
    r"(?P<explicit>thoi\s+han|han\s+chot|han|deadline)"
    r"|hoan\s+thanh\s+(?:truoc|trong|cham\s+nhat|den|vao)|hoan\s+thanh"
    r"|truoc|cham\s+nhat|trong|khong\s+qua|den\s+ngay|den\s+het"
    r")(?![0-9a-z])|\("
)
# "gia hạn" (extension), "quá hạn" (late), "hạn chế" (restrict), ... are not deadlines. Compared
# with accents, since folding would make "kết quả hạn 15/12" look like "quá hạn".
_NOT_DEADLINE_BEFORE_HAN = {
    "gia",
    "kỳ",
    "kì",
    "quá",
    "đến",
    "đúng",
    "hết",
    "đáo",
    "giới",
    "vô",
    "hữu",
    "cực",
    "trong",
    "sắp",
    "trễ",
    "chậm",
}
_NOT_DEADLINE_AFTER_HAN = {"chế", "mức", "ngạch", "hán", "định"}
_CLAUSE_BREAK = ",;:.-–—("
_CONTENT_TRAILING = " \t.,;:!?…-–—("


_FOLDED_BEFORE_HAN = frozenset(_fold(w) for w in _NOT_DEADLINE_BEFORE_HAN)
_FOLDED_AFTER_HAN = frozenset(_fold(w) for w in _NOT_DEADLINE_AFTER_HAN)


def _is_word(written: str, words: set[str], folded_words: frozenset[str]) -> bool:
    # Typed without accents, "qua" may be "quá"; typed with accents, "quả" is not.
    lowered = written.lower()
    return lowered in words or (lowered.isascii() and lowered in folded_words)


def _not_a_deadline_han(source: str, start: int, end: int) -> bool:
    if source[end:].lstrip().startswith(":"):
        return False
    before = source[:start].split()
    after = source[end:].split()
    word_before = before[-1].strip(_CLAUSE_BREAK) if before else ""
    word_after = after[0].strip(_CLAUSE_BREAK + ")") if after else ""
    return _is_word(word_before, _NOT_DEADLINE_BEFORE_HAN, _FOLDED_BEFORE_HAN) or _is_word(
        word_after, _NOT_DEADLINE_AFTER_HAN, _FOLDED_AFTER_HAN
    )


def extract_deadline(
    text: str,
    now: datetime,
    cal: WorkCalendar,
    strict: bool = False,
    content_elsewhere: bool = False,
) -> tuple[str, ParsedDeadline | None]:
    """Split a command tail into (content, deadline) at its trailing deadline phrase.

    Candidates start at marker words, longest phrase first; the first that parses wins. If none
    parses, a real error (PAST, INVALID_DATE, AMBIGUOUS, or UNREADABLE after "hạn"/"thời hạn"
    opening a clause) is raised, otherwise ``(text, None)`` comes back unchanged.

    ``strict``: the text follows a command whose syntax makes "hạn" the deadline's marker
    (``/giao … hạn <thời hạn>``), so an unreadable phrase after any standalone "hạn" is an error.

    ``content_elsewhere``: the content comes from another message (``/giao TCKH hạn 15/12`` sent
    as a reply), so the text may be the deadline phrase alone.
    """
    source = _nfc(text)
    folded = _fold(source)
    first_error: DeadlineError | None = None
    for marker in _MARKER.finditer(folded):
        start = marker.start()
        content = source[:start].rstrip(_CONTENT_TRAILING)
        if not content.strip() and not content_elsewhere:
            continue
        explicit = marker.group("explicit") is not None
        if marker.group("explicit") == "han" and _not_a_deadline_han(source, start, marker.end()):
            continue
        # The deadline ends its line; lines after it ("hạn 15/12" then details) are content.
        phrase, _, after = source[start:].partition("\n")
        try:
            parsed = parse_deadline(phrase, now, cal)
        except DeadlineError as error:
            if first_error is None and (
                error.code is not DeadlineErrorCode.UNREADABLE
                or (explicit and (strict or _opens_clause(folded, start, marker.end())))
            ):
                first_error = error
            continue
        return "\n".join(p for p in (content.strip(), after.strip()) if p), parsed
    if first_error is not None:
        raise first_error
    return text, None


def _opens_clause(folded: str, start: int, end: int) -> bool:
    before = folded[:start].rstrip()
    return (not before or before[-1] in _CLAUSE_BREAK) or folded[end:].lstrip().startswith(":")


# -- display ------------------------------------------------------------------------------------

_WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def weekday_name(iso_weekday: int, lang: str = "vi") -> str:
    """ "Thứ Sáu" for 5 (ISO numbering, Monday = 1)."""
    names = _WEEKDAYS["en" if lang.lower().startswith("en") else "vi"]
    return names[(iso_weekday - 1) % 7]


def format_deadline(due: datetime, lang: str = "vi", tz: ZoneInfo | None = None) -> str:
    """ "Thứ Sáu, 18/12/2026 17:00", shown in ``due``'s own zone unless ``tz`` is given.

    Callers holding a stored UTC time pass the office's ``tz`` (or convert first). Any ``lang``
    starting with "en" is English; everything else is Vietnamese, the product's language.
    """
    if due.tzinfo is None or due.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    local = due if tz is None else due.astimezone(tz)
    return _shown(local.replace(tzinfo=None), lang.lower().startswith("en"))


@functools.lru_cache(maxsize=1024)
def _shown(wall: datetime, english: bool) -> str:
    # By the local wall time alone: a list of tasks shows the same few deadlines over and over,
    # and strftime is the dearest part.
    names = _WEEKDAYS["en" if english else "vi"]
    return f"{names[wall.weekday()]}, {wall:%d/%m/%Y %H:%M}"
