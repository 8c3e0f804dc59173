"""Working days and office hours of a Vietnamese public office.

Everything here is pure: no clock, no I/O. Callers pass the moment they mean.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_HOLIDAY_LANGUAGES = {"vi": "vi", "en": "en_US"}


@functools.lru_cache(maxsize=128)
def _public_holidays(year: int, language: str = "vi") -> Mapping[date, str]:
    # Building a holidays object computes the lunar calendar; doing it once per year (and language)
    # keeps the day-by-day loops below cheap. Imported at first use: the package loads every
    # country's calendars (Hebrew, Mongolian...), a tenth of a second of each start.
    import holidays

    table = holidays.country_holidays("VN", years=year, language=language)
    return MappingProxyType({day: str(name) for day, name in table.items() if day.year == year})


@functools.lru_cache(maxsize=128)
def _swapped_saturdays(year: int) -> frozenset[date]:
    # The government swaps a Saturday for a bridge day some years (2026: Sat 22/08 is worked so that
    # Mon 31/08 is off). The package records those Saturdays as weekend workdays; a swap may be
    # declared by the following year's decree, hence both years.
    import holidays

    table = holidays.country_holidays("VN", years=[year, year + 1])
    return frozenset(day for day in table.weekend_workdays if day.year == year)


def _is_working_day(d: date, days_off: frozenset[date], working_days: frozenset[date]) -> bool:
    if d in working_days:
        return True
    if d in days_off:
        return False
    if d.weekday() >= 5:
        return d in _swapped_saturdays(d.year)
    return d not in _public_holidays(d.year)


@functools.lru_cache(maxsize=256)
def _year_table(
    year: int, days_off: frozenset[date], working_days: frozenset[date]
) -> tuple[int, ...]:
    """table[n]: working days among the first n days of the year (table[0] = 0), so the count
    between two days of a year is one subtraction. Built once per year and set of overrides."""
    table = [0]
    day, stop = date(year, 1, 1), date(year + 1, 1, 1)
    while day < stop:
        table.append(table[-1] + _is_working_day(day, days_off, working_days))
        day += timedelta(days=1)
    return tuple(table)


def _check_wall_time(name: str, value: time) -> None:
    if value.tzinfo is not None:
        raise ValueError(f"{name} must be a wall-clock time without tzinfo")


class DayOffRule(StrEnum):
    """Where a deadline that falls on a day off goes (DONDOC_DAY_OFF_RULE)."""

    # Civil Code art. 148: it ends at the close of the next working day.
    NEXT = "next"
    # The common office reading of "trước ngày 20/12" when the 20th is a Sunday: the work is due
    # before the day off, so Friday 18/12.
    PREVIOUS = "previous"


def roll_kind(written: date, due: date, rule: DayOffRule) -> str:
    """How a deadline written for ``written`` (a day off) came to be ``due``: "next", "previous",
    or "fallback" (the rule said previous, but that day had passed, so next)."""
    if due < written:
        return "previous"
    return "fallback" if rule is DayOffRule.PREVIOUS else "next"


@dataclass(frozen=True)
class WorkCalendar:
    """The office's calendar: which days are worked and when the office is open.

    Precedence for a day: ``working_days`` (a swapped Saturday the deployment declares) beats
    ``days_off`` (a bridge day), which beats public holidays and the weekend.
    """

    tz: ZoneInfo = VN_TZ
    office_start: time = time(8, 0)
    office_end: time = time(17, 0)
    lunch: tuple[time, time] | None = (time(11, 30), time(13, 30))
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    # Civil Code art. 148: a deadline that falls on a day off ends at the close of the next
    # working day.
    roll_forward: bool = True
    # Which way the roll goes (only when roll_forward is on).
    day_off_rule: DayOffRule = DayOffRule.NEXT

    def __post_init__(self) -> None:
        # Settings often arrive as lists or sets from YAML; freezing keeps the instance hashable.
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        _check_wall_time("office_start", self.office_start)
        _check_wall_time("office_end", self.office_end)
        if not self.office_start < self.office_end:
            raise ValueError("office_start must be before office_end")
        if self.lunch is not None:
            lunch_start, lunch_end = self.lunch
            _check_wall_time("lunch start", lunch_start)
            _check_wall_time("lunch end", lunch_end)
            if not self.office_start < lunch_start < lunch_end < self.office_end:
                raise ValueError("lunch must lie strictly inside office hours")
        clash = self.days_off & self.working_days
        if clash:
            listed = ", ".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"dates both off and working: {listed}")

    # -- conversions -------------------------------------------------------------------------

    def to_local(self, dt: datetime) -> datetime:
        """``dt`` in the office's time zone; naive datetimes are refused, never guessed."""
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError("an aware datetime is required")
        return dt.astimezone(self.tz)

    def _day(self, d: date) -> date:
        # A datetime is a date too; its calendar day is the office's local one.
        if isinstance(d, datetime):
            return self.to_local(d).date()
        return d

    def _at(self, d: date, t: time) -> datetime:
        return datetime.combine(d, t, tzinfo=self.tz)

    # -- days --------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        return _is_working_day(self._day(d), self.days_off, self.working_days)

    def holiday_name(self, d: date, lang: str = "vi") -> str | None:
        """The public holiday's name, or None (deployment ``days_off`` carry no name)."""
        d = self._day(d)
        language = _HOLIDAY_LANGUAGES.get(lang.split("-")[0].lower(), "vi")
        return _public_holidays(d.year, language).get(d)

    def next_working_day(self, d: date, include_self: bool = False) -> date:
        day = self._day(d)
        if include_self and self.is_working_day(day):
            return day
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def previous_working_day(self, d: date, include_self: bool = False) -> date:
        day = self._day(d)
        if include_self and self.is_working_day(day):
            return day
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself never counts); ``d`` when n is 0."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = self._day(d)
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def _upto(self, d: date) -> int:
        """Working days from 1 January of ``d``'s year to ``d``, inclusive."""
        return _year_table(d.year, self.days_off, self.working_days)[d.timetuple().tm_yday]

    def _in_year(self, year: int) -> int:
        return _year_table(year, self.days_off, self.working_days)[-1]

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: the number of days late when ``a`` is the deadline day.
        Table lookups (one per year spanned), not a walk over the days."""
        start, end = self._day(a), self._day(b)
        if end <= start:
            return 0
        if start.year == end.year:
            return self._upto(end) - self._upto(start)
        whole = sum(self._in_year(y) for y in range(start.year + 1, end.year))
        return self._in_year(start.year) - self._upto(start) + whole + self._upto(end)

    def roll(self, d: date) -> date:
        """``d``, or when ``d`` is a day off and roll_forward is on, the next working day (or,
        under ``DayOffRule.PREVIOUS``, the one before)."""
        day = self._day(d)
        if not self.roll_forward:
            return day
        if self.day_off_rule is DayOffRule.PREVIOUS:
            return self.previous_working_day(day, include_self=True)
        return self.next_working_day(day, include_self=True)

    # -- hours -------------------------------------------------------------------------------

    def start_of_office(self, d: date) -> datetime:
        return self._at(self._day(d), self.office_start)

    def close_of(self, d: date) -> datetime:
        return self._at(self._day(d), self.office_end)

    def _segments(self, d: date) -> list[tuple[datetime, datetime]]:
        if self.lunch is None:
            return [(self._at(d, self.office_start), self._at(d, self.office_end))]
        lunch_start, lunch_end = self.lunch
        return [
            (self._at(d, self.office_start), self._at(d, lunch_start)),
            (self._at(d, lunch_end), self._at(d, self.office_end)),
        ]

    def is_office_time(self, dt: datetime) -> bool:
        """Open for business: a working day, office hours, not lunch (closing instants excluded)."""
        local = self.to_local(dt)
        if not self.is_working_day(local.date()):
            return False
        return any(start <= local < end for start, end in self._segments(local.date()))

    def next_office_opening(self, dt: datetime) -> datetime:
        """The earliest office-time instant at or after ``dt``: when a nudge may actually go out."""
        local = self.to_local(dt)
        day = local.date()
        if self.is_working_day(day):
            for start, end in self._segments(day):
                if local < start:
                    return start
                if local < end:
                    return local
        return self.start_of_office(self.next_working_day(day))

    def office_day(self) -> timedelta:
        """Office time in one working day, lunch left out."""
        day = date(2001, 1, 1)
        return sum((end - start for start, end in self._segments(day)), timedelta())

    def _office_within(self, d: date, lo: datetime | None, hi: datetime | None) -> timedelta:
        if not self.is_working_day(d):
            return timedelta()
        total = timedelta()
        for start, end in self._segments(d):
            begin = start if lo is None else max(start, lo)
            finish = end if hi is None else min(end, hi)
            if finish > begin:
                total += finish - begin
        return total

    def office_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Office time from ``a`` to ``b`` (nights, lunch and days off not counted; nothing when
        ``b`` is not after ``a``). The whole days in between are counted by table lookups
        (:meth:`working_days_between`), so a span of months costs what a day does."""
        start, end = self.to_local(a), self.to_local(b)
        if end <= start:
            return timedelta()
        first, last = start.date(), end.date()
        if first == last:
            return self._office_within(first, start, end)
        between = self.working_days_between(first, last) - self.is_working_day(last)
        return (
            self._office_within(first, start, None)
            + between * self.office_day()
            + self._office_within(last, None, end)
        )

    def add_office_hours(self, dt: datetime, hours: float) -> datetime:
        """``dt`` plus ``hours`` of office time only (nights, lunch and days off do not count).

        A span that ends exactly at a closing instant returns that instant (17:00, not the next
        morning's 08:00). Zero hours returns ``dt`` unchanged (in the office's zone).
        """
        if not math.isfinite(hours) or hours < 0:
            raise ValueError("hours must be a finite number >= 0")
        cursor = self.to_local(dt)
        remaining = timedelta(hours=hours)
        if not remaining:
            return cursor
        day = cursor.date()
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        while True:
            for start, end in self._segments(day):
                if cursor >= end:
                    continue
                begin = max(cursor, start)
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self.next_working_day(day)
