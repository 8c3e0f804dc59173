"""Importing and exporting the roster on a real database (RosterService)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from sqlalchemy import event
from support import (
    ADMIN,
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    QLDT_HEAD,
    ROSTER,
    TCKH_CHAT,
    TCKH_HEAD,
    TCKH_STAFF,
    VICE,
    make_settings,
)

import bot.db.migrate
from bot.app import Runtime, open_runtime
from bot.clock import ManualClock
from bot.domain.model import Role
from bot.domain.orgfile import OrgSpec, PersonSpec, UnitSpec, dump_org, parse_org
from bot.services.roster import ImportReport, RosterService

SPEC = parse_org(ROSTER)
NAMES = [p.name for p in SPEC.people]


@pytest.fixture
async def runtime(database_url: str, clock: ManualClock) -> AsyncIterator[Runtime]:
    await asyncio.to_thread(bot.db.migrate.upgrade, database_url)
    runtime = open_runtime(make_settings(database_url), clock=clock)
    try:
        yield runtime
    finally:
        await runtime.close()


@pytest.fixture
def roster(runtime: Runtime) -> RosterService:
    return runtime.services.roster


def without_person(spec: OrgSpec, telegram_id: int) -> OrgSpec:
    return replace(spec, people=tuple(p for p in spec.people if p.telegram_id != telegram_id))


def with_unit(spec: OrgSpec, code: str, **changes: object) -> OrgSpec:
    units = tuple(replace(u, **changes) if u.code == code else u for u in spec.units)  # type: ignore[arg-type]
    return replace(spec, units=units)


async def test_first_import_adds_everything(runtime: Runtime, roster: RosterService) -> None:
    report = await roster.import_org(SPEC)
    assert report.units_added == ["TCKH", "QLDT", "TNMT"]
    assert report.people_added == NAMES
    assert report.units_changed == []
    assert report.people_changed == []
    assert report.people_deactivated == []
    assert report.leadership_changed is True
    assert report.changed is True
    assert report.summary() == (
        "units added: 3 (TCKH, QLDT, TNMT); people added: 7 ("
        + ", ".join(NAMES)
        + "); leadership chat set"
    )

    async with runtime.services.core.uow() as uow:
        units = {u.code: u for u in await uow.units.all()}
        assert set(units) == {"TCKH", "QLDT", "TNMT"}
        assert units["TCKH"].name == "Phòng Tài chính - Kế hoạch"
        assert units["TCKH"].aliases == ("TC-KH", "Tài chính")
        assert units["TCKH"].chat_id == TCKH_CHAT
        assert units["QLDT"].chat_id == QLDT_CHAT
        assert units["TNMT"].chat_id is None
        people = {p.telegram_id: p for p in await uow.people.all()}
        assert set(people) == {CHAIRMAN, VICE, OFFICE, TCKH_HEAD, TCKH_STAFF, QLDT_HEAD, ADMIN}
        assert people[VICE].role is Role.VICE_CHAIRMAN
        assert people[VICE].supervises == frozenset({units["QLDT"].id})
        assert people[TCKH_STAFF].role is Role.STAFF
        assert people[TCKH_STAFF].unit_id == units["TCKH"].id
        assert people[QLDT_HEAD].unit_id == units["QLDT"].id
        assert people[CHAIRMAN].unit_id is None
        assert all(p.active for p in people.values())
        assert await runtime.services.core.leadership_chat(uow) == LEADERS


async def test_second_identical_import_changes_nothing(roster: RosterService) -> None:
    await roster.import_org(SPEC)
    report = await roster.import_org(parse_org(ROSTER))
    assert report == ImportReport()
    assert report.changed is False
    assert report.summary() == "Nothing to change: the database already matches the file."


async def test_the_import_at_start_is_skipped_only_while_it_would_change_nothing(
    runtime: Runtime, roster: RosterService
) -> None:
    """`dondoc run` imports DONDOC_ORG_FILE at every start, with the file's fingerprint: the
    same file onto the roster it made is skipped (no statement past the check); a change to
    the roster since (here by another path than the file) makes the next start import again."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    first = await roster.import_org(SPEC, fingerprint="f1")
    assert first.people_added
    sync_engine = runtime.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", count)
    try:
        again = await roster.import_org(SPEC, fingerprint="f1")
    finally:
        event.remove(sync_engine, "before_cursor_execute", count)
    assert again == ImportReport()
    # The note of the last import and the roster's stamp; on PostgreSQL first the lock that
    # puts instances starting together one after the other.
    locks = [s for s in statements if "pg_advisory_xact_lock" in s]
    assert len(locks) == (sync_engine.dialect.name == "postgresql"), statements
    assert len(statements) - len(locks) == 2, statements

    # Someone leaves the unit's group by /dangky elsewhere (any roster change bumps the stamp).
    async with runtime.services.core.uow() as uow:
        await uow.units.clear_chat(TCKH_CHAT)
        await uow.commit()
    restored = await roster.import_org(SPEC, fingerprint="f1")
    assert restored.units_changed == ["TCKH"]
    async with runtime.services.core.uow() as uow:
        tckh = {u.code: u for u in await uow.units.all()}["TCKH"]
    assert tckh.chat_id == TCKH_CHAT
    # Another file (or the same file read differently) is imported whatever the stamp.
    other = await roster.import_org(without_person(SPEC, TCKH_STAFF), fingerprint="f2")
    assert other.people_deactivated == ["Hoàng Văn Em"]
    assert (await roster.import_org(without_person(SPEC, TCKH_STAFF), fingerprint="f2")) == (
        ImportReport()
    )


async def test_removed_person_is_deactivated_not_deleted(
    runtime: Runtime, roster: RosterService
) -> None:
    await roster.import_org(SPEC)
    report = await roster.import_org(without_person(SPEC, TCKH_STAFF))
    assert report.people_deactivated == ["Hoàng Văn Em"]
    assert report.people_added == []
    assert report.people_changed == []
    assert report.changed is True
    assert report.summary() == "people deactivated: 1 (Hoàng Văn Em)"

    async with runtime.services.core.uow() as uow:
        assert await uow.people.by_telegram_id(TCKH_STAFF) is None
        kept = await uow.people.by_telegram_id(TCKH_STAFF, active_only=False)
        assert kept is not None
        assert kept.active is False
        assert kept.name == "Hoàng Văn Em"
        assert TCKH_STAFF not in {p.telegram_id for p in await uow.people.all()}
        assert TCKH_STAFF in {p.telegram_id for p in await uow.people.all(include_inactive=True)}

    # Deactivating again is no change; putting the person back reactivates the same row.
    assert (await roster.import_org(without_person(SPEC, TCKH_STAFF))).changed is False
    back = await roster.import_org(SPEC)
    assert back.people_changed == ["Hoàng Văn Em"]
    assert back.people_added == []
    async with runtime.services.core.uow() as uow:
        again = await uow.people.by_telegram_id(TCKH_STAFF)
        assert again is not None
        assert again.id == kept.id
        assert again.active is True


async def test_unit_rename_keeps_its_id(runtime: Runtime, roster: RosterService) -> None:
    await roster.import_org(SPEC)
    async with runtime.services.core.uow() as uow:
        before = await uow.units.by_code("TCKH")
    assert before is not None

    renamed = with_unit(SPEC, "TCKH", name="Phòng Tài chính", aliases=("TC",))
    report = await roster.import_org(renamed)
    assert report.units_changed == ["TCKH"]
    assert report.units_added == []
    assert report.people_changed == []

    async with runtime.services.core.uow() as uow:
        after = await uow.units.by_code("tckh")
        assert after is not None
        assert after.id == before.id
        assert (after.name, after.aliases, after.chat_id) == ("Phòng Tài chính", ("TC",), TCKH_CHAT)
        head = await uow.people.by_telegram_id(TCKH_HEAD)
        assert head is not None
        assert head.unit_id == before.id


async def test_chat_moves_between_units_in_one_import(
    runtime: Runtime, roster: RosterService
) -> None:
    await roster.import_org(SPEC)
    # The TCKH chat now belongs to TNMT; TCKH has no chat.
    moved = with_unit(with_unit(SPEC, "TCKH", chat=None), "TNMT", chat=TCKH_CHAT)
    report = await roster.import_org(moved)
    assert sorted(report.units_changed) == ["TCKH", "TNMT"]

    async with runtime.services.core.uow() as uow:
        assert (await uow.units.by_chat(TCKH_CHAT)).code == "TNMT"  # type: ignore[union-attr]
        tckh = await uow.units.by_code("TCKH")
        assert tckh is not None
        assert tckh.chat_id is None


async def test_chats_swap_between_units_in_one_import(
    runtime: Runtime, roster: RosterService
) -> None:
    await roster.import_org(SPEC)
    swapped = with_unit(with_unit(SPEC, "TCKH", chat=QLDT_CHAT), "QLDT", chat=TCKH_CHAT)
    report = await roster.import_org(swapped)
    assert sorted(report.units_changed) == ["QLDT", "TCKH"]

    async with runtime.services.core.uow() as uow:
        assert (await uow.units.by_chat(QLDT_CHAT)).code == "TCKH"  # type: ignore[union-attr]
        assert (await uow.units.by_chat(TCKH_CHAT)).code == "QLDT"  # type: ignore[union-attr]
    assert (await roster.import_org(swapped)).changed is False


async def test_person_changes_are_reported(runtime: Runtime, roster: RosterService) -> None:
    await roster.import_org(SPEC)
    people = tuple(
        replace(p, role=Role.DEPUTY) if p.telegram_id == TCKH_STAFF else p for p in SPEC.people
    )
    people = tuple(
        replace(p, supervises=("QLDT", "TNMT")) if p.telegram_id == VICE else p for p in people
    )
    report = await roster.import_org(replace(SPEC, people=people))
    assert report.people_changed == ["Lê Thị Bình", "Hoàng Văn Em"]
    async with runtime.services.core.uow() as uow:
        vice = await uow.people.by_telegram_id(VICE)
        staff = await uow.people.by_telegram_id(TCKH_STAFF)
        codes = {u.id: u.code for u in await uow.units.all()}
    assert vice is not None and staff is not None
    assert {codes[u] for u in vice.supervises} == {"QLDT", "TNMT"}
    assert staff.role is Role.DEPUTY


async def test_leadership_chat_change_is_reported(roster: RosterService) -> None:
    await roster.import_org(SPEC)
    report = await roster.import_org(replace(SPEC, leadership_chat=-1001000000002))
    assert report.leadership_changed is True
    assert report.summary() == "leadership chat set"
    assert (await roster.export_org()).leadership_chat == -1001000000002


async def test_a_failing_import_writes_nothing(runtime: Runtime, roster: RosterService) -> None:
    # A spec that did not come through parse_org: a person in a unit the spec lacks.
    bad = replace(SPEC, people=(*SPEC.people, PersonSpec(1, "Người lạ", Role.HEAD, unit="NOPE")))
    with pytest.raises(KeyError):
        await roster.import_org(bad)
    async with runtime.services.core.uow() as uow:
        assert await uow.units.all(include_inactive=True) == []
        assert await uow.people.all(include_inactive=True) == []


async def test_export_round_trips(roster: RosterService) -> None:
    await roster.import_org(SPEC)
    exported = await roster.export_org()
    again = parse_org(dump_org(exported))
    assert again == exported
    # Units come back sorted by code; everything else is what was imported.
    assert again.leadership_chat == SPEC.leadership_chat
    assert sorted(again.units, key=lambda u: u.code) == sorted(SPEC.units, key=lambda u: u.code)
    assert sorted(again.people, key=lambda p: p.telegram_id) == sorted(
        SPEC.people, key=lambda p: p.telegram_id
    )
    assert (await roster.import_org(again)).changed is False


async def test_export_leaves_out_deactivated_people(roster: RosterService) -> None:
    await roster.import_org(SPEC)
    await roster.import_org(without_person(SPEC, TCKH_STAFF))
    exported = await roster.export_org()
    assert TCKH_STAFF not in {p.telegram_id for p in exported.people}
    assert len(exported.people) == len(SPEC.people) - 1


async def test_export_of_an_empty_database(roster: RosterService) -> None:
    assert await roster.export_org() == OrgSpec()


async def test_import_keeps_username_and_language(roster: RosterService) -> None:
    spec = OrgSpec(
        units=(UnitSpec("VP", "Văn phòng HĐND và UBND"),),
        people=(PersonSpec(42, "Văn thư", Role.OFFICE, None, (), "vanthu", "en"),),
    )
    await roster.import_org(spec)
    assert (await roster.export_org()) == spec


async def test_export_keeps_the_policy_calendar_and_reports_sections_and_the_name(
    roster: RosterService,
) -> None:
    sections = (
        "policy:\n  due_soon_days: [2]\n"
        "calendar:\n  days_off: [2026-12-31]\n"
        "reports:\n  weekly: thu 15:00\n"
        "name: UBND phường Hoàn Kiếm\n"
    )
    spec = parse_org(dump_org(SPEC) + sections)
    await roster.import_org(spec)
    exported = await roster.export_org()
    assert exported.extra == spec.extra
    assert (await roster.import_org(parse_org(dump_org(exported)))).changed is False
