"""The sandbox's flowing clock: where it starts, and ⏩ only ever moving it forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import OffsetClock

START = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_an_offset_clock_starts_where_it_is_told() -> None:
    clock = OffsetClock(START)
    # Time flows from the start on; a minute is far more than this test takes.
    assert START <= clock.now() < START + timedelta(minutes=1)
    assert clock.now().tzinfo is not None


def test_jumps_go_forward_only() -> None:
    clock = OffsetClock(START)
    clock.jump_to(START + timedelta(days=3))
    assert clock.now() >= START + timedelta(days=3)
    clock.jump_to(START)  # backwards: ignored
    assert clock.now() >= START + timedelta(days=3)


def test_without_a_start_it_is_the_real_clock() -> None:
    assert abs(OffsetClock().now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        OffsetClock(datetime(2026, 11, 23, 9, 0))
