"""Long and rich content (issue 11, point 4): a long assignment reaches the unit whole, in
messages Telegram takes, broken where a reader expects; no link the reader cannot open."""

from __future__ import annotations

import re

import pytest
from support import CHAIRMAN, LEADERS, QLDT_CHAT, TCKH_CHAT, TCKH_HEAD, World

from bot.text.longtext import split_text

TELEGRAM_LIMIT = 4096


def long_content(count: int) -> str:
    """A ward's instruction of ``count`` items (19: about 3,500 characters): numbered items,
    sentences, a last line that must arrive."""
    items = []
    for n in range(1, count + 1):
        items.append(
            f"{n}. Rà soát, tổng hợp số liệu giải ngân vốn đầu tư công của tổ dân phố số {n};"
            " đối chiếu với kế hoạch vốn được giao, làm rõ nguyên nhân chậm giải ngân."
            " Đề xuất giải pháp cụ thể."
        )
    items.append("Hết nội dung: báo cáo gửi Văn phòng trước cuộc họp giao ban.")
    return "\n".join(items)


def pieces_of(world: World, chat: int, code: str) -> list[str]:
    header = re.compile(rf"^📄 {code} — toàn văn \((\d+)/(\d+)\)\n", re.M)
    found = []
    for message in world.tg.bot_messages(chat):
        text = message.get("text") or ""
        if header.match(text):
            found.append(text)
    return found


def rebuilt(pieces: list[str]) -> str:
    return "\n".join(piece.split("\n", 1)[1] for piece in pieces)


@pytest.mark.parametrize("as_reply", [False, True])
async def test_a_long_assignment_reaches_the_unit_whole(world: World, as_reply: bool) -> None:
    await world.say(TCKH_HEAD, TCKH_HEAD, "/start")  # the head gets a private copy too
    content = long_content(19)
    pieces = 1
    assert 3300 < len(content) < 3800
    if as_reply:
        # Each message within Telegram's 4,096; together, the content of two messages.
        order = world.tg.send_message(LEADERS, CHAIRMAN, content)
        await world.live.settled()
        own = long_content(19).replace("tổ dân phố", "khu phố")
        await world.say(
            LEADERS, CHAIRMAN, f"/giao TCKH,QLDT {own}\nhạn 15/12", reply_to=order["message_id"]
        )
        content, pieces = f"{own}\n{content}", 2
    else:
        await world.say(LEADERS, CHAIRMAN, f"/giao TCKH,QLDT {content}\nhạn 15/12")
    assert "NV-0001" in world.last_text(LEADERS), world.last_text(LEADERS)

    for chat in (TCKH_CHAT, TCKH_HEAD, QLDT_CHAT):
        sent = pieces_of(world, chat, "NV-0001")
        assert len(sent) == pieces, (chat, sent)
        assert all(len(p) <= TELEGRAM_LIMIT for p in sent)
        assert rebuilt(sent) == content, chat
        assert sent[-1].endswith("trước cuộc họp giao ban.")
        # Each piece after the first begins an item: broken at a line's end.
        assert all(re.match(r"📄 .*\n\d+\. ", p) for p in sent[1:])
    card = world.card(TCKH_CHAT, "NV-0001")
    assert len(card["text"]) <= TELEGRAM_LIMIT
    assert f"Nội dung dài {len(content)} ký tự: toàn văn ở {pieces} tin nhắn" in card["text"]
    # The card's own excerpt ends at a sentence, not mid-word.
    shown = card["text"].split("Nội dung: ", 1)[1].split("\nChủ trì:", 1)[0]
    assert shown.endswith("cụ thể.…") and content.startswith(shown[:-1]), shown

    # /nv says it all too, right after the card and its history.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/nv NV-0001")
    assert rebuilt(pieces_of(world, TCKH_CHAT, "NV-0001")[-pieces:]) == content


def test_pieces_break_at_lines_then_sentences_and_lose_nothing() -> None:
    lines = "\n".join(f"Dòng {n}: " + "x" * 90 for n in range(100))
    pieces = split_text(lines, 1000)
    assert all(len(p) <= 1000 for p in pieces)
    assert "\n".join(pieces) == lines
    assert all(p.startswith("Dòng ") for p in pieces)  # every piece begins a line

    sentences = " ".join(f"Câu thứ {n} nói một điều ngắn gọn." for n in range(200))
    pieces = split_text(sentences, 700)
    assert all(len(p) <= 700 and p.endswith("gọn.") for p in pieces)
    assert " ".join(pieces) == sentences

    one_word = "a" * 2500
    assert split_text(one_word, 1000) == ["a" * 1000, "a" * 1000, "a" * 500]


async def test_no_source_link_the_reader_cannot_open(world: World) -> None:
    order = world.tg.send_message(LEADERS, CHAIRMAN, "Đề nghị Phòng TC-KH rà soát hồ sơ quyết toán")
    await world.live.settled()
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH hạn 15/12", reply_to=order["message_id"])
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "rà soát hồ sơ quyết toán" in card["text"]
    # The link points into the leadership group: its members can open it, the unit cannot.
    assert "t.me/c/" not in card["text"] and "Nguồn" not in card["text"]
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    assert "Nguồn: https://t.me/c/" in world.last_text(LEADERS)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/nv NV-0001")
    assert "t.me/c/" not in world.last_text(TCKH_CHAT)
