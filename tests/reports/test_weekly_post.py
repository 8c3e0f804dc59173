"""The weekly post and the monthly report, on schedule, end to end through the stand-in."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from PIL import Image
from reporting import documents, file_bytes, photos, tallies, workbook_of
from sqlalchemy import event
from support import CHAIRMAN, LEADERS, QLDT_CHAT, QLDT_HEAD, ROSTER, TCKH_CHAT, TCKH_HEAD, VN, World

from bot.domain.orgfile import parse_org

ALL_UNITS = -1001000000099


def at(day: int, month: int, hour: int = 8, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


async def acknowledge(world: World, chat: int, user: int, code: str) -> None:
    card = world.card(chat, code)
    await world.press(chat, card["message_id"], user, world.button(card, "Đã nhận"))


async def test_weekly_post_once_per_week_across_a_restart(world: World) -> None:
    await world.services.roster.import_org(
        parse_org(ROSTER + f"reports:\n  all_units_chat: {ALL_UNITS}\n")
    )
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")  # NV-0001
    await world.say(LEADERS, CHAIRMAN, "/giao QLDT Rà soát vỉa hè hạn 15/12")  # NV-0002
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH,QLDT Tổng hợp số liệu hạn 26/11")  # NV-0003
    await acknowledge(world, TCKH_CHAT, TCKH_HEAD, "NV-0001")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0003 Đã gửi")
    request = world.last(LEADERS)
    await world.press(LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Duyệt"))
    # Two overdue urges for NV-0001 (due Wednesday 25/11 17:00).
    await world.at(at(26, 11))
    await world.at(at(27, 11))
    await world.at(at(27, 11, 15, 59))
    assert tallies(world, LEADERS) == []

    await world.at(at(27, 11, 16))
    [post] = tallies(world, LEADERS)
    assert "Kỳ: 16:00 20/11/2026 – 16:00 27/11/2026" in post
    lines = post.split("\n")  # as the group reads it: the stand-in keeps the plain text
    # The headline, then one line per unit, worst first: TCKH has one task open and late (one
    # more than last week), QLDT one in time; cooperating on NV-0003 counts nothing.
    assert lines[2:7] == [
        "Tỷ lệ đúng hạn: 50%",
        "⏰ 1 quá hạn ▲1 · ⏳ 1 trong hạn",
        "✅ 1 đúng hạn · ☑️ 0 xong quá hạn",
        "Giao trong kỳ: 3 · chưa tiếp nhận: 1",
        "",
    ]
    assert lines[7:9] == ["TCKH ⏰ 1 ▲1 · ✅ 1 · 50%", "QLDT ⏳ 1"]
    assert "• NV-0001 · TCKH · 2 ngày · đôn đốc 2 lần" in post
    assert lines[-1] == "Số liệu tại thời điểm 16:00 27/11/2026. Cách đọc, cách tính: /help"
    # No column codes and no legend under every post: the definitions are in /help.
    assert "ĐH" not in post and "Tỷ lệ đúng hạn = " not in post
    # The chart goes with it, to the leaders and to the all-units group.
    [chart] = photos(world, LEADERS)
    image = Image.open(io.BytesIO(file_bytes(world, chart)))
    assert image.format == "PNG" and image.width >= 1000
    assert "Nhiệm vụ theo đơn vị chủ trì" in chart["caption"]
    assert len(tallies(world, ALL_UNITS)) == 1 and len(photos(world, ALL_UNITS)) == 1
    assert tallies(world, QLDT_CHAT) == []

    # The same week is not posted twice: not later the same day, not after a restart.
    await world.at(at(27, 11, 16, 30))
    await world.restart()
    await world.at(at(27, 11, 16, 45))
    assert len(tallies(world, LEADERS)) == 1 and len(photos(world, LEADERS)) == 1
    assert len(tallies(world, ALL_UNITS)) == 1

    # Next week: NV-0001 is done late, the change shows against last week.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã nộp")
    request = world.last(LEADERS)
    await world.press(LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Duyệt"))
    await world.at(at(4, 12, 16))
    posts = tallies(world, LEADERS)
    assert len(posts) == 2
    lines = posts[-1].split("\n")
    assert "Tỷ lệ đúng hạn: 0% · kỳ trước 50%" in lines
    assert "TCKH ⏰ 0 ▼1 · ☑️ 1 · 0%" in lines
    _ = QLDT_HEAD


async def test_an_empty_week_posts_one_short_line(world: World) -> None:
    await world.at(at(27, 11, 16))
    assert tallies(world, LEADERS) == [
        "📊 Tổng hợp nhiệm vụ 16:00 20/11/2026 – 16:00 27/11/2026: không có nhiệm vụ."
    ]
    assert photos(world, LEADERS) == []
    # Its chart is not looked for again at every scan (a post's chart follows its text, and a
    # restart between the two sends it: ReportService.due_posts), only once after a restart.
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    await world.restart()
    engine = world.live.runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for minute in (1, 2, 3):
            await world.at(at(27, 11, 16, minute))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sum("FROM published_tallies" in s for s in statements) == 1, statements
    assert photos(world, LEADERS) == [] and len(tallies(world, LEADERS)) == 1


async def test_a_friday_holiday_moves_the_post_to_thursday(world: World) -> None:
    # 2027: Friday 30/04 is a holiday; the post goes on Thursday 29/04 at 16:00.
    await world.at(at(29, 4, 16, year=2027))
    assert len(tallies(world, LEADERS)) == 1
    await world.at(at(30, 4, 16, year=2027))
    assert len(tallies(world, LEADERS)) == 1


async def test_monthly_workbook_on_the_first_working_day(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")
    # Tuesday 1 December 2026 is the first working day of the month.
    await world.at(at(1, 12, 7, 59))
    assert documents(world, LEADERS) == []
    await world.at(at(1, 12, 8))
    [message] = documents(world, LEADERS)
    assert message["document"]["file_name"] == "bao-cao-nhiem-vu-2026-11.xlsx"
    assert "Báo cáo nhiệm vụ tháng 11/2026: 1 nhiệm vụ" in message["caption"]
    book = workbook_of(world, message)
    assert book.sheetnames == ["Tổng hợp", "Danh sách nhiệm vụ", "Cán bộ", "Chờ quyết định"]
    register = book["Danh sách nhiệm vụ"]
    assert register["B2"].value == "NV-0001"
    assert register["M2"].value == "Chưa hoàn thành – quá hạn"
    await world.restart()
    await world.at(at(1, 12, 9))
    assert len(documents(world, LEADERS)) == 1


async def test_a_post_missed_all_friday_is_made_up_on_monday_once_across_a_restart(
    world: World,
) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")
    await world.at(at(27, 11, 15))
    # The bot is down from Friday 15:00 to Saturday: no post on the weekend.
    await world.restart()
    await world.at(at(28, 11, 10))
    await world.at(at(30, 11, 7, 59))
    assert tallies(world, LEADERS) == []
    # Monday at the office's opening: the missed week, with its figures as of Friday 16:00.
    await world.at(at(30, 11, 8))
    [post] = tallies(world, LEADERS)
    assert "Kỳ: 16:00 20/11/2026 – 16:00 27/11/2026" in post
    assert len(photos(world, LEADERS)) == 1
    await world.restart()
    await world.at(at(30, 11, 9))
    await world.at(at(1, 12, 9))
    assert len(tallies(world, LEADERS)) == 1


async def test_a_missed_post_is_not_made_up_after_the_next_working_day(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")
    await world.at(at(27, 11, 15))
    await world.restart()
    await world.at(at(1, 12, 9))  # back only on Tuesday: the next post is Friday's
    assert tallies(world, LEADERS) == []


async def test_pending_decisions_in_the_weekly_post_and_the_monthly_workbook(
    world: World,
) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    # Reported Wednesday 25/11 (Tuesday 24/11 is a holiday); nobody approves it.
    world.clock.set(at(25, 11, 9))
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã nộp báo cáo")
    await world.at(at(27, 11, 16))
    [post] = tallies(world, LEADERS)
    section = post[post.index("Chờ lãnh đạo quyết định") :]
    assert "• Nguyễn Văn An: 1 việc, lâu nhất 2 ngày làm việc" in section

    await world.at(at(1, 12, 8))
    [message] = documents(world, LEADERS)
    sheet = workbook_of(world, message)["Chờ quyết định"]
    assert [c.value for c in sheet[1]][:6] == [
        "STT",
        "Người quyết định",
        "Số việc chờ",
        "Chờ duyệt kết quả",
        "Chờ quyết định gia hạn",
        "Chờ lâu nhất (ngày làm việc)",
    ]
    # 25/11 → 1/12: Thursday, Friday, Monday, Tuesday.
    assert [c.value for c in sheet[2]] == [1, "Nguyễn Văn An", 1, 1, 0, 4, "NV-0001"]


async def test_a_week_with_no_pending_decision_has_no_such_section(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã nộp báo cáo")
    request = world.last(LEADERS)
    await world.press(LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Duyệt"))
    await world.at(at(27, 11, 16))
    [post] = tallies(world, LEADERS)
    assert "quyết định" not in post


async def _a_week_to_post(world: World) -> None:
    await world.services.roster.import_org(
        parse_org(ROSTER + f"reports:\n  all_units_chat: {ALL_UNITS}\n")
    )
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")


async def test_the_weekly_post_says_its_figures_before_the_chart_is_drawn(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As /tonghop: the chart process loads matplotlib, 2 to 10 s on a busy host, and the
    post's figures waited for it in both groups."""
    from bot.reports import drawing

    await _a_week_to_post(world)
    sent_when_drawn: list[tuple[int, int]] = []
    real = drawing.chart_png

    async def chart_png(*args: Any) -> bytes:
        sent_when_drawn.append((len(tallies(world, LEADERS)), len(tallies(world, ALL_UNITS))))
        return await real(*args)

    monkeypatch.setattr(drawing, "chart_png", chart_png)
    await world.at(at(27, 11, 16))
    assert sent_when_drawn == [(1, 1)]  # drawn once, for both groups, after both texts
    assert len(photos(world, LEADERS)) == 1 and len(photos(world, ALL_UNITS)) == 1
    await world.at(at(27, 11, 16, 1))
    assert len(photos(world, LEADERS)) == 1 and len(tallies(world, LEADERS)) == 1


async def test_a_stop_between_the_text_and_the_chart_sends_each_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text is queued (and sent) before the chart is drawn: a process stopped between the
    two sends the chart after the restart, drawn from the figures the text published, and
    neither twice."""
    from bot.reports import drawing

    await _a_week_to_post(world)
    real = drawing.chart_png

    async def stopped(*args: Any) -> bytes:
        raise RuntimeError("the process stopped while drawing")

    monkeypatch.setattr(drawing, "chart_png", stopped)
    await world.at(at(27, 11, 16))
    assert len(tallies(world, LEADERS)) == 1 and photos(world, LEADERS) == []
    monkeypatch.setattr(drawing, "chart_png", real)
    await world.restart()
    await world.at(at(27, 11, 16, 1))
    for chat in (LEADERS, ALL_UNITS):
        assert len(tallies(world, chat)) == 1
        [chart] = photos(world, chat)
        assert "Nhiệm vụ theo đơn vị chủ trì" in chart["caption"]
    await world.at(at(27, 11, 16, 2))
    await world.restart()
    await world.at(at(27, 11, 16, 3))
    assert len(tallies(world, LEADERS)) == 1 and len(photos(world, LEADERS)) == 1
    assert len(photos(world, ALL_UNITS)) == 1
