"""Who may do what, and which step may follow which (bot/domain/rules.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.domain.model import Person, Role, Status, Task
from bot.domain.rules import (
    Denied,
    ack_allowed,
    can_act_for_unit,
    can_assign,
    can_decide,
    can_manage,
    can_view_all,
    report_allowed,
    review_allowed,
    supervises_unit,
)

TCKH, QLDT, TNMT = 10, 20, 30
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

CHAIRMAN = Person(1, 900001, "Chủ tịch", Role.CHAIRMAN)
VICE_QLDT = Person(
    2, 900002, "PCT phụ trách QLĐT", Role.VICE_CHAIRMAN, supervises=frozenset({QLDT})
)
VICE_ALL = Person(3, 900004, "PCT chưa phân công", Role.VICE_CHAIRMAN)
OFFICE = Person(4, 900003, "Văn phòng", Role.OFFICE)
ADMIN = Person(5, 900099, "Quản trị", Role.ADMIN)
TCKH_HEAD = Person(6, 900010, "Trưởng phòng TC-KH", Role.HEAD, unit_id=TCKH)
TCKH_DEPUTY = Person(7, 900012, "Phó phòng TC-KH", Role.DEPUTY, unit_id=TCKH)
TCKH_STAFF = Person(8, 900011, "Chuyên viên TC-KH", Role.STAFF, unit_id=TCKH)
QLDT_HEAD = Person(9, 900020, "Trưởng phòng QLĐT", Role.HEAD, unit_id=QLDT)
TNMT_STAFF = Person(10, 900030, "Chuyên viên TN&MT", Role.STAFF, unit_id=TNMT)
OFFICE_2 = Person(11, 900005, "Văn phòng (người khác)", Role.OFFICE)


def make_task(
    status: Status = Status.ASSIGNED,
    lead: int = TCKH,
    cooperating: tuple[int, ...] = (QLDT,),
    assigner: Person = CHAIRMAN,
) -> Task:
    return Task(
        id=1,
        code="NV-0001",
        content="Báo cáo tình hình giải ngân",
        lead_unit_id=lead,
        cooperating_unit_ids=cooperating,
        assigner_id=assigner.id,
        status=status,
        created_at=NOW,
        original_due=None,
        due=None,
    )


OPEN = (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.REPORTED)
CLOSED = (Status.DONE, Status.WITHDRAWN)


def test_every_status_is_either_open_or_closed() -> None:
    assert set(OPEN) | set(CLOSED) == set(Status)
    for status in OPEN:
        assert make_task(status).is_open is True
    for status in CLOSED:
        assert make_task(status).is_open is False


# --- can_assign -------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", [TCKH, QLDT, TNMT])
def test_chairman_assigns_to_any_unit(unit: int) -> None:
    assert can_assign(CHAIRMAN, unit) is None


def test_vice_chairman_assigns_only_within_the_block_supervised() -> None:
    assert can_assign(VICE_QLDT, QLDT) is None
    assert can_assign(VICE_QLDT, TCKH) is Denied.NOT_SUPERVISOR
    assert can_assign(VICE_QLDT, TNMT) is Denied.NOT_SUPERVISOR


@pytest.mark.parametrize("unit", [TCKH, QLDT, TNMT])
def test_vice_chairman_without_a_block_is_treated_like_the_chairman(unit: int) -> None:
    assert can_assign(VICE_ALL, unit) is None


@pytest.mark.parametrize("person", [OFFICE, ADMIN])
@pytest.mark.parametrize("unit", [TCKH, QLDT, TNMT])
def test_office_and_admin_assign_on_the_leaders_behalf(person: Person, unit: int) -> None:
    assert can_assign(person, unit) is None


@pytest.mark.parametrize("person", [TCKH_HEAD, TCKH_DEPUTY, TCKH_STAFF, QLDT_HEAD])
@pytest.mark.parametrize("unit", [TCKH, QLDT])
def test_unit_people_do_not_assign_even_to_their_own_unit(person: Person, unit: int) -> None:
    assert can_assign(person, unit) is Denied.NOT_ASSIGNER_ROLE


def test_can_assign_covers_every_role() -> None:
    allowed = {r for r in Role if can_assign(Person(99, 1, "x", r, unit_id=TCKH), TCKH) is None}
    assert allowed == {Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.OFFICE, Role.ADMIN}


def test_supervises_unit() -> None:
    assert supervises_unit(CHAIRMAN, TNMT) is True
    assert supervises_unit(VICE_QLDT, QLDT) is True
    assert supervises_unit(VICE_QLDT, TCKH) is False
    assert supervises_unit(VICE_ALL, TCKH) is True
    for person in (OFFICE, ADMIN, TCKH_HEAD):
        assert supervises_unit(person, TCKH) is False


# --- can_act_for_unit -------------------------------------------------------------------------


@pytest.mark.parametrize("person", [TCKH_HEAD, TCKH_DEPUTY, TCKH_STAFF])
@pytest.mark.parametrize("status", OPEN)
def test_lead_unit_members_act_for_the_unit(person: Person, status: Status) -> None:
    assert can_act_for_unit(person, make_task(status)) is None


@pytest.mark.parametrize("person", [TCKH_HEAD, TCKH_STAFF])
@pytest.mark.parametrize("status", CLOSED)
def test_lead_unit_members_cannot_act_on_a_closed_task(person: Person, status: Status) -> None:
    assert can_act_for_unit(person, make_task(status)) is Denied.CLOSED


def test_cooperating_unit_does_not_act_for_the_lead_unit() -> None:
    task = make_task(cooperating=(QLDT,))
    assert QLDT_HEAD.unit_id in task.cooperating_unit_ids
    assert can_act_for_unit(QLDT_HEAD, task) is Denied.NOT_LEAD_UNIT


@pytest.mark.parametrize("person", [TNMT_STAFF, CHAIRMAN, VICE_ALL, OFFICE, ADMIN])
def test_others_do_not_act_for_the_lead_unit(person: Person) -> None:
    assert can_act_for_unit(person, make_task()) is Denied.NOT_LEAD_UNIT


def test_a_leader_attached_to_the_unit_still_does_not_act_for_it() -> None:
    # Only unit roles (head, deputy, staff) answer for the unit, whatever unit_id says.
    office_in_tckh = replace(OFFICE, unit_id=TCKH)
    assert can_act_for_unit(office_in_tckh, make_task()) is Denied.NOT_LEAD_UNIT


def test_not_lead_unit_is_reported_before_closed() -> None:
    assert can_act_for_unit(QLDT_HEAD, make_task(Status.DONE)) is Denied.NOT_LEAD_UNIT


def test_after_reassignment_the_new_lead_unit_acts() -> None:
    task = make_task(lead=QLDT, cooperating=(TCKH,))
    assert can_act_for_unit(QLDT_HEAD, task) is None
    assert can_act_for_unit(TCKH_HEAD, task) is Denied.NOT_LEAD_UNIT


# --- can_decide -------------------------------------------------------------------------------


def test_assigner_decides() -> None:
    task = make_task(Status.REPORTED, lead=TCKH, assigner=VICE_QLDT)
    # The vice-chairman does not supervise TCKH, but assigned the task.
    assert supervises_unit(VICE_QLDT, TCKH) is False
    assert can_decide(VICE_QLDT, task) is None


def test_office_clerk_who_assigned_decides() -> None:
    assert can_decide(OFFICE, make_task(Status.REPORTED, assigner=OFFICE)) is None


def test_office_clerk_who_did_not_assign_does_not_decide() -> None:
    assert can_decide(OFFICE_2, make_task(Status.REPORTED, assigner=OFFICE)) is Denied.NOT_DECIDER
    assert can_decide(OFFICE, make_task(Status.REPORTED)) is Denied.NOT_DECIDER


def test_chairman_decides_any_task() -> None:
    task = make_task(Status.REPORTED, lead=TNMT, assigner=OFFICE)
    assert can_decide(CHAIRMAN, task) is None


def test_supervising_vice_chairman_decides() -> None:
    task = make_task(Status.REPORTED, lead=QLDT, assigner=CHAIRMAN)
    assert can_decide(VICE_QLDT, task) is None


def test_non_supervising_vice_chairman_does_not_decide() -> None:
    task = make_task(Status.REPORTED, lead=TCKH, assigner=CHAIRMAN)
    assert can_decide(VICE_QLDT, task) is Denied.NOT_DECIDER


@pytest.mark.parametrize("person", [TCKH_HEAD, TCKH_STAFF, QLDT_HEAD, ADMIN])
def test_unit_people_and_admin_do_not_decide(person: Person) -> None:
    assert can_decide(person, make_task(Status.REPORTED)) is Denied.NOT_DECIDER


@pytest.mark.parametrize("status", CLOSED)
def test_nobody_decides_a_closed_task(status: Status) -> None:
    assert can_decide(CHAIRMAN, make_task(status)) is Denied.CLOSED
    assert can_decide(OFFICE, make_task(status, assigner=OFFICE)) is Denied.CLOSED


# --- can_manage -------------------------------------------------------------------------------


@pytest.mark.parametrize("person", [OFFICE, OFFICE_2, ADMIN, CHAIRMAN])
@pytest.mark.parametrize("status", OPEN)
def test_office_admin_and_chairman_manage(person: Person, status: Status) -> None:
    assert can_manage(person, make_task(status, assigner=VICE_QLDT)) is None


def test_vice_chairman_manages_within_block_or_what_they_assigned() -> None:
    assert can_manage(VICE_QLDT, make_task(lead=QLDT)) is None
    assert can_manage(VICE_QLDT, make_task(lead=TCKH, assigner=VICE_QLDT)) is None
    assert can_manage(VICE_QLDT, make_task(lead=TCKH)) is Denied.NOT_MANAGER


@pytest.mark.parametrize("person", [TCKH_HEAD, TCKH_DEPUTY, TCKH_STAFF, QLDT_HEAD])
def test_unit_people_do_not_manage(person: Person) -> None:
    assert can_manage(person, make_task()) is Denied.NOT_MANAGER


@pytest.mark.parametrize("status", CLOSED)
def test_nobody_manages_a_closed_task(status: Status) -> None:
    assert can_manage(OFFICE, make_task(status)) is Denied.CLOSED
    assert can_manage(CHAIRMAN, make_task(status)) is Denied.CLOSED


def test_can_view_all() -> None:
    assert {r for r in Role if can_view_all(Person(99, 1, "x", r))} == {
        Role.CHAIRMAN,
        Role.VICE_CHAIRMAN,
        Role.OFFICE,
        Role.ADMIN,
    }


# --- state transitions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.ASSIGNED, None),
        (Status.ACKNOWLEDGED, Denied.ALREADY_ACKNOWLEDGED),
        (Status.REPORTED, Denied.ALREADY_ACKNOWLEDGED),
        (Status.DONE, Denied.CLOSED),
        (Status.WITHDRAWN, Denied.CLOSED),
    ],
)
def test_ack_allowed(status: Status, expected: Denied | None) -> None:
    assert ack_allowed(make_task(status)) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.ASSIGNED, None),  # a unit may report straight away, without acknowledging first
        (Status.ACKNOWLEDGED, None),
        (Status.REPORTED, Denied.ALREADY_REPORTED),
        (Status.DONE, Denied.CLOSED),
        (Status.WITHDRAWN, Denied.CLOSED),
    ],
)
def test_report_allowed(status: Status, expected: Denied | None) -> None:
    assert report_allowed(make_task(status)) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.ASSIGNED, Denied.NOT_REPORTED),
        (Status.ACKNOWLEDGED, Denied.NOT_REPORTED),
        (Status.REPORTED, None),
        (Status.DONE, Denied.CLOSED),
        (Status.WITHDRAWN, Denied.CLOSED),
    ],
)
def test_review_allowed(status: Status, expected: Denied | None) -> None:
    assert review_allowed(make_task(status)) is expected


def test_lifecycle_assign_ack_report_review() -> None:
    task = make_task(Status.ASSIGNED)
    assert review_allowed(task) is Denied.NOT_REPORTED
    assert ack_allowed(task) is None
    task = replace(task, status=Status.ACKNOWLEDGED)
    assert ack_allowed(task) is Denied.ALREADY_ACKNOWLEDGED
    assert report_allowed(task) is None
    task = replace(task, status=Status.REPORTED)
    assert report_allowed(task) is Denied.ALREADY_REPORTED
    assert review_allowed(task) is None
    # Returned for rework: back to in progress, may report again.
    task = replace(task, status=Status.ACKNOWLEDGED)
    assert report_allowed(task) is None
    task = replace(task, status=Status.DONE)
    for check in (ack_allowed, report_allowed, review_allowed):
        assert check(task) is Denied.CLOSED
