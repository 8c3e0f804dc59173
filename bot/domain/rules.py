"""Who may do what, and which step may follow which. Pure functions over domain objects."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.model import LEADER_ROLES, OPEN_STATUSES, UNIT_ROLES, Person, Role, Status, Task


class Denied(StrEnum):
    """Why a step is refused; the text catalog turns each into a sentence."""

    NOT_ASSIGNER_ROLE = "not_assigner_role"
    NOT_SUPERVISOR = "not_supervisor"
    NOT_LEAD_UNIT = "not_lead_unit"
    NOT_DECIDER = "not_decider"
    NOT_MANAGER = "not_manager"
    NOT_ADMIN = "not_admin"
    CLOSED = "closed"
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    NOT_REPORTED = "not_reported"
    ALREADY_REPORTED = "already_reported"
    SAME_UNIT = "same_unit"


ASSIGNER_ROLES = frozenset({Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.OFFICE, Role.ADMIN})


def supervises_unit(person: Person, unit_id: int) -> bool:
    """A vice-chairman with no block listed is treated like the chairman: rosters often omit it."""
    if person.role is Role.CHAIRMAN:
        return True
    if person.role is Role.VICE_CHAIRMAN:
        return not person.supervises or unit_id in person.supervises
    return False


def can_assign(person: Person, lead_unit_id: int) -> Denied | None:
    if person.role not in ASSIGNER_ROLES:
        return Denied.NOT_ASSIGNER_ROLE
    if person.role is Role.VICE_CHAIRMAN and not supervises_unit(person, lead_unit_id):
        return Denied.NOT_SUPERVISOR
    return None


def is_member_of_lead(person: Person, task: Task) -> bool:
    return person.role in UNIT_ROLES and person.unit_id == task.lead_unit_id


def can_act_for_unit(person: Person, task: Task) -> Denied | None:
    """Acknowledge, report, ask for more time: the lead unit's head, deputies and staff."""
    if not is_member_of_lead(person, task):
        return Denied.NOT_LEAD_UNIT
    if not task.is_open:
        return Denied.CLOSED
    return None


def can_decide(person: Person, task: Task) -> Denied | None:
    """Approve, return, grant more time: the assigner (an office clerk who assigned on a leader's
    behalf included), the chairman, the vice-chairman supervising the lead unit."""
    if not task.is_open:
        return Denied.CLOSED
    if person.id == task.assigner_id or supervises_unit(person, task.lead_unit_id):
        return None
    return Denied.NOT_DECIDER


def can_manage(person: Person, task: Task) -> Denied | None:
    """Withdraw or reassign: those who decide, plus the office, which runs the register."""
    if not task.is_open:
        return Denied.CLOSED
    if person.role in (Role.OFFICE, Role.ADMIN) or can_decide(person, task) is None:
        return None
    return Denied.NOT_MANAGER


def can_view_all(person: Person) -> bool:
    return person.role in LEADER_ROLES or person.role in (Role.OFFICE, Role.ADMIN)


class Visibility(StrEnum):
    """Who reads which tasks (DONDOC_VISIBILITY)."""

    PUBLIC = "public"  # everyone on the roster reads every unit's tasks (công khai)
    UNIT = "unit"  # a unit's people read their own unit's; leaders and the office read all


def may_see(
    person: Person,
    visibility: Visibility,
    unit_id: int | None,
    cooperating: tuple[int, ...] = (),
    admin: bool = False,
) -> bool:
    """The one rule behind /viec, /nv, /lich, /tonghop and /baocao: may this person read the
    tasks, history, schedule or figures of a unit (`unit_id`; None for every unit at once)?
    For one task, its cooperating units count as well: a unit that works on it reads it."""
    if visibility is Visibility.PUBLIC or can_view_all(person) or admin:
        return True
    if person.role not in UNIT_ROLES or person.unit_id is None or unit_id is None:
        return False
    return person.unit_id == unit_id or person.unit_id in cooperating


def ack_allowed(task: Task) -> Denied | None:
    if not task.is_open:
        return Denied.CLOSED
    if task.status is not Status.ASSIGNED:
        return Denied.ALREADY_ACKNOWLEDGED
    return None


def report_allowed(task: Task) -> Denied | None:
    if task.status not in OPEN_STATUSES:
        return Denied.CLOSED
    if task.status is Status.REPORTED:
        return Denied.ALREADY_REPORTED
    return None


def review_allowed(task: Task) -> Denied | None:
    if task.status is not Status.REPORTED:
        return Denied.NOT_REPORTED if task.is_open else Denied.CLOSED
    return None


def waiting_on(task: Task, assigner: Person | None, leaders: list[Person]) -> tuple[Person, ...]:
    """Whom a decision on the task waits for: the assigner, who got the result or the request
    with its buttons; when the assigner has left, the vice-chairman supervising the lead unit
    by name, else the chairman (both may decide, see can_decide)."""
    return waiting_on_unit(task.lead_unit_id, assigner, leaders)


def waiting_on_unit(
    lead_unit_id: int, assigner: Person | None, leaders: list[Person]
) -> tuple[Person, ...]:
    """`waiting_on` for a task known by its lead unit only (the /viec list's candidates)."""
    if assigner is not None and assigner.active:
        return (assigner,)
    active = [p for p in leaders if p.active]
    vices = [p for p in active if p.role is Role.VICE_CHAIRMAN and lead_unit_id in p.supervises]
    if vices:
        return tuple(vices)
    return tuple(p for p in active if p.role is Role.CHAIRMAN)
