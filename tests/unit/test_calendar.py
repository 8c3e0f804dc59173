"""Working days and office hours (Asia/Ho_Chi_Minh, holidays from the `holidays` package)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar import WorkCalendar
from bot.calendar.workdays import VN_TZ

CAL = WorkCalendar()


def pid(value: object) -> str:
    """Readable ids: "Mon 2026-11-23 12:00" rather than "start6"."""
    if isinstance(value, datetime):
        return value.strftime("%a %Y-%m-%d %H:%M") + (" UTC" if value.tzinfo is UTC else "")
    if isinstance(value, date):
        return value.strftime("%a %Y-%m-%d")
    return str(value)


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


# -- working days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 23), True),  # Monday
        (date(2026, 11, 24), False),  # Vietnam Culture Day
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2027, 2, 3), True),  # the day before Tết leave
        (date(2027, 2, 4), False),  # Tết
        (date(2027, 2, 10), False),  # last day of Tết leave
        (date(2027, 2, 11), True),
        (date(2026, 9, 2), False),  # National Day
        (date(2026, 8, 31), False),  # bridge day in the package
        (date(2026, 8, 22), True),  # the Saturday worked in exchange for it
        (date(2027, 5, 3), False),  # Labour Day (Saturday) observed on Monday
    ],
    ids=pid,
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_deployment_overrides_beat_the_package() -> None:
    cal = WorkCalendar(
        days_off=frozenset({date(2026, 12, 31)}),
        working_days=frozenset({date(2026, 12, 12), date(2026, 11, 24)}),
    )
    assert cal.is_working_day(date(2026, 12, 31)) is False
    assert cal.is_working_day(date(2026, 12, 12)) is True
    assert cal.is_working_day(date(2026, 11, 24)) is True


def test_same_day_off_and_working_is_refused() -> None:
    clash = frozenset({date(2026, 12, 31)})
    with pytest.raises(ValueError):
        WorkCalendar(days_off=clash, working_days=clash)


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"office_start": time(17, 0), "office_end": time(8, 0)},
        {"lunch": (time(13, 30), time(11, 30))},
        {"lunch": (time(7, 0), time(9, 0))},
    ],
    ids=["start-after-end", "lunch-reversed", "lunch-outside-hours"],
)
def test_bad_office_hours_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WorkCalendar(**kwargs)  # type: ignore[arg-type]


def test_holiday_name() -> None:
    assert CAL.holiday_name(date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert CAL.holiday_name(date(2027, 2, 6), "en") == "Lunar New Year"
    assert CAL.holiday_name(date(2026, 11, 23)) is None


@pytest.mark.parametrize(
    ("day", "include_self", "expected"),
    [
        (date(2026, 11, 20), False, date(2026, 11, 23)),  # Friday -> Monday
        (date(2026, 11, 23), False, date(2026, 11, 25)),  # skips the holiday on Tuesday
        (date(2026, 11, 23), True, date(2026, 11, 23)),
        (date(2026, 11, 22), True, date(2026, 11, 23)),
        (date(2027, 2, 3), False, date(2027, 2, 11)),  # over Tết
    ],
    ids=pid,
)
def test_next_working_day(day: date, include_self: bool, expected: date) -> None:
    assert CAL.next_working_day(day, include_self=include_self) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Fri 20/11/2026 + 5: Mon 23, (Tue 24 holiday), Wed 25, Thu 26, Fri 27, Mon 30.
        (date(2026, 11, 20), 5, date(2026, 11, 30)),
        (date(2026, 11, 20), 0, date(2026, 11, 20)),
        (date(2026, 11, 20), 1, date(2026, 11, 23)),
        # Tue 02/02/2027 + 5 across Tết (04..10/02 off): 3, 11, 12, 15, 16.
        (date(2027, 2, 2), 5, date(2027, 2, 16)),
        (date(2026, 12, 30), 2, date(2027, 1, 4)),  # 31/12, (1/1 holiday), Mon 4/1
        (date(2026, 1, 1), 1000, date(2030, 1, 8)),
    ],
    ids=pid,
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected


def test_add_working_days_refuses_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 11, 20), -1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 30), 5),
        (date(2026, 11, 20), date(2026, 11, 20), 0),
        (date(2026, 11, 30), date(2026, 11, 20), 0),
        (date(2026, 11, 27), date(2026, 11, 29), 0),  # only the weekend after a Friday deadline
        (date(2027, 2, 3), date(2027, 2, 11), 1),
    ],
    ids=pid,
)
def test_working_days_between(a: date, b: date, expected: int) -> None:
    assert CAL.working_days_between(a, b) == expected


def test_roll() -> None:
    assert CAL.roll(date(2026, 11, 24)) == date(2026, 11, 25)
    assert CAL.roll(date(2026, 11, 25)) == date(2026, 11, 25)
    assert WorkCalendar(roll_forward=False).roll(date(2026, 11, 24)) == date(2026, 11, 24)


def test_close_and_start_of_office() -> None:
    assert CAL.close_of(date(2026, 12, 15)) == at(2026, 12, 15, 17)
    assert CAL.start_of_office(date(2026, 12, 15)) == at(2026, 12, 15, 8)
    assert CAL.close_of(date(2026, 12, 15)).tzinfo == VN_TZ


def test_datetime_argument_uses_the_office_day() -> None:
    # 20:00 UTC Sunday is 03:00 Monday in Hanoi.
    assert CAL.is_working_day(datetime(2026, 11, 22, 20, 0, tzinfo=UTC)) is True


# -- office hours ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (at(2026, 11, 23, 8, 0), True),
        (at(2026, 11, 23, 7, 59), False),
        (at(2026, 11, 23, 11, 29), True),
        (at(2026, 11, 23, 12, 0), False),  # lunch
        (at(2026, 11, 23, 13, 30), True),
        (at(2026, 11, 23, 17, 0), False),  # closed at the closing minute
        (at(2026, 11, 24, 9, 0), False),  # holiday
        (at(2026, 11, 22, 9, 0), False),  # Sunday
        (datetime(2026, 11, 23, 2, 0, tzinfo=UTC), True),  # 09:00 local
    ],
    ids=pid,
)
def test_is_office_time(moment: datetime, open_: bool) -> None:
    assert CAL.is_office_time(moment) is open_


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 11, 23, 12, 0), at(2026, 11, 23, 13, 30)),  # lunch
        (at(2026, 11, 23, 9, 15), at(2026, 11, 23, 9, 15)),  # already open
        (at(2026, 11, 23, 6, 0), at(2026, 11, 23, 8, 0)),
        (at(2026, 11, 20, 17, 30), at(2026, 11, 23, 8, 0)),  # Friday evening -> Monday
        (at(2026, 11, 23, 17, 0), at(2026, 11, 25, 8, 0)),  # Monday close, Tuesday holiday
        (at(2026, 11, 24, 10, 0), at(2026, 11, 25, 8, 0)),  # on the holiday
        (at(2027, 2, 5, 10, 0), at(2027, 2, 11, 8, 0)),  # inside Tết
        (datetime(2026, 11, 23, 5, 0, tzinfo=UTC), at(2026, 11, 23, 13, 30)),  # 12:00 local
    ],
    ids=pid,
)
def test_next_office_opening(moment: datetime, expected: datetime) -> None:
    assert CAL.next_office_opening(moment) == expected


def test_next_office_opening_without_lunch() -> None:
    cal = WorkCalendar(lunch=None)
    assert cal.next_office_opening(at(2026, 11, 23, 12, 0)) == at(2026, 11, 23, 12, 0)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2026, 11, 23, 9, 0), 2, at(2026, 11, 23, 11, 0)),
        (at(2026, 11, 23, 10, 0), 4, at(2026, 11, 23, 16, 0)),  # 1.5 h, lunch, 2.5 h
        (at(2026, 11, 23, 15, 0), 2, at(2026, 11, 23, 17, 0)),  # ends at close, not next morning
        (at(2026, 11, 23, 16, 0), 4, at(2026, 11, 25, 11, 0)),  # overnight, over the holiday
        (at(2026, 11, 20, 16, 0), 4, at(2026, 11, 23, 11, 0)),  # over the weekend
        (at(2026, 11, 22, 20, 0), 1.5, at(2026, 11, 23, 9, 30)),  # starts on a Sunday
        (at(2026, 11, 23, 12, 0), 1, at(2026, 11, 23, 14, 30)),  # starts during lunch
        (at(2026, 11, 23, 8, 0), 7, at(2026, 11, 23, 17, 0)),  # one full office day
        (at(2026, 11, 23, 8, 0), 14, at(2026, 11, 25, 17, 0)),
        (at(2026, 11, 22, 20, 0), 0, at(2026, 11, 22, 20, 0)),
    ],
    ids=pid,
)
def test_add_office_hours(start: datetime, hours: float, expected: datetime) -> None:
    assert CAL.add_office_hours(start, hours) == expected


def test_add_office_hours_refuses_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_office_hours(at(2026, 11, 23, 9), -1)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        CAL.next_office_opening(datetime(2026, 11, 23, 9, 0))
    with pytest.raises(ValueError):
        CAL.is_office_time(datetime(2026, 11, 23, 9, 0))


def test_calendar_is_hashable_and_accepts_plain_sets() -> None:
    cal = WorkCalendar(days_off={date(2026, 12, 31)})  # type: ignore[arg-type]
    assert isinstance(cal.days_off, frozenset)
    assert hash(cal) == hash(WorkCalendar(days_off=frozenset({date(2026, 12, 31)})))


OVERRIDDEN = WorkCalendar(
    days_off=frozenset({date(2027, 2, 12), date(2026, 12, 31)}),
    working_days=frozenset({date(2027, 2, 13)}),
)


@settings(max_examples=300, deadline=None)
@given(
    a=st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31)),
    b=st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31)),
    cal=st.sampled_from([CAL, OVERRIDDEN]),
)
def test_working_days_between_from_the_table_matches_counting_day_by_day(
    a: date, b: date, cal: WorkCalendar
) -> None:
    counted = sum(
        cal.is_working_day(date.fromordinal(n)) for n in range(a.toordinal() + 1, b.toordinal() + 1)
    )
    assert cal.working_days_between(a, b) == counted


def _vn(day: int, month: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [
        (_vn(23, 11, 9), _vn(23, 11, 10), 1.0),
        (_vn(23, 11, 9), _vn(23, 11, 15, 30), 4.5),  # lunch 11:30-13:30 not counted
        (_vn(23, 11, 17, 30), _vn(23, 11, 19), 0.0),  # after hours
        (_vn(23, 11, 15, 30), _vn(25, 11, 10), 3.5),  # Tuesday 24/11 is a day off
        (_vn(27, 11, 16), _vn(30, 11, 9), 2.0),  # over a weekend
        (_vn(23, 11, 8), _vn(30, 11, 8), 28.0),  # a week with a day off: 4 days of 7 h
        (_vn(23, 11, 10), _vn(23, 11, 9), 0.0),  # backwards: nothing
    ],
)
def test_office_time_between(a: datetime, b: datetime, hours: float) -> None:
    assert CAL.office_time_between(a, b).total_seconds() == hours * 3600
    assert CAL.office_day().total_seconds() == 7 * 3600


def _office_time_day_by_day(cal: WorkCalendar, a: datetime, b: datetime) -> timedelta:
    """Office time from a to b, summing each day's open hours one day at a time."""
    a, b = a.astimezone(cal.tz), b.astimezone(cal.tz)
    total = timedelta()
    day = a.date()
    while day <= b.date():
        if cal.is_working_day(day):
            spans = [(cal.office_start, cal.office_end)]
            if cal.lunch is not None:
                spans = [(cal.office_start, cal.lunch[0]), (cal.lunch[1], cal.office_end)]
            for start, end in spans:
                lo = max(datetime.combine(day, start, tzinfo=cal.tz), a)
                hi = min(datetime.combine(day, end, tzinfo=cal.tz), b)
                total += max(timedelta(), hi - lo)
        day = date.fromordinal(day.toordinal() + 1)
    return total


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 3, 1)),
    minutes=st.integers(0, 60 * 24 * 90),
    lunch=st.booleans(),
)
def test_office_time_between_matches_counting_day_by_day(
    start: datetime, minutes: int, lunch: bool
) -> None:
    cal = WorkCalendar(
        days_off=frozenset({date(2026, 12, 31)}),
        working_days=frozenset({date(2027, 2, 6)}),
        lunch=(time(11, 30), time(13, 30)) if lunch else None,
    )
    a = start.replace(tzinfo=VN_TZ)
    b = a + timedelta(minutes=minutes)
    assert cal.office_time_between(a, b) == _office_time_day_by_day(cal, a, b)
