"""Every weekly post keeps the figures it published: the next post's change column compares
with them, and `/tonghop` for that week shows them, saying what counting again gives when that
differs (here: the office switched to counting against original deadlines after the post)."""

from __future__ import annotations

from datetime import datetime

from reporting import tallies
from support import CHAIRMAN, LEADERS, ROSTER, TCKH_CHAT, TCKH_HEAD, VN, World

from bot.domain.orgfile import parse_org


def at(day: int, month: int, hour: int = 8, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def row(text: str, code: str) -> str:
    """The unit's line of a tally: "TCKH ⏰ 1 ▲1 · 0%"."""
    return next(x for x in text.split("\n") if x.startswith(code + " "))


async def test_published_figures_are_kept_compared_with_and_shown_again(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")  # NV-0001
    await world.say(TCKH_CHAT, TCKH_HEAD, "/giahan NV-0001 04/12 chờ số liệu")
    request = world.last(LEADERS)
    await world.press(LEADERS, request["message_id"], CHAIRMAN, world.button(request, "Đồng ý"))
    await world.at(at(27, 11, 16))
    [post] = tallies(world, LEADERS)
    # Open and in time against the extended deadline.
    assert row(post, "TCKH") == "TCKH ⏳ 1"
    async with world.live.runtime.services.core.uow() as uow:
        kept = await uow.published.get("week:2026-W48")
    assert kept is not None and kept.total.open_in_time == 1 and kept.count_against == "in_force"
    assert (kept.period.start, kept.period.end) == (at(20, 11, 16), at(27, 11, 16))

    # Asked again unchanged: the same figures, said to be the published ones.
    await world.at(at(30, 11, 9))
    await world.say(LEADERS, CHAIRMAN, "/tonghop tuần 48")
    text = tallies(world, LEADERS)[-1]
    assert "Kỳ: 16:00 20/11/2026 – 16:00 27/11/2026" in text
    assert "Số liệu như bản tổng hợp đã gửi lúc 16:00 27/11/2026." in text
    assert "⚠️" not in text and row(text, "TCKH") == "TCKH ⏳ 1"

    # The office now counts against original deadlines: NV-0001 was late at week 48's end.
    await world.services.roster.import_org(
        parse_org(ROSTER + "reports:\n  count_against: original\n")
    )
    await world.say(LEADERS, CHAIRMAN, "/tonghop tuần 48")
    text = tallies(world, LEADERS)[-1]
    assert row(text, "TCKH") == "TCKH ⏳ 1"  # as published
    assert (
        "⚠️ Tính lại theo dữ liệu hiện nay thì khác (đã công bố → nay): TCKH: chưa hoàn thành"
        " trong hạn 1 → 0, chưa hoàn thành quá hạn 0 → 1." in text
    )
    # The unit sees its own line the same way.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/tonghop tuần 48")
    text = tallies(world, TCKH_CHAT)[-1]
    assert "Số liệu như bản tổng hợp đã gửi lúc 16:00 27/11/2026." in text
    assert "TCKH: chưa hoàn thành trong hạn 1 → 0" in text

    # Week 49's post: open and late now, ▲1 against the published 0 (counted again, week 48
    # would say 1 and the change "=").
    await world.at(at(4, 12, 16))
    post = tallies(world, LEADERS)[-1]
    assert row(post, "TCKH") == "TCKH ⏰ 1 ▲1 · 0%"
    # Week 49 asked for: the week before it is week 48 as published.
    await world.say(LEADERS, CHAIRMAN, "/tonghop tuần 49/2026")
    text = tallies(world, LEADERS)[-1]
    assert "Kỳ: 16:00 27/11/2026 – 16:00 04/12/2026" in text and "⚠️" not in text
    assert row(text, "TCKH") == "TCKH ⏰ 1 ▲1 · 0%"


async def test_a_week_that_does_not_exist_gets_the_usage(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/tonghop tuần 60")
    assert world.last_text(LEADERS).startswith("Cách dùng: /tonghop")
    # A week with no post kept: counted now, with no note.
    await world.say(LEADERS, CHAIRMAN, "/tonghop tuần 47")
    text = tallies(world, LEADERS)[-1]
    assert "16:00 13/11/2026 – 16:00 20/11/2026" in text and "bản tổng hợp đã gửi" not in text
