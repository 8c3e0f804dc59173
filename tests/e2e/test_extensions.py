"""Extensions: asked for by the unit, granted (maybe to another date) or refused by the leader."""

from __future__ import annotations

from support import CHAIRMAN, LEADERS, TCKH_CHAT, TCKH_HEAD, TCKH_STAFF, World


async def _assign(world: World, text: str = "/giao TCKH Rà soát hộ nghèo hạn 15/12") -> None:
    await world.say(LEADERS, CHAIRMAN, text)
    assert "NV-0001" in world.last_text(LEADERS)


def _request(world: World) -> dict:
    for message in reversed(world.tg.bot_messages(LEADERS)):
        if "xin gia hạn" in (message.get("text") or "") and world.buttons(message):
            return message
    raise AssertionError(world.bot_texts(LEADERS))


async def test_extension_granted_as_asked(world: World) -> None:
    await _assign(world)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 25/12 chờ số liệu từ các phường")
    assert "chờ lãnh đạo cho ý kiến" in world.last_text(TCKH_CHAT)
    request = _request(world)
    assert "chờ số liệu từ các phường" in request["text"]
    assert "Thứ Sáu, 25/12/2026 17:00" in request["text"]

    await world.press(LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Đồng ý"))
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Thứ Sáu, 25/12/2026 17:00" in card["text"]
    assert "Hạn ban đầu" in card["text"] and "15/12/2026" in card["text"]
    assert "gia hạn lần 1" in world.last_text(TCKH_CHAT)
    assert world.buttons(world.message(LEADERS, request["message_id"])) == {}

    # The same request cannot be decided twice (a second tap on an old copy of the buttons).
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    history = world.last_text(LEADERS)
    assert "xin gia hạn đến Thứ Sáu, 25/12/2026 17:00" in history
    assert "đồng ý gia hạn đến Thứ Sáu, 25/12/2026 17:00" in history


async def test_extension_granted_to_another_date_by_replying(world: World) -> None:
    await _assign(world)
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_STAFF, world.button(card, "Xin gia hạn"))
    prompt = world.last(TCKH_CHAT)
    assert prompt["reply_markup"].get("force_reply")
    await world.say(
        TCKH_CHAT,
        TCKH_STAFF,
        "31/12/2026 vì phải chờ kết quả khảo sát",
        reply_to=prompt["message_id"],
    )
    request = _request(world)
    await world.say(LEADERS, CHAIRMAN, "10/12", reply_to=request["message_id"])
    assert "phải sau thời hạn hiện tại" in world.last_text(LEADERS)  # no shortening by "grant"
    await world.say(LEADERS, CHAIRMAN, "22/12", reply_to=request["message_id"])
    assert "22/12/2026" in world.last_text(LEADERS)
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Thứ Ba, 22/12/2026 17:00" in card["text"]
    async with world.services.core.uow() as uow:
        task = await uow.tasks.by_code("NV-0001")
        assert task is not None
        assert task.extension_count == 1
        assert task.original_due is not None and task.original_due.day == 15
        assert task.due is not None and task.due.astimezone(world.services.core.config.tz).day == 22


async def test_extension_refused_keeps_the_deadline(world: World) -> None:
    await _assign(world)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 25/12 chờ số liệu")
    request = _request(world)
    answer = await world.press(
        LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Từ chối")
    )
    assert "từ chối" in answer["text"]
    assert "không đồng ý gia hạn" in world.last_text(TCKH_CHAT)
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Thứ Ba, 15/12/2026 17:00" in card["text"]
    assert "Hạn ban đầu" not in card["text"]


async def test_the_card_shows_a_pending_request_and_then_its_refusal(world: World) -> None:
    await _assign(world)
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 25/12 chờ số liệu từ các phường")
    # Edited when asked: the unit and the leader see that the deadline may move, and why.
    text = world.message(TCKH_CHAT, card["message_id"])["text"]
    assert (
        "⏳ Xin gia hạn: đến Thứ Sáu, 25/12/2026 17:00, Trần Thị Dung đề nghị lúc 09:00 "
        "23/11/2026 (chờ số liệu từ các phường), chờ lãnh đạo cho ý kiến"
    ) in text
    assert "• Xin gia hạn đến 25/12/2026: Trần Thị Dung, 09:00 23/11/2026" in text
    assert "Thời hạn: Thứ Ba, 15/12/2026 17:00" in text

    request = _request(world)
    world.advance(hours=1)
    await world.press(LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Từ chối"))
    text = world.message(TCKH_CHAT, card["message_id"])["text"]
    assert "⏳ Xin gia hạn" not in text
    assert "• Từ chối gia hạn: Nguyễn Văn An, 10:00 23/11/2026 · sau 1 giờ làm việc" in text
    assert "Thời hạn: Thứ Ba, 15/12/2026 17:00" in text and "Hạn ban đầu" not in text
    # The buttons stay: the unit may ask again.
    assert "Xin gia hạn" in " ".join(world.buttons(world.message(TCKH_CHAT, card["message_id"])))


async def test_extension_requests_that_make_no_sense_are_refused(world: World) -> None:
    await _assign(world)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 10/12 sớm hơn")
    assert "phải sau thời hạn hiện tại" in world.last_text(TCKH_CHAT)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 25/12")
    assert "lý do" in world.last_text(TCKH_CHAT)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 khi nào xong thì thôi")
    assert "Chưa đọc được thời hạn" in world.last_text(TCKH_CHAT)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 25/12 chờ số liệu")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 28/12 chờ thêm")
    assert "đã có đề nghị gia hạn đang chờ" in world.last_text(TCKH_CHAT)
    # A cooperating or unrelated person cannot decide.
    request = _request(world)
    answer = await world.press(
        LEADERS, request["message_id"], TCKH_HEAD, world.button(request, "Đồng ý")
    )
    assert answer["show_alert"] and "Chỉ người giao việc" in answer["text"]
