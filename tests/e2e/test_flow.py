"""The heart of the product, end to end over HTTP: assign → acknowledge → report → approve."""

from __future__ import annotations

from support import (
    CHAIRMAN,
    LEADERS,
    QLDT_CHAT,
    TCKH_CHAT,
    TCKH_HEAD,
    TCKH_STAFF,
    World,
)


async def test_assign_acknowledge_report_approve(world: World) -> None:
    tg = world.tg
    # The unit head opened a private chat with the bot, so they get private copies.
    await world.say(TCKH_HEAD, TCKH_HEAD, "/start")
    assert "Trần Thị Dung" in world.last_text(TCKH_HEAD)

    await world.say(
        LEADERS, CHAIRMAN, "/giao TCKH,QLDT Báo cáo tình hình giải ngân vốn đầu tư công hạn 15/12"
    )
    confirm = world.last_text(LEADERS)
    assert "NV-0001" in confirm
    assert "Thứ Ba, 15/12/2026 17:00" in confirm

    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Báo cáo tình hình giải ngân vốn đầu tư công" in card["text"]
    assert "Phòng Tài chính - Kế hoạch" in card["text"]
    assert "Phòng Quản lý đô thị" in card["text"]
    assert "Chưa tiếp nhận" in card["text"]
    labels = " ".join(world.buttons(card))
    for label in ("Đã nhận", "Báo cáo kết quả", "Xin gia hạn"):
        assert label in labels
    assert f"tg://user?id={TCKH_HEAD}" in card["html"]
    assert "NV-0001" in world.card(TCKH_HEAD, "NV-0001")["text"]  # private copy
    assert "phối hợp" in world.last_text(QLDT_CHAT)

    # Acknowledge with one tap (tapped twice, as people do): the card is edited in place, the
    # assigner is told, and the second tap changes nothing and says so.
    ack = world.button(card, "Đã nhận")
    first = tg.press_button(TCKH_CHAT, card["message_id"], TCKH_STAFF, ack)
    second = tg.press_button(TCKH_CHAT, card["message_id"], TCKH_STAFF, ack)
    answers = [await tg.wait_for_callback_answer(q) for q in (first, second)]
    await world.live.settled()
    assert "Recorded" in answers[0]["text"]  # this staff member's Telegram is in English
    assert "already acknowledged" in answers[1]["text"] and answers[1]["show_alert"]
    card = tg.find_message(TCKH_CHAT, card["message_id"])
    assert card is not None and "Đang thực hiện" in card["text"]
    assert "Hoàng Văn Em" in card["text"]
    assert "Đã nhận" not in " ".join(world.buttons(card))
    assert "Đang thực hiện" in world.card(TCKH_HEAD, "NV-0001")["text"]  # private copy too
    assert "đã tiếp nhận nhiệm vụ" in world.last_text(LEADERS)  # the assigner is told
    await world.say(TCKH_CHAT, TCKH_HEAD, "/nhan NV-0001")
    assert "đã được tiếp nhận" in world.last_text(TCKH_CHAT)

    # Report with a document, via the button's ForceReply prompt.
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Báo cáo"))
    prompt = world.last(TCKH_CHAT)
    assert prompt["reply_markup"].get("force_reply")
    await world.say(
        TCKH_CHAT,
        TCKH_HEAD,
        reply_to=prompt["message_id"],
        document=("bao-cao-giai-ngan.pdf", b"%PDF-1.4 report", "application/pdf"),
        caption="Đã giải ngân 85% kế hoạch vốn",
    )
    assert "chờ lãnh đạo duyệt" in world.last_text(TCKH_CHAT)
    card = tg.find_message(TCKH_CHAT, card["message_id"])
    assert card is not None and "Chờ duyệt" in card["text"]

    # The chairman has no private chat with the bot: the review goes to the leadership group.
    review = next(
        m for m in reversed(tg.bot_messages(LEADERS)) if "Duyệt" in str(m.get("reply_markup"))
    )
    assert "Đã giải ngân 85%" in review["text"]
    assert any(m.get("document") for m in tg.bot_messages(LEADERS))
    world.advance(hours=2)
    await world.press(LEADERS, review["message_id"], CHAIRMAN, world.button(review, "Duyệt"))
    card = tg.find_message(TCKH_CHAT, card["message_id"])
    assert card is not None and "Đã hoàn thành" in card["text"]
    assert world.buttons(card) == {}

    # /nv shows every step, who and when.
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    history = world.last_text(LEADERS)
    for step in ("giao nhiệm vụ", "tiếp nhận", "báo cáo kết quả", "duyệt kết quả"):
        assert step in history
    assert "Hoàng Văn Em" in history and "Trần Thị Dung" in history
    assert "Đã giải ngân 85% kế hoạch vốn 📎 bao-cao-giai-ngan.pdf" in history
