"""The Vietnamese calendar and a deployment's own rules, as the roster file states them."""

from __future__ import annotations

from datetime import datetime

import pytest
from support import CHAIRMAN, LEADERS, ROSTER, TCKH_CHAT, TCKH_HEAD, VN, World

from bot.domain.orgfile import OrgFileError, parse_org


def at(day: int, month: int, year: int, hour: int = 8) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=VN)


def reminders(world: World) -> list[str]:
    return [m["text"] for m in world.tg.bot_messages(TCKH_CHAT) if m["text"].startswith("🔔")]


async def _acknowledged_task(world: World, deadline: str) -> None:
    await world.say(LEADERS, CHAIRMAN, f"/giao TCKH Quyết toán ngân sách hạn {deadline}")
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))


async def test_tet_2027_holds_the_chase_and_swapped_days_count(world: World) -> None:
    # The government's (made-up) 2027 decision: Friday 12/2 off as a bridge day, Saturday 13/2
    # worked instead. Tết itself (4/2–10/2) comes from the holiday calendar.
    calendar = "calendar:\n  days_off: [2027-02-12]\n  working_days: [2027-02-13]\n"
    report = await world.services.roster.import_org(parse_org(ROSTER + calendar))
    assert report.rules_changed
    world.clock.set(at(1, 2, 2027, 9))
    await _acknowledged_task(world, "03/02/2027")
    await world.at(at(2, 2, 2027))
    assert "còn 1 ngày làm việc" in reminders(world)[-1]
    await world.at(at(3, 2, 2027))
    assert "hôm nay đến hạn" in reminders(world)[-1]
    for day in (4, 5, 8, 9, 10):  # Tết: nothing
        await world.at(at(day, 2, 2027))
    assert len(reminders(world)) == 2  # "due soon" (1 working day before) and "due today"
    await world.at(at(11, 2, 2027))
    assert "đôn đốc lần 1 — quá hạn 1 ngày làm việc" in reminders(world)[-1]
    await world.at(at(12, 2, 2027))  # the bridge day: nothing
    assert len(reminders(world)) == 3
    await world.at(at(13, 2, 2027))  # the working Saturday
    assert "đôn đốc lần 2 — quá hạn 2 ngày làm việc" in reminders(world)[-1]
    await world.at(at(14, 2, 2027))  # Sunday
    await world.at(at(15, 2, 2027))
    assert "đôn đốc lần 3 — quá hạn 3 ngày làm việc" in reminders(world)[-1]


async def test_policy_from_the_roster_file(world: World) -> None:
    policy = "policy:\n  due_soon_days: [2]\n  due_today: false\n"
    await world.services.roster.import_org(parse_org(ROSTER + policy))
    await _acknowledged_task(world, "04/12")
    await world.at(at(1, 12, 2026))  # would be "3 working days before" by default
    assert reminders(world) == []
    await world.at(at(2, 12, 2026))
    assert "còn 2 ngày làm việc" in reminders(world)[-1]
    await world.at(at(4, 12, 2026))  # due today is switched off
    assert len(reminders(world)) == 1


def test_bad_policy_is_refused_with_its_line() -> None:
    with pytest.raises(OrgFileError) as caught:
        parse_org(ROSTER + "policy:\n  due_soon_days: [0]\n  nudge_at_night: true\n", "roster.yaml")
    lines = ROSTER.count("\n") + 1
    assert (
        f"roster.yaml:{lines}: policy.due_soon_days must be a whole number ≥ 1"
        in caught.value.problems
    )
    assert any("unknown policy setting 'nudge_at_night'" in p for p in caught.value.problems)
    with pytest.raises(OrgFileError) as caught:
        parse_org(ROSTER + "calendar:\n  days_off: [31/12/2026]\n", "roster.yaml")
    assert "calendar.days_off must be a list of dates like 2026-12-31" in str(caught.value)
