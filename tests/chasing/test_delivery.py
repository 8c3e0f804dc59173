"""Delivery that loses nothing and repeats nothing: Telegram's errors, and crashes mid-send."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from support import ADMIN, CHAIRMAN, LEADERS, TCKH_CHAT, TCKH_HEAD, VN, World

from scheduler.delivery import Faults

DUE = datetime(2026, 11, 23, 15, 0, tzinfo=VN)  # the unacknowledged reminder of a 09:00 task


class Crash(Exception):
    """The process dies here."""


async def _crash() -> None:
    raise Crash


def reminders(world: World, chat: int = TCKH_CHAT) -> list[dict]:
    return [m for m in world.tg.bot_messages(chat) if (m.get("text") or "").startswith("🔔")]


async def _deliveries(world: World) -> dict[str, int]:
    async with world.services.core.uow() as uow:
        return await uow.deliveries.counts()


async def _assign(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hộ nghèo hạn 18/12")


async def test_429_returns_the_row_to_pending_until_retry_after(world: World) -> None:
    await _assign(world)
    world.tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    result = await world.at(DUE)
    assert result.delivery.rate_limited == 1 and reminders(world) == []
    assert await _deliveries(world) == {"pending": 1}
    await world.at(DUE + timedelta(seconds=6))
    assert reminders(world) == []
    await world.at(DUE + timedelta(seconds=7))
    assert len(reminders(world)) == 1
    assert await _deliveries(world) == {"sent": 1}


async def test_a_429_on_a_command_reply_is_waited_out(world: World) -> None:
    # The rate limiter leaves 429s to us (bot/app.py): a reply waits retry_after and tries again.
    world.tg.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=LEADERS
    )
    await _assign(world)
    assert "NV-0001" in world.last_text(LEADERS)


async def test_a_reply_that_fails_after_the_urge_was_saved_says_it_was_saved(
    world: World,
) -> None:
    await _assign(world)
    world.clock.set(DUE.replace(day=25, hour=10))
    world.tg.fail_next("sendMessage", 400, "Bad Request: message is too long", chat_id=LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/nhac NV-0001")
    said = world.last_text(LEADERS)
    assert "đã được lưu" in said and "Không có thay đổi" not in said
    # It was: the urge went out (right away, as the reply would have said), and counts.
    assert "đôn đốc lần 1" in reminders(world)[-1]["text"]
    await world.say(LEADERS, CHAIRMAN, "/nhac NV-0001")
    assert "lần 2" in world.last_text(LEADERS)


async def test_server_errors_retry_with_backoff(world: World) -> None:
    await _assign(world)
    world.tg.fail_next("sendMessage", 500, "Internal Server Error", count=2)
    result = await world.at(DUE)
    assert result.delivery.retried == 1
    await world.at(DUE + timedelta(seconds=30))  # 30 s after the first failure
    await world.at(DUE + timedelta(seconds=59))
    assert reminders(world) == []
    await world.at(DUE + timedelta(seconds=90))  # then 60 s more
    assert len(reminders(world)) == 1


async def test_403_fails_the_row_and_tells_the_admins_once(world: World) -> None:
    await world.say(ADMIN, ADMIN, "/start")
    await _assign(world)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc thứ hai hạn 18/12")
    world.tg.kick_bot(TCKH_CHAT)
    result = await world.at(DUE)
    assert result.delivery.failed == 1
    notices = [m["text"] for m in world.tg.bot_messages(ADMIN) if "không gửi được" in m["text"]]
    assert len(notices) == 1 and str(TCKH_CHAT) in notices[0]
    await world.at(DUE.replace(day=25, hour=8))  # the next day's reminders fail too: no new notice
    notices = [m["text"] for m in world.tg.bot_messages(ADMIN) if "không gửi được" in m["text"]]
    assert len(notices) == 1
    assert (await _deliveries(world))["failed"] == 2


async def test_a_group_that_removes_the_bot_again_is_reported_again(world: World) -> None:
    await world.say(ADMIN, ADMIN, "/start")
    await _assign(world)
    world.tg.kick_bot(TCKH_CHAT)
    await world.at(DUE)
    world.tg.readd_bot(TCKH_CHAT)
    await world.at(DUE.replace(day=25, hour=8))  # the next reminder goes through
    assert len(reminders(world)) == 1
    world.tg.kick_bot(TCKH_CHAT)
    await world.at(DUE.replace(day=27, hour=8))
    notices = [m["text"] for m in world.tg.bot_messages(ADMIN) if "không gửi được" in m["text"]]
    assert len(notices) == 2


async def test_a_person_who_blocks_the_bot_is_reported_to_the_admins_once(world: World) -> None:
    await world.say(ADMIN, ADMIN, "/start")
    await world.say(TCKH_HEAD, TCKH_HEAD, "/start")
    await _assign(world)
    world.tg.block_bot(TCKH_HEAD)
    result = await world.at(DUE)
    assert result.delivery.failed == 1
    notices = [m["text"] for m in world.tg.bot_messages(ADMIN) if "đã chặn bot" in m["text"]]
    assert len(notices) == 1 and str(TCKH_HEAD) in notices[0]
    # From then on the head is pinged in the group instead, and the admins are not told again.
    await world.at(DUE.replace(day=25, hour=8))
    assert "chưa tiếp nhận" in world.last(TCKH_CHAT)["text"]
    assert f"tg://user?id={TCKH_HEAD}" in world.last(TCKH_CHAT)["html"]
    notices = [m["text"] for m in world.tg.bot_messages(ADMIN) if "đã chặn bot" in m["text"]]
    assert len(notices) == 1


async def test_an_ambiguous_timeout_is_not_sent_again(world: World) -> None:
    await world.restart(read_timeout=0.5)
    await _assign(world)
    world.tg.delay_next("sendMessage", 1.5)  # the message goes out, the answer comes too late
    result = await world.at(DUE)
    assert result.delivery.unknown == 1
    await world.live.settled()
    await world.at(DUE + timedelta(minutes=5))
    assert len(reminders(world)) == 1
    assert await _deliveries(world) == {"unknown": 1}


@pytest.mark.parametrize("point", ["after_claim", "after_send"])
async def test_a_crash_neither_loses_nor_repeats(world: World, point: str) -> None:
    await _assign(world)
    world.clock.set(DUE)
    with pytest.raises(Crash):
        await world.tick(Faults(**{point: _crash}))
    await world.restart()
    await world.tick()
    await world.at(DUE + timedelta(minutes=10))
    counts = await _deliveries(world)
    if point == "after_claim":
        # Claimed but never tried: sent after the restart, once.
        assert len(reminders(world)) == 1 and counts == {"sent": 1}
    else:
        # It went out, but the crash came before it was marked: unknown, not sent again.
        assert len(reminders(world)) == 1 and counts == {"unknown": 1}


async def test_a_group_upgraded_to_a_supergroup_is_followed(world: World) -> None:
    await _assign(world)
    new_chat = -1009000000010
    world.tg.migrate_group(TCKH_CHAT, new_chat)
    await world.at(DUE)
    [reminder] = [m for m in world.tg.bot_messages(new_chat) if m["text"].startswith("🔔")]
    assert "NV-0001" in reminder["text"]
    async with world.services.core.uow() as uow:
        unit = await uow.units.by_code("TCKH")
    assert unit is not None and unit.chat_id == new_chat


async def test_a_reminder_said_afresh_in_the_morning_replaces_yesterdays(world: World) -> None:
    await _assign(world)
    world.tg.fail_next("sendMessage", 500, "Internal Server Error", count=1)
    await world.at(DUE.replace(hour=16, minute=59))
    # The retry falls due after closing: nothing goes out at night...
    await world.at(DUE.replace(hour=17, minute=30))
    await world.at(DUE.replace(hour=22))
    assert reminders(world) == []
    # ...and in the morning today's "not acknowledged" goes out first; once it has, yesterday's
    # copy of the same words is dropped, not sent as a second message.
    await world.at(DUE.replace(day=25, hour=8))
    await world.at(DUE.replace(day=25, hour=8, minute=2))
    texts = [m["text"] for m in reminders(world)]
    assert len(texts) == 1 and "chưa tiếp nhận" in texts[0]
    counts = await _deliveries(world)
    assert counts == {"expired": 1, "sent": 1}


async def _ack(world: World, code: str = "NV-0001") -> None:
    card = world.card(TCKH_CHAT, code)
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))


async def test_a_reminder_nothing_newer_replaces_goes_out_the_next_morning(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 04/12")
    await _ack(world)
    # "Due in 3 working days" on Tuesday 1/12 meets a long 429: the retry falls after closing.
    tuesday = datetime(2026, 12, 1, 16, 0, tzinfo=VN)
    world.clock.set(tuesday.replace(hour=7))
    world.tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7200", retry_after=7200)
    await world.at(tuesday.replace(hour=8))
    assert reminders(world) == []
    # Wednesday has no reminder of its own (2 working days left): yesterday's is still news.
    await world.at(tuesday.replace(day=2, hour=8))
    [text] = [m["text"] for m in reminders(world)]
    assert "còn 3 ngày làm việc" in text
    assert set(await _deliveries(world)) == {"sent"}  # nothing expired


async def test_a_leaders_urge_held_up_at_closing_goes_out_the_next_morning(world: World) -> None:
    await _assign(world)
    await _ack(world)
    world.clock.set(DUE.replace(hour=16, minute=59, second=45))
    world.tg.fail_next("sendMessage", 500, "Internal Server Error", chat_id=TCKH_CHAT, count=1)
    await world.say(LEADERS, CHAIRMAN, "/nhac NV-0001 Khẩn trương")
    assert "lần 1" in world.last_text(LEADERS)
    await world.at(DUE.replace(hour=17, minute=0, second=20))
    assert reminders(world) == []
    await world.at(DUE.replace(day=25, hour=8))
    [urge] = [m["text"] for m in reminders(world)]
    assert "đôn đốc lần 1" in urge and "Khẩn trương" in urge
    await world.say(LEADERS, CHAIRMAN, "/nhac NV-0001")
    assert "lần 2" in world.last_text(LEADERS)


async def test_a_queued_reminder_of_a_task_since_finished_is_not_sent(world: World) -> None:
    await _assign(world)
    world.tg.fail_next("sendMessage", 500, "Internal Server Error", chat_id=TCKH_CHAT, count=1)
    await world.at(DUE)  # "not acknowledged" queued; the group's copy waits 30 s for a retry
    world.clock.set(DUE + timedelta(seconds=10))
    await _ack(world)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã xong")
    await world.at(DUE + timedelta(minutes=1))
    assert reminders(world) == []
    assert (await _deliveries(world)).get("cancelled") == 1


async def test_a_batched_reminder_drops_only_the_task_no_longer_chased(world: World) -> None:
    await _assign(world)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc thứ hai hạn 18/12")
    world.tg.fail_next("sendMessage", 500, "Internal Server Error", chat_id=TCKH_CHAT, count=1)
    await world.at(DUE)  # one message for both tasks, held up by the 500
    world.clock.set(DUE + timedelta(seconds=10))
    await _ack(world, "NV-0001")
    await world.at(DUE + timedelta(minutes=1))
    [text] = [m["text"] for m in reminders(world)]
    assert "NV-0002" in text and "NV-0001" not in text
    [message] = reminders(world)
    assert all("NV-0001" not in label for label in world.buttons(message))
