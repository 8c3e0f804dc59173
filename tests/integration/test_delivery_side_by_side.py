"""An update's messages to different chats go out side by side, each chat's in order
(handlers/adapt.py): the card in the unit's group does not wait for the reply in the leaders'
group to come back from Telegram. An update holds its chat until its last message is sent, so
each wait there delayed the chat's next update."""

from __future__ import annotations

import asyncio

from support import CHAIRMAN, LEADERS, TCKH_CHAT, TCKH_HEAD, World


async def _card_appears(world: World, code: str) -> bool:
    for _ in range(200):  # up to 10 s: far more than a card takes, far less than forever
        if any(code in text for text in world.bot_texts(TCKH_CHAT)):
            return True
        await asyncio.sleep(0.05)
    return False


async def test_the_card_goes_out_while_the_reply_is_still_on_its_way(world: World) -> None:
    release = world.tg.hold_next("sendMessage", LEADERS)
    world.tg.send_message(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    try:
        assert await _card_appears(world, "NV-0001")
    finally:
        release.set()
    await world.live.settled()
    assert "NV-0001" in world.last_text(LEADERS)
    # The card was recorded as sent (its buttons work): its message id reached the database.
    card = world.card(TCKH_CHAT, "NV-0001")
    answer = await world.press(
        TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận")
    )
    assert "NV-0001" in answer["text"]


async def test_in_the_chat_where_one_acted_the_answer_comes_first(world: World) -> None:
    """/giao by reply in the unit's own group: the reply, then the card, in that order."""
    world.tg.send_message(TCKH_CHAT, CHAIRMAN, "/giao TCKH Rà soát hồ sơ tồn đọng hạn 20/12")
    await world.live.settled()
    texts = [t for t in world.bot_texts(TCKH_CHAT) if "NV-0001" in t]
    assert len(texts) == 2, texts
    assert texts[0].startswith("✅ Đã giao NV-0001"), texts
    assert texts[1].startswith("📌 Nhiệm vụ NV-0001"), texts
