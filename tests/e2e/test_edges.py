"""Hostile and odd input at the edge (issue 12, points 6 and 8): every case is a clear answer or
is ignored; never an internal error, a traceback, or a Bot API call Telegram would refuse."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql
from support import (
    ADMIN,
    CHAIRMAN,
    LEADERS,
    OFFICE,
    STRANGER,
    TCKH_CHAT,
    TCKH_HEAD,
    World,
)

from bot.db.tables import InviteRow, PersonRow, TaskRow

LIMIT = 4096


async def scalar(world: World, statement: Any) -> Any:
    async with world.live.runtime.engine.connect() as conn:
        return (await conn.execute(statement)).scalar_one()


@pytest.fixture(autouse=True)
def _errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)


def assert_clean(world: World, caplog: pytest.LogCaptureFixture) -> None:
    """No handler failed, nobody was told "internal error", Telegram accepted every call."""
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == [], [r.getMessage() for r in failures]
    assert world.tg.refused == []
    for chat in (ADMIN, LEADERS, TCKH_CHAT, OFFICE, CHAIRMAN, STRANGER):
        for text in world.bot_texts(chat):
            assert "Rất tiếc" not in text and "Lỗi khi xử lý" not in text, text
    for method, params in world.tg.calls:
        text = params.get("text")
        assert not isinstance(text, str) or len(text) <= LIMIT, (method, len(text))


async def _assign(world: World) -> dict:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hộ nghèo hạn 15/12")
    assert "NV-0001" in world.last_text(LEADERS)
    return world.card(TCKH_CHAT, "NV-0001")


async def test_forged_button_ids_past_32_bits_and_odd_digits_are_stale(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    card = await _assign(world)
    for data in (
        "ack:2147483648",  # past PostgreSQL's INTEGER
        "exy:9223372036854775807",  # the largest BigInteger: a lookup that finds nothing
        "ack:9223372036854775808",  # past BigInteger
        "ack:²",  # passes str.isdigit(), not int()
        "ack:٣",  # an Arabic-Indic digit: int() reads it, a button of ours never carries it
        "ack:0",
        "ack:-1",
        "ack:" + "9" * 60,
        "ack",
        "",
    ):
        answer = await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, data, forged=True)
        text = answer.get("text", "")
        assert "không còn hiệu lực" in text or "Không tìm thấy" in text, (data, answer)
    assert_clean(world, caplog)


async def test_superscript_digits_in_command_arguments(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await _assign(world)
    for command in ("/nv ²³", "/nhan ²", "/nhac NV-²", "/lich ²³", "/nv NV-" + "9" * 4000):
        await world.say(LEADERS, CHAIRMAN, command)
        assert "Không tìm thấy" in world.last_text(LEADERS), command
    await world.say(STRANGER, STRANGER, "/nv ²³")  # anyone can write to the bot privately
    assert_clean(world, caplog)


async def test_control_characters_are_stripped_from_text_and_names(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà\x00 soát\x07 hộ\x1b nghèo hạn 15/12")
    assert "NV-0001" in world.last_text(LEADERS)
    content = await scalar(world, select(TaskRow.content))
    assert content == "Rà soát hộ nghèo"

    # Someone whose Telegram name carries a NUL redeems an invite (PostgreSQL refused it).
    await world.say(OFFICE, OFFICE, "/moi TCKH staff")
    token = re.findall(r"start=([A-Za-z0-9_-]+)", world.last_text(OFFICE))[0]
    newcomer = 900777
    world.tg.add_user(newcomer, "Mới\x00", "Người\x1f", username="moi\x00nguoi")
    await world.say(newcomer, newcomer, f"/start {token}")
    async with world.live.runtime.engine.connect() as conn:
        row = (
            await conn.execute(
                select(PersonRow.name, PersonRow.username).where(PersonRow.telegram_id == newcomer)
            )
        ).one()
    assert row.name == "Mới Người" and row.username == "moinguoi"
    assert_clean(world, caplog)


async def test_echoed_arguments_are_clipped(world: World, caplog: pytest.LogCaptureFixture) -> None:
    await _assign(world)
    word = "x" * 4090
    for chat, user, command in (
        (LEADERS, CHAIRMAN, f"/nhac {word}"),
        (LEADERS, CHAIRMAN, f"/nv {word}"),
        (LEADERS, CHAIRMAN, f"/lich {word}"),
        (LEADERS, CHAIRMAN, f"/tonghop {word}"),
        (LEADERS, CHAIRMAN, f"/tonghop tuần {word}"),
        (OFFICE, OFFICE, f"/moi {word}"),
        (OFFICE, OFFICE, f"/moi TCKH {word}"),
        (LEADERS, CHAIRMAN, f"/giao {word} hạn 15/12"),
        (LEADERS, CHAIRMAN, f"/chuyen NV-0001 {word}"),
        (LEADERS, CHAIRMAN, f"/viec {word}"),
        (LEADERS, CHAIRMAN, f"/nhan {word}"),
        (ADMIN, ADMIN, f"/{word}"),
    ):
        before = len(world.tg.bot_messages(chat))
        await world.say(chat, user, command[:4096])
        assert len(world.tg.bot_messages(chat)) > before, command[:20]
    assert_clean(world, caplog)


async def test_channel_posts_and_callbacks_without_a_message_are_ignored(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    card = await _assign(world)
    channel = {"id": -1001999999999, "type": "channel", "title": "Kênh"}
    mark = len(world.tg.calls)
    world.tg.inject(
        "channel_post",
        {"message_id": 1, "date": 1, "chat": channel, "text": "/giao TCKH Việc hạn 15/12",
         "entities": [{"type": "bot_command", "offset": 0, "length": 5}]},
    )  # fmt: skip
    world.tg.inject(
        "channel_post",
        {"message_id": 2, "date": 1, "chat": channel, "caption": "/xong NV-0001 xong",
         "document": {"file_id": "f", "file_unique_id": "u", "file_name": "a.pdf"}},
    )  # fmt: skip
    user = world.tg.lookup_user(TCKH_HEAD)
    world.tg.inject(
        "callback_query",
        {"id": "77", "from": user, "chat_instance": "1", "inline_message_id": "abc",
         "data": world.button(card, "Đã nhận")},
    )  # fmt: skip
    await world.live.settled()
    methods = [m for m, _ in world.tg.calls[mark:] if m.lower() != "getupdates"]
    assert methods == []
    assert await scalar(world, select(func.count(TaskRow.id))) == 1
    assert_clean(world, caplog)


async def test_a_command_to_another_bot_in_a_private_chat_is_ignored(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    before = len(world.tg.bot_messages(CHAIRMAN))
    await world.say(CHAIRMAN, CHAIRMAN, "/giao@otherbot TCKH Rà soát hạn 15/12")
    assert len(world.tg.bot_messages(CHAIRMAN)) == before
    await world.say(CHAIRMAN, CHAIRMAN, "/xyz@dondoc_bot")
    assert "/help" in world.last_text(CHAIRMAN)  # a command to this bot is still answered
    assert_clean(world, caplog)


async def test_refusing_an_extension_does_not_edit_the_card_with_the_same_text(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    await _assign(world)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 25/12 chờ số liệu")
    request = next(
        m
        for m in reversed(world.tg.bot_messages(LEADERS))
        if "xin gia hạn" in (m.get("text") or "")
    )
    await world.press(LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Từ chối"))
    assert "không đồng ý gia hạn" in world.last_text(TCKH_CHAT)
    assert world.buttons(world.message(LEADERS, request["message_id"])) == {}
    assert_clean(world, caplog)


async def test_a_replayed_moi_gives_the_same_link(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    sent = await world.say(OFFICE, OFFICE, "/moi TCKH staff")
    first = re.findall(r"start=([A-Za-z0-9_-]+)", world.last_text(OFFICE))
    world.tg.redeliver(sent)
    await world.live.settled()
    again = re.findall(r"start=([A-Za-z0-9_-]+)", world.last_text(OFFICE))
    assert again == first
    assert await scalar(world, select(func.count()).select_from(InviteRow)) == 1
    # The same message edited to ask for another role is another invitation, for that role.
    edited = {**sent, "text": "/moi TCKH head", "edit_date": sent["date"] + 60}
    edited["entities"] = [{"type": "bot_command", "offset": 0, "length": 4}]
    world.tg.inject("edited_message", edited)
    await world.live.settled()
    head = re.findall(r"start=([A-Za-z0-9_-]+)", world.last_text(OFFICE))
    assert head != first and "Trưởng" in world.last_text(OFFICE)
    async with world.live.runtime.engine.connect() as conn:
        roles = (await conn.execute(select(InviteRow.role))).scalars().all()
    assert sorted(roles) == ["head", "staff"]
    # A new /moi (another message) is another invite.
    await world.say(OFFICE, OFFICE, "/moi TCKH staff")
    assert re.findall(r"start=([A-Za-z0-9_-]+)", world.last_text(OFFICE)) not in (first, head)
    assert_clean(world, caplog)


async def test_task_ids_past_32_bits_work_end_to_end(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """After migration 0011 a PostgreSQL sequence past 2**31 still hands out ids, and buttons
    that carry them work (SQLite's INTEGER PRIMARY KEY was 64-bit all along)."""
    if world.live.runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's rowid is 64-bit already")
    async with world.live.runtime.engine.begin() as conn:
        for table in ("tasks", "task_events", "nudges", "task_messages", "extension_requests"):
            await conn.execute(
                sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 3000000000)")
            )
    card = await _assign(world)
    data = world.button(card, "Đã nhận")
    assert data == "ack:3000000001"
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, data)
    assert "Đang thực hiện" in world.card(TCKH_CHAT, "NV-0001")["text"]
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 25/12 chờ số liệu")
    request = next(
        m
        for m in reversed(world.tg.bot_messages(LEADERS))
        if "xin gia hạn" in (m.get("text") or "")
    )
    assert world.button(request, "Đồng ý") == "exy:3000000001"
    assert_clean(world, caplog)
