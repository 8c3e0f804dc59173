"""The leaders' steps are chased like the units': a result awaiting review and an extension
awaiting a decision remind the person they wait on, end to end through the stand-in."""

from __future__ import annotations

from datetime import datetime

from support import (
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    QLDT_HEAD,
    TCKH_CHAT,
    TCKH_HEAD,
    VICE,
    VN,
    World,
)

from bot.domain.model import Status
from bot.domain.tally import Period


def at(day: int, month: int, hour: int = 8, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def waiting(world: World, chat: int) -> list[str]:
    """The decision reminders said in a chat."""
    return [t for t in world.bot_texts(chat) if "Chờ đồng chí quyết định" in t and "nhắc lần" in t]


def digests(world: World, chat: int, title: str) -> list[str]:
    return [t for t in world.bot_texts(chat) if title in t]


async def test_results_awaiting_review_are_chased_then_escalated_then_stop(world: World) -> None:
    for who in (CHAIRMAN, OFFICE, TCKH_HEAD, QLDT_HEAD):
        await world.say(who, who, "/start")  # the vice-chairman has no private chat
    # Monday 23/11: the chairman gives TCKH a task due Thursday 26/11; the vice-chairman gives
    # QLDT one. (Tuesday 24/11 is a holiday.)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 26/11")
    await world.say(LEADERS, VICE, "/giao QLDT Rà soát vỉa hè hạn 15/12")
    # Both report on Wednesday 25/11 at 09:00, on time.
    world.clock.set(at(25, 11, 9))
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã nộp báo cáo")
    await world.say(QLDT_CHAT, QLDT_HEAD, "/xong NV-0002 Đã rà soát xong")

    # Four office hours later (09:00 → 11:30, lunch, 13:30 → 15:00): the first reminder.
    await world.at(at(25, 11, 14, 59))
    assert waiting(world, CHAIRMAN) == [] and waiting(world, LEADERS) == []
    await world.at(at(25, 11, 15))
    [first] = waiting(world, CHAIRMAN)
    assert "NV-0001" in first and "NV-0002" not in first
    assert "chờ duyệt" in first and "nhắc lần 1" in first and "từ hôm nay" in first
    labels = world.buttons(world.last(CHAIRMAN))
    assert any("NV-0001" in label and "Duyệt" in label for label in labels)
    assert any("Trả lại" in label for label in labels)
    # The vice-chairman never opened a private chat: named in the leadership group instead.
    [vice_first] = waiting(world, LEADERS)
    assert "NV-0002" in vice_first and "NV-0001" not in vice_first
    assert f"tg://user?id={VICE}" in world.last(LEADERS)["html"]
    # The unit is not chased while the leader holds its result.
    assert waiting(world, TCKH_CHAT) == []
    # /lich shows the coming reminders: who is waited on, and for what.
    await world.say(CHAIRMAN, CHAIRMAN, "/lich")
    schedule = world.last_text(CHAIRMAN)
    assert "08:00 26/11/2026" in schedule and "NV-0001" in schedule
    assert "nhắc Nguyễn Văn An duyệt kết quả" in schedule
    assert "nhắc Lê Thị Bình duyệt kết quả" in schedule

    # Each working morning, counted.
    await world.at(at(26, 11, 8))
    assert "nhắc lần 2" in waiting(world, CHAIRMAN)[-1]
    assert "đã chờ 1 ngày làm việc" in waiting(world, CHAIRMAN)[-1]
    assert len(waiting(world, CHAIRMAN)) == 2
    await world.at(at(26, 11, 10))
    assert len(waiting(world, CHAIRMAN)) == 2  # once a morning
    # /viec for the chairman opens with what waits on him.
    await world.say(CHAIRMAN, CHAIRMAN, "/viec")
    listing = world.last_text(CHAIRMAN)
    assert listing.startswith("⏳ Chờ đồng chí quyết định (1)")
    assert listing.index("NV-0001") < listing.index("Nhiệm vụ đang mở")
    assert "đã chờ 1 ngày làm việc" in listing.split("Nhiệm vụ đang mở")[0]
    assert "NV-0002" not in listing.split("Nhiệm vụ đang mở")[0]  # not his to decide
    await world.say(TCKH_HEAD, TCKH_HEAD, "/viec")
    assert "Chờ đồng chí quyết định" not in world.last_text(TCKH_HEAD)

    # The deadline (26/11 17:00) passes while the chairman holds the result: the unit is not
    # urged as late.
    await world.at(at(27, 11, 8))
    assert "nhắc lần 3" in waiting(world, CHAIRMAN)[-1]
    assert not [t for t in world.bot_texts(TCKH_CHAT) if "đôn đốc lần" in t]
    # From the third reminder: what waits on the chairman goes to the office, privately;
    # what waits on the vice-chairman goes to the leadership group's digest.
    [office] = digests(world, OFFICE, "Chờ đồng chí Chủ tịch quyết định")
    assert "NV-0001" in office and "NV-0002" not in office and "đã nhắc 3 lần" in office
    [group] = digests(world, LEADERS, "Chờ lãnh đạo quyết định")
    assert "NV-0002" in group and "NV-0001" not in group and "Lê Thị Bình" in group
    await world.at(at(27, 11, 11))
    assert len(digests(world, OFFICE, "Chờ đồng chí Chủ tịch quyết định")) == 1

    # Approving from the reminder ends it; the vice-chairman's goes on.
    reminder = [m for m in world.tg.bot_messages(CHAIRMAN) if "nhắc lần 3" in (m["text"] or "")]
    await world.press(
        CHAIRMAN, reminder[-1]["message_id"], CHAIRMAN, world.button(reminder[-1], "Duyệt")
    )
    await world.say(CHAIRMAN, CHAIRMAN, "/lich")
    assert "NV-0001" not in world.last_text(CHAIRMAN)
    await world.at(at(30, 11, 8))
    assert len(waiting(world, CHAIRMAN)) == 3
    assert "nhắc lần 4" in waiting(world, LEADERS)[-1]
    await world.say(CHAIRMAN, CHAIRMAN, "/viec")
    assert "Chờ đồng chí quyết định" not in world.last_text(CHAIRMAN)

    # Reported on time, approved four days after the deadline: done on time.
    async with world.services.core.uow() as uow:
        task = await uow.tasks.by_code("NV-0001")
    assert task is not None and task.status is Status.DONE
    assert task.completed_at == at(25, 11, 9)
    report = await world.services.reports.tally_report(Period(at(23, 11, 0), at(1, 12, 0)))
    assert report.tally.total.done_on_time == 1 and report.tally.total.done_late == 0


async def test_an_extension_request_is_chased_until_decided(world: World) -> None:
    for who in (CHAIRMAN, OFFICE, TCKH_HEAD):
        await world.say(who, who, "/start")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hộ nghèo hạn 15/12")
    world.clock.set(at(25, 11, 9))
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 25/12 chờ số liệu từ các phường")
    await world.at(at(25, 11, 14, 59))
    assert waiting(world, CHAIRMAN) == []
    await world.at(at(25, 11, 15))
    [first] = waiting(world, CHAIRMAN)
    assert "xin gia hạn đến Thứ Sáu, 25/12/2026 17:00" in first and "nhắc lần 1" in first
    assert "Đồng ý" in " ".join(world.buttons(world.last(CHAIRMAN)))
    await world.say(CHAIRMAN, CHAIRMAN, "/lich NV-0001")
    assert "quyết định gia hạn" in world.last_text(CHAIRMAN)
    await world.at(at(26, 11, 8))
    await world.at(at(27, 11, 8))
    assert "nhắc lần 3" in waiting(world, CHAIRMAN)[-1]
    [office] = digests(world, OFFICE, "Chờ đồng chí Chủ tịch quyết định")
    assert "NV-0001" in office and "quyết định gia hạn" in office

    # Refusing ends the reminders; the unit's own chase goes on as before.
    reminder = world.last(CHAIRMAN)
    await world.press(CHAIRMAN, reminder["message_id"], CHAIRMAN, world.button(reminder, "Từ chối"))
    await world.at(at(30, 11, 8))
    await world.at(at(1, 12, 8))
    assert len(waiting(world, CHAIRMAN)) == 3
    await world.say(CHAIRMAN, CHAIRMAN, "/lich NV-0001")
    assert "quyết định gia hạn" not in world.last_text(CHAIRMAN)


async def test_a_decision_taken_before_the_reminder_goes_out_cancels_it(world: World) -> None:
    await world.say(CHAIRMAN, CHAIRMAN, "/start")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc một hạn 15/12")
    world.clock.set(at(25, 11, 9))
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Xong")
    await world.say(LEADERS, CHAIRMAN, "/lich")
    assert "15:00 25/11/2026" in world.last_text(LEADERS)
    world.clock.set(at(25, 11, 10))
    request = [m for m in world.tg.bot_messages(CHAIRMAN) if "báo cáo kết quả" in m["text"]][-1]
    await world.press(CHAIRMAN, request["message_id"], CHAIRMAN, world.button(request, "Duyệt"))
    await world.at(at(25, 11, 15))
    await world.at(at(26, 11, 8))
    assert waiting(world, CHAIRMAN) == []


async def test_a_result_waiting_from_before_the_upgrade_is_chased_after_a_restart(
    world: World,
) -> None:
    await world.say(CHAIRMAN, CHAIRMAN, "/start")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc một hạn 15/12")
    world.clock.set(at(25, 11, 9))
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Xong")
    # As a database from before this kind of reminder: the result waits, nothing is planned.
    async with world.services.core.uow() as uow:
        task = await uow.tasks.by_code("NV-0001")
        assert task is not None
        assert await uow.nudges.cancel_pending(task.id, world.clock.now()) == 1
        await uow.commit()
    await world.restart()
    await world.at(at(25, 11, 15))
    [first] = waiting(world, CHAIRMAN)
    assert "NV-0001" in first and "nhắc lần 1" in first
