"""DONDOC_DAY_OFF_RULE: where a deadline that falls on a day off goes. `next` (the default) is
Civil Code art. 148, the end of the next working day; `previous` is the office reading of
"trước ngày 20/12" when the 20th is a Sunday: Friday 18/12."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.app import calendar_from
from bot.calendar import VN_TZ, DayOffRule, WorkCalendar, parse_deadline, roll_kind
from bot.calendar.recurrence import Frequency, Recurrence
from bot.config import SettingsError, load_settings
from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory
from bot.intake.drafting import Draft, items_from
from bot.intake.reading import read_document
from bot.text.drafts import draft_text

NEXT = WorkCalendar()
PREVIOUS = WorkCalendar(day_off_rule=DayOffRule.PREVIOUS)
# Monday 23 November 2026, 09:00.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ)


def at(y: int, m: int, d: int, hh: int = 17) -> datetime:
    return datetime(y, m, d, hh, 0, tzinfo=VN_TZ)


def test_roll_goes_forward_by_default_and_back_under_previous() -> None:
    sunday = date(2026, 12, 20)
    assert NEXT.roll(sunday) == date(2026, 12, 21)
    assert PREVIOUS.roll(sunday) == date(2026, 12, 18)
    # Through a run of days off: 2/9/2027 (Thursday) and 3/9 are off, then the weekend.
    assert PREVIOUS.roll(date(2027, 9, 5)) == date(2027, 9, 1)
    assert PREVIOUS.roll(date(2026, 12, 18)) == date(2026, 12, 18)  # a working day stays
    assert replace(PREVIOUS, roll_forward=False).roll(sunday) == sunday


def test_a_deadline_on_sunday_reads_as_friday_under_previous() -> None:
    parsed = parse_deadline("trước ngày 20/12", NOW, PREVIOUS)
    assert parsed.due == at(2026, 12, 18) and parsed.rolled_from == date(2026, 12, 20)
    assert roll_kind(date(2026, 12, 20), date(2026, 12, 18), DayOffRule.PREVIOUS) == "previous"
    parsed = parse_deadline("trước ngày 20/12", NOW, NEXT)
    assert parsed.due == at(2026, 12, 21) and parsed.rolled_from == date(2026, 12, 20)
    assert roll_kind(date(2026, 12, 20), date(2026, 12, 21), DayOffRule.NEXT) == "next"


def test_previous_falls_back_to_next_when_the_day_before_has_passed() -> None:
    saturday = datetime(2026, 12, 19, 10, 0, tzinfo=VN_TZ)
    parsed = parse_deadline("20/12", saturday, PREVIOUS)
    assert parsed.due == at(2026, 12, 21) and parsed.rolled_from == date(2026, 12, 20)
    assert roll_kind(date(2026, 12, 20), date(2026, 12, 21), DayOffRule.PREVIOUS) == "fallback"
    # Friday after the close of office: Friday's 17:00 has passed too.
    friday_evening = datetime(2026, 12, 18, 18, 0, tzinfo=VN_TZ)
    assert parse_deadline("20/12", friday_evening, PREVIOUS).due == at(2026, 12, 21)
    # Friday morning: still ahead.
    friday_morning = datetime(2026, 12, 18, 9, 0, tzinfo=VN_TZ)
    assert parse_deadline("20/12", friday_morning, PREVIOUS).due == at(2026, 12, 18)


def test_recurring_deadlines_follow_the_rule() -> None:
    rule = Recurrence(Frequency.MONTHLY, 20)
    december = rule.period_at(date(2026, 12, 1), PREVIOUS)
    assert december.due == at(2026, 12, 18) and december.rolled_from == date(2026, 12, 20)
    assert rule.period_at(date(2026, 12, 1), NEXT).due == at(2026, 12, 21)


def test_the_setting_reaches_the_calendar() -> None:
    settings = load_settings(_env_file=None, DONDOC_DAY_OFF_RULE="previous")
    assert calendar_from(settings).day_off_rule is DayOffRule.PREVIOUS
    assert calendar_from(load_settings(_env_file=None)).day_off_rule is DayOffRule.NEXT
    with pytest.raises(SettingsError, match=r"DONDOC_DAY_OFF_RULE.*next or previous"):
        load_settings(_env_file=None, DONDOC_DAY_OFF_RULE="truoc")


def test_the_env_example_lists_the_setting() -> None:
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    assert "DONDOC_DAY_OFF_RULE=next" in example


def test_a_draft_line_says_the_day_off_moved_the_deadline() -> None:
    units = UnitDirectory([Unit(1, "KTHT", "Phòng Kinh tế, Hạ tầng và Đô thị")])
    text = (
        "1. Giao Phòng Kinh tế, Hạ tầng và Đô thị rà soát vỉa hè, báo cáo trước ngày 05/12/2026.\n"
        "2. Giao Phòng Kinh tế, Hạ tầng và Đô thị sửa hẻm, hoàn thành trước ngày 04/12/2026."
    )
    for cal, shown, words in (
        (NEXT, "Thứ Hai, 07/12/2026", "chuyển sang ngày làm việc tiếp theo"),
        (PREVIOUS, "Thứ Sáu, 04/12/2026", "chuyển về ngày làm việc liền trước"),
    ):
        document = read_document(text, units, NOW, cal)
        draft = Draft(
            1, 1, 1, None, document.header, items_from(document), NOW, NOW, attachment=None
        )
        rendered = draft_text(draft, {}, {1: units.units[0]}, VN_TZ, "vi")
        first, second = (line for line in rendered.splitlines() if line.startswith("<b>"))
        assert shown in first and f"ngày 05/12/2026 là ngày nghỉ, {words}" in first
        assert "ngày nghỉ" not in second  # Friday 04/12 is a working day
