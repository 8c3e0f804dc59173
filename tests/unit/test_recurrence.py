"""The recurrence reader: the written forms, the periods they make and their deadlines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest

from bot.calendar import VN_TZ, DayOffRule, WorkCalendar
from bot.calendar.recurrence import (
    LAST,
    Frequency,
    Recurrence,
    RecurrenceError,
    RecurrenceErrorCode,
    find_recurrence,
    parse_recurrence,
)

CAL = WorkCalendar()
W, M, Q, Y = Frequency.WEEKLY, Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.YEARLY


def at(y: int, mo: int, d: int, h: int = 9, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("text", "content", "rule"),
    [
        (
            "Báo cáo tình hình thu chi ngân sách hạn ngày 20 hàng tháng",
            "Báo cáo tình hình thu chi ngân sách",
            Recurrence(M, 20),
        ),
        ("Báo cáo hằng tháng ngày 20", "Báo cáo", Recurrence(M, 20)),
        ("Báo cáo định kỳ hàng tháng trước ngày 20", "Báo cáo", Recurrence(M, 20)),
        ("Báo cáo, định kỳ ngày 20 hằng tháng.", "Báo cáo", Recurrence(M, 20)),
        ("Báo cáo mỗi tháng, chậm nhất ngày 5 tháng sau", "Báo cáo", Recurrence(M, 5)),
        ("Báo cáo (hạn ngày 20 hằng tháng)", "Báo cáo", Recurrence(M, 20)),
        ("Kiểm quỹ hàng tháng vào ngày cuối tháng", "Kiểm quỹ", Recurrence(M, LAST)),
        ("Báo cáo hàng tuần thứ 6", "Báo cáo", Recurrence(W, 5)),
        ("Giao ban vào thứ Sáu hằng tuần", "Giao ban", Recurrence(W, 5)),
        ("Lịch công tác hằng tuần vào thứ hai", "Lịch công tác", Recurrence(W, 1)),
        ("Báo cáo mỗi tuần T5", "Báo cáo", Recurrence(W, 4)),
        ("Báo cáo trước 16h thứ 6 hằng tuần", "Báo cáo", Recurrence(W, 5, at=time(16))),
        (
            "Báo cáo quý hàng quý trước ngày 15 tháng cuối quý",
            "Báo cáo quý",
            Recurrence(Q, 15, 3),
        ),
        ("Báo cáo hằng quý trước ngày 10 tháng đầu quý sau", "Báo cáo", Recurrence(Q, 10, 1)),
        ("Báo cáo hằng quý vào ngày cuối quý", "Báo cáo", Recurrence(Q, LAST, 3)),
        ("Tổng kết hàng năm 15/12", "Tổng kết", Recurrence(Y, 15, 12)),
        ("Tổng kết hằng năm trước ngày 15/12", "Tổng kết", Recurrence(Y, 15, 12)),
        ("Kiểm kê tài sản ngày 15 tháng 12 hằng năm", "Kiểm kê tài sản", Recurrence(Y, 15, 12)),
        (
            "Báo cáo thu chi hạn ngày 20 hàng tháng\nGửi kèm biểu mẫu số 3",
            "Báo cáo thu chi\nGửi kèm biểu mẫu số 3",
            Recurrence(M, 20),
        ),
    ],
)
def test_written_forms(text: str, content: str, rule: Recurrence) -> None:
    found = find_recurrence(text)
    assert found is not None
    assert found[0] == content
    assert found[1] == rule


@pytest.mark.parametrize(
    "text",
    [
        "Báo cáo tình hình thu chi hạn 15/12",
        # The frequency before the deadline marker is content: a one-off task about a yearly report.
        "Báo cáo tổng kết hằng năm hạn 15/12",
        "Báo cáo thu chi hàng tháng",  # no day and no marker: not a series (and not guessed)
        "Rà soát hàng tồn kho thứ 6 này",
        "Kiểm tra hằng ngày",
    ],
)
def test_one_off_texts_are_not_recurring(text: str) -> None:
    assert find_recurrence(text) is None


@pytest.mark.parametrize("text", ["Báo cáo hạn hàng tháng", "Báo cáo định kỳ hằng quý"])
def test_a_frequency_without_a_day_asks_for_it(text: str) -> None:
    with pytest.raises(RecurrenceError) as caught:
        find_recurrence(text)
    assert caught.value.code is RecurrenceErrorCode.NO_DAY


@pytest.mark.parametrize(
    "text", ["Báo cáo ngày 32 hàng tháng", "Báo cáo 30/02 hằng năm", "Báo cáo 25h thứ 6 hằng tuần"]
)
def test_impossible_days_are_refused(text: str) -> None:
    with pytest.raises(RecurrenceError) as caught:
        find_recurrence(text)
    assert caught.value.code is RecurrenceErrorCode.INVALID


def test_a_bare_frequency_means_the_period_end_when_asked() -> None:
    assert parse_recurrence("Hàng tháng", bare_is_end=True) == Recurrence(M, LAST)
    assert parse_recurrence("hằng quý", bare_is_end=True) == Recurrence(Q, LAST, 3)
    assert parse_recurrence("hằng năm", bare_is_end=True) == Recurrence(Y, LAST, 12)
    assert parse_recurrence("hằng tuần", bare_is_end=True) == Recurrence(W, 5)
    assert parse_recurrence("15/12") is None


@pytest.mark.parametrize(
    "rule",
    [
        Recurrence(M, 20),
        Recurrence(M, LAST),
        Recurrence(W, 5, at=time(16, 30)),
        Recurrence(Q, 15, 3),
        Recurrence(Y, 29, 2),
    ],
)
def test_spec_round_trip(rule: Recurrence) -> None:
    assert Recurrence.from_spec(rule.spec()) == rule


def test_monthly_periods_and_deadlines() -> None:
    rule = Recurrence(M, 20)
    # Monday 23/11/2026: November's 20th has passed, so the next deadline is December's. The
    # 20th of December is a Sunday: it moves to Monday 21st as ordinary deadlines do.
    period = rule.next_due(at(2026, 11, 23), CAL)
    assert period.key == "2026-12"
    assert (period.start, period.end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period.due == at(2026, 12, 21, 17)
    assert period.rolled_from == date(2026, 12, 20)
    # January's period starts on New Year's Day: its task is made on Monday 4/1, at opening.
    assert rule.next_start(period.due, CAL) == at(2027, 1, 4, 8)
    # On the day itself, before the close of office, this month's deadline is still ahead.
    assert rule.next_due(at(2027, 1, 20, 16, 59), CAL).key == "2027-01"
    assert rule.next_due(at(2027, 1, 20, 17), CAL).key == "2027-01"
    assert rule.next_due(at(2027, 1, 20, 17, 1), CAL).key == "2027-02"


def test_year_end_and_short_months() -> None:
    rule = Recurrence(M, 31)
    december = rule.period_at(at(2026, 12, 31, 23, 59), CAL)
    january = rule.following(december, CAL)
    assert (january.key, january.start) == ("2027-01", date(2027, 1, 1))
    february = rule.following(january, CAL)
    assert february.written == date(2027, 2, 28)  # no 31st: the month's last day
    # 31/01/2027 is a Sunday: its deadline moves to Monday 1/2, which the next_due of the
    # morning of 1/2 still finds ahead.
    assert january.due == at(2027, 2, 1, 17)
    assert rule.next_due(at(2027, 2, 1, 9), CAL).key == "2027-01"


def test_without_roll_forward_a_day_off_stays() -> None:
    cal = replace(CAL, roll_forward=False)
    period = Recurrence(M, 20).period_at(date(2026, 12, 1), cal)
    assert period.due == at(2026, 12, 20, 17) and period.rolled_from is None


def test_weekly_periods() -> None:
    rule = Recurrence(W, 5)
    # Saturday 28/11/2026: this week's Friday has passed; next week's is 4/12.
    period = rule.next_due(at(2026, 11, 28), CAL)
    assert (period.key, period.start, period.due) == (
        "2026-W49",
        date(2026, 11, 30),
        at(2026, 12, 4, 17),
    )
    assert rule.next_start(at(2026, 12, 2), CAL) == at(2026, 12, 7, 8)
    # Across a year end the ISO week is named by its own year.
    assert rule.period_at(date(2026, 12, 31), CAL).key == "2026-W53"
    assert rule.period_at(date(2027, 1, 4), CAL).key == "2027-W01"
    # Friday 1/1/2027 is New Year's Day: the deadline moves to Monday 4/1.
    assert rule.period_at(date(2026, 12, 28), CAL).due == at(2027, 1, 4, 17)


def test_quarterly_and_yearly_periods() -> None:
    quarterly = Recurrence(Q, 15, 3)
    q4 = quarterly.next_due(at(2026, 11, 23), CAL)
    assert (q4.key, q4.start, q4.end, q4.due) == (
        "2026-Q4",
        date(2026, 10, 1),
        date(2026, 12, 31),
        at(2026, 12, 15, 17),
    )
    assert quarterly.next_start(at(2026, 11, 23), CAL) == at(2027, 1, 4, 8)
    assert quarterly.next_due(at(2026, 12, 16), CAL).due == at(2027, 3, 15, 17)
    yearly = Recurrence(Y, 15, 12)
    assert yearly.next_due(at(2026, 11, 23), CAL).key == "2026"
    later = yearly.next_due(at(2026, 12, 16), CAL)
    assert (later.key, later.due) == ("2027", at(2027, 12, 15, 17))
    leap = Recurrence(Y, 29, 2)
    assert leap.period_at(date(2027, 5, 1), CAL).written == date(2027, 2, 28)
    assert leap.period_at(date(2027, 5, 1), CAL).due == at(2027, 3, 1, 17)
    assert leap.period_at(date(2028, 5, 1), CAL).written == date(2028, 2, 29)


def test_a_period_made_late_gets_its_usual_working_days_at_most_five() -> None:
    from bot.services.series import late_period_due

    # Monthly on the 20th: December gives 14 working days; made on 22/12, at most 5: 29/12.
    december = Recurrence(M, 20).period_at(date(2026, 12, 1), CAL)
    assert late_period_due(december, at(2026, 12, 22, 9), CAL) == at(2026, 12, 29, 17)
    # Weekly on Monday: one working day, counted from the Wednesday it is made.
    week = Recurrence(W, 1).period_at(date(2026, 12, 7), CAL)
    assert late_period_due(week, at(2026, 12, 9, 9), CAL) == at(2026, 12, 10, 17)
    # A deadline a day-off rule moved before its period began: still at least one day.
    cal = replace(CAL, day_off_rule=DayOffRule.PREVIOUS)
    august = Recurrence(M, 1).period_at(date(2027, 8, 1), cal)  # 1/8/2027 is a Sunday
    assert august.due == at(2027, 7, 30, 17)
    assert late_period_due(august, at(2027, 8, 1, 0, 1), cal) == at(2027, 8, 2, 17)


def test_a_period_opens_on_its_first_working_day() -> None:
    """Its task is made, dated and delivered then: not on a holiday nor at midnight."""
    january = Recurrence(M, 25).period_at(date(2027, 1, 10), CAL)
    assert january.opens(CAL) == at(2027, 1, 4, 8)  # 1/1 a holiday, 2-3/1 a weekend
    december = Recurrence(M, 25).period_at(date(2026, 12, 10), CAL)
    assert december.opens(CAL) == at(2026, 12, 1, 8)  # a Tuesday
    office = replace(CAL, office_start=time(7, 30))
    assert december.opens(office) == at(2026, 12, 1, 7, 30)
    # A week with no working day of its own (days off from Monday to Sunday) still opens in
    # itself, at midnight of its Monday, so that its task is made in it.
    tet = replace(CAL, days_off=frozenset(date(2027, 2, 8 + i) for i in range(5)))
    week = Recurrence(W, 5).period_at(date(2027, 2, 10), tet)
    assert week.opens(tet) == datetime(2027, 2, 8, 0, 0, tzinfo=VN_TZ)
