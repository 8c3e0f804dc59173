"""What `/tonghop` reads as its period: no date taken silently, words it cannot read refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from support import VN

from bot.domain.tally import Period
from bot.services.reports import parse_period

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=VN)  # Friday 27/11/2026


def days(a: tuple[int, int, int], b: tuple[int, int, int]) -> Period:
    """From a's midnight to b's midnight (b excluded)."""
    return Period(datetime(*a, tzinfo=VN), datetime(*b, tzinfo=VN))


def test_an_end_before_the_start_is_refused_not_read_as_a_year() -> None:
    with pytest.raises(ValueError):
        parse_period("từ 15/11 đến 01/11", NOW, VN)
    with pytest.raises(ValueError):
        parse_period("từ 15/11/2026 đến 01/11/2026", NOW, VN)


def test_a_range_across_the_new_year_is_still_read() -> None:
    asked = parse_period("từ 20/12 đến 05/01 TCKH", NOW, VN)
    assert asked.period == days((2025, 12, 20), (2026, 1, 6))
    assert (asked.rest, asked.guessed) == ("TCKH", True)
    asked = parse_period("từ 20/12/2025 đến 05/01", NOW, VN)
    assert (asked.period, asked.guessed) == (days((2025, 12, 20), (2026, 1, 6)), False)


def test_days_not_yet_begun_this_year_are_last_years_and_say_so() -> None:
    asked = parse_period("từ 28/11 đến 30/11", NOW, VN)
    assert asked.period == days((2025, 11, 28), (2025, 12, 1))
    assert asked.guessed
    this_year = parse_period("từ 01/11 đến 15/11", NOW, VN)
    assert (this_year.period, this_year.guessed) == (days((2026, 11, 1), (2026, 11, 16)), False)


def test_last_week_last_month_and_a_quarter() -> None:
    asked = parse_period("tuần trước QLDT", NOW, VN)
    assert asked.period == days((2026, 11, 16), (2026, 11, 23))  # Monday to Sunday
    assert asked.previous == days((2026, 11, 9), (2026, 11, 16))
    assert asked.rest == "QLDT"
    asked = parse_period("tháng trước", NOW, VN)
    assert asked.period == days((2026, 10, 1), (2026, 11, 1))
    assert asked.previous == days((2026, 9, 1), (2026, 10, 1))
    assert asked.rest == ""
    for words in ("quý 3", "quý III", "Quý III/2026", "quý 3 năm 2026"):
        asked = parse_period(words, NOW, VN)
        assert asked.period == days((2026, 7, 1), (2026, 10, 1)), words
        assert asked.previous == days((2026, 4, 1), (2026, 7, 1))
    asked = parse_period("quý IV TCKH", NOW, VN)  # this quarter, so far
    assert asked.period == Period(datetime(2026, 10, 1, tzinfo=VN), NOW)
    assert asked.rest == "TCKH"
    assert parse_period("quý I/2027", NOW, VN).period is None  # not begun


@pytest.mark.parametrize(
    "words",
    [
        "hôm nay",
        "tuần sau",
        "tháng này nữa",
        "năm 2026",
        "2026",
        "từ 01/01/9999 đến 31/12/9999",
        "từ 01/01/0001 đến 02/01/0001",
    ],
)
def test_period_words_it_does_not_read_are_refused_not_taken_for_a_unit(words: str) -> None:
    with pytest.raises(ValueError):
        parse_period(words, NOW, VN)


def test_a_unit_alone_is_the_last_seven_days() -> None:
    asked = parse_period("Phòng TC-KH", NOW, VN)
    assert asked.period is not None and asked.period.end == NOW
    assert asked.rest == "Phòng TC-KH"
