"""Recurring tasks end to end: /giao with a recurring deadline, each period's task made by the
due-scan when the office opens on its period's first working day (across a month end and a
year end), a restart after missed periods, /dinhky and ending a series with /huy."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy.exc import IntegrityError
from support import (
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    QLDT_HEAD,
    TCKH_CHAT,
    TCKH_HEAD,
    VICE,
    VN,
    World,
)

from bot.domain.model import Task


def at(y: int, mo: int, d: int, h: int = 9, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN)


async def instances(world: World, code: str = "DK-0001") -> list[Task]:
    async with world.services.core.uow() as uow:
        series = await uow.series.by_code(code)
        assert series is not None
        return await uow.tasks.of_series([series.id])


def due_texts(tasks: list[Task]) -> list[tuple[str, str, str]]:
    return [
        (x.code, x.series_period or "", f"{x.due.astimezone(VN):%d/%m/%Y %H:%M}" if x.due else "")
        for x in tasks
    ]


async def test_monthly_series_across_a_month_end_and_a_year_end(world: World) -> None:
    # Monday 23/11/2026: the 25th of this month is still ahead, so the first task is November's.
    await world.say(
        LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình thu chi ngân sách hạn ngày 25 hàng tháng"
    )
    confirm = world.last_text(LEADERS)
    assert "Đã giao NV-0001" in confirm
    assert "Thứ Tư, 25/11/2026 17:00" in confirm
    assert "Nhiệm vụ định kỳ DK-0001: ngày 25 hằng tháng" in confirm
    assert "kỳ tháng 11/2026" in confirm
    assert (
        "Kỳ sau: tháng 12/2026, hạn Thứ Sáu, 25/12/2026 17:00, được giao tự động ngày 01/12/2026"
        in confirm
    )
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Báo cáo tình hình thu chi ngân sách" in card["text"]
    assert "ngày 25 hàng tháng" not in card["text"]  # the rule is not the content

    # Nothing more until the month ends, however often the scan runs.
    await world.at(at(2026, 11, 30, 23, 59))
    await world.tick()
    assert len(await instances(world)) == 1

    # Across the month end: exactly one new task, December's, with its own card, made when the
    # office opens on the period's first working day (Tuesday 1/12, 08:00), not at midnight.
    await world.at(at(2026, 12, 1, 0, 0, 30))
    await world.tick()
    assert len(await instances(world)) == 1
    await world.at(at(2026, 12, 1, 8, 1))
    await world.tick()
    assert due_texts(await instances(world)) == [
        ("NV-0001", "2026-11", "25/11/2026 17:00"),
        ("NV-0002", "2026-12", "25/12/2026 17:00"),
    ]
    assert (await instances(world))[1].created_at >= at(2026, 12, 1, 8)
    await world.at(at(2026, 12, 1, 8, 5))
    cards = [text for text in world.bot_texts(TCKH_CHAT) if "Nhiệm vụ NV-0002" in text]
    assert len(cards) == 1 and "Thứ Sáu, 25/12/2026 17:00" in cards[0]
    # It is an ordinary task: acknowledged from its card, which is edited in place.
    card = world.card(TCKH_CHAT, "NV-0002")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    assert "Đang thực hiện" in world.message(TCKH_CHAT, card["message_id"])["text"]

    # Across the year end (Dec → Jan): January 2027's task, due Monday 25/01/2027.
    await world.at(at(2026, 12, 31, 23, 59, 50))
    assert len(await instances(world)) == 2
    await world.at(at(2027, 1, 1, 0, 0, 20))
    await world.tick()
    await world.at(at(2027, 1, 1, 10))
    # New Year's Day is a holiday: the task is made (and dated) on the next working day,
    # Monday 4/1, when the office opens, and its card goes out then.
    assert len(await instances(world)) == 2
    assert not any("NV-0003" in text for text in world.bot_texts(TCKH_CHAT))
    await world.at(at(2027, 1, 4, 8, 1))
    await world.tick()
    made = await instances(world)
    assert due_texts(made)[2:] == [("NV-0003", "2027-01", "25/01/2027 17:00")]
    assert made[2].created_at >= at(2027, 1, 4, 8)
    await world.at(at(2027, 1, 4, 8, 5))
    assert "Thứ Hai, 25/01/2027 17:00" in world.card(TCKH_CHAT, "NV-0003")["text"]

    # /dinhky: the series, its rule, its next deadline and how its tasks went. November's task
    # was never reported, so it is late; none is done yet.
    await world.say(LEADERS, CHAIRMAN, "/dinhky")
    listing = world.last_text(LEADERS)
    assert "DK-0001 · TCKH · ngày 25 hằng tháng" in listing
    assert "Hạn tới: Thứ Hai, 25/01/2027 17:00" in listing
    assert "đã giao 3 kỳ, hoàn thành 0, quá hạn 2" in listing


async def test_the_confirmation_names_the_day_the_next_task_is_made(world: World) -> None:
    """January's period starts on New Year's Day, a holiday: its task is made on the first
    working day, Monday 4/1/2027, and the confirmation says so (it said 01/01/2027)."""
    await world.at(at(2026, 12, 10, 9))
    await world.say(
        LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình thu chi ngân sách hạn ngày 25 hàng tháng"
    )
    confirm = world.last_text(LEADERS)
    assert "Kỳ sau: tháng 01/2027, hạn Thứ Hai, 25/01/2027 17:00" in confirm
    assert "được giao tự động ngày 04/01/2027" in confirm
    assert "01/01/2027" not in confirm
    await world.at(at(2027, 1, 1, 9))
    await world.tick()
    assert len(await instances(world)) == 1
    await world.at(at(2027, 1, 4, 8, 1))
    await world.tick()
    made = await instances(world)
    assert [x.series_period for x in made] == ["2026-12", "2027-01"]
    assert made[1].created_at >= at(2027, 1, 4, 8)


async def test_a_restart_after_missed_periods_makes_the_current_one_once(world: World) -> None:
    await world.say(
        LEADERS, OFFICE, "/giao TCKH Báo cáo tình hình thu chi ngân sách hạn ngày 20 hàng tháng"
    )
    confirm = world.last_text(LEADERS)
    # 20/11 has passed; 20/12/2026 is a Sunday, so December's deadline is Monday 21/12.
    assert "NV-0001" in confirm and "Thứ Hai, 21/12/2026 17:00" in confirm
    assert "Ngày 20/12/2026 là ngày nghỉ" in confirm
    await world.at(at(2026, 12, 1, 9))
    assert len(await instances(world)) == 1  # December's task already exists

    # The bot is stopped from mid-December to mid-March: January and February pass unseen.
    await world.live.stop()
    world.clock.set(at(2027, 3, 10, 9))
    await world.restart()
    await world.tick()
    await world.tick()
    assert due_texts(await instances(world)) == [
        ("NV-0001", "2026-12", "21/12/2026 17:00"),
        ("NV-0002", "2027-03", "22/03/2027 17:00"),  # 20/3/2027 is a Saturday
    ]
    await world.restart()
    await world.tick()
    assert len(await instances(world)) == 2
    # Two scans at once (two instances of the bot, say) still make nothing twice, and the
    # database itself refuses a second task for one series and period.
    assert await asyncio.gather(*(world.services.series.create_due() for _ in range(3))) == [0] * 3
    first = (await instances(world))[0]
    async with world.services.core.uow() as uow:
        twin = replace(first, id=0, code="NV-9999")
        with pytest.raises(IntegrityError):
            await uow.tasks.add(twin)
    # And April's comes at the start of April, as usual.
    await world.at(at(2027, 4, 1, 8, 30))
    assert [x.series_period for x in await instances(world)][-1] == "2027-04"
    assert len(await instances(world)) == 3


async def test_weekly_series_and_ending_it(world: World) -> None:
    # Monday 23/11/2026: this Friday is still ahead.
    await world.say(
        LEADERS, VICE, "/giao QLDT Báo cáo kết quả ra quân trật tự đô thị vào thứ Sáu hằng tuần"
    )
    confirm = world.last_text(LEADERS)
    assert "NV-0001" in confirm and "Thứ Sáu, 27/11/2026 17:00" in confirm
    assert "DK-0001: Thứ Sáu hằng tuần" in confirm
    assert "tuần 49/2026 (30/11–06/12)" in confirm

    await world.at(at(2026, 11, 30, 8, 1))
    assert [x.series_period for x in await instances(world)] == ["2026-W48", "2026-W49"]

    # The unit that does the work may not end its own series; a code that names no series and
    # a missing reason are answered, not acted on.
    await world.say(LEADERS, QLDT_HEAD, "/huy DK-0001 không cần nữa")
    assert "Chỉ người giao việc, lãnh đạo phụ trách hoặc Văn phòng" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/huy DK-0009 nhầm")
    assert "Không tìm thấy nhiệm vụ định kỳ DK-0009" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/huy dk1")
    assert "lý do" in world.last_text(LEADERS)

    await world.say(LEADERS, CHAIRMAN, "/huy dk1 đã lồng ghép vào giao ban tháng")
    ended = world.last_text(LEADERS)
    assert "Đã kết thúc nhiệm vụ định kỳ DK-0001" in ended
    assert "không giao thêm kỳ mới" in ended
    assert "NV-0001 (hạn Thứ Sáu, 27/11/2026 17:00), NV-0002" in ended
    assert "vẫn mở" in ended
    notice = world.last_text(QLDT_CHAT)  # the unit is told, with the reason
    assert "DK-0001" in notice and "kết thúc theo quyết định của Nguyễn Văn An" in notice
    assert "đã lồng ghép vào giao ban tháng" in notice
    # The tasks already made go on: still open, still on the lists.
    await world.say(LEADERS, CHAIRMAN, "/viec")
    assert "NV-0001" in world.last_text(LEADERS) and "NV-0002" in world.last_text(LEADERS)
    # No new week after the end, and a second /huy says it is over.
    await world.at(at(2026, 12, 7, 0, 1))
    await world.at(at(2026, 12, 14, 9))
    assert len(await instances(world)) == 2
    await world.say(LEADERS, CHAIRMAN, "/huy DK-0001 lần nữa")
    assert "đã kết thúc" in world.last_text(LEADERS)
    await world.say(LEADERS, OFFICE, "/dinhky")
    listing = world.last_text(LEADERS)
    assert "DK-0001 · QLDT · Thứ Sáu hằng tuần" in listing
    assert "Đã kết thúc" in listing and "đã giao 2 kỳ" in listing


async def test_recurring_forms_and_bad_input(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/dinhky")
    assert "Chưa có nhiệm vụ định kỳ" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo thu chi hạn hàng tháng")
    assert "cần ghi ngày hạn của mỗi kỳ" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo thu chi hạn ngày 32 hàng tháng")
    assert "Không có ngày “32”" in world.last_text(LEADERS)
    assert await _series_count(world) == 0
    # A yearly report due once is a one-off task, not a series.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tổng kết hằng năm hạn 15/12")
    assert "NV-0001" in world.last_text(LEADERS) and "định kỳ" not in world.last_text(LEADERS)
    await world.say(
        LEADERS, CHAIRMAN, "/giao TCKH Báo cáo quý hàng quý trước ngày 15 tháng cuối quý"
    )
    quarterly = world.last_text(LEADERS)
    assert "NV-0002" in quarterly and "Thứ Ba, 15/12/2026 17:00" in quarterly
    assert "ngày 15 tháng cuối quý, hằng quý" in quarterly and "quý I/2027" in quarterly
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Kiểm kê tài sản hàng năm 15/12")
    assert "DK-0002: ngày 15/12 hằng năm" in world.last_text(LEADERS)
    await world.say(
        LEADERS, CHAIRMAN, "/giao TCKH Báo cáo công tác định kỳ hàng tháng trước ngày 20"
    )
    assert "DK-0003: ngày 20 hằng tháng" in world.last_text(LEADERS)
    # As a reply, the replied message is the content and the command carries the rule.
    sent = await world.say(LEADERS, OFFICE, "Tổng hợp số liệu thu ngân sách của các tổ dân phố")
    await world.say(
        LEADERS, CHAIRMAN, "/giao TCKH hạn ngày 5 hằng tháng", reply_to=sent["message_id"]
    )
    assert "DK-0004: ngày 5 hằng tháng" in world.last_text(LEADERS)
    assert "Tổng hợp số liệu thu ngân sách" in world.card(TCKH_CHAT, "NV-0005")["text"]
    # In a unit's group its members see the unit's series; someone of another unit, none.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/dinhky")
    listing = world.last_text(TCKH_CHAT)
    assert "DK-0001" in listing and "DK-0003" in listing and "Phòng Tài chính" in listing
    await world.say(LEADERS, QLDT_HEAD, "/dinhky")
    assert "Chưa có nhiệm vụ định kỳ" in world.last_text(LEADERS)


async def _series_count(world: World) -> int:
    async with world.services.core.uow() as uow:
        return len(await uow.series.all())
