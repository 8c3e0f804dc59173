"""The chain of responsibility on the card and in /nv (issue 10, point 4): who took each step and
when, how long it took in office time, and which steps were late.

The office's calendar: 08:00–17:00, lunch 11:30–13:30 (7 office hours a day); Tuesday 24/11/2026
is a day off (Ngày Văn hóa Việt Nam). The policy: 4 office hours to acknowledge, the same for a
leader's decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from support import CHAIRMAN, LEADERS, TCKH_CHAT, TCKH_HEAD, TCKH_STAFF, VN, World


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN)


def review_prompt(world: World) -> dict[str, Any]:
    return next(
        m
        for m in reversed(world.tg.bot_messages(LEADERS))
        if "Trả lại" in str(m.get("reply_markup"))
    )


def chain_of(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("Trách nhiệm từng bước:")
    return [line for line in lines[start + 1 :] if line[:1] in "•⚠…"]


async def test_the_chain_through_a_return_and_a_late_report(world: World) -> None:
    # Monday 23/11 09:00: assigned, due Wednesday 25/11 17:00.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình giải ngân hạn 25/11/2026")
    card = world.card(TCKH_CHAT, "NV-0001")
    assert chain_of(card["text"]) == ["• Giao: Nguyễn Văn An, 09:00 23/11/2026"]

    # 15:30: acknowledged after 4 h 30 min of office time (lunch not counted): late.
    world.clock.set(at(23, 15, 30))
    await world.press(TCKH_CHAT, card["message_id"], TCKH_STAFF, world.button(card, "Đã nhận"))
    # Wednesday 10:00: reported after 1 h 30 on Monday + 2 h on Wednesday (Tuesday is off).
    world.clock.set(at(25, 10))
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã giải ngân 85%")
    # 11:00: returned an hour later.
    world.clock.set(at(25, 11))
    review = review_prompt(world)
    await world.press(LEADERS, review["message_id"], CHAIRMAN, world.button(review, "Trả lại"))
    ask = world.last(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "Thiếu số liệu quý IV", reply_to=ask["message_id"])
    # Thursday 09:00: reported again, a working day after the deadline, 5 office hours after
    # the return (30 min before lunch, 3 h 30 after it, 1 h on Thursday).
    world.clock.set(at(26, 9))
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã giải ngân 85%, kèm số liệu quý IV")

    # 16:00: the result has waited 5 office hours for the chairman: /nv says so, and marks it.
    world.clock.set(at(26, 16))
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    shown = world.last_text(LEADERS)
    assert "⏳ Chờ Nguyễn Văn An duyệt kết quả: đã 5 giờ làm việc — chậm (quá 4 giờ)" in shown

    # Friday 10:00: approved after 8 office hours (1 working day of 7 h, and 1 h).
    world.clock.set(at(27, 10))
    review = review_prompt(world)
    await world.press(LEADERS, review["message_id"], CHAIRMAN, world.button(review, "Duyệt"))

    card = world.message(TCKH_CHAT, card["message_id"])
    assert "Trạng thái: Đã hoàn thành" in card["text"]
    assert chain_of(card["text"]) == [
        "• Giao: Nguyễn Văn An, 09:00 23/11/2026",
        "⚠️ Tiếp nhận: Hoàng Văn Em, 15:30 23/11/2026 · sau 4 giờ 30 phút làm việc"
        " — chậm (quá 4 giờ)",
        "• Báo cáo: Trần Thị Dung, 10:00 25/11/2026 · sau 3 giờ 30 phút làm việc",
        "• Trả lại: Nguyễn Văn An, 11:00 25/11/2026 · sau 1 giờ làm việc",
        "⚠️ Báo cáo: Trần Thị Dung, 09:00 26/11/2026 · sau 5 giờ làm việc — quá hạn 1 ngày làm việc",
        "⚠️ Duyệt: Nguyễn Văn An, 10:00 27/11/2026 · sau 1 ngày 1 giờ làm việc — chậm (quá 4 giờ)",
    ]

    # /nv: the same steps in its history, with what each said; nothing waits any more.
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    shown = world.last_text(LEADERS)
    assert "⏳" not in shown
    history = shown[shown.index("Diễn biến xử lý") :].splitlines()[1:]
    assert history == [
        "• 09:00 23/11/2026 — Nguyễn Văn An: giao nhiệm vụ cho Phòng Tài chính - Kế hoạch,"
        " hạn Thứ Tư, 25/11/2026 17:00",
        "⚠️ 15:30 23/11/2026 — Hoàng Văn Em: tiếp nhận · sau 4 giờ 30 phút làm việc"
        " — chậm (quá 4 giờ)",
        "• 10:00 25/11/2026 — Trần Thị Dung: báo cáo kết quả: Đã giải ngân 85%"
        " · sau 3 giờ 30 phút làm việc",
        "• 11:00 25/11/2026 — Nguyễn Văn An: trả lại: Thiếu số liệu quý IV · sau 1 giờ làm việc",
        "⚠️ 09:00 26/11/2026 — Trần Thị Dung: báo cáo kết quả: Đã giải ngân 85%, kèm số liệu"
        " quý IV · sau 5 giờ làm việc — quá hạn 1 ngày làm việc",
        "⚠️ 10:00 27/11/2026 — Nguyễn Văn An: duyệt kết quả, hoàn thành"
        " · sau 1 ngày 1 giờ làm việc — chậm (quá 4 giờ)",
    ]

    # In English for whoever reads in English.
    await world.say(TCKH_CHAT, TCKH_STAFF, "/nv NV-0001")
    english = world.last_text(TCKH_CHAT)
    assert "acknowledged · after 4 h 30 min of office time — slow (over 4 h)" in english
    assert "· after 5 h of office time — 1 working day late" in english


async def test_a_step_outside_office_hours_took_no_office_time(world: World) -> None:
    """Acknowledged at 19:00 on the day of a 17:30 assignment: no office time passed."""
    world.clock.set(at(23, 17, 30))
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình giải ngân hạn 15/12/2026")
    card = world.card(TCKH_CHAT, "NV-0001")
    world.clock.set(at(23, 19))
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    card = world.message(TCKH_CHAT, card["message_id"])
    assert chain_of(card["text"]) == [
        "• Giao: Nguyễn Văn An, 17:30 23/11/2026",
        "• Tiếp nhận: Trần Thị Dung, 19:00 23/11/2026",
    ]
    # Wednesday 09:00 (Tuesday off): an office hour of waiting for the result, not late yet.
    world.clock.set(at(25, 9))
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    assert "⏳ Chờ Phòng Tài chính - Kế hoạch báo cáo kết quả: đã 1 giờ làm việc\n" in (
        world.last_text(LEADERS)
    )
