"""A name two units share once accents and "Phòng"/"Ban" are dropped (issue 12, point 4): the
command asks which unit is meant and creates nothing; the roster import warns with file:line."""

from __future__ import annotations

import pytest
from support import CHAIRMAN, LEADERS, OFFICE, ROSTER, TCKH_CHAT, World

from bot.domain.orgfile import parse_org

TWO_KINH_TE = ROSTER.replace(
    "people:\n",
    "  - code: KT\n    name: Phòng Kinh tế\n  - code: BKT\n    name: Ban Kinh tế\npeople:\n",
)
QUESTION = "Có phải: KT (Phòng Kinh tế) hay BKT (Ban Kinh tế)?"


@pytest.fixture
async def kinh_te(world: World) -> World:
    await world.services.roster.import_org(parse_org(TWO_KINH_TE))
    return world


async def _tasks(world: World) -> int:
    async with world.services.core.uow() as uow:
        return len(await uow.tasks.open_tasks())


def test_the_roster_import_warns_with_file_and_line() -> None:
    spec = parse_org(TWO_KINH_TE, "danh-sach.yaml")
    line = TWO_KINH_TE.splitlines().index("    name: Ban Kinh tế") + 1
    assert [w for w in spec.warnings if "'kinh te' names both KT" in w] == [
        f"danh-sach.yaml:{line}: 'kinh te' names both KT (Phòng Kinh tế) and BKT (Ban Kinh tế)"
        " once accents and 'Phòng', 'Ban' are dropped: a command naming it will ask which unit"
        " is meant (write the code)"
    ]
    assert [u.code for u in spec.units][-2:] == ["KT", "BKT"]  # accepted, not refused
    assert parse_org(ROSTER).warnings == ()


async def test_assigning_to_a_shared_name_asks_and_creates_nothing(kinh_te: World) -> None:
    world = kinh_te
    await world.say(LEADERS, CHAIRMAN, "/giao Kinh tế Báo cáo tình hình hạn 15/12")
    assert QUESTION in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH, kinh te Báo cáo tình hình hạn 15/12")
    assert QUESTION in world.last_text(LEADERS)
    assert await _tasks(world) == 0
    # Each is reached by its code or its full name, and the full names stay distinct.
    await world.say(LEADERS, CHAIRMAN, "/giao Ban Kinh tế Báo cáo tình hình hạn 15/12")
    assert "NV-0001" in world.last_text(LEADERS) and "Ban Kinh tế" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/giao KT Báo cáo tình hình hạn 15/12")
    assert "NV-0002" in world.last_text(LEADERS) and "Phòng Kinh tế" in world.last_text(LEADERS)


async def test_every_command_naming_a_shared_name_asks(kinh_te: World) -> None:
    world = kinh_te
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo tình hình hạn 15/12")
    for chat, user, command in (
        (LEADERS, CHAIRMAN, "/chuyen NV-0001 Kinh tế"),
        (LEADERS, CHAIRMAN, "/viec Kinh tế"),
        (LEADERS, CHAIRMAN, "/lich Kinh tế"),
        (LEADERS, CHAIRMAN, "/tonghop tuần Kinh tế"),
        (OFFICE, OFFICE, "/moi Kinh tế staff"),
    ):
        await world.say(chat, user, command)
        assert QUESTION in world.last_text(chat), (command, world.last_text(chat))
    card = world.card(TCKH_CHAT, "NV-0001")
    assert "Phòng Tài chính - Kế hoạch" in card["text"]  # not moved
    async with world.services.core.uow() as uow:
        task = await uow.tasks.by_code("NV-0001")
        unit = await uow.units.by_code("TCKH")
    assert task is not None and unit is not None and task.lead_unit_id == unit.id
