"""The roster as one immutable snapshot: units, people, roles and the leadership chat, with the
lookups the use cases make on every update built once, when the roster changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.domain.model import Person, Role, Unit
from bot.domain.unitnames import UnitDirectory


@dataclass(frozen=True, slots=True)
class RosterUnit:
    unit: Unit
    active: bool


@dataclass(frozen=True)
class Roster:
    stamp: int  # the database's roster version this snapshot was read at
    leadership_chat: int | None
    units: tuple[Unit, ...]  # active ones, by code (as UnitRepository.all)
    all_units: dict[int, Unit]  # by id, inactive ones too
    people: dict[int, Person]  # by id, inactive ones too (a task's history names them)
    by_telegram: dict[int, Person]  # active people only
    directory: UnitDirectory  # the active units, names folded once
    directory_all: UnitDirectory  # every unit, for looking up old tasks
    by_chat: dict[int, Unit]
    _members: dict[int, tuple[Person, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        stamp: int,
        units: Iterable[RosterUnit],
        people: Iterable[Person],
        leadership_chat: int | None,
    ) -> Roster:
        every = sorted(units, key=lambda u: u.unit.code)
        active = tuple(u.unit for u in every if u.active)
        everyone = sorted(people, key=lambda p: p.id)
        members: dict[int, list[Person]] = {}
        for person in everyone:
            if person.active and person.unit_id is not None:
                members.setdefault(person.unit_id, []).append(person)
        return cls(
            stamp=stamp,
            leadership_chat=leadership_chat,
            units=active,
            all_units={u.unit.id: u.unit for u in every},
            people={p.id: p for p in everyone},
            by_telegram={p.telegram_id: p for p in everyone if p.active},
            directory=UnitDirectory(active),
            directory_all=UnitDirectory(u.unit for u in every),
            by_chat={u.unit.chat_id: u.unit for u in every if u.unit.chat_id is not None},
            _members={k: tuple(v) for k, v in members.items()},
        )

    def of_unit(self, unit_id: int, roles: Iterable[Role]) -> tuple[Person, ...]:
        """Active people of a unit with one of these roles, in roster order."""
        wanted = set(roles)
        return tuple(p for p in self._members.get(unit_id, ()) if p.role in wanted)

    def people_by_ids(self, ids: Iterable[int]) -> dict[int, Person]:
        return {i: self.people[i] for i in set(ids) if i in self.people}

    def units_by_ids(self, ids: Iterable[int]) -> dict[int, Unit]:
        return {i: self.all_units[i] for i in set(ids) if i in self.all_units}
