"""The reports' settings (the roster file's `reports:` section) and the periods reports cover.

    reports:
      all_units_chat: -1001000000099   # the weekly post goes here too (optional)
      weekly: "fri 16:00"              # weekday and time of the weekly post; false: no post
      monthly: "08:00"                 # time on the month's first working day; false: no report
      count_against: in_force          # in_force (after extensions) | original

Periods are half-open [start, end) in the office's time zone:

* a week, for the weekly post and `/tonghop tuần`: the 7 days ending at the moment it is made;
  the change ▲/▼ compares with the 7 days before those;
* an ISO week (`dondoc tally --week 2026-W47`): Monday 00:00 to the next Monday 00:00;
* a month: the 1st 00:00 to the next month's 1st 00:00;
* `từ dd/mm đến dd/mm`: the first day 00:00 to the day after the last day 00:00.

A period that has not ended yet ends now: numbers are never classified in the future.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.calendar import WorkCalendar
from bot.domain.tally import COUNT_AGAINST, IN_FORCE, Period
from bot.text.said import Said

WEEKDAYS = {
    "mon": 0, "monday": 0, "t2": 0, "thu 2": 0, "thu hai": 0, "thứ 2": 0, "thứ hai": 0,
    "tue": 1, "tuesday": 1, "t3": 1, "thu 3": 1, "thu ba": 1, "thứ 3": 1, "thứ ba": 1,
    "wed": 2, "wednesday": 2, "t4": 2, "thu 4": 2, "thu tu": 2, "thứ 4": 2, "thứ tư": 2,
    "thu": 3, "thursday": 3, "t5": 3, "thu 5": 3, "thu nam": 3, "thứ 5": 3, "thứ năm": 3,
    "fri": 4, "friday": 4, "t6": 4, "thu 6": 4, "thu sau": 4, "thứ 6": 4, "thứ sáu": 4,
}  # fmt: skip
KEYS = ("all_units_chat", "weekly", "monthly", "count_against")


class ReportSettingsError(ValueError):
    """The `reports:` section refused; each problem a Said (English as a str)."""

    def __init__(self, problems: list[Said]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ReportSettings:
    all_units_chat: int | None = None
    weekly_day: int | None = 4  # Monday = 0; None: no weekly post
    weekly_at: time = time(16, 0)
    monthly_at: time | None = time(8, 0)  # None: no monthly report
    count_against: str = IN_FORCE


def _time(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})\s*[:hg]\s*(\d{2})?", text.strip().lower())
    if not match:
        raise ValueError(text)
    return time(int(match.group(1)), int(match.group(2) or 0))


def _weekly(value: object) -> tuple[int, time]:
    text = unicodedata.normalize("NFC", str(value)).strip().lower()
    at = time(16, 0)
    match = re.fullmatch(r"(.*?)\s*(?:lúc\s*|at\s*)?(\d{1,2}\s*[:hg]\s*\d{0,2})?", text)
    day_text, time_text = (match.group(1), match.group(2)) if match else (text, None)
    if time_text:
        at = _time(time_text)
    day = WEEKDAYS.get(day_text.strip().rstrip(","))
    if day is None:
        raise ValueError(text)
    return day, at


def report_settings_from(data: Any) -> ReportSettings:
    """Read the `reports:` mapping; unknown keys and bad values are errors, named."""
    if not data:
        return ReportSettings()
    if not isinstance(data, dict):
        raise ReportSettingsError([Said("roster.reports.not_mapping")])
    problems: list[Said] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            problems.append(Said("roster.reports.unknown", name=key, known=", ".join(KEYS)))
        elif key == "all_units_chat":
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(Said("roster.reports.chat"))
            else:
                values[key] = value
        elif key == "weekly":
            if value is False or value is None:
                values["weekly_day"] = None
                continue
            try:
                values["weekly_day"], values["weekly_at"] = _weekly(value)
            except ValueError:
                problems.append(Said("roster.reports.weekly"))
        elif key == "monthly":
            if value is False or value is None:
                values["monthly_at"] = None
                continue
            try:
                values["monthly_at"] = _time(str(value))
            except ValueError:
                problems.append(Said("roster.reports.monthly"))
        elif value not in COUNT_AGAINST:
            known = ", ".join(COUNT_AGAINST)
            problems.append(Said("roster.reports.count_against", known=known))
        else:
            values[key] = value
    if problems:
        raise ReportSettingsError(problems)
    return ReportSettings(**values)


# --- periods ------------------------------------------------------------------------------------


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def capped(start: datetime, end: datetime, now: datetime) -> Period:
    return Period(start, min(end, now))


def last_days(now: datetime, days: int = 7) -> Period:
    return Period(now - timedelta(days=days), now)


def iso_week(year: int, week: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    monday = date.fromisocalendar(year, week, 1)
    return _midnight(monday, tz), _midnight(monday + timedelta(days=7), tz)


def month(year: int, month_no: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    first = date(year, month_no, 1)
    following = date(year + (month_no == 12), month_no % 12 + 1, 1)
    return _midnight(first, tz), _midnight(following, tz)


def days(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return _midnight(first, tz), _midnight(last + timedelta(days=1), tz)


class PeriodError(ValueError):
    """A period the command line cannot take; ``key`` and ``params`` let it be said in the
    reader's language (the message is English)."""

    def __init__(self, message: str, key: str, **params: object) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


def parse_iso_week(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), re.IGNORECASE)
    if not match:
        raise PeriodError(
            f"a week is written like 2026-W47, not {text!r}", "period.week_form", text=repr(text)
        )
    year, week = int(match.group(1)), int(match.group(2))
    weeks = date(year, 12, 28).isocalendar()[1]  # 28 December is always in the year's last week
    if not 1 <= week <= weeks:
        raise PeriodError(
            f"{year} has no week {week}: its ISO weeks run from W01 to W{weeks}",
            "period.no_week",
            year=year,
            week=week,
            weeks=weeks,
        )
    return year, week


def parse_month(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})[/.-](\d{4})", text.strip())
    if not match:
        raise PeriodError(
            f"a month is written like 2026-11 or 11/2026, not {text!r}",
            "period.month_form",
            text=repr(text),
        )
    year, month_no = (
        (int(match.group(1)), int(match.group(2)))
        if match.group(1)
        else (int(match.group(4)), int(match.group(3)))
    )
    if not 1 <= month_no <= 12:
        raise PeriodError(f"no month {month_no}", "period.no_month", month=month_no)
    return year, month_no


# --- when the scheduled reports fall ------------------------------------------------------------


def weekly_moment(
    year: int, week: int, settings: ReportSettings, cal: WorkCalendar
) -> datetime | None:
    """The weekly post of an ISO week: the set weekday and time, or the same time on the last
    working day before it in that week when the day is off; None when the week has none."""
    if settings.weekly_day is None:
        return None
    for weekday in range(settings.weekly_day, -1, -1):
        day = date.fromisocalendar(year, week, weekday + 1)
        if cal.is_working_day(day):
            return datetime.combine(day, settings.weekly_at, tzinfo=cal.tz)
    return None


def monthly_moment(
    year: int, month_no: int, settings: ReportSettings, cal: WorkCalendar
) -> datetime | None:
    """The monthly report of a month: the set time on its first working day."""
    if settings.monthly_at is None:
        return None
    day = cal.next_working_day(date(year, month_no, 1), include_self=True)
    return datetime.combine(day, settings.monthly_at, tzinfo=cal.tz)


def previous_month(year: int, month_no: int) -> tuple[int, int]:
    return (year - 1, 12) if month_no == 1 else (year, month_no - 1)
