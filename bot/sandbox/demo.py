"""The demo ward of the sandbox: a roster file as users write one, and the chats it lives in.

:func:`seed` feeds :data:`DEMO_ROSTER` through the same import users run (``dondoc org import``),
creates the people and group chats in :class:`~bot.sandbox.state.FakeTelegram`, and has everyone
send ``/start`` in their private chat with the bot, so private copies reach them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.model import Role
from bot.domain.orgfile import OrgSpec, PersonSpec, parse_org
from bot.sandbox.live import LiveBot
from bot.sandbox.state import FakeTelegram
from bot.text.catalog import t

WARD = "UBND phường Hoa Sen"
LEADERSHIP_CHAT = -1002000000001
LEADERSHIP_TITLE = "Lãnh đạo UBND phường"

CHAIRMAN = 910001
VICE_CHAIRMAN = 910002
OFFICE = 910003
ADMIN = 910009
KTHT_HEAD = 910020
KTHT_STAFF = 910021

DEMO_ROSTER = f"""\
# Phường Hoa Sen (made up): the sandbox's demo ward.
name: {WARD}
leadership_chat: {LEADERSHIP_CHAT}
units:
  - code: VP
    name: Văn phòng HĐND và UBND
    aliases: [Văn phòng, VP HĐND-UBND]
    chat: -1002000000010
  - code: KTHT
    name: Phòng Kinh tế, Hạ tầng và Đô thị
    aliases: [KT-HT-ĐT, KTHTĐT, Kinh tế]
    chat: -1002000000020
  - code: VHXH
    name: Phòng Văn hóa - Xã hội
    aliases: [VH-XH, Văn hóa]
    chat: -1002000000030
  - code: HCC
    name: Trung tâm Phục vụ hành chính công
    aliases: [TTHCC, Một cửa]
    chat: -1002000000040
  - code: CA
    name: Công an phường
    aliases: [CAP, Công an]
    chat: -1002000000050
people:
  - telegram_id: {CHAIRMAN}
    name: Nguyễn Văn Hùng
    role: chairman
  - telegram_id: {VICE_CHAIRMAN}
    name: Trần Thị Mai
    role: vice_chairman
    supervises: [KTHT, HCC, CA]
  - telegram_id: {OFFICE}
    name: Lê Thị Hoa
    role: office
  - telegram_id: 910010
    name: Phạm Minh Tuấn
    role: head
    unit: VP
  - telegram_id: {KTHT_HEAD}
    name: Đỗ Văn Nam
    role: head
    unit: KTHT
  - telegram_id: {KTHT_STAFF}
    name: Vũ Thị Lan
    role: staff
    unit: KTHT
  - telegram_id: 910030
    name: Bùi Thị Thu
    role: head
    unit: VHXH
  - telegram_id: 910031
    name: Ngô Văn Long
    role: staff
    unit: VHXH
  - telegram_id: 910040
    name: Hoàng Thị Ngọc
    role: head
    unit: HCC
  - telegram_id: 910050
    name: Đặng Quốc Việt
    role: head
    unit: CA
  - telegram_id: {ADMIN}
    name: Phan Văn Khoa
    role: admin
"""

LEADERS = frozenset({Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.OFFICE, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Persona:
    id: int
    name: str
    role: str
    """The role in Vietnamese, with the unit for unit staff: "Trưởng đơn vị, Công an phường"."""
    leader: bool
    """Leadership or office, as opposed to a unit's people (the page lists them apart)."""


@dataclass(frozen=True, slots=True)
class ChatInfo:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class Demo:
    ward: str
    spec: OrgSpec
    personas: tuple[Persona, ...]
    groups: tuple[ChatInfo, ...]
    """The leadership group first, then one group per unit in roster order."""


def role_of(spec: OrgSpec, person: PersonSpec, lang: str = "vi") -> str:
    """A person's role in `lang`, with the unit for unit staff: "Trưởng đơn vị, Công an phường"
    (the unit's name is the roster's, in any language)."""
    role = t(f"role.{person.role.value}", lang)
    if person.unit:
        unit = next(u for u in spec.units if u.code == person.unit)
        role = f"{role}, {unit.name}"
    return role


def demo() -> Demo:
    spec = parse_org(DEMO_ROSTER, "demo.yaml")
    personas = [
        Persona(p.telegram_id, p.name, role_of(spec, p), p.role in LEADERS) for p in spec.people
    ]
    groups = [ChatInfo(LEADERSHIP_CHAT, LEADERSHIP_TITLE)]
    groups += [ChatInfo(u.chat, u.name) for u in spec.units if u.chat is not None]
    return Demo(WARD, spec, tuple(personas), tuple(groups))


def _split(person: PersonSpec) -> tuple[str, str]:
    """Telegram's first and last name of a Vietnamese full name: "Hùng", "Nguyễn Văn"."""
    family, _, given = person.name.rpartition(" ")
    return given, family


def add_chats(tg: FakeTelegram, the_demo: Demo) -> None:
    """The people and group chats of the demo ward, each group with whom a ward would put in it.

    The leadership group: the chairman, the vice-chairmen and the office. A unit's group: the
    unit's people, the office (it tracks every task) and the vice-chairman who supervises the
    unit. The administrator (the office's IT officer) created every group and added the bot,
    so sits in each as its admin."""
    spec = the_demo.spec
    for person in spec.people:
        first, last = _split(person)
        tg.add_user(person.telegram_id, first, last or None)

    def having(*roles: Role) -> list[int]:
        return [p.telegram_id for p in spec.people if p.role in roles]

    office = having(Role.OFFICE)
    leadership = having(Role.CHAIRMAN, Role.VICE_CHAIRMAN) + office
    tg.add_group(LEADERSHIP_CHAT, LEADERSHIP_TITLE, members=leadership, admins=[ADMIN])
    for unit in spec.units:
        if unit.chat is None:
            continue
        staff = [p.telegram_id for p in spec.people if p.unit == unit.code]
        supervisors = [p.telegram_id for p in spec.people if unit.code in p.supervises]
        members = staff + office + supervisors
        tg.add_group(unit.chat, unit.name, members=members, admins=[ADMIN])


async def seed(live: LiveBot, the_demo: Demo | None = None, timeout: float = 30) -> Demo:
    """Import the demo roster, create its chats, and have everyone press Start with the bot.

    Safe to run again on a database that has the demo already (the import changes nothing)."""
    the_demo = the_demo or demo()
    tg = live.tg
    add_chats(tg, the_demo)
    await live.runtime.services.roster.import_org(the_demo.spec)
    sent = [tg.send_message(p.id, p.id, "/start") for p in the_demo.personas]
    for message in sent:
        chat = message["chat"]["id"]
        await tg.wait_for_bot_message(chat, after_message_id=message["message_id"], timeout=timeout)
    return the_demo
