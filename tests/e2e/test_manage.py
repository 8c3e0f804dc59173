"""Withdrawing and reassigning tasks, returning results for rework, and the task lists."""

from __future__ import annotations

from datetime import datetime

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

from bot.domain.tally import Category, Period, tally

# Two periods around the move at 10:00 Thursday 26/11: one ending before it, one after it.
BEFORE_MOVE = Period(datetime(2026, 11, 20, 16, tzinfo=VN), datetime(2026, 11, 26, 9, tzinfo=VN))
AFTER_MOVE = Period(datetime(2026, 11, 26, 9, tzinfo=VN), datetime(2026, 12, 4, 16, tzinfo=VN))


async def test_withdraw(world: World) -> None:
    await world.say(LEADERS, OFFICE, "/giao TCKH Lập dự toán bổ sung hạn 5 ngày làm việc")
    # Tuesday 24/11/2026 (Ngày Văn hóa Việt Nam) is a day off, so five working days end 1/12.
    assert "Thứ Ba, 01/12/2026 17:00" in world.last_text(LEADERS)
    await world.say(LEADERS, OFFICE, "/huy NV-0001")
    assert "lý do" in world.last_text(LEADERS)
    await world.say(LEADERS, TCKH_HEAD, "/huy NV-0001 không cần nữa")
    assert "Chỉ người giao việc" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/huy NV-0001 đã lồng ghép vào kế hoạch chung")
    assert "Đã rút nhiệm vụ NV-0001" in world.last_text(LEADERS)
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Đã rút" in card["text"] and world.buttons(card) == {}
    assert "đã lồng ghép vào kế hoạch chung" in world.last_text(TCKH_CHAT)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/nhan NV-0001")
    assert "Nhiệm vụ NV-0001 ở trạng thái “đã rút”, không thể" in world.last_text(TCKH_CHAT)
    await world.say(LEADERS, CHAIRMAN, "/viec")
    assert "NV-0001" not in world.last_text(LEADERS)


async def test_reassign_moves_the_card_and_needs_a_new_acknowledgement(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát vỉa hè phố Trần Nhân Tông trước 05/12")
    old_card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(
        TCKH_CHAT, old_card["message_id"], TCKH_HEAD, world.button(old_card, "Đã nhận")
    )
    # The vice-chairman supervises QLDT, not TCKH: not theirs to move. The office may.
    await world.say(LEADERS, VICE, "/chuyen NV-0001 Phòng Quản lý đô thị")
    assert "Chỉ người giao việc" in world.last_text(LEADERS)
    await world.say(LEADERS, OFFICE, "/chuyen NV-0001 Phòng Quản lý đô thị")
    assert "Đã chuyển nhiệm vụ NV-0001" in world.last_text(LEADERS)
    old_card = world.message(TCKH_CHAT, old_card["message_id"])
    assert world.buttons(old_card) == {}
    assert "không còn chủ trì" in world.last_text(TCKH_CHAT)
    new_card = world.card(QLDT_CHAT, "NV-0001")
    assert "Chưa tiếp nhận" in new_card["text"] and "Đã nhận" in " ".join(world.buttons(new_card))
    # The old unit can no longer act; the new one can.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 xong rồi")
    assert "đơn vị chủ trì" in world.last_text(TCKH_CHAT)
    await world.press(
        QLDT_CHAT, new_card["message_id"], QLDT_HEAD, world.button(new_card, "Đã nhận")
    )
    assert "Đang thực hiện" in world.card(QLDT_CHAT, "NV-0001")["text"]
    # Later edits never touch the old unit's card again.
    assert world.tg.find_message(TCKH_CHAT, old_card["message_id"]) == old_card
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    assert (
        "chuyển chủ trì từ Phòng Tài chính - Kế hoạch sang Phòng Quản lý đô thị"
        in world.last_text(LEADERS)
    )


async def test_return_for_rework_keeps_the_deadline(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo quyết toán hạn 15/12")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã nộp báo cáo")
    review = next(
        m
        for m in reversed(world.tg.bot_messages(LEADERS))
        if "Trả lại" in str(m.get("reply_markup"))
    )
    await world.press(LEADERS, review["message_id"], CHAIRMAN, world.button(review, "Trả lại"))
    prompt = world.last(LEADERS)
    assert prompt["reply_markup"].get("force_reply")
    await world.say(LEADERS, CHAIRMAN, "Thiếu số liệu quý III", reply_to=prompt["message_id"])
    assert "Đã trả lại nhiệm vụ NV-0001" in world.last_text(LEADERS)
    notice = world.last_text(TCKH_CHAT)
    assert "Thiếu số liệu quý III" in notice and "15/12/2026" in notice
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Đang thực hiện" in card["text"] and "Báo cáo kết quả" in " ".join(world.buttons(card))
    # The stale review buttons are gone; approving now is refused.
    assert world.buttons(world.message(LEADERS, review["message_id"])) == {}
    # A reply to the card is a report too.
    world.advance(days=1)
    await world.say(TCKH_CHAT, TCKH_HEAD, "Đã bổ sung số liệu quý III", reply_to=card["message_id"])
    assert "Chờ duyệt" in world.card(TCKH_CHAT, "NV-0001")["text"]


async def test_lists(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc một hạn 15/12")
    await world.say(LEADERS, CHAIRMAN, "/giao QLDT,TCKH Việc hai hạn thường xuyên")
    await world.say(LEADERS, CHAIRMAN, "/viec")
    listing = world.last_text(LEADERS)
    assert "NV-0001" in listing and "NV-0002" in listing and "(2)" in listing
    await world.say(LEADERS, CHAIRMAN, "/viec QLĐT")
    listing = world.last_text(LEADERS)
    assert "NV-0002" in listing and "NV-0001" not in listing
    # A unit head sees their unit's tasks, lead or cooperating.
    await world.say(QLDT_HEAD, QLDT_HEAD, "/viec")
    listing = world.last_text(QLDT_HEAD)
    assert "NV-0002" in listing and "NV-0001" not in listing
    await world.say(LEADERS, CHAIRMAN, "/viec XYZ")
    assert "Không tìm thấy đơn vị" in world.last_text(LEADERS)


async def test_moving_an_overdue_task_asks_for_a_new_deadline(world: World) -> None:
    """Issue 10, point 2: a task moved after its deadline needs a new one, read like any other
    deadline; the days late before the move stay with the old unit, not the new one."""
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hồ sơ đất đai hạn 25/11/2026")
    # Thursday 26/11 10:00: a day past the deadline.
    world.clock.set(datetime(2026, 11, 26, 10, 0, tzinfo=VN))
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 QLDT")
    refusal = world.last_text(LEADERS)
    assert "Nhiệm vụ NV-0001 đã quá hạn (hạn Thứ Tư, 25/11/2026 17:00)" in refusal
    assert "cho hạn mới" in refusal
    # The example is a command the office can send as it stands: five working days on.
    assert "Ví dụ: /chuyen NV-0001 QLDT hạn 03/12/2026" in refusal
    assert world.buttons(world.card(TCKH_CHAT, "NV-0001"))  # still TCKH's, nothing moved
    # A past date, a "no deadline", two units: each refused with what to write.
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 QLDT hạn 20/11/2026")
    assert "20/11/2026" in world.last_text(LEADERS) and "Ví dụ" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 QLDT thường xuyên")
    assert "hạn mới phải là một ngày cụ thể" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 QLDT, TCKH hạn 10/12")
    assert "chỉ có một đơn vị chủ trì" in world.last_text(LEADERS)
    # Written the way officials write it: the move is made with the new deadline.
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 Phòng Quản lý đô thị trước ngày 10/12")
    reply = world.last_text(LEADERS)
    assert "Đã chuyển nhiệm vụ NV-0001" in reply
    assert "Hạn mới: Thứ Năm, 10/12/2026 17:00." in reply
    card = world.card(QLDT_CHAT, "NV-0001")
    assert "Thời hạn: Thứ Năm, 10/12/2026 17:00" in card["text"]
    # The new unit's card carries the chain so far: the move is a step of it.
    assert "• Chuyển sang Phòng Quản lý đô thị: Nguyễn Văn An, 10:00 26/11/2026" in card["text"]
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    assert (
        "chuyển chủ trì từ Phòng Tài chính - Kế hoạch sang Phòng Quản lý đô thị,"
        " hạn mới Thứ Năm, 10/12/2026 17:00" in world.last_text(LEADERS)
    )
    # Not overdue at QLDT: /viec does not flag it, and the week's tally charges no one.
    await world.say(LEADERS, CHAIRMAN, "/viec")
    line = next(x for x in world.last_text(LEADERS).splitlines() if "NV-0001" in x)
    assert "quá hạn" not in line
    async with world.services.core.uow() as uow:
        facts = await uow.reports.facts([BEFORE_MOVE, AFTER_MOVE])
        qldt = await uow.units.by_code("QLDT")
        tckh = await uow.units.by_code("TCKH")
    calendar = world.services.core.calendar
    assert qldt is not None and tckh is not None
    # The week that ended before the move: TCKH's, a day late.
    [before] = tally(facts, BEFORE_MOVE, calendar, keep_lines=True).lines
    assert (before.lead_unit_id, before.category, before.days_late) == (
        tckh.id,
        Category.OPEN_LATE,
        1,
    )
    # The week of the move: QLDT's, in time against the new deadline.
    [after] = tally(facts, AFTER_MOVE, calendar, keep_lines=True).lines
    assert (after.lead_unit_id, after.category, after.days_late) == (
        qldt.id,
        Category.OPEN_IN_TIME,
        0,
    )
    assert after.due == datetime(2026, 12, 10, 17, 0, tzinfo=VN)


async def test_a_move_before_the_deadline_needs_no_new_one_but_may_take_one(
    world: World,
) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hồ sơ đất đai hạn 15/12/2026")
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 QLDT")
    assert "Đã chuyển nhiệm vụ NV-0001" in world.last_text(LEADERS)
    assert "Hạn mới" not in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 TCKH hạn 18/12")
    assert "Hạn mới: Thứ Sáu, 18/12/2026 17:00." in world.last_text(LEADERS)
