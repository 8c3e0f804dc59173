"""The weekly chart is drawn by a process of its own (bot.reports.drawing): what it is sent says
everything the chart shows, and what comes back is the PNG the bot would have drawn itself."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.model import Unit
from bot.domain.tally import Counts, Period, Tally
from bot.reports import drawing

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def sample() -> tuple[Tally, dict[int, Unit]]:
    period = Period(datetime(2026, 11, 16, 8, tzinfo=VN), datetime(2026, 11, 23, 8, tzinfo=VN))
    units = {1: Counts(5, 1, 2, 1, 1, 1, 0, 0, 1, 4), 2: Counts(2, 0, 1, 0, 1, 0, 0, 1, 0, 0)}
    tally = Tally(period, "in_force", units, {}, Counts(7, 1, 3, 1, 2, 1, 0, 1, 1, 4))
    return tally, {1: Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch"), 2: Unit(2, "QLĐT", "Đô thị")}


def test_what_the_chart_process_is_sent_is_what_the_chart_shows() -> None:
    tally, units = sample()
    back, names, lang, tz = drawing.decode(drawing.encode(tally, units, "vi", VN))
    assert (back.period, back.count_against, back.units, back.total) == (
        tally.period,
        tally.count_against,
        tally.units,
        tally.total,
    )
    assert names == units and lang == "vi" and tz == VN


async def test_the_chart_is_drawn_by_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.reports import chart

    def here(*_: object) -> bytes:
        raise AssertionError("drawn in the bot's own process")

    # The fallback (a worker thread of this process) would call this; the child has its own.
    monkeypatch.setattr(chart, "chart_png", here)
    tally, units = sample()
    png = await drawing.chart_png(tally, units, "vi", VN)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
