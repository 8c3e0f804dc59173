"""The counting rules behind every report, at their exact boundaries (pure: no database)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from support import VN

from bot.calendar import WorkCalendar
from bot.domain.tally import (
    ORIGINAL,
    Category,
    Period,
    TaskFacts,
    WorkdayCounter,
    classify,
    tally,
)

CAL = WorkCalendar()
TCKH, QLDT, TNMT = 1, 2, 3
DUNG, EM, GIANG = 10, 11, 20


def at(day: int, month: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def task(n: int = 1, **values: object) -> TaskFacts:
    base: dict[str, object] = {
        "id": n,
        "code": f"NV-{n:04d}",
        "lead_unit_id": TCKH,
        "created_at": at(23, 11),
        "original_due": at(4, 12, 17),
        "due": at(4, 12, 17),
    }
    base.update(values)
    return TaskFacts(**base)  # type: ignore[arg-type]


# The week of Friday 4 December 2026's deadline, classified at its end (Monday 7/12 00:00).
WEEK = Period(at(30, 11, 0), at(7, 12, 0))


def line(facts: TaskFacts, period: Period = WEEK, **options: str):  # type: ignore[no-untyped-def]
    result = classify(facts, period, WorkdayCounter(CAL), **options)
    assert result is not None
    return result


def test_done_at_17_00_on_the_deadline_day_is_on_time() -> None:
    done = line(task(completed_at=at(4, 12, 17), reported_at=at(4, 12, 17)))
    assert (done.category, done.days_late) == (Category.DONE_ON_TIME, 0)


def test_done_within_the_deadline_minute_is_on_time_as_screens_show_it() -> None:
    # Screens show HH:MM: 17:00:59 reads "17:00", the deadline itself.
    moment = at(4, 12, 17) + timedelta(seconds=59)
    done = line(task(completed_at=moment, reported_at=moment))
    assert (done.category, done.days_late) == (Category.DONE_ON_TIME, 0)
    moment = at(4, 12, 17, 1)
    done = line(task(completed_at=moment, reported_at=moment))
    assert (done.category, done.days_late) == (Category.DONE_LATE, 1)
    # An open task classified at 17:00:30 is still in time; a result reported at 17:00:30 and
    # awaiting review too.
    half = at(4, 12, 17) + timedelta(seconds=30)
    assert line(task(), Period(WEEK.start, half)).category is Category.OPEN_IN_TIME
    waiting = line(task(reported_at=half))
    assert (waiting.category, waiting.days_late) == (Category.OPEN_IN_TIME, 0)


def test_a_minute_late_is_late_by_one_working_day() -> None:
    done = line(task(completed_at=at(4, 12, 17, 1), reported_at=at(4, 12, 17, 1)))
    assert (done.category, done.days_late) == (Category.DONE_LATE, 1)


def test_open_at_the_deadline_instant_is_in_time_and_a_minute_after_is_late() -> None:
    deadline = at(4, 12, 17)
    assert line(task(), Period(WEEK.start, deadline)).category is Category.OPEN_IN_TIME
    late = line(task(), Period(WEEK.start, deadline + timedelta(minutes=1)))
    assert (late.category, late.days_late) == (Category.OPEN_LATE, 1)
    # Over the weekend it stays 1; Tuesday 8/12 morning it is 2 working days.
    assert line(task(), Period(WEEK.start, at(7, 12, 0))).days_late == 1
    assert line(task(), Period(WEEK.start, at(8, 12, 9))).days_late == 2


def test_extended_twice_counts_the_deadline_in_force_at_the_end() -> None:
    facts = task(
        due=at(18, 12, 17),
        extensions=((at(3, 12, 10), at(11, 12, 17)), (at(10, 12, 10), at(18, 12, 17))),
        completed_at=at(15, 12, 10),
        reported_at=at(15, 12, 10),
    )
    month = Period(at(1, 12, 0), at(1, 1, 0, year=2027))
    done = line(facts, month)
    assert (done.category, done.due, done.extensions) == (Category.DONE_ON_TIME, at(18, 12, 17), 2)
    # Before the second extension was granted the first one's deadline was in force.
    before = line(facts, Period(at(7, 12, 0), at(10, 12, 9)))
    assert (before.category, before.due, before.extensions) == (
        Category.OPEN_IN_TIME,
        at(11, 12, 17),
        1,
    )
    # Before any extension, the original deadline.
    first = line(facts, Period(WEEK.start, at(3, 12, 10)))
    assert (first.due, first.extensions) == (at(4, 12, 17), 0)
    # Counted against the original deadline, it was finished 7 working days late.
    strict = line(facts, month, count_against=ORIGINAL)
    assert (strict.category, strict.days_late) == (Category.DONE_LATE, 7)
    counts = tally([facts], month, CAL).units[TCKH]
    assert counts.extended == 1 and counts.done_on_time == 1


def test_withdrawn_tasks_are_left_out_unless_withdrawn_after_the_end() -> None:
    facts = task(withdrawn_at=at(3, 12, 10))
    assert classify(facts, WEEK, WorkdayCounter(CAL)) is None
    assert line(facts, Period(at(23, 11, 0), at(3, 12, 10))).category is Category.OPEN_IN_TIME
    assert tally([facts], WEEK, CAL).total.total == 0


def test_reassigned_tasks_count_for_the_unit_leading_at_the_end_cooperators_never() -> None:
    facts = task(lead_unit_id=QLDT, reassignments=((at(2, 12, 10), TCKH),))
    result = tally([facts], WEEK, CAL)
    assert set(result.units) == {QLDT} and result.units[QLDT].open_late == 1
    earlier = tally([facts], Period(at(23, 11, 0), at(2, 12, 9)), CAL)
    assert set(earlier.units) == {TCKH} and earlier.units[TCKH].open_in_time == 1
    # Listing every unit shows the cooperating one with nothing against it.
    listed = tally([facts], WEEK, CAL, units=[TCKH, QLDT, TNMT])
    assert listed.units[TNMT].total == 0 and listed.units[TCKH].total == 0


def test_no_deadline_is_its_own_category_outside_the_rate() -> None:
    open_task = task(1, due=None, original_due=None)
    done_task = task(2, due=None, original_due=None, completed_at=at(2, 12), reported_at=at(2, 12))
    counts = tally([open_task, done_task], WEEK, CAL).units[TCKH]
    assert counts.no_deadline == 2 and counts.total == 2
    assert counts.rate is None and counts.done_on_time == 0


def test_done_on_the_monday_after_tet_is_one_working_day_late() -> None:
    # Deadline Friday 13/02/2026, the last working day before Tết (16–20/02 off).
    facts = task(
        created_at=at(2, 2, year=2026),
        original_due=at(13, 2, 17, year=2026),
        due=at(13, 2, 17, year=2026),
        completed_at=at(23, 2, 8, 30, year=2026),
        reported_at=at(23, 2, 8, 30, year=2026),
    )
    done = line(facts, Period(at(1, 2, 0, year=2026), at(1, 3, 0, year=2026)))
    assert (done.category, done.days_late) == (Category.DONE_LATE, 1)


def test_which_tasks_belong_to_a_period() -> None:
    before = task(1, completed_at=at(27, 11), reported_at=at(27, 11))  # done the week before
    carried = task(2)  # assigned before, still open: carried over
    new = task(3, created_at=at(1, 12))
    later = task(4, created_at=at(7, 12, 0))  # assigned at the end instant: the next period
    done_after = task(5, completed_at=at(8, 12), reported_at=at(3, 12))  # approved after the end
    result = tally([before, carried, new, later, done_after], WEEK, CAL, keep_lines=True)
    assert [x.facts.code for x in result.lines] == ["NV-0002", "NV-0003", "NV-0005"]
    counts = result.units[TCKH]
    assert counts.total == 3 and counts.assigned == 1
    # NV-0005 reported on time, approved later: open (awaiting review) but in time at the end.
    assert counts.open_in_time == 1 and counts.open_late == 2


def test_a_result_reported_late_stops_the_clock_while_it_awaits_review() -> None:
    facts = task(reported_at=at(8, 12, 10), reported_by=DUNG)
    awaiting = line(facts, Period(at(7, 12, 0), at(14, 12, 0)))
    assert (awaiting.category, awaiting.days_late) == (Category.OPEN_LATE, 2)


def test_unacknowledged_rate_worst_days_and_people() -> None:
    tasks = [
        task(
            1,
            completed_at=at(2, 12),
            reported_at=at(2, 12),
            reported_by=DUNG,
            acknowledged_at=at(23, 11, 10),
            acknowledged_by=EM,
        ),
        task(
            2,
            completed_at=at(5, 12),
            reported_at=at(5, 12),
            reported_by=DUNG,
            acknowledged_at=at(23, 11, 10),
            acknowledged_by=DUNG,
        ),
        task(
            3,
            due=at(1, 12, 17),
            original_due=at(1, 12, 17),
            acknowledged_at=at(30, 11),
            acknowledged_by=EM,
        ),
        task(4, due=at(10, 12, 17), original_due=at(10, 12, 17)),
        task(5, lead_unit_id=QLDT, acknowledged_at=at(8, 12), acknowledged_by=GIANG),
    ]
    result = tally(tasks, WEEK, CAL)
    tckh = result.units[TCKH]
    assert (tckh.done_on_time, tckh.done_late, tckh.open_in_time, tckh.open_late) == (1, 1, 1, 1)
    assert tckh.rate == pytest.approx(1 / 3)
    assert tckh.worst_days_late == 3  # due Tuesday 1/12: Wed, Thu, Fri
    assert tckh.unacknowledged == 1  # NV-0004
    qldt = result.units[QLDT]
    assert qldt.open_late == 1 and qldt.unacknowledged == 1  # acknowledged after the end
    assert [x.facts.code for x in result.late] == ["NV-0003", "NV-0005"]
    # Dung reported NV-0001 and NV-0002 (acknowledged NV-0002 too: counted once).
    assert result.people[DUNG].total == 2 and result.people[DUNG].done_late == 1
    assert result.people[EM].total == 2 and result.people[EM].open_late == 1
    assert GIANG not in result.people
    assert result.total.total == 5 and result.total.rate == pytest.approx(1 / 4)


def test_workday_counter_agrees_with_the_calendar() -> None:
    cal = WorkCalendar(days_off=frozenset({date(2026, 12, 31)}))
    counter = WorkdayCounter(cal)
    rng = random.Random(4)
    for _ in range(300):
        a = date(2025, 12, 1) + timedelta(days=rng.randrange(500))
        b = a + timedelta(days=rng.randrange(-20, 400))
        assert counter.between(a, b) == cal.working_days_between(a, b), (a, b)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        tally([], WEEK, CAL, count_against="whenever")
    with pytest.raises(ValueError):
        Period(at(7, 12), at(7, 12))
