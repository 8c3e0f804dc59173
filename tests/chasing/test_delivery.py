"""Delivery that loses nothing and repeats nothing: Telegram's errors, and crashes mid-send."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from support import ADMIN, CHAIRMAN, LEADERS, TCKH_CHAT, TCKH_HEAD, VN, World

from bot.db.nudges import Recovered
from scheduler.delivery import Faults

DUE = datetime(2026, 11, 23, 15, 0, tzinfo=VN)  # the unacknowledged reminder of a 09:00 task
MARK = "(gửi lại — tin trước có thể chưa đến)"  # the line under a message sent again


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
    await world.at(DUE + timedelta(seconds=5))  # 5 s after the first failure
    await world.at(DUE + timedelta(seconds=14))
    assert reminders(world) == []
    await world.at(DUE + timedelta(seconds=15))  # then 10 s more
    assert len(reminders(world)) == 1


async def _retries_until_sent(world: World, failures: int) -> list[float]:
    """Fail the reminder `failures` times with a 500, running the scheduler each time the row
    falls due again; returns the waits between the tries, in seconds."""
    await _assign(world)
    world.tg.fail_next("sendMessage", 500, "Internal Server Error", count=failures)
    await world.at(DUE)
    tries = [DUE]
    while not reminders(world):
        moment = await world.services.chasing.next_delivery_at()
        assert moment is not None and len(tries) <= failures
        await world.at(moment)
        tries.append(moment)
    return [(b - a).total_seconds() for a, b in pairwise(tries)]


async def test_five_server_errors_in_a_row_delay_a_reminder_by_the_capped_backoff(
    world: World,
) -> None:
    waits = await _retries_until_sent(world, failures=5)
    assert waits == [5, 10, 20, 40, 80]
    assert sum(waits) <= sum(min(120, 5 * 2**n) for n in range(5))  # 155 s, not 8 minutes


async def test_the_backoff_is_capped_at_two_minutes_and_never_gives_up(world: World) -> None:
    waits = await _retries_until_sent(world, failures=9)
    assert waits == [5, 10, 20, 40, 80, 120, 120, 120, 120]
    assert await _deliveries(world) == {"sent": 1}


def _said(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("status", "description", "retry_after", "said"),
    [
        (429, "Too Many Requests: retry after 7", 7, "asked to wait 7 s (429)"),
        (500, "Internal Server Error", None, "trying again in 5 s"),
    ],
)
async def test_a_429_or_a_500_is_one_warning_line_without_a_traceback(
    world: World,
    caplog: pytest.LogCaptureFixture,
    status: int,
    description: str,
    retry_after: int | None,
    said: str,
) -> None:
    await _assign(world)
    world.tg.fail_next("sendMessage", status, description, retry_after=retry_after)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await world.at(DUE)
        await world.at(DUE + timedelta(seconds=10))
    assert len(reminders(world)) == 1
    [line] = _said(caplog)
    assert line.levelno == logging.WARNING and said in line.getMessage(), line.getMessage()
    assert line.exc_info is None and "Traceback" not in caplog.text


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


async def test_an_ambiguous_timeout_is_sent_once_more_marked(world: World) -> None:
    await world.restart(read_timeout=0.5)
    await _assign(world)
    world.tg.delay_next("sendMessage", 1.5)  # the message goes out, the answer comes too late
    result = await world.at(DUE)
    assert result.delivery.resent == 1
    await world.live.settled()
    await world.at(DUE + timedelta(minutes=5))
    first, second = (m["text"] for m in reminders(world))
    assert MARK not in first and second == f"{first}\n\n{MARK}"
    assert await _deliveries(world) == {"sent": 1}


async def test_a_repeat_cut_off_again_is_not_sent_a_third_time(world: World) -> None:
    await world.restart(read_timeout=0.5)
    await _assign(world)
    world.tg.delay_next("sendMessage", 1.5)
    world.tg.delay_next("sendMessage", 1.5)
    await world.at(DUE)
    await world.live.settled()
    result = await world.at(DUE + timedelta(minutes=5))
    assert result.delivery.unknown == 1
    await world.live.settled()
    await world.at(DUE + timedelta(minutes=10))
    assert len(reminders(world)) == 2
    assert await _deliveries(world) == {"unknown": 1}


@pytest.mark.parametrize("point", ["after_claim", "after_send"])
async def test_a_crash_loses_nothing_and_repeats_only_what_was_in_flight(
    world: World, point: str
) -> None:
    await _assign(world)
    world.clock.set(DUE)
    with pytest.raises(Crash):
        await world.tick(Faults(**{point: _crash}))
    await world.restart()
    await world.tick()
    await world.at(DUE + timedelta(minutes=10))
    counts = await _deliveries(world)
    texts = [m["text"] for m in reminders(world)]
    if point == "after_claim":
        # Claimed but never tried: sent after the restart, once.
        assert len(texts) == 1 and MARK not in texts[0] and counts == {"sent": 1}
    else:
        # It went out, but the crash came before it was marked: sent again once, marked.
        assert len(texts) == 2 and texts[1] == f"{texts[0]}\n\n{MARK}"
        assert counts == {"sent": 1}


async def test_recovery_leaves_the_rows_of_a_live_instance_alone(world: World) -> None:
    """Start-up recovery takes back only what an instance that is gone left: here the
    instance that claimed the row is this one, still running."""
    await _assign(world)
    world.clock.set(DUE)
    recovered: list[object] = []

    async def recover_meanwhile() -> None:
        recovered.append(await world.services.chasing.recover())

    await world.tick(Faults(after_claim=recover_meanwhile))
    assert recovered == [Recovered()]
    assert len(reminders(world)) == 1 and await _deliveries(world) == {"sent": 1}


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
