"""Gaps found trying intake as a new user would (issue 9, and issue 10 point 3's day-off rule),
end to end over HTTP against the Bot API stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from support import (
    CHAIRMAN,
    LEADERS,
    ROSTER,
    TOKEN,
    World,
    make_settings,
    people,
)

from bot.clock import ManualClock
from bot.domain.orgfile import parse_org
from bot.sandbox import FakeTelegram
from bot.sandbox.live import LiveBot

MakeWorld = Callable[..., Awaitable[World]]


@pytest.fixture
async def world_with(database_url: str, clock: ManualClock) -> AsyncIterator[MakeWorld]:
    """A world whose settings the test chooses (DONDOC_DAY_OFF_RULE=previous, …)."""
    started: list[World] = []

    async def make(**extra: Any) -> World:
        tg = FakeTelegram(token=TOKEN, clock=clock.now)
        people(tg)
        settings = make_settings(database_url, **extra)
        live = await LiveBot.start(settings, tg, clock=clock)
        await live.runtime.services.roster.import_org(parse_org(ROSTER))
        world = World(live, clock, settings)
        started.append(world)
        return world

    yield make
    for world in started:
        await world.live.stop()


async def test_giao_says_which_rule_moved_a_deadline_off_a_sunday(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân trước ngày 20/12")
    confirm = world.last_text(LEADERS)
    assert "Thứ Hai, 21/12/2026 17:00" in confirm
    assert "Ngày 20/12/2026 là ngày nghỉ" in confirm and "Điều 148 Bộ luật Dân sự" in confirm


async def test_under_the_previous_rule_sunday_20_12_is_friday_18_12(
    world_with: MakeWorld,
) -> None:
    world = await world_with(DONDOC_DAY_OFF_RULE="previous")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân trước ngày 20/12")
    confirm = world.last_text(LEADERS)
    assert "Thứ Sáu, 18/12/2026 17:00" in confirm
    assert "chuyển về cuối ngày làm việc liền trước" in confirm
    assert "Thứ Sáu, 18/12/2026 17:00" in world.card(-1001000000010, "NV-0001")["text"]
    # Written on Saturday 19/12, Friday has passed: the next working day, and it says so.
    world.clock.set(world.clock.now().replace(month=12, day=19, hour=10))
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo thu chi trước ngày 20/12")
    confirm = world.last_text(LEADERS)
    assert "Thứ Hai, 21/12/2026 17:00" in confirm
    assert "ngày làm việc liền trước đã qua" in confirm
