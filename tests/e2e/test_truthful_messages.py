"""Cards and messages tell the truth (issue 11, point 3): who reported and approved, and when;
review and extension prompts keep the decision taken on them; /lich says what it will say; a reply
to a card that can take no more reports is answered with where the task stands."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from support import CHAIRMAN, LEADERS, TCKH_CHAT, TCKH_HEAD, TCKH_STAFF, VN, World


def at(day: int, month: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


def status_line(card: dict[str, Any]) -> str:
    return next(line for line in card["text"].splitlines() if line.startswith("Trạng thái:"))


def prompt_with(world: World, chat: int, label: str) -> dict[str, Any]:
    """The latest message in the chat offering this button."""
    return next(
        m for m in reversed(world.tg.bot_messages(chat)) if label in str(m.get("reply_markup"))
    )


async def assign_and_report(world: World) -> dict[str, Any]:
    """Assigned Monday 09:00, acknowledged by the staff member at 10:00, reported by the head on
    Wednesday 14:00: the card as it then stands."""
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình giải ngân hạn 15/12")
    card = world.card(TCKH_CHAT, "NV-0001")
    world.clock.set(at(23, 11, 10))
    await world.press(TCKH_CHAT, card["message_id"], TCKH_STAFF, world.button(card, "Đã nhận"))
    world.clock.set(at(25, 11, 14))
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã giải ngân 85% kế hoạch vốn")
    return world.message(TCKH_CHAT, card["message_id"])


async def test_the_card_says_who_reported_and_who_approved_and_when(world: World) -> None:
    card = await assign_and_report(world)
    # Who took each step is the card's chain of responsibility (issue 10, point 4).
    assert status_line(card) == "Trạng thái: Chờ duyệt kết quả"
    assert "• Tiếp nhận: Hoàng Văn Em, 10:00 23/11/2026" in card["text"]
    assert "• Báo cáo: Trần Thị Dung, 14:00 25/11/2026" in card["text"]

    world.clock.set(at(26, 11, 9, 30))
    review = prompt_with(world, LEADERS, "Duyệt")
    await world.press(LEADERS, review["message_id"], CHAIRMAN, world.button(review, "Duyệt"))
    card = world.message(TCKH_CHAT, card["message_id"])
    assert status_line(card) == "Trạng thái: Đã hoàn thành"
    assert "• Tiếp nhận: Hoàng Văn Em, 10:00 23/11/2026" in card["text"]
    assert "• Báo cáo: Trần Thị Dung, 14:00 25/11/2026" in card["text"]
    assert "Duyệt: Nguyễn Văn An, 09:30 26/11/2026" in card["text"]
    # /nv says it in its status line, and step by step below.
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    assert (
        "Trạng thái: Đã hoàn thành — Trần Thị Dung báo cáo lúc 14:00 25/11/2026;"
        " Nguyễn Văn An duyệt lúc 09:30 26/11/2026" in world.last_text(LEADERS)
    )


async def test_the_review_prompt_keeps_the_decision(world: World) -> None:
    await assign_and_report(world)
    review = prompt_with(world, LEADERS, "Duyệt")
    world.clock.set(at(26, 11, 9, 30))
    await world.press(LEADERS, review["message_id"], CHAIRMAN, world.button(review, "Duyệt"))
    edited = world.message(LEADERS, review["message_id"])
    assert world.buttons(edited) == {}
    assert "Đã giải ngân 85% kế hoạch vốn" in edited["text"]  # what was reviewed stays
    assert edited["text"].endswith("✅ Đã duyệt — Nguyễn Văn An, 09:30 26/11/2026")


async def test_the_review_prompt_keeps_a_return_and_its_reason(world: World) -> None:
    await assign_and_report(world)
    review = prompt_with(world, LEADERS, "Trả lại")
    world.clock.set(at(26, 11, 10))
    await world.press(LEADERS, review["message_id"], CHAIRMAN, world.button(review, "Trả lại"))
    ask = world.last(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "Thiếu số liệu quý IV", reply_to=ask["message_id"])
    edited = world.message(LEADERS, review["message_id"])
    assert world.buttons(edited) == {}
    assert "Đã giải ngân 85% kế hoạch vốn" in edited["text"]
    assert edited["text"].endswith(
        "↩️ Đã trả lại — Nguyễn Văn An, 10:00 26/11/2026. Lý do: Thiếu số liệu quý IV"
    )
    card = world.card(TCKH_CHAT, "NV-0001")
    assert status_line(card) == "Trạng thái: Đang thực hiện"
    assert "Trả lại: Nguyễn Văn An, 10:00 26/11/2026" in card["text"]
    assert "Kết quả:" not in card["text"]


async def test_the_extension_prompt_keeps_the_decision_and_shows_the_task(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình giải ngân hạn 15/12")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 22/12 chờ số liệu của các tổ dân phố")
    ask = prompt_with(world, LEADERS, "Đồng ý")
    # The leader sees what the task is, not only its code.
    assert "Báo cáo tình hình giải ngân" in ask["text"]
    world.clock.set(at(24, 11, 15))
    await world.press(LEADERS, ask["message_id"], CHAIRMAN, world.button(ask, "Đồng ý"))
    edited = world.message(LEADERS, ask["message_id"])
    assert world.buttons(edited) == {}
    assert "chờ số liệu của các tổ dân phố" in edited["text"]
    assert edited["text"].endswith(
        "✅ Đã đồng ý gia hạn đến Thứ Ba, 22/12/2026 17:00 — Nguyễn Văn An, 15:00 24/11/2026"
    )

    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 30/12 chờ kết luận thanh tra")
    ask = prompt_with(world, LEADERS, "Từ chối")
    world.clock.set(at(24, 11, 16))
    await world.press(LEADERS, ask["message_id"], CHAIRMAN, world.button(ask, "Từ chối"))
    edited = world.message(LEADERS, ask["message_id"])
    assert world.buttons(edited) == {}
    assert edited["text"].endswith("❌ Đã từ chối — Nguyễn Văn An, 16:00 24/11/2026")


async def test_lich_fills_in_the_urge_number_and_the_days_late(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình giải ngân hạn 25/11")
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    await world.at(at(26, 11, 8))  # the first overdue reminder goes out
    await world.say(LEADERS, CHAIRMAN, "/lich NV-0001")
    schedule = world.last_text(LEADERS)
    assert "…" not in schedule
    assert "08:00 27/11/2026 — NV-0001 [TCKH]: đôn đốc lần 2 — quá hạn 2 ngày làm việc" in schedule


async def test_a_reply_to_the_card_after_the_report_is_answered_with_the_state(
    world: World,
) -> None:
    card = await assign_and_report(world)
    before = len(world.tg.bot_messages(TCKH_CHAT))
    await world.say(TCKH_CHAT, TCKH_HEAD, "Bổ sung bảng số liệu", reply_to=card["message_id"])
    answers = world.tg.bot_messages(TCKH_CHAT)[before:]
    assert len(answers) == 1, answers
    assert answers[0]["text"] == (
        "Nhiệm vụ NV-0001 đang chờ duyệt kết quả (Trần Thị Dung báo cáo lúc 14:00 25/11/2026);"
        " chưa thể báo cáo thêm. Lãnh đạo duyệt hoặc trả lại; khi được trả lại, đơn vị báo cáo"
        " lại bằng /xong NV-0001 <kết quả>."
    )


def reminders_in(world: World, chat: int) -> list[dict[str, Any]]:
    return [m for m in world.tg.bot_messages(chat) if (m.get("text") or "").startswith("🔔")]


def rows(message: dict[str, Any]) -> list[list[str]]:
    """The keyboard as callback data, row by row."""
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [[b["callback_data"] for b in row] for row in keyboard]


async def test_reminders_keep_only_the_buttons_that_still_work(world: World) -> None:
    await world.say(TCKH_HEAD, TCKH_HEAD, "/start")  # a private copy of each reminder too
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình giải ngân hạn 25/11")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hồ sơ quyết toán hạn 25/11")
    await world.at(at(26, 11, 8))
    await world.at(at(27, 11, 8))
    first, second = reminders_in(world, TCKH_CHAT)
    both = [["ack:1", "rep:1", "ext:1"], ["ack:2", "rep:2", "ext:2"]]
    assert rows(first) == rows(second) == both  # both tasks in each, each with its buttons

    # NV-0001 acknowledged from the newest reminder: its row there offers what is left, the
    # older reminder no longer offers anything for it; NV-0002 is untouched in both.
    await world.press(TCKH_CHAT, second["message_id"], TCKH_HEAD, "ack:1")
    first = world.message(TCKH_CHAT, first["message_id"])
    second = world.message(TCKH_CHAT, second["message_id"])
    assert rows(second) == [["rep:1", "ext:1"], ["ack:2", "rep:2", "ext:2"]]
    assert rows(first) == [["ack:2", "rep:2", "ext:2"]]
    assert "NV-0001 · 📝 Báo cáo kết quả" in world.buttons(second)
    assert first["text"].startswith("🔔") and "NV-0001" in first["text"]  # the text stays
    private = reminders_in(world, TCKH_HEAD)
    assert rows(world.message(TCKH_HEAD, private[-1]["message_id"]))[0] == ["rep:1", "ext:1"]
    assert rows(world.message(TCKH_HEAD, private[0]["message_id"])) == [["ack:2", "rep:2", "ext:2"]]

    # Reported: no reminder offers anything for NV-0001 any more; NV-0002 as it was.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã giải ngân 85%")
    for chat in (TCKH_CHAT, TCKH_HEAD):
        for reminder in reminders_in(world, chat):
            assert rows(world.message(chat, reminder["message_id"])) == [
                ["ack:2", "rep:2", "ext:2"]
            ]
