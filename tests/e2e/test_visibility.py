"""DONDOC_VISIBILITY (issue 12, point 5): one rule for /viec, /nv, /lich, /tonghop and /baocao.
public (the default): everyone on the roster reads every unit's tasks; unit: a unit's people read
their own unit's (and the tasks their unit cooperates on), leaders and the office read all."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from support import (
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    QLDT_HEAD,
    TCKH_CHAT,
    TCKH_STAFF,
    World,
    make_settings,
)

from bot.config import SettingsError
from bot.domain.rules import Visibility


def documents(world: World, chat: int) -> list[dict[str, Any]]:
    return [m for m in world.tg.bot_messages(chat) if m.get("document")]


STAFF = TCKH_STAFF  # staff of TCKH, English-speaking client: asks in Vietnamese via /lang
ASKS = ("/viec QLDT", "/nv NV-0002", "/lich QLDT", "/lich NV-0002", "/tonghop tuần QLDT")


async def _setup(world: World, visibility: Visibility) -> None:
    core = world.services.core
    core.config = dataclasses.replace(core.config, visibility=visibility)
    await world.say(STAFF, STAFF, "/lang vi")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    await world.say(LEADERS, CHAIRMAN, "/giao QLDT Rà soát vỉa hè hạn 15/12")
    await world.say(LEADERS, CHAIRMAN, "/giao QLDT,TCKH Chỉnh trang chợ hạn 16/12")
    assert "NV-0003" in world.last_text(LEADERS)


async def _ask(world: World, command: str) -> str:
    before = len(world.tg.bot_messages(STAFF))
    await world.say(STAFF, STAFF, command)
    return "\n".join(world.bot_texts(STAFF)[before:])


async def test_public_lets_everyone_on_the_roster_read_every_unit(world: World) -> None:
    await _setup(world, Visibility.PUBLIC)
    for command in ASKS:
        reply = await _ask(world, command)
        assert "chỉ xem được" not in reply, command
        assert "QLDT" in reply or "Quản lý đô thị" in reply or "NV-0002" in reply, (command, reply)
    assert "Rà soát vỉa hè" in await _ask(world, "/nv NV-0002")
    await _ask(world, "/baocao")
    assert [m["document"]["file_name"] for m in documents(world, STAFF)] == [
        "bao-cao-nhiem-vu-2026-10.xlsx"
    ]
    # Without a unit named, a unit's people still start from their own unit.
    own = await _ask(world, "/viec")
    assert "NV-0001" in own and "NV-0002" not in own


async def test_unit_keeps_other_units_from_their_people(world: World) -> None:
    await _setup(world, Visibility.UNIT)
    for command in ASKS:
        reply = await _ask(world, command)
        assert "chỉ xem được" in reply, (command, reply)
        assert "Rà soát vỉa hè" not in reply, command
    assert "Chỉ lãnh đạo UBND" in await _ask(world, "/baocao")
    assert documents(world, STAFF) == []
    # Their own unit's tasks, and the one their unit cooperates on, stay open to them.
    assert "Báo cáo giải ngân" in await _ask(world, "/nv NV-0001")
    assert "Chỉnh trang chợ" in await _ask(world, "/nv NV-0003")
    assert "NV-0001" in await _ask(world, "/viec TCKH")
    assert "chỉ xem được" not in await _ask(world, "/tonghop tuần")
    # Leaders and the office read everything; the other unit reads its own.
    await world.say(LEADERS, CHAIRMAN, "/viec QLDT")
    assert "NV-0002" in world.last_text(LEADERS)
    await world.say(OFFICE, OFFICE, "/nv NV-0002")
    assert "Rà soát vỉa hè" in world.last_text(OFFICE)
    await world.say(QLDT_CHAT, QLDT_HEAD, "/nv NV-0002")
    assert "Rà soát vỉa hè" in world.last_text(QLDT_CHAT)
    await world.say(TCKH_CHAT, STAFF, "/viec QLDT")
    assert "chỉ xem được" in world.last_text(TCKH_CHAT)


@pytest.mark.parametrize("value", ["public", "unit", " Unit "])
def test_the_setting(value: str, sqlite_url: str) -> None:
    settings = make_settings(sqlite_url, DONDOC_VISIBILITY=value)
    assert settings.visibility == value.strip().lower()


def test_a_bad_setting_is_one_line(sqlite_url: str) -> None:
    with pytest.raises(SettingsError) as caught:
        make_settings(sqlite_url, DONDOC_VISIBILITY="private")
    assert str(caught.value).startswith("Bad setting DONDOC_VISIBILITY: expected public")
    assert "\n" not in str(caught.value)
