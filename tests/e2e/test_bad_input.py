"""Bad input and abuse: a clear answer with an example, never a stack trace or a half record."""

from __future__ import annotations

from support import (
    CHAIRMAN,
    LEADERS,
    QLDT_HEAD,
    STRANGER,
    TCKH_CHAT,
    TCKH_HEAD,
    TCKH_STAFF,
    World,
)

from bot.services.common import Actor, Where

UNREGISTERED_GROUP = -1001000000099


def actor_of(telegram_id: int) -> Actor:
    return Actor(telegram_id=telegram_id, name="")


async def _task_count(world: World) -> int:
    async with world.services.core.uow() as uow:
        return len(await uow.tasks.open_tasks())


async def test_malformed_commands_get_usage_and_an_example(world: World) -> None:
    for command, expected in (
        ("/giao", "Ví dụ: /giao TCKH,QLDT"),
        ("/giao TCKH", "Thiếu nội dung"),
        ("/giao TCKH Báo cáo giải ngân", "Thiếu thời hạn"),
        ("/nhan", "Ví dụ: /nhan NV-0042"),
        ("/xong", "Ví dụ: /xong NV-0042"),
        ("/giahan NV-0001", "Ví dụ: /giahan NV-0042 25/12"),
        ("/huy", "Ví dụ: /huy NV-0042"),
        ("/chuyen NV-0001", "Ví dụ: /chuyen NV-0042 QLDT"),
        ("/nv", "Ví dụ: /nv NV-0042"),
        ("/nhan NV-9999", "Không tìm thấy nhiệm vụ “NV-9999”"),
        ("/lang fr", "/lang vi"),
    ):
        await world.say(LEADERS, CHAIRMAN, command)
        assert expected in world.last_text(LEADERS), command
    assert await _task_count(world) == 0


async def test_unknown_unit_suggests_the_closest_codes(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCHK Báo cáo giải ngân hạn 15/12")
    reply = world.last_text(LEADERS)
    assert "Không tìm thấy đơn vị “TCHK”" in reply and "Có phải: TCKH" in reply
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH, Phòng Thủy lợi Báo cáo hạn 15/12")
    assert "Không tìm thấy đơn vị “Phòng”" in world.last_text(LEADERS)
    assert await _task_count(world) == 0


async def test_unreadable_or_past_deadline_creates_nothing(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn abc")
    assert "Chưa đọc được thời hạn" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 01/11/2026")
    assert "Thời hạn “01/11/2026” đã qua" in world.last_text(LEADERS)
    # A date without a year that passed days ago is a slip, not next year: the bot asks.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 20/11")
    assert "Ngày 20/11/2026 vừa qua" in world.last_text(LEADERS)
    assert "hạn 20/11/2027" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn thứ Năm, 18/12")
    assert "Ngày 18/12/2026 là Thứ Sáu, không phải Thứ Năm" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 31/02/2027")
    assert "Ngày “31/02/2027” không có thật" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn sáng mai 14h")
    assert "Giờ “sáng 14:00” không hợp lệ" in world.last_text(LEADERS)
    assert await _task_count(world) == 0
    # Nothing was half-written: the next task still gets the first code.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    assert "NV-0001" in world.last_text(LEADERS)


async def test_people_outside_the_roster_and_unregistered_groups_change_nothing(
    world: World,
) -> None:
    await world.say(LEADERS, STRANGER, "/giao TCKH Việc lạ hạn 15/12")
    reply = world.last_text(LEADERS)
    assert "chưa có trong danh sách cán bộ" in reply and str(STRANGER) in reply
    await world.say(UNREGISTERED_GROUP, CHAIRMAN, "/giao TCKH Việc lạ hạn 15/12")
    assert "/dangky TCKH" in world.last_text(UNREGISTERED_GROUP)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giao QLDT Việc hạn 15/12")
    assert "Chỉ Chủ tịch, Phó Chủ tịch" in world.last_text(TCKH_CHAT)
    assert await _task_count(world) == 0


async def test_buttons_are_checked_against_the_roster(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    card = world.card(TCKH_CHAT, "NV-0001")
    ack = world.button(card, "Đã nhận")
    for intruder, expected in (
        (QLDT_HEAD, "Chỉ cán bộ của đơn vị chủ trì"),
        (STRANGER, "chưa có trong danh sách"),
        (CHAIRMAN, "Chỉ cán bộ của đơn vị chủ trì"),
    ):
        answer = await world.press(TCKH_CHAT, card["message_id"], intruder, ack)
        assert answer["show_alert"], answer
        assert expected in answer["text"], answer
    # Forged data: another verb, a huge id, garbage. An alert each, nothing changes.
    for forged in ("zzz:1", "ack:99999999999999999999", "ack:-1", "ack:", "apr:1"):
        answer = await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, forged, forged=True)
        assert answer["show_alert"], (forged, answer)
        assert "Rất tiếc" not in answer["text"], (forged, answer)
    assert "Chưa tiếp nhận" in world.message(TCKH_CHAT, card["message_id"])["text"]
    async with world.services.core.uow() as uow:
        task = await uow.tasks.by_code("NV-0001")
        assert task is not None
        assert [e.kind.value for e in await uow.tasks.events(task.id)] == ["assigned"]


async def test_user_text_is_escaped_and_long_text_stays_within_limits(world: World) -> None:
    content = (
        "Kiểm tra <b>đậm</b> & <script>alert(1)</script> " + "rất dài " * 480
    )  # under Telegram's 4,096 a user can send
    await world.say(LEADERS, CHAIRMAN, f"/giao TCKH {content} hạn 15/12")
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Kiểm tra <b>đậm</b> & <script>" in card["text"]  # shown literally, not as markup
    assert "&lt;script&gt;" in card["html"]
    assert len(card["text"]) <= 4096
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    # The history, then the content in full in the messages after it.
    answer = next(text for text in reversed(world.bot_texts(LEADERS)) if "Diễn biến xử lý" in text)
    assert all(len(text) <= 4096 for text in world.bot_texts(LEADERS))
    assert "toàn văn" in world.last_text(LEADERS) and len(answer) <= 4096


async def test_the_same_update_twice_creates_one_task(world: World) -> None:
    sent = await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    world.tg.redeliver(sent)
    await world.live.settled()
    assert await _task_count(world) == 1
    cards = [m for m in world.tg.bot_messages(TCKH_CHAT) if "NV-0001" in (m.get("text") or "")]
    assert len(cards) == 1
    report = await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã xong")
    world.tg.redeliver(report)
    await world.live.settled()
    async with world.services.core.uow() as uow:
        task = await uow.tasks.by_code("NV-0001")
        assert task is not None
        kinds = [e.kind.value for e in await uow.tasks.events(task.id)]
    assert kinds == ["assigned", "acknowledged", "reported"]


async def test_a_reply_turns_any_message_into_a_task(world: World) -> None:
    original = await world.say(
        LEADERS,
        CHAIRMAN,
        document=("ke-hoach.docx", b"PK\x03\x04 plan", None),
        caption="Kế hoạch kiểm tra an toàn thực phẩm dịp Tết, báo cáo trước 20/12",
    )
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH, QLDT", reply_to=original["message_id"])
    # 20/12/2026 is a Sunday: the deadline moves to the close of the next working day.
    confirm = world.last_text(LEADERS)
    assert "Thứ Hai, 21/12/2026 17:00" in confirm and "20/12/2026" in confirm
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Kế hoạch kiểm tra an toàn thực phẩm dịp Tết" in card["text"]
    assert "ke-hoach.docx" in card["text"]
    docs = [m for m in world.tg.bot_messages(TCKH_CHAT) if m.get("document")]
    assert docs and docs[-1]["document"]["file_name"] == "ke-hoach.docx"


async def test_long_lists_and_histories_stay_within_one_message(world: World) -> None:
    long = "Rà soát, tổng hợp & báo cáo <chi tiết> " * 10
    for n in range(45):
        await world.services.tasks.assign(
            actor_of(CHAIRMAN), Where(LEADERS, private=False), f"TCKH {long} số {n} hạn 15/12"
        )
    await world.say(LEADERS, CHAIRMAN, "/viec")
    listing = world.last(LEADERS)
    assert "NV-0001" in listing["text"] and "nhiệm vụ khác" in listing["text"]
    assert len(listing["text"]) <= 4096
    for n in range(30):
        await world.say(TCKH_CHAT, TCKH_HEAD, f"/giahan NV-0001 {20 + n % 5}/12 lý do {long}")
        request = world.last(LEADERS)
        if world.buttons(request):
            await world.press(
                LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Từ chối")
            )
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    history = world.last(LEADERS)
    assert "Diễn biến xử lý" in history["text"] and "bước khác" in history["text"]
    assert len(history["text"]) <= 4096


async def test_a_document_sent_with_giao_in_its_caption_is_the_tasks_attachment(
    world: World,
) -> None:
    await world.say(
        LEADERS,
        CHAIRMAN,
        document=("kh-kiem-tra.docx", b"PK\x03\x04 plan", None),
        caption="/giao TCKH Kế hoạch kiểm tra hạn 15/12",
    )
    assert "NV-0001" in world.last_text(LEADERS)
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Kế hoạch kiểm tra" in card["text"] and "kh-kiem-tra.docx" in card["text"]
    docs = [m for m in world.tg.bot_messages(TCKH_CHAT) if m.get("document")]
    assert docs and docs[-1]["document"]["file_name"] == "kh-kiem-tra.docx"


async def test_a_reply_takes_the_deadline_written_in_the_command(world: World) -> None:
    original = await world.say(
        LEADERS, CHAIRMAN, "Công văn 245/UBND-VP về rà soát hộ nghèo, báo cáo trước ngày 28/12"
    )
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH hạn 15/12", reply_to=original["message_id"])
    confirm = world.last_text(LEADERS)
    assert "NV-0001" in confirm and "Thứ Ba, 15/12/2026 17:00" in confirm
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Công văn 245/UBND-VP" in card["text"] and "hạn 15/12" not in card["text"]
    # The deadline alone, without "hạn", and a replied message without any date.
    plain = await world.say(LEADERS, CHAIRMAN, "Rà soát danh sách hộ cận nghèo")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH 5 ngày làm việc", reply_to=plain["message_id"])
    assert "NV-0002" in world.last_text(LEADERS)
    assert "Thứ Ba, 01/12/2026 17:00" in world.last_text(LEADERS)  # 24/11 is a day off
    assert "Nội dung: Rà soát danh sách hộ cận nghèo\n" in world.card(TCKH_CHAT, "NV-0002")["text"]


async def test_what_no_command_takes_gets_a_pointer_to_help_in_private_only(world: World) -> None:
    bot = world.tg.bot.username
    # In a private chat: an unknown command and plain text both get the hint, in the reader's
    # language; nothing is done besides.
    for user, text, expected in (
        (CHAIRMAN, "/xyz", "Bot không có lệnh /xyz. Gõ /help"),
        (CHAIRMAN, "chào bot", "Bot nhận lệnh bắt đầu bằng dấu /"),
        (STRANGER, "xin chào", "Gõ /help để xem các lệnh"),
        (TCKH_STAFF, f"/xyz@{bot} 1", "The bot does not know /xyz. Type /help"),
    ):
        sent = await world.say(user, user, text)
        answer = world.last(user)
        assert answer["message_id"] > sent["message_id"], text
        assert expected in answer["text"], text
    # Known commands are not shadowed by the hint.
    await world.say(CHAIRMAN, CHAIRMAN, "/help")
    assert "Bot chưa biết" not in world.last_text(CHAIRMAN)

    # In a group: silence for people's chat and for commands meant for another bot; an unknown
    # command written to this bot is answered.
    world.tg.privacy_mode = False  # the bot sees everything, and still keeps out of chat
    before = len(world.tg.bot_messages(TCKH_CHAT))
    for text in ("chào cả phòng", f"@{bot} chào bot", "/xyz", "/xyz@other_bot", "/giao@other_bot"):
        await world.say(TCKH_CHAT, TCKH_HEAD, text)
    assert len(world.tg.bot_messages(TCKH_CHAT)) == before
    await world.say(TCKH_CHAT, TCKH_HEAD, f"/xyz@{bot}")
    assert "Bot không có lệnh /xyz" in world.last_text(TCKH_CHAT)
    assert await _task_count(world) == 0
