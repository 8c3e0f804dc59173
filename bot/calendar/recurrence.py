"""Recurring deadlines as offices write them, and the periods they make (pure, no I/O).

"hạn ngày 20 hàng tháng", "hàng tuần thứ 6", "vào thứ Sáu hằng tuần", "hàng quý trước ngày 15
tháng cuối quý", "hàng năm 15/12", "định kỳ hàng tháng trước ngày 20", "trước 16h thứ 6 hằng
tuần". Matching works on the same folded copy as deadline.py (no accents, lower case), so "hằng"
and "hàng" read alike.

Decisions on points the written forms leave open:

* A period is a calendar week (Monday to Sunday), month, quarter or year, and each period has
  one deadline inside it: the written day of that week, month, quarter or year, at the close of
  the office day unless a time is written. Written forms that put the deadline in the following
  month or quarter ("trước ngày 5 tháng sau", "ngày 10 tháng đầu quý sau") give the same dates, so
  they are read as the period the deadline falls in.
* A day the month does not have is its last day: "ngày 31" is 30/4 in April, 28/2 in February;
  "29/02 hằng năm" is 28/02 in other years.
* A deadline on a day off moves as any other deadline does (``WorkCalendar.roll``), even when
  that carries it into the next period.
* A frequency with no day ("hàng tháng" alone) is an error (NO_DAY) unless the caller says a bare
  frequency means the period's end (``bare_is_end``), as the annual programme's rows do.
* In "Báo cáo hằng năm hạn 15/12" the deadline marker "hạn" comes after the frequency, which then
  belongs to the content: that is a one-off task. "hàng năm 15/12" and "15/12 hằng năm" recur.
"""

from __future__ import annotations

import calendar as _stdcal
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.calendar.deadline import _WD, _clean, _fold, _fold_for_parse, _nfc, _weekday_index
from bot.calendar.workdays import WorkCalendar
from bot.patterns import lazy

LAST = 0  # a day of 0 means the period's last day (cuối tháng, cuối quý, cuối năm)


class Frequency(StrEnum):
    WEEKLY = "W"
    MONTHLY = "M"
    QUARTERLY = "Q"
    YEARLY = "Y"


class RecurrenceErrorCode(StrEnum):
    NO_DAY = "no_day"  # "hàng tháng" with no day of the month
    INVALID = "invalid"  # "ngày 32 hàng tháng", "30/02 hằng năm"


class RecurrenceError(Exception):
    def __init__(self, code: RecurrenceErrorCode, params: dict[str, str] | None = None) -> None:
        self.code = code
        self.params: dict[str, str] = dict(params or {})
        super().__init__(f"{code}: {self.params}" if self.params else str(code))


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a recurrence and its deadline."""

    key: str  # "2026-12", "2026-W49", "2026-Q4", "2026": unique per recurrence and period
    start: date  # its first day
    end: date  # its last day
    due: datetime  # the deadline, moved off a day off as ordinary deadlines are
    written: date  # the deadline's day before any move

    @property
    def rolled_from(self) -> date | None:
        return None if self.due.date() == self.written else self.written

    def opens(self, cal: WorkCalendar) -> datetime:
        """When the period's task is made: the opening of office hours on the period's first
        working day, as a programme's tasks are (a period starting on New Year's Day opens on
        the working day after it, and its task is given, dated and delivered that day). A
        period with no working day of its own before its deadline (a week of Tết) opens at
        midnight of its first day, so that its task is still made in it."""
        day = cal.next_working_day(self.start, include_self=True)
        opening = cal.start_of_office(day)
        if day <= self.end and opening <= self.due:
            return opening
        return datetime.combine(self.start, time(0), tzinfo=cal.tz)


def _month_days(year: int, month: int) -> int:
    return _stdcal.monthrange(year, month)[1]


def _clamped(year: int, month: int, day: int) -> date:
    last = _month_days(year, month)
    return date(year, month, last if day == LAST else min(day, last))


@dataclass(frozen=True, slots=True)
class Recurrence:
    """``day``: ISO weekday (1 = Monday) for a weekly rule, else the day of the month (LAST for
    the period's end). ``month``: for a quarterly rule the month within the quarter (1-3), for a
    yearly one the month of the year."""

    freq: Frequency
    day: int
    month: int = 0
    at: time | None = None

    def __post_init__(self) -> None:
        ok = {
            Frequency.WEEKLY: 1 <= self.day <= 7 and self.month == 0,
            Frequency.MONTHLY: 0 <= self.day <= 31 and self.month == 0,
            Frequency.QUARTERLY: 0 <= self.day <= 31 and 1 <= self.month <= 3,
            Frequency.YEARLY: 0 <= self.day <= 31 and 1 <= self.month <= 12,
        }[self.freq]
        if self.freq is Frequency.YEARLY and ok and self.day != LAST:
            ok = self.day <= _month_days(2024, self.month)  # a leap year: 29/02 is a day
        if not ok:
            raise RecurrenceError(RecurrenceErrorCode.INVALID, {"rule": self.spec()})

    # -- storage ---------------------------------------------------------------------------------

    def spec(self) -> str:
        """A short stable form for the database: "M:20", "W:5", "Q:3:15", "Y:12:15@16:00"."""
        parts = [self.freq.value]
        if self.freq in (Frequency.QUARTERLY, Frequency.YEARLY):
            parts.append(str(self.month))
        parts.append(str(self.day))
        text = ":".join(parts)
        return text + (f"@{self.at:%H:%M}" if self.at is not None else "")

    @classmethod
    def from_spec(cls, spec: str) -> Recurrence:
        body, _, at = spec.partition("@")
        parts = body.split(":")
        freq = Frequency(parts[0])
        numbers = [int(p) for p in parts[1:]]
        month, day = (numbers[0], numbers[1]) if len(numbers) == 2 else (0, numbers[0])
        clock = time.fromisoformat(at) if at else None
        return cls(freq, day, month, clock)

    # -- periods ---------------------------------------------------------------------------------

    def _index(self, day: date) -> int:
        if self.freq is Frequency.WEEKLY:
            return (day.toordinal() - 1) // 7  # ordinal 1 (1/1/1) is a Monday
        if self.freq is Frequency.MONTHLY:
            return day.year * 12 + day.month - 1
        if self.freq is Frequency.QUARTERLY:
            return day.year * 4 + (day.month - 1) // 3
        return day.year

    def _period(self, index: int, cal: WorkCalendar) -> Period:
        if self.freq is Frequency.WEEKLY:
            start = date.fromordinal(index * 7 + 1)
            end = start + timedelta(days=6)
            iso = start.isocalendar()
            key = f"{iso.year}-W{iso.week:02d}"
            written = start + timedelta(days=self.day - 1)
        elif self.freq is Frequency.MONTHLY:
            year, month0 = divmod(index, 12)
            start = date(year, month0 + 1, 1)
            end = _clamped(year, month0 + 1, LAST)
            key = f"{year}-{month0 + 1:02d}"
            written = _clamped(year, month0 + 1, self.day)
        elif self.freq is Frequency.QUARTERLY:
            year, quarter0 = divmod(index, 4)
            start = date(year, quarter0 * 3 + 1, 1)
            end = _clamped(year, quarter0 * 3 + 3, LAST)
            key = f"{year}-Q{quarter0 + 1}"
            if self.day == LAST:
                written = end
            else:
                written = _clamped(year, quarter0 * 3 + self.month, self.day)
        else:
            start, end, key = date(index, 1, 1), date(index, 12, 31), str(index)
            written = end if self.day == LAST else _clamped(index, self.month, self.day)
        return Period(key, start, end, self._due(written, cal), written)

    def _due(self, day: date, cal: WorkCalendar) -> datetime:
        moved = cal.roll(day)
        if self.at is None:
            return cal.close_of(moved)
        return datetime.combine(moved, self.at, tzinfo=cal.tz)

    def period_at(self, moment: datetime | date, cal: WorkCalendar) -> Period:
        """The period the moment (or day) lies in."""
        day = cal.to_local(moment).date() if isinstance(moment, datetime) else moment
        return self._period(self._index(day), cal)

    def following(self, period: Period, cal: WorkCalendar) -> Period:
        return self._period(self._index(period.start) + 1, cal)

    def next_due(self, moment: datetime, cal: WorkCalendar) -> Period:
        """The period whose deadline is the next one not yet passed at ``moment`` (a deadline at
        the very moment has not passed). The previous period counts too: its deadline may have
        moved past a day off into this one."""
        index = self._index(cal.to_local(moment).date())
        for i in range(index - 1, index + 3):
            period = self._period(i, cal)
            if period.due >= moment:
                return period
        raise AssertionError("a period's deadline lies within two periods")  # pragma: no cover

    def next_start(self, moment: datetime, cal: WorkCalendar) -> datetime:
        """When the period after the one holding ``moment`` begins."""
        return self.following(self.period_at(moment, cal), cal).opens(cal)


# -- reading ---------------------------------------------------------------------------------------

_FREQ_WORDS = {"tuan": Frequency.WEEKLY, "thang": Frequency.MONTHLY}
_FREQ_WORDS |= {"quy": Frequency.QUARTERLY, "nam": Frequency.YEARLY}


def _freq(word: str) -> str:
    return rf"(?:dinh\s+ky\s+)?(?:hang|moi)\s+(?P<{word}>{word})"


# Words that may open the phrase ("hạn", "định kỳ", "trước", "vào" ...).
_LEAD = (
    r"(?:(?:thoi\s+han|han\s+chot|han|dinh\s+ky|truoc|cham\s+nhat|muon\s+nhat|vao"
    r"|hoan\s+thanh)\s+)*"
)
# Between the frequency and the day: not "hạn" ("hằng năm hạn 15/12" is content, then a deadline).
_FILL = r"(?:(?:truoc|cham\s+nhat|muon\s+nhat|vao)\s+)*"
_OF = r"(?:cua\s+)?(?:cac\s+)?"
_NEXT = r"(?:sau|ke\s+tiep|tiep\s+theo|nay)"
_LAST_OF = r"(?:ngay\s+cuoi(?:\s+cung)?\s+(?:cua\s+)?|cuoi\s+)"

_DAY_M = (
    rf"(?:ngay\s+(?P<md>[0-9]{{1,2}})|(?P<mlast>{_LAST_OF}thang))"
    rf"(?:\s+{_OF}thang\s+{_NEXT})?"
)
_DAY_W = rf"(?:(?:ngay\s+)?(?P<wd>{_WD})|(?P<wlast>cuoi\s+tuan))"
_NTH = r"(?P<qm>dau(?:\s+tien)?|giua|cuoi(?:\s+cung)?|thu\s+(?:nhat|hai|ba|[1-3])|[1-3])"
_DAY_Q = (
    rf"(?:ngay\s+(?P<qd>[0-9]{{1,2}})\s+{_OF}thang\s+{_NTH}\s+{_OF}quy(?:\s+{_NEXT})?"
    rf"|(?P<qlast>{_LAST_OF}quy))"
)
_DAY_Y = (
    r"(?:(?:ngay\s+)?(?P<yd>[0-9]{1,2})\s*[/.-]\s*(?P<ym>[0-9]{1,2})"
    r"|ngay\s+(?P<yd2>[0-9]{1,2})\s+thang\s+(?P<ym2>[0-9]{1,2})"
    rf"|(?P<ylast>{_LAST_OF}nam))"
)
_DAYS = {"tuan": _DAY_W, "thang": _DAY_M, "quy": _DAY_Q, "nam": _DAY_Y}
_FORMS = [
    lazy(form)
    for w, d in _DAYS.items()
    for form in (rf"{_LEAD}{_freq(w)}\s+{_FILL}{d}", rf"{_LEAD}{d}\s+{_OF}{_freq(w)}")
]
_BARE = lazy(rf"{_LEAD}(?:dinh\s+ky\s+)?(?:hang|moi)\s+(?P<f>tuan|thang|quy|nam)")
_TIME = lazy(
    r"(?:(?:vao\s+luc|luc|truoc|vao)\s+)?"
    r"(?:(?P<h>[0-9]{1,2})\s*(?:h|gio)\s*(?P<m>[0-9]{2})?(?:\s*phut)?|(?P<h2>[0-9]{1,2}):(?P<m2>[0-9]{2}))"
    r"(?![0-9a-z/])"
)
_QUARTER_MONTH = {"dau": 1, "dau tien": 1, "thu nhat": 1, "1": 1, "thu 1": 1}
_QUARTER_MONTH |= {"giua": 2, "thu hai": 2, "thu 2": 2, "2": 2}
_QUARTER_MONTH |= {"cuoi": 3, "cuoi cung": 3, "thu ba": 3, "thu 3": 3, "3": 3}
_HINT = lazy(r"(?<![0-9a-z])(?:hang|moi)\s+(?:tuan|thang|quy|nam)(?![0-9a-z])")


def _split_time(folded: str) -> tuple[str, time | None]:
    match = _TIME.search(folded)
    if match is None:
        return folded, None
    hour = int(match.group("h") or match.group("h2"))
    minute = int(match.group("m") or match.group("m2") or 0)
    if hour > 23 or minute > 59:
        raise RecurrenceError(RecurrenceErrorCode.INVALID, {"text": match.group(0)})
    rest = folded[: match.start()] + " " + folded[match.end() :]
    return " ".join(rest.split()), time(hour, minute)


def _day(text: str) -> int:
    day = int(text)
    if not 1 <= day <= 31:
        raise RecurrenceError(RecurrenceErrorCode.INVALID, {"text": text})
    return day


def _from_match(m: re.Match[str], at: time | None) -> Recurrence:
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    if "tuan" in groups:
        day = 5 if "wlast" in groups else _weekday_index(groups["wd"]) + 1
        return Recurrence(Frequency.WEEKLY, day, at=at)
    if "thang" in groups:
        day = LAST if "mlast" in groups else _day(groups["md"])
        return Recurrence(Frequency.MONTHLY, day, at=at)
    if "quy" in groups:
        if "qlast" in groups:
            return Recurrence(Frequency.QUARTERLY, LAST, 3, at=at)
        month = _QUARTER_MONTH[" ".join(groups["qm"].split())]
        return Recurrence(Frequency.QUARTERLY, _day(groups["qd"]), month, at=at)
    if "ylast" in groups:
        return Recurrence(Frequency.YEARLY, LAST, 12, at=at)
    day, month = _day(groups.get("yd") or groups["yd2"]), int(groups.get("ym") or groups["ym2"])
    try:
        return Recurrence(Frequency.YEARLY, day, month, at=at)
    except RecurrenceError:
        raise RecurrenceError(RecurrenceErrorCode.INVALID, {"text": f"{day}/{month}"}) from None


def parse_recurrence(text: str, bare_is_end: bool = False) -> Recurrence | None:
    """The recurrence the whole phrase states, or None when it states none. A frequency without
    a day raises NO_DAY (or, with ``bare_is_end``, means the period's last day); an impossible
    day raises INVALID."""
    folded = _fold_for_parse(_clean(text))
    if not _HINT.search(folded):
        return None
    core, at = _split_time(folded)
    for form in _FORMS:
        match = form.fullmatch(core)
        if match is not None:
            return _from_match(match, at)
    bare = _BARE.fullmatch(core)
    if bare is None:
        return None
    freq = _FREQ_WORDS[bare.group("f")]
    if not bare_is_end:
        raise RecurrenceError(RecurrenceErrorCode.NO_DAY, {"freq": freq.value})
    if freq is Frequency.WEEKLY:
        return Recurrence(freq, 5, at=at)  # the week's work ends on Friday
    month = {Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}.get(freq, 0)
    return Recurrence(freq, LAST, month, at=at)


_CONTENT_TRAILING = " \t.,;:!?…-–—("
_WORD_START = lazy(r"(?<!\S)\S")
_OPENING = lazy(r"\(?\s*(?:thoi\s+han|han|dinh\s+ky)\s")


def find_recurrence(text: str) -> tuple[str, Recurrence, str] | None:
    """Split a command tail into (content, recurrence, the phrase as written) at a recurring
    deadline that ends its line; None when the text holds none. The leftmost start that reads
    wins, so the longest phrase is taken. A bare frequency after an opening marker ("hạn hàng
    tháng", "định kỳ hàng tháng") raises NO_DAY rather than being taken for content."""
    source = _nfc(text)
    folded = _fold(source)
    if not _HINT.search(folded):
        return None
    no_day: RecurrenceError | None = None
    offset = 0
    for line in source.split("\n"):
        end = offset + len(line)
        if _HINT.search(folded[offset:end]):
            for start in _WORD_START.finditer(source, offset, end):
                phrase = source[start.start() : end]
                try:
                    found = parse_recurrence(phrase)
                except RecurrenceError as error:
                    if error.code is RecurrenceErrorCode.INVALID:
                        raise
                    opening = re.match(
                        r"\(?\s*(?:thoi\s+han|han|dinh\s+ky)\s", folded[start.start() :]
                    )
                    if no_day is None and opening is not None:
                        no_day = error
                    continue
                if found is None:
                    continue
                before = source[: start.start()].rstrip(_CONTENT_TRAILING)
                after = source[end + 1 :]
                content = "\n".join(p for p in (before.strip(), after.strip()) if p)
                return content, found, _clean(phrase)
        offset = end + 1
    if no_day is not None:
        raise no_day
    return None
