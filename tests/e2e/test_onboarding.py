"""Getting people and chats onto the roster from inside Telegram, and the two languages."""

from __future__ import annotations

import dataclasses
import re

from support import (
    ADMIN,
    CHAIRMAN,
    LEADERS,
    OFFICE,
    ROSTER,
    TCKH_CHAT,
    TCKH_HEAD,
    TCKH_STAFF,
    VICE,
    World,
)

from bot.domain.orgfile import parse_org

NEW_GROUP = -1001000000099
NEWCOMER = 900555


async def test_admin_binds_a_group_to_a_unit(world: World) -> None:
    await world.say(NEW_GROUP, TCKH_HEAD, "/dangky TNMT")
    assert "Chỉ quản trị viên" in world.last_text(NEW_GROUP)
    await world.say(NEW_GROUP, ADMIN, "/dangky")
    assert "/dangky TCKH" in world.last_text(NEW_GROUP)
    await world.say(NEW_GROUP, ADMIN, "/dangky TN&MT")
    assert "Phòng Tài nguyên và Môi trường" in world.last_text(NEW_GROUP)
    await world.say(LEADERS, CHAIRMAN, "/giao TNMT Kiểm tra bãi rác hạn 15/12")
    assert "Kiểm tra bãi rác" in world.card(NEW_GROUP, "NV-0001")["text"]


async def test_invitation_link_registers_a_newcomer_once(world: World) -> None:
    await world.say(OFFICE, OFFICE, "/moi TCKH head")
    text = world.last_text(OFFICE)
    match = re.search(r"https://t\.me/dondoc_bot\?start=([A-Za-z0-9_-]+)", text)
    assert match, text
    token = match.group(1)
    assert len(token) <= 64

    world.tg.add_user(NEWCOMER, "Mới", "Nguyễn Văn")
    await world.say(NEWCOMER, NEWCOMER, f"/start {token}")
    assert "Trưởng đơn vị, Phòng Tài chính - Kế hoạch" in world.last_text(NEWCOMER)
    # The newcomer is a head of TCKH now: gets the private copy of the next card.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Việc mới hạn 15/12")
    assert "Việc mới" in world.card(NEWCOMER, "NV-0001")["text"]

    world.tg.add_user(NEWCOMER + 1, "Khác")
    await world.say(NEWCOMER + 1, NEWCOMER + 1, f"/start {token}")
    assert "không hợp lệ, đã dùng hoặc đã hết hạn" in world.last_text(NEWCOMER + 1)

    await world.say(TCKH_CHAT, TCKH_STAFF, "/moi TCKH staff")
    assert "Only an administrator or the office" in world.last_text(TCKH_CHAT)


async def test_invitation_expires_after_seven_days(world: World) -> None:
    await world.say(ADMIN, ADMIN, "/moi TCKH")
    token = re.findall(r"start=([A-Za-z0-9_-]+)", world.last_text(ADMIN))[0]
    world.advance(days=7, minutes=1)
    world.tg.add_user(NEWCOMER, "Mới")
    await world.say(NEWCOMER, NEWCOMER, f"/start {token}")
    assert "hết hạn" in world.last_text(NEWCOMER)


async def test_start_help_and_language(world: World) -> None:
    world.tg.add_user(NEWCOMER, "Lạ")
    await world.say(NEWCOMER, NEWCOMER, "/start")
    assert "chưa có trong danh sách" in world.last_text(NEWCOMER)
    await world.say(CHAIRMAN, CHAIRMAN, "/help")
    assert "/giao" in world.last_text(CHAIRMAN) and "giao nhiệm vụ" in world.last_text(CHAIRMAN)
    # The weekly post's symbols and counting rules are explained here, not under every post.
    assert "☑️ xong quá hạn — đã hoàn thành quá hạn" in world.last_text(CHAIRMAN)
    assert "tỷ lệ đúng hạn = đã hoàn thành đúng hạn / (đã hoàn thành" in world.last_text(CHAIRMAN)
    # This staff member's Telegram is in English.
    await world.say(TCKH_STAFF, TCKH_STAFF, "/help")
    assert "assign a task" in world.last_text(TCKH_STAFF)
    await world.say(TCKH_STAFF, TCKH_STAFF, "/lang vi")
    assert "tiếng Việt" in world.last_text(TCKH_STAFF)
    await world.say(TCKH_STAFF, TCKH_STAFF, "/help")
    assert "giao nhiệm vụ" in world.last_text(TCKH_STAFF)
    await world.say(CHAIRMAN, CHAIRMAN, "/lang en")
    await world.say(CHAIRMAN, CHAIRMAN, "/viec")
    assert "No open tasks" in world.last_text(CHAIRMAN)


async def test_command_menu_in_both_languages(world: World) -> None:
    vi = world.tg.commands_for(CHAIRMAN)
    en = world.tg.commands_for(TCKH_STAFF)
    assert {"command": "giao", "description": "Giao nhiệm vụ cho đơn vị"} in vi
    assert {"command": "giao", "description": "Assign a task to a unit"} in en
    assert {c["command"] for c in vi} == {c["command"] for c in en}


async def test_invited_people_survive_a_roster_import_and_invites_change_no_one(
    world: World,
) -> None:
    await world.say(OFFICE, OFFICE, "/moi TCKH staff")
    token = re.findall(r"start=([A-Za-z0-9_-]+)", world.last_text(OFFICE))[0]
    world.tg.add_user(NEWCOMER, "Mới", "Nguyễn Văn")
    await world.say(NEWCOMER, NEWCOMER, f"/start {token}")
    # The roster file knows nothing of the newcomer: importing it again keeps them.
    report = await world.services.roster.import_org(parse_org(ROSTER))
    assert report.people_deactivated == []
    async with world.services.core.uow() as uow:
        newcomer = await uow.people.by_telegram_id(NEWCOMER)
    assert newcomer is not None and newcomer.active
    # An invitation opened by someone already on the roster changes nothing about them.
    await world.say(OFFICE, OFFICE, "/moi TCKH staff")
    token = re.findall(r"start=([A-Za-z0-9_-]+)", world.last_text(OFFICE))[0]
    await world.say(VICE, VICE, f"/start {token}")
    assert "đã có trong danh sách" in world.last_text(VICE)
    async with world.services.core.uow() as uow:
        vice = await uow.people.by_telegram_id(VICE)
    assert vice is not None and vice.role.value == "vice_chairman" and vice.supervises


async def test_an_admin_from_the_settings_alone_can_start_and_assign(world: World) -> None:
    installer = 900777
    world.tg.add_user(installer, "Cài", "Người")
    world.tg.join(LEADERS, installer)
    world.settings = dataclasses.replace(world.settings, admins=[ADMIN, installer])
    await world.restart()
    await world.say(installer, installer, "/start")
    assert "Quản trị viên" in world.last_text(installer)
    assert "chưa có trong danh sách" not in world.last_text(installer)
    await world.say(LEADERS, installer, "/giao TCKH Cài đặt phần mềm hạn 15/12")
    assert "NV-0001" in world.last_text(LEADERS)
    # Enrolled from the settings, not from the roster file: a later import keeps them.
    await world.services.roster.import_org(parse_org(ROSTER))
    await world.say(LEADERS, installer, "/nv NV-0001")
    assert "Cài đặt phần mềm" in world.last_text(LEADERS)
