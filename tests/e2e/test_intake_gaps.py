"""Gaps found trying intake as a new user would (issue 9, and issue 10 point 3's day-off rule),
end to end over HTTP against the Bot API stand-in."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from support import (
    CHAIRMAN,
    LEADERS,
    OFFICE,
    ROSTER,
    TCKH_CHAT,
    TOKEN,
    VN,
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
    assert "Thứ Sáu, 18/12/2026 17:00" in world.card(TCKH_CHAT, "NV-0001")["text"]
    # Written on Saturday 19/12, Friday has passed: the next working day, and it says so.
    world.clock.set(world.clock.now().replace(month=12, day=19, hour=10))
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo thu chi trước ngày 20/12")
    confirm = world.last_text(LEADERS)
    assert "Thứ Hai, 21/12/2026 17:00" in confirm
    assert "ngày làm việc liền trước đã qua" in confirm


CONCLUSION = "\n".join(
    [
        "Số: 45/TB-UBND",
        "An Bình, ngày 20 tháng 11 năm 2026",
        "Kết luận của Chủ tịch UBND phường tại cuộc họp giao ban tháng 11/2026",
        "1. Giao Phòng Tài chính - Kế hoạch rà soát hồ sơ giải ngân, hoàn thành trước ngày"
        " 15/12/2026.",
        "2. Giao Phòng Quản lý đô thị tổng hợp công trình chậm tiến độ trong tháng 12/2026.",
    ]
)


def draft_in(world: World, chat: int) -> dict[str, Any]:
    for message in reversed(world.tg.bot_messages(chat)):
        if "Dự thảo giao việc" in (message.get("text") or ""):
            return message
    raise AssertionError(f"no draft in {chat}: {world.bot_texts(chat)}")


async def test_an_untouched_draft_loses_its_buttons_when_it_expires(world: World) -> None:
    conclusion = await world.say(LEADERS, CHAIRMAN, CONCLUSION)
    await world.say(LEADERS, CHAIRMAN, "/giao", reply_to=conclusion["message_id"])
    draft = draft_in(world, LEADERS)
    draft_id = draft["message_id"]
    assert world.buttons(draft)

    world.advance(hours=23, minutes=59)
    await world.tick()
    assert world.buttons(world.message(LEADERS, draft_id))  # not yet

    world.advance(minutes=2)
    await world.tick()
    edited = world.message(LEADERS, draft_id)
    assert world.buttons(edited) == {}
    assert "Dự thảo đã hết hiệu lực, không giao nhiệm vụ nào" in edited["text"]
    assert "Sửa: trả lời" not in edited["text"]  # the help to correct it is gone too
    assert "rà soát hồ sơ giải ngân" in edited["text"]  # the list stays readable
    edits = len(edited.get("edit_history", []))

    # Idempotent: the next scans leave it alone.
    await world.tick()
    await world.tick()
    assert len(world.message(LEADERS, draft_id).get("edit_history", [])) == edits

    # A stale tap or a late correction says it expired, and nothing is created.
    # (Forged: the stand-in, like Telegram, no longer shows the button; an old client might.)
    confirm = world.button(draft, "Giao")
    answer = await world.press(LEADERS, draft_id, CHAIRMAN, confirm, forged=True)
    assert "hết hiệu lực" in answer["text"]
    await world.say(LEADERS, CHAIRMAN, "2 hạn 18/12", reply_to=draft_id)
    assert "hết hiệu lực" in world.last_text(LEADERS)
    assert not [t for t in world.bot_texts(TCKH_CHAT) if t.startswith("📌 Nhiệm vụ")]


async def test_a_series_task_card_and_nv_name_the_series(world: World) -> None:
    await world.say(
        LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình thu chi ngân sách hạn ngày 20 hàng tháng"
    )
    line = "Định kỳ: DK-0001 (ngày 20 hằng tháng), kỳ tháng 12/2026"
    assert line in world.card(TCKH_CHAT, "NV-0001")["text"]
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    assert line in world.last_text(LEADERS)
    # The next period's task, made by the scan, names its own period.
    await world.at(world.clock.now().replace(year=2027, month=1, day=1, hour=0, minute=1))
    await world.at(world.clock.now().replace(day=4, hour=8, minute=5))
    card = world.card(TCKH_CHAT, "NV-0002")["text"]
    assert "Định kỳ: DK-0001 (ngày 20 hằng tháng), kỳ tháng 01/2027" in card
    # A one-off task has no such line.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/01/2027")
    assert "Định kỳ" not in world.card(TCKH_CHAT, "NV-0003")["text"]


async def test_the_monthly_register_names_the_source_document(world: World) -> None:
    conclusion = await world.say(LEADERS, CHAIRMAN, CONCLUSION)
    await world.say(LEADERS, CHAIRMAN, "/giao", reply_to=conclusion["message_id"])
    draft = draft_in(world, LEADERS)
    await world.press(LEADERS, draft["message_id"], CHAIRMAN, world.button(draft, "Giao"))
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo thu chi hạn 15/12")  # no document
    world.advance(days=4)
    await world.say(OFFICE, OFFICE, "/baocao tháng 11/2026")
    message = next(m for m in reversed(world.tg.bot_messages(OFFICE)) if m.get("document"))
    book = load_workbook(io.BytesIO(world.tg.files[message["document"]["file_id"]].data))
    sheet = book["Danh sách nhiệm vụ"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # Found by its header, wherever the title block puts the table.
    header = next(r for r in rows if "Văn bản/nguồn" in r)
    column = header.index("Văn bản/nguồn")
    by_code = {r[header.index("Mã nhiệm vụ")]: r for r in rows if r is not header}
    assert by_code["NV-0001"][column] == "Số 45/TB-UBND ngày 20/11/2026"
    assert by_code["NV-0002"][column] == "Số 45/TB-UBND ngày 20/11/2026"
    assert by_code["NV-0003"][column] in (None, "")  # a /giao in chat: no document, no link


async def test_a_cooperating_body_outside_the_roster_is_said_on_its_line_and_does_not_block(
    world: World,
) -> None:
    text = "\n".join(
        [
            "Số: 46/TB-UBND",
            "1. Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp Chi cục Thuế quận và Phòng Quản"
            " lý đô thị rà soát nguồn thu, hoàn thành trước ngày 15/12/2026.",
            "2. Giao Phòng Quản lý đô thị chủ trì, phối hợp Đội QLTTXD kiểm tra vỉa hè, hoàn thành"
            " trước ngày 18/12/2026.",
        ]
    )
    conclusion = await world.say(LEADERS, CHAIRMAN, text)
    await world.say(LEADERS, CHAIRMAN, "/giao", reply_to=conclusion["message_id"])
    draft = draft_in(world, LEADERS)
    lines = draft["text"].splitlines()
    first = lines.index(next(line for line in lines if line.startswith("1. TCKH")))
    assert "(phối hợp: QLDT)" in lines[first]
    # The line starts at the action; "phối hợp …" stays, as it names a body the line does not.
    assert "· phối hợp Chi cục Thuế quận và Phòng Quản lý đô thị rà soát nguồn thu" in lines[first]
    assert "“Chi cục Thuế quận” không có trong danh sách đơn vị" in lines[first + 1]
    assert "“Đội QLTTXD” không có trong danh sách đơn vị" in draft["text"]
    assert "⚠️" not in draft["text"]  # a note, not a problem

    # The chairman may name a unit instead; the note goes with the correction.
    await world.say(LEADERS, CHAIRMAN, "2 đơn vị QLDT,TCKH", reply_to=draft["message_id"])
    edited = world.message(LEADERS, draft["message_id"])["text"]
    assert "Đội QLTTXD" in edited  # still in the content …
    assert "“Đội QLTTXD” không có" not in edited  # … but no longer noted
    assert "“Chi cục Thuế quận” không có" in edited

    answer = await world.press(LEADERS, draft["message_id"], CHAIRMAN, world.button(draft, "Giao"))
    assert "Đã giao 2 nhiệm vụ" in answer["text"]
    card = world.card(TCKH_CHAT, "NV-0001")["text"]
    assert "Chi cục Thuế quận" in card  # the content keeps the name


async def test_a_period_made_after_its_deadline_passed_does_not_start_overdue(
    world: World,
) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo thu chi ngân sách hạn ngày 5 hàng tháng")
    assert "Thứ Hai, 07/12/2026 17:00" in world.last_text(LEADERS)  # 5/12 is a Saturday
    # The bot is stopped from 31/12 to Monday 11/01/2027: January's deadline, Tuesday 5/1, has
    # passed when its task is made.
    await world.live.stop()
    world.clock.set(datetime(2027, 1, 11, 9, 0, tzinfo=VN))
    await world.restart()
    await world.tick()
    await world.tick()
    card = world.card(TCKH_CHAT, "NV-0002")["text"]
    # January normally gives two working days (1/1 is a holiday, then the weekend, 4/1 and
    # 5/1): two working days from today.
    assert "Thời hạn: Thứ Tư, 13/01/2027 17:00" in card
    assert "kỳ tháng 01/2027" in card
    await world.say(LEADERS, CHAIRMAN, "/viec TCKH")
    listing = world.last_text(LEADERS)
    line = next(x for x in listing.splitlines() if "NV-0002" in x)
    assert "quá hạn" not in line.lower()
    assert "hạn của kỳ (Thứ Ba, 05/01/2027 17:00) đã qua khi nhiệm vụ được tạo" in card
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0002")
    assert "hạn của kỳ (Thứ Ba, 05/01/2027 17:00) đã qua" in world.last_text(LEADERS)
    # A period made in time keeps its own deadline and says nothing of the kind.
    # (5/2/2027 falls in Tết: Thursday 11/02.)
    await world.at(datetime(2027, 2, 1, 0, 1, tzinfo=VN))
    await world.at(datetime(2027, 2, 1, 8, 5, tzinfo=VN))
    february = world.card(TCKH_CHAT, "NV-0003")["text"]
    assert "Thời hạn: Thứ Năm, 11/02/2027 17:00" in february and "Giao muộn" not in february
