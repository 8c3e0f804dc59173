"""Chasing on schedule, end to end through the stand-in, with a clock the tests move."""

from __future__ import annotations

from datetime import datetime

from support import (
    ADMIN,
    CHAIRMAN,
    LEADERS,
    QLDT_CHAT,
    QLDT_HEAD,
    ROSTER,
    TCKH_CHAT,
    TCKH_HEAD,
    VN,
    World,
)

from bot.domain.orgfile import parse_org


def at(day: int, month: int, hour: int = 8, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def nudges(world: World, chat: int) -> list[str]:
    return [
        m["text"]
        for m in world.tg.bot_messages(chat)
        if (m.get("text") or "").startswith(("🔔", "🚨", "⚠️"))
    ]


async def test_before_on_and_after_the_deadline(world: World) -> None:
    await world.say(TCKH_HEAD, TCKH_HEAD, "/start")
    await world.say(CHAIRMAN, CHAIRMAN, "/start")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 04/12")
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))

    # Nothing until three working days before Friday 4/12 (Tuesday 1/12, 08:00).
    await world.at(at(30, 11, 16))
    await world.at(at(1, 12, 7, 59))
    assert nudges(world, TCKH_CHAT) == []
    await world.at(at(1, 12, 8))
    [soon] = nudges(world, TCKH_CHAT)
    assert "NV-0001" in soon and "sắp đến hạn (còn 3 ngày làm việc)" in soon
    # The group sees who answers for it; the head, who has a private copy, is not pinged.
    assert "Trần Thị Dung" in soon
    assert f"tg://user?id={TCKH_HEAD}" not in world.last(TCKH_CHAT)["html"]
    labels = " ".join(world.buttons(world.last(TCKH_CHAT)))
    assert "Báo cáo kết quả" in labels and "Xin gia hạn" in labels
    assert "sắp đến hạn" in nudges(world, TCKH_HEAD)[-1]  # the head's private copy
    # Running the scan again at the same moment sends nothing twice.
    await world.tick()
    assert len(nudges(world, TCKH_CHAT)) == 1

    await world.at(at(3, 12, 8))
    assert "còn 1 ngày làm việc" in nudges(world, TCKH_CHAT)[-1]
    await world.at(at(4, 12, 8))
    assert "hôm nay đến hạn" in nudges(world, TCKH_CHAT)[-1]
    # The deadline passes on Friday at 17:00; the weekend is quiet.
    await world.at(at(5, 12, 9))
    await world.at(at(6, 12, 9))
    assert len(nudges(world, TCKH_CHAT)) == 3
    await world.at(at(7, 12, 8))
    assert "đôn đốc lần 1 — quá hạn 1 ngày làm việc" in nudges(world, TCKH_CHAT)[-1]
    await world.at(at(8, 12, 8))
    assert "đôn đốc lần 2 — quá hạn 2 ngày làm việc" in nudges(world, TCKH_CHAT)[-1]
    assert nudges(world, LEADERS) == [] and nudges(world, CHAIRMAN) == []
    await world.at(at(9, 12, 8))
    assert "đôn đốc lần 3 — quá hạn 3 ngày làm việc" in nudges(world, TCKH_CHAT)[-1]
    # From the third urge on, the assigner hears of it privately, and the leadership group's
    # 08:00 digest lists it.
    [escalation] = nudges(world, CHAIRMAN)
    assert "NV-0001" in escalation and "đã đôn đốc 3 lần" in escalation
    [digest] = nudges(world, LEADERS)
    assert "Nhiệm vụ quá hạn" in digest and "NV-0001" in digest
    await world.at(at(9, 12, 10))
    assert len(nudges(world, LEADERS)) == 1  # one digest a day

    # Reporting stops the chase.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã nộp báo cáo")
    before = len(nudges(world, TCKH_CHAT))
    await world.at(at(10, 12, 8))
    await world.at(at(11, 12, 8))
    assert len(nudges(world, TCKH_CHAT)) == before


async def test_unacknowledged_after_four_office_hours_then_daily(world: World) -> None:
    # Assigned Monday 23/11 at 09:00: 2.5 office hours before lunch, 1.5 after → 15:00.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hộ nghèo hạn 18/12")
    await world.at(at(23, 11, 14, 59))
    assert nudges(world, TCKH_CHAT) == []
    await world.at(at(23, 11, 15))
    assert "chưa tiếp nhận" in nudges(world, TCKH_CHAT)[-1]
    # Tuesday 24/11 is a holiday: the next reminder waits for Wednesday's opening.
    await world.at(at(24, 11, 8))
    await world.at(at(24, 11, 15))
    assert len(nudges(world, TCKH_CHAT)) == 1
    await world.at(at(25, 11, 8))
    assert len(nudges(world, TCKH_CHAT)) == 2
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    await world.at(at(26, 11, 8))
    assert len(nudges(world, TCKH_CHAT)) == 2


async def test_a_moved_task_is_not_acknowledged_from_the_move_not_from_its_creation(
    world: World,
) -> None:
    # Assigned to TC-KH on Monday 23/11 at 09:00, moved to QLĐT at 14:00: QLĐT's four office
    # hours run from the move (three on Monday, one on Wednesday, Tuesday being a holiday), as
    # the chain of responsibility that /nv shows times them; not from 09:00 (15:00 on Monday).
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hộ nghèo hạn 18/12")
    world.clock.set(at(23, 11, 14))
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 QLDT")
    await world.at(at(23, 11, 15))
    assert nudges(world, QLDT_CHAT) == [] and nudges(world, TCKH_CHAT) == []
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    assert "tiếp nhận: đã 1 giờ làm việc\n" in world.last_text(LEADERS)
    await world.at(at(25, 11, 8, 59))
    assert nudges(world, QLDT_CHAT) == []
    await world.at(at(25, 11, 9))
    [reminder] = nudges(world, QLDT_CHAT)
    assert "NV-0001" in reminder and "chưa tiếp nhận" in reminder
    assert nudges(world, TCKH_CHAT) == []
    # The reminder comes when /nv starts to call the wait slow.
    world.clock.set(at(25, 11, 9, 1))
    await world.say(LEADERS, CHAIRMAN, "/nv NV-0001")
    assert "tiếp nhận: đã 4 giờ 1 phút làm việc — chậm (quá 4 giờ)" in world.last_text(LEADERS)
    # Then daily, each working morning.
    await world.at(at(26, 11, 8))
    assert len(nudges(world, QLDT_CHAT)) == 2


async def test_a_unit_given_a_task_the_day_its_last_unit_was_reminded_is_reminded_too(
    world: World,
) -> None:
    # TC-KH is reminded on Monday 23/11 at 15:00 and on Wednesday 25/11 at 08:00 (Tuesday is a
    # holiday); moved to QLĐT at 09:00 on Wednesday, the task is QLĐT's to acknowledge by 15:00
    # that day, and QLĐT hears of it then: the reminder TC-KH got that morning was not QLĐT's.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hộ nghèo hạn 18/12")
    await world.at(at(23, 11, 15))
    await world.at(at(25, 11, 8))
    assert len(nudges(world, TCKH_CHAT)) == 2
    world.clock.set(at(25, 11, 9))
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 QLDT")
    await world.at(at(25, 11, 14, 59))
    assert nudges(world, QLDT_CHAT) == []
    await world.at(at(25, 11, 15))
    [reminder] = nudges(world, QLDT_CHAT)
    assert "NV-0001" in reminder and "chưa tiếp nhận" in reminder
    await world.at(at(26, 11, 8))
    assert len(nudges(world, QLDT_CHAT)) == 2 and len(nudges(world, TCKH_CHAT)) == 2


async def test_quiet_hours_hold_nudges_until_the_next_opening(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc hạn 01/12")
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    # Due soon (1 working day before) on Monday 30/11 at 08:00, but the bot only looks at 07:00
    # (not open yet) and 12:00 (lunch): it waits, then goes at 13:30, never dropped.
    await world.at(at(27, 11, 8))  # 3 working days before 1/12: Friday 27/11 (24/11 is off)
    assert "còn 3 ngày làm việc" in nudges(world, TCKH_CHAT)[-1]
    await world.at(at(29, 11, 10))  # a Sunday
    await world.at(at(30, 11, 7))
    await world.at(at(30, 11, 12))
    assert len(nudges(world, TCKH_CHAT)) == 1
    await world.at(at(30, 11, 13, 30))
    assert "còn 1 ngày làm việc" in nudges(world, TCKH_CHAT)[-1]


async def test_several_tasks_due_at_one_moment_go_out_as_one_message(world: World) -> None:
    for what in ("Việc một", "Việc hai", "Việc ba"):
        await world.say(LEADERS, CHAIRMAN, f"/giao TCKH {what} hạn 15/12")
    await world.at(at(23, 11, 15))
    [message] = nudges(world, TCKH_CHAT)
    for code in ("NV-0001", "NV-0002", "NV-0003"):
        assert code in message
    keyboard = world.last(TCKH_CHAT)["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"].split(" · ")[0] for row in keyboard] == ["NV-0001", "NV-0002", "NV-0003"]
    assert all("Đã nhận" in row[0]["text"] for row in keyboard)


async def test_withdrawn_or_extended_tasks_are_not_chased_on_the_old_plan(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc một hạn 01/12")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc hai hạn 01/12")
    for code in ("NV-0001", "NV-0002"):
        card = world.card(TCKH_CHAT, code)
        await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    await world.say(LEADERS, CHAIRMAN, "/huy NV-0001 không cần nữa")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0002 18/12 chờ số liệu")
    request = world.last(LEADERS)
    await world.press(LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Đồng ý"))
    await world.at(at(27, 11, 8))
    await world.at(at(30, 11, 8))
    await world.at(at(1, 12, 8))
    assert nudges(world, TCKH_CHAT) == []
    await world.at(at(15, 12, 8))  # three working days before the new deadline
    assert "NV-0002" in nudges(world, TCKH_CHAT)[-1]


async def test_what_fell_due_while_the_bot_was_down_is_said_once_as_it_stands_now(
    world: World,
) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 04/12")
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    # Down from before 1/12 until Monday 7/12 at 10:00: one reminder, the current one.
    await world.at(at(7, 12, 10))
    [only] = nudges(world, TCKH_CHAT)
    assert "đôn đốc lần 1 — quá hạn 1 ngày làm việc" in only
    await world.at(at(8, 12, 8))
    assert "đôn đốc lần 2 — quá hạn 2 ngày làm việc" in nudges(world, TCKH_CHAT)[-1]


async def test_manual_urge_and_schedule(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    await world.say(TCKH_CHAT, QLDT_HEAD, "/nhac NV-0001")
    assert "Chỉ lãnh đạo" in world.last_text(TCKH_CHAT)
    await world.say(LEADERS, CHAIRMAN, "/nhac NV-0001 Đề nghị báo cáo trước cuộc họp thứ Năm")
    assert "lần 1" in world.last_text(LEADERS)
    urge = nudges(world, TCKH_CHAT)[-1]
    assert "đôn đốc lần 1 — Nguyễn Văn An nhắc" in urge
    assert "Đề nghị báo cáo trước cuộc họp thứ Năm" in urge
    await world.say(LEADERS, CHAIRMAN, "/lich NV-0001")
    schedule = world.last_text(LEADERS)
    assert "Lịch đôn đốc sắp tới" in schedule and "15:00 23/11/2026" in schedule
    # Out of hours, a manual urge waits for the opening.
    world.clock.set(at(23, 11, 19))
    await world.say(LEADERS, CHAIRMAN, "/nhac NV-0001")
    assert "08:00 25/11/2026" in world.last_text(LEADERS)
    # The unit acknowledges in the evening: the leader's urge still goes out in the morning.
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    await world.at(at(25, 11, 8))
    assert "đôn đốc lần 2" in nudges(world, TCKH_CHAT)[-1]
    _ = ADMIN


async def test_a_withdrawn_task_is_not_urged(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    await world.say(LEADERS, CHAIRMAN, "/huy NV-0001 đã lồng ghép")
    await world.say(LEADERS, CHAIRMAN, "/nhac NV-0001")
    assert "Nhiệm vụ NV-0001 ở trạng thái “đã rút”, không cần đôn đốc." in world.last_text(LEADERS)


DEPUTY = 900019


async def test_deputies_come_in_from_the_first_overdue_urge(world: World) -> None:
    world.tg.add_user(DEPUTY, "Phó", "Đinh Văn")
    extra = f"  - telegram_id: {DEPUTY}\n    name: Đinh Văn Phó\n    role: deputy\n    unit: TCKH\n"
    await world.services.roster.import_org(parse_org(ROSTER + extra))
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc gấp hạn 26/11")
    card = world.card(TCKH_CHAT, "NV-0001")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    # A leader's urge before the deadline counts as urge 1, but the task is not late yet.
    world.clock.set(at(25, 11, 10))
    await world.say(LEADERS, CHAIRMAN, "/nhac NV-0001")
    await world.live.settled()
    early = world.last(TCKH_CHAT)
    assert "đôn đốc lần 1" in early["text"]
    assert f"tg://user?id={TCKH_HEAD}" in early["html"]  # no private copy: pinged in the group
    assert "Đinh Văn Phó" not in early["text"]
    # The first overdue urge (lần 2) brings the deputies in.
    await world.at(at(27, 11, 8))
    late = world.last(TCKH_CHAT)
    assert "đôn đốc lần 2" in late["text"]
    assert f"tg://user?id={DEPUTY}" in late["html"]


async def test_a_moved_task_without_deadline_is_asked_for_progress_from_the_move(
    world: World,
) -> None:
    # An ongoing task given to TC-KH on Monday 23/11, moved to QLĐT on Monday 7/12: QLĐT is
    # first asked for progress 30 days after it took the task over (Wednesday 6/1/2027), as
    # its acknowledgement is timed from the move; not 30 days after the task was created
    # (Wednesday 23/12), two weeks into its work.
    checkin = "nhiệm vụ thường xuyên: đề nghị cập nhật tiến độ"

    def asked(chat: int) -> list[str]:
        return [text for text in nudges(world, chat) if checkin in text]

    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Theo dõi vỉa hè hạn thường xuyên")
    world.clock.set(at(7, 12, 14))
    await world.say(LEADERS, CHAIRMAN, "/chuyen NV-0001 QLDT")
    assert "QLĐT" in world.last_text(LEADERS) or "Quản lý đô thị" in world.last_text(LEADERS)
    card = world.card(QLDT_CHAT, "NV-0001")
    await world.press(QLDT_CHAT, card["message_id"], QLDT_HEAD, world.button(card, "Đã nhận"))
    for moment in (at(23, 12, 8), at(23, 12, 10), at(24, 12, 9), at(5, 1, 16, year=2027)):
        await world.at(moment)
        assert asked(QLDT_CHAT) == [] and asked(TCKH_CHAT) == [], moment
    await world.at(at(6, 1, 15, year=2027))
    [reminder] = asked(QLDT_CHAT)
    assert "NV-0001" in reminder
    assert asked(TCKH_CHAT) == []
