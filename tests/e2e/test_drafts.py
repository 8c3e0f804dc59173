"""A conclusion becomes tasks in one step, end to end over HTTP: `/giao` alone as a reply to a
text, a .docx or a PDF answers with a draft; replies correct it in place; one press assigns every
task, with cards and notices as /giao sends them; /vanban follows the document.

The conclusions are written plainly, so any correct reader reads them the same way: one numbered
item per task, "Giao <unit> chủ trì, phối hợp <unit> …, hoàn thành trước ngày <date>".
"""

from __future__ import annotations

import re
from typing import Any

from documents import OLD_DOC, make_docx, make_pdf, make_scanned_pdf
from support import (
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    QLDT_HEAD,
    STRANGER,
    TCKH_CHAT,
    TCKH_HEAD,
    VICE,
    World,
)

HEADER = [
    "UBND PHƯỜNG AN BÌNH",
    "Số: 45/TB-UBND",
    "An Bình, ngày 20 tháng 11 năm 2026",
    "THÔNG BÁO",
    "Kết luận của Chủ tịch UBND phường tại cuộc họp giao ban tháng 11/2026",
]
CLEAN = [
    "1. Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp Phòng Quản lý đô thị rà soát hồ sơ"
    " giải ngân vốn đầu tư công, hoàn thành trước ngày 15/12/2026.",
    "2. Giao Phòng Quản lý đô thị tổng hợp danh sách công trình chậm tiến độ, hoàn thành trong"
    " tháng 12/2026.",
    "3. Giao Phòng Tài nguyên và Môi trường kiểm tra việc thu gom rác thải (thường xuyên).",
]
FLAWED = [
    "1. Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp các phòng, ban liên quan rà soát hồ sơ"
    " đất công, hoàn thành trước ngày 15/12/2026.",
    "2. Giao Văn phòng tham mưu văn bản đôn đốc các đơn vị, hoàn thành trong tháng 12/2026.",
    "3. Giao Phòng Quản lý đô thị tổng hợp danh sách công trình chậm tiến độ.",
    "4. Giao Phòng Tài nguyên và Môi trường báo cáo kết quả kiểm tra bãi rác, hoàn thành trước"
    " ngày 10/11/2026.",
]


def items_of(text: str) -> dict[int, str]:
    """The draft's items: each numbered line with the problem lines under it."""
    items: dict[int, str] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^(\d+)\. ", line)
        if m:
            current = int(m.group(1))
            items[current] = line
        elif current is not None and line.startswith("    "):
            items[current] += "\n" + line
        else:
            current = None
    return items


def draft_in(world: World, chat: int) -> dict[str, Any]:
    for message in reversed(world.tg.bot_messages(chat)):
        if "Dự thảo giao việc" in (message.get("text") or ""):
            return message
    raise AssertionError(f"no draft in {chat}: {world.bot_texts(chat)}")


def cards(world: World, chat: int) -> list[str]:
    return [t for t in world.bot_texts(chat) if t.startswith("📌 Nhiệm vụ")]


async def answer_to(world: World, user: int, chat: int, message: dict[str, Any], label: str) -> str:
    """Press a button; the answer is the alert, or (too long for one) the private message."""
    before = len(world.tg.bot_messages(user))
    answer = await world.press(chat, message["message_id"], user, world.button(message, label))
    if answer.get("text"):
        return str(answer["text"])
    private = world.tg.bot_messages(user)
    assert len(private) > before, "the answer went nowhere"
    return str(private[-1].get("text") or "")


async def test_reply_to_a_text_conclusion_drafts_and_one_press_assigns_every_task(
    world: World,
) -> None:
    conclusion = await world.say(LEADERS, CHAIRMAN, "\n".join(HEADER + CLEAN))
    await world.say(LEADERS, CHAIRMAN, "/giao", reply_to=conclusion["message_id"])

    draft = draft_in(world, LEADERS)
    text = draft["text"]
    assert "Số 45/TB-UBND ngày 20/11/2026" in text
    items = items_of(text)
    assert sorted(items) == [1, 2, 3]
    assert "TCKH (phối hợp: QLDT)" in items[1] and "Thứ Ba, 15/12/2026" in items[1]
    assert "rà soát hồ sơ giải ngân" in items[1]
    # The line names the units once: its content starts at the action, so a phone shows more
    # of the work itself (the task keeps the whole text, see the card below).
    assert "· rà soát hồ sơ giải ngân vốn đầu tư công" in items[1]
    assert "Giao" not in items[1] and "chủ trì" not in items[1]
    assert "· tổng hợp danh sách công trình chậm tiến độ" in items[2]
    assert items[2].startswith("2. QLDT ·") and "Thứ Năm, 31/12/2026" in items[2]
    assert items[3].startswith("3. TNMT ·") and "thường xuyên" in items[3]
    assert "⚠️" not in text
    labels = world.buttons(draft)
    assert any("Giao 3 nhiệm vụ" in label for label in labels)
    assert any("Hủy" in label for label in labels)
    assert cards(world, TCKH_CHAT) == []  # a draft, not tasks

    # Tapped twice at once, as people do: one confirmation, the other told it is done.
    confirm = world.button(draft, "Giao")
    taps = [world.tg.press_button(LEADERS, draft["message_id"], CHAIRMAN, confirm) for _ in "12"]
    answers = [(await world.tg.wait_for_callback_answer(q))["text"] for q in taps]
    await world.live.settled()
    assert sum("Đã giao 3 nhiệm vụ" in a for a in answers) == 1
    assert sum("đã được giao trước đó" in a for a in answers) == 1
    assert len(cards(world, TCKH_CHAT)) == 1 and len(cards(world, QLDT_CHAT)) == 1
    edited = world.message(LEADERS, draft["message_id"])
    assert world.buttons(edited) == {}
    assert "Đã giao 3 nhiệm vụ: NV-0001, NV-0002, NV-0003" in edited["text"]
    summary = world.last_text(LEADERS)
    assert "NV-0001, NV-0002, NV-0003" in summary and "/vanban 45/TB-UBND" in summary
    assert "TNMT" in summary and "Chưa có nhóm chat" in summary  # TNMT has no group

    # Cards exactly as /giao sends them, each naming the document.
    card = world.card(TCKH_CHAT, "NV-0001")["text"]
    assert "rà soát hồ sơ giải ngân vốn đầu tư công" in card
    assert "Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp Phòng Quản lý đô thị rà soát" in card
    assert "Phòng Quản lý đô thị" in card and "Thứ Ba, 15/12/2026 17:00" in card
    assert "Văn bản: Số 45/TB-UBND ngày 20/11/2026" in card
    assert any("Đã nhận" in label for label in world.buttons(world.card(TCKH_CHAT, "NV-0001")))
    assert "Thứ Năm, 31/12/2026 17:00" in world.card(QLDT_CHAT, "NV-0002")["text"]
    coop = [t for t in world.bot_texts(QLDT_CHAT) if "phối hợp" in t and "NV-0001" in t]
    assert len(coop) == 1

    await world.say(LEADERS, CHAIRMAN, "/nv NV-0003")
    shown = world.last_text(LEADERS)
    assert "Văn bản: Số 45/TB-UBND" in shown and "Không có thời hạn" in shown

    # Progress by document: one done, one late, one open.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã rà soát xong 42 hồ sơ")
    review = next(
        m for m in reversed(world.tg.bot_messages(LEADERS)) if "Duyệt" in str(m.get("reply_markup"))
    )
    await world.press(LEADERS, review["message_id"], CHAIRMAN, world.button(review, "Duyệt"))
    world.clock.set(world.clock.now().replace(year=2027, month=1, day=4, hour=9))
    await world.say(LEADERS, CHAIRMAN, "/vanban")
    listing = world.last_text(LEADERS)
    assert "Số 45/TB-UBND ngày 20/11/2026" in listing
    assert "3 nhiệm vụ: 1 hoàn thành, 1 đang thực hiện, 1 quá hạn" in listing
    await world.say(LEADERS, CHAIRMAN, "/vanban 45")
    one = world.last_text(LEADERS)
    assert "3 nhiệm vụ: 1 hoàn thành, 1 đang thực hiện, 1 quá hạn" in one
    lines = {line.split()[1]: line for line in one.splitlines() if line.startswith("• NV-")}
    assert "Đã hoàn thành" in lines["NV-0001"]
    assert "quá hạn" in lines["NV-0002"] and "quá hạn" not in lines["NV-0003"]
    await world.say(LEADERS, CHAIRMAN, "/vanban 99/TB-UBND")
    assert "Không tìm thấy văn bản" in world.last_text(LEADERS)


async def test_docx_draft_flags_problems_takes_corrections_and_refuses_until_fixed(
    world: World,
) -> None:
    await world.say(CHAIRMAN, CHAIRMAN, "/start")  # long answers to a press arrive privately
    data = make_docx(HEADER + FLAWED)
    sent = await world.say(LEADERS, CHAIRMAN, document=("ket-luan-45.docx", data, None))
    await world.say(LEADERS, CHAIRMAN, "/giao", reply_to=sent["message_id"])
    draft = draft_in(world, LEADERS)
    draft_id = draft["message_id"]
    items = items_of(draft["text"])
    assert sorted(items) == [1, 2, 3, 4]
    assert items[1].startswith("1. TCKH") and "cần chọn cụ thể đơn vị" in items[1]
    assert "Chưa xác định được đơn vị chủ trì" in items[2]
    assert "Chưa xác định được đơn vị chủ trì" not in items[1] + items[3] + items[4]
    assert "Chưa tìm thấy thời hạn" in items[3] and "⚠️" not in items[3].split("\n")[0]
    assert "Thời hạn 10/11/2026 đã qua" in items[4]

    # Confirming is refused with the reason while items are flagged; nothing is created.
    refusal = await answer_to(world, CHAIRMAN, LEADERS, draft, "Giao")
    assert "Chưa giao được" in refusal
    for n in (1, 2, 3, 4):
        assert f"Mục {n}:" in refusal
    assert cards(world, TCKH_CHAT) == [] and cards(world, QLDT_CHAT) == []

    # Only the author or the office may correct or confirm.
    await world.say(LEADERS, QLDT_HEAD, "3 hạn 18/12", reply_to=draft_id)
    assert "Chỉ người lập dự thảo" in world.last_text(LEADERS)
    answer = await world.press(LEADERS, draft_id, VICE, world.button(draft, "Giao"))
    assert "Chỉ người lập dự thảo" in answer["text"] and answer["show_alert"]
    answer = await world.press(LEADERS, draft_id, STRANGER, world.button(draft, "Giao"))
    assert "chưa có trong danh sách" in answer["text"]
    assert world.message(LEADERS, draft_id)["text"] == draft["text"]

    # A bad line changes nothing, the lines before it included, and says how to write it.
    await world.say(LEADERS, CHAIRMAN, "2 đơn vị QLDT\n3 đơn vị XYZ", reply_to=draft_id)
    answer_text = world.last_text(LEADERS)
    assert "Dòng 2" in answer_text and "XYZ" in answer_text and "2 đơn vị" in answer_text
    assert "chưa thay đổi" in answer_text
    await world.say(LEADERS, CHAIRMAN, "3 hạn 31/02/2027", reply_to=draft_id)
    assert "chưa thay đổi" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "7 hạn 18/12", reply_to=draft_id)
    assert "không có mục 7" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "cảm ơn", reply_to=draft_id)
    assert "không phải một sửa đổi" in world.last_text(LEADERS)
    assert world.message(LEADERS, draft_id)["text"] == draft["text"]

    # Several corrections in one reply, one per line; the draft is edited in place.
    await world.say(
        LEADERS,
        CHAIRMAN,
        "1 đơn vị TCKH,QLDT\n"
        "2 đơn vị QLDT\n"
        "2 nội dung Tham mưu văn bản đôn đốc các đơn vị cập nhật kết quả\n"
        "3 hạn 18/12\n"
        "bỏ 4\n"
        "thêm TNMT Báo cáo kết quả kiểm tra bãi rác hạn thường xuyên",
        reply_to=draft_id,
    )
    assert "Đã sửa dự thảo (6 sửa đổi)" in world.last_text(LEADERS)
    edited = world.message(LEADERS, draft_id)
    items = items_of(edited["text"])
    assert sorted(items) == [1, 2, 3, 5]
    assert "⚠️" not in edited["text"]
    assert items[1].startswith("1. TCKH (phối hợp: QLDT)")
    assert items[2].startswith("2. QLDT ·") and "Tham mưu văn bản đôn đốc" in items[2]
    assert "Thứ Sáu, 18/12/2026" in items[3]
    assert items[5].startswith("5. TNMT ·") and "thường xuyên" in items[5]
    assert any("Giao 4 nhiệm vụ" in label for label in world.buttons(edited))

    # The office confirms on the chairman's behalf: every task in one go.
    confirm = world.button(edited, "Giao")
    answer = await world.press(LEADERS, draft_id, OFFICE, confirm)
    assert "Đã giao 4 nhiệm vụ" in answer["text"]
    assert "NV-0001" in world.card(TCKH_CHAT, "NV-0001")["text"]
    qldt = cards(world, QLDT_CHAT)
    assert len(qldt) == 2 and "Tham mưu văn bản đôn đốc" in world.card(QLDT_CHAT, "NV-0002")["text"]
    assert "ket-luan-45.docx" in world.card(QLDT_CHAT, "NV-0003")["text"]
    assert "Người giao: Nguyễn Văn An" in world.card(QLDT_CHAT, "NV-0003")["text"]
    # The file goes once to each group, not once per task.
    files = [m for m in world.tg.bot_messages(QLDT_CHAT) if m.get("document")]
    assert len(files) == 1 and files[0]["document"]["file_name"] == "ket-luan-45.docx"
    # Pressed again: nothing more.
    answer = await world.press(LEADERS, draft_id, CHAIRMAN, confirm, forged=True)
    assert "đã được giao" in answer["text"]
    assert len(cards(world, QLDT_CHAT)) == 2

    await world.say(LEADERS, OFFICE, "/vanban")
    assert "4 nhiệm vụ: 0 hoàn thành, 4 đang thực hiện, 0 quá hạn" in world.last_text(LEADERS)
    await world.say(LEADERS, OFFICE, "/vanban 45/tb-ubnd")
    assert "📎 ket-luan-45.docx" in world.last_text(LEADERS)
    # A unit's people see the document with their own unit's tasks only.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/vanban")
    assert "1 nhiệm vụ: 0 hoàn thành, 1 đang thực hiện, 0 quá hạn" in world.last_text(TCKH_CHAT)


async def test_pdf_draft_expires_after_a_day(world: World) -> None:
    data = make_pdf(HEADER + CLEAN)
    sent = await world.say(LEADERS, CHAIRMAN, document=("KL-45.pdf", data, "application/pdf"))
    await world.say(LEADERS, CHAIRMAN, "/giao", reply_to=sent["message_id"])
    draft = draft_in(world, LEADERS)
    items = items_of(draft["text"])
    assert sorted(items) == [1, 2, 3]
    assert "TCKH (phối hợp: QLDT)" in items[1] and "Thứ Ba, 15/12/2026" in items[1]
    assert "Số 45/TB-UBND ngày 20/11/2026" in draft["text"]
    assert "24/11/2026" in draft["text"]  # valid until this time tomorrow

    world.advance(hours=23, minutes=59)
    await world.say(LEADERS, CHAIRMAN, "3 hạn 18/12", reply_to=draft["message_id"])
    assert "Đã sửa dự thảo" in world.last_text(LEADERS)
    world.advance(minutes=2)
    answer = await world.press(LEADERS, draft["message_id"], CHAIRMAN, world.button(draft, "Giao"))
    assert "hết hiệu lực" in answer["text"]
    edited = world.message(LEADERS, draft["message_id"])
    assert "hết hiệu lực" in edited["text"] and world.buttons(edited) == {}
    assert cards(world, TCKH_CHAT) == []
    await world.say(LEADERS, CHAIRMAN, "2 hạn 18/12", reply_to=draft["message_id"])
    assert "hết hiệu lực" in world.last_text(LEADERS)


async def test_caption_giao_on_a_docx_drafts_and_cancel_closes_it(world: World) -> None:
    data = make_docx(HEADER + CLEAN)
    await world.say(LEADERS, CHAIRMAN, document=("ket-luan.docx", data, None), caption="/giao")
    draft = draft_in(world, LEADERS)
    assert sorted(items_of(draft["text"])) == [1, 2, 3]
    answer = await world.press(LEADERS, draft["message_id"], CHAIRMAN, world.button(draft, "Hủy"))
    assert "Đã hủy dự thảo" in answer["text"]
    edited = world.message(LEADERS, draft["message_id"])
    assert "Đã hủy" in edited["text"] and world.buttons(edited) == {}
    # The old buttons, pressed from a stale screen, do nothing.
    answer = await world.press(
        LEADERS, draft["message_id"], CHAIRMAN, world.button(draft, "Giao"), forged=True
    )
    assert "đã bị hủy" in answer["text"]
    assert cards(world, TCKH_CHAT) == []


async def test_old_word_and_scanned_files_are_refused_and_nothing_is_created(
    world: World,
) -> None:
    sent = await world.say(LEADERS, CHAIRMAN, document=("ket-luan.doc", OLD_DOC, None))
    await world.say(LEADERS, CHAIRMAN, "/giao", reply_to=sent["message_id"])
    answer = world.last_text(LEADERS)
    assert "Word cũ (.doc)" in answer and ".docx" in answer
    await world.say(
        LEADERS, CHAIRMAN, document=("scan.pdf", make_scanned_pdf(), None), caption="/giao"
    )
    assert "bản quét" in world.last_text(LEADERS)
    sent = await world.say(LEADERS, CHAIRMAN, document=("anh.jpg", b"\xff\xd8\xff", None))
    await world.say(LEADERS, CHAIRMAN, "/giao", reply_to=sent["message_id"])
    assert ".docx, .pdf có chữ hoặc .txt" in world.last_text(LEADERS)
    assert not any("Dự thảo giao việc" in t for t in world.bot_texts(LEADERS))
    # A unit's staff may not draft; a text without any item says how to write one.
    plain = await world.say(TCKH_CHAT, TCKH_HEAD, "1. Giao TCKH rà soát, trước ngày 15/12/2026.")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giao", reply_to=plain["message_id"])
    assert "Chỉ Chủ tịch, Phó Chủ tịch" in world.last_text(TCKH_CHAT)


async def test_a_vice_chairman_assigns_only_within_the_block_they_supervise(world: World) -> None:
    conclusion = await world.say(LEADERS, VICE, "\n".join(HEADER + CLEAN[:2]))
    await world.say(LEADERS, VICE, "/giao", reply_to=conclusion["message_id"])
    draft = draft_in(world, LEADERS)
    answer = await world.press(LEADERS, draft["message_id"], VICE, world.button(draft, "Giao"))
    assert "mục 1" in answer["text"] and "không thuộc khối" in answer["text"]
    assert cards(world, TCKH_CHAT) == [] and cards(world, QLDT_CHAT) == []
    # Item 1 (TCKH leads) handed to QLDT, which the vice-chairman supervises: accepted.
    await world.say(LEADERS, VICE, "1 đơn vị QLDT,TCKH", reply_to=draft["message_id"])
    answer = await world.press(LEADERS, draft["message_id"], VICE, world.button(draft, "Giao"))
    assert "Đã giao 2 nhiệm vụ" in answer["text"]
    assert len(cards(world, QLDT_CHAT)) == 2
