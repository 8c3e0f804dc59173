"""When to chase a task next: pure rules over a task, the policy and the working calendar.

The database keeps one pending nudge per open task (the next one); when it goes out, the next is
planned from here. So the schedule survives restarts and never holds a job per task in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.calendar import WorkCalendar
from bot.domain.model import ExtensionRequest, Status, Task
from bot.domain.policy import Policy


class NudgeKind(StrEnum):
    UNACKNOWLEDGED = "unack"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    CHECK_IN = "checkin"  # a task without a deadline: asked for progress now and then
    MANUAL = "manual"  # a leader's /nhac
    # A leader's own step: a reported result to approve or return, an extension to decide.
    # These go to the person the decision waits on, not to the unit.
    REVIEW = "review"
    EXTENSION = "ext_decide"


# When two fall at one moment, one message says it all: the most pressing wins.
PRIORITY = {
    NudgeKind.OVERDUE: 0,
    NudgeKind.DUE_TODAY: 1,
    NudgeKind.DUE_SOON: 2,
    NudgeKind.UNACKNOWLEDGED: 3,
    NudgeKind.CHECK_IN: 4,
    NudgeKind.MANUAL: 5,
    NudgeKind.REVIEW: 6,
    NudgeKind.EXTENSION: 7,
}
URGE_KINDS = frozenset({NudgeKind.OVERDUE, NudgeKind.MANUAL})
DECISION_KINDS = frozenset({NudgeKind.REVIEW, NudgeKind.EXTENSION})
# Reminders that are counted ("lần 2"): they always go out, late rather than never.
COUNTED_KINDS = URGE_KINDS | DECISION_KINDS


@dataclass(frozen=True, slots=True)
class PlannedNudge:
    kind: NudgeKind
    slot: str  # with the task and kind, what makes a nudge unique
    at: datetime  # aware


def _first_opening_after(cal: WorkCalendar, moment: datetime) -> datetime:
    """The first working-day opening strictly after `moment`."""
    local = moment.astimezone(cal.tz)
    day = local.date()
    opening = cal.start_of_office(day) if cal.is_working_day(day) else None
    if opening is not None and opening > local:
        return opening
    return cal.start_of_office(cal.next_working_day(day))


def candidates(
    task: Task, after: datetime, policy: Policy, cal: WorkCalendar
) -> list[PlannedNudge]:
    """Every kind of nudge's next moment strictly after `after`."""
    out: list[PlannedNudge] = []
    if task.status not in (Status.ASSIGNED, Status.ACKNOWLEDGED):
        return out  # reported (the leader holds it), done or withdrawn: nobody to chase
    if task.status is Status.ASSIGNED:
        # From the latest assignment: a unit the task was moved to starts afresh, as the chain
        # of responsibility (bot/domain/chain.py) times its acknowledgement.
        since = task.assigned_at
        at = _after_hours_then_daily(cal, since, policy.unacknowledged_after_hours, after)
        slot = _day_slot(at, cal)
        if task.led_since is not None:
            # The new unit's reminders are its own: one the old unit got that day is not.
            slot = f"m{int(task.led_since.timestamp())}:{slot}"
        out.append(PlannedNudge(NudgeKind.UNACKNOWLEDGED, slot, at))
    if task.due is None:
        # From the latest assignment too: a unit the task was moved to is asked for progress
        # a full interval after it took the task over, not when the one before would have been.
        step = timedelta(days=policy.no_deadline_every_days)
        anchor = task.assigned_at + step
        while cal.next_office_opening(anchor) <= after:
            anchor += step
        at = cal.next_office_opening(anchor)
        out.append(PlannedNudge(NudgeKind.CHECK_IN, _day_slot(at, cal), at))
        return out
    due_local = task.due.astimezone(cal.tz)
    due_day = due_local.date()
    for days in policy.due_soon_days:
        day = _working_days_before(cal, due_day, days)
        if day is None:
            continue
        at = cal.start_of_office(day)
        if after < at < task.due:
            out.append(PlannedNudge(NudgeKind.DUE_SOON, f"{days}wd:{_iso(due_day)}", at))
    if policy.due_today and cal.is_working_day(due_day):
        at = min(cal.start_of_office(due_day), task.due)
        if at > after:
            out.append(PlannedNudge(NudgeKind.DUE_TODAY, _iso(due_day), at))
    if policy.overdue_daily:
        at = _first_opening_after(cal, max(after, task.due))
        out.append(PlannedNudge(NudgeKind.OVERDUE, _day_slot(at, cal), at))
    return out


def _after_hours_then_daily(
    cal: WorkCalendar, since: datetime, hours: float, after: datetime
) -> datetime:
    """`hours` office hours after `since`, then each working day's opening: strictly after
    `after`. The rhythm of an unacknowledged task and of a decision a leader owes."""
    first = cal.add_office_hours(since, hours)
    return first if first > after else _first_opening_after(cal, max(after, first))


@dataclass(frozen=True, slots=True)
class Waiting:
    """A decision a leader owes on a task: which, since when, and the anchor that tells this wait
    from a later one (a result reported again after a return is a new wait, counted afresh)."""

    kind: NudgeKind
    since: datetime
    anchor: str


def decision_waits(task: Task, pending: ExtensionRequest | None) -> list[Waiting]:
    """What waits on a leader in this task: a result to review, an extension to decide."""
    out: list[Waiting] = []
    if not task.is_open:
        return out
    if task.status is Status.REPORTED and task.reported_at is not None:
        anchor = f"r{int(task.reported_at.timestamp())}"
        out.append(Waiting(NudgeKind.REVIEW, task.reported_at, anchor))
    if pending is not None and pending.task_id == task.id:
        out.append(Waiting(NudgeKind.EXTENSION, pending.requested_at, f"x{pending.id}"))
    return out


def anchor_of(slot: str) -> str:
    """The wait a decision reminder's slot ("r1764900000:2026-12-01") belongs to."""
    return slot.partition(":")[0]


def next_decision_nudge(
    wait: Waiting, after: datetime, policy: Policy, cal: WorkCalendar
) -> PlannedNudge:
    """The same rhythm as an unacknowledged task: after `unacknowledged_after_hours` office
    hours, then each working morning."""
    at = _after_hours_then_daily(cal, wait.since, policy.unacknowledged_after_hours, after)
    return PlannedNudge(wait.kind, f"{wait.anchor}:{_day_slot(at, cal)}", at)


def next_nudge(
    task: Task, after: datetime, policy: Policy, cal: WorkCalendar
) -> PlannedNudge | None:
    found = candidates(task, after, policy, cal)
    if not found:
        return None
    return min(found, key=lambda n: (n.at, PRIORITY[n.kind]))


def working_days_late(task: Task, now: datetime, cal: WorkCalendar) -> int:
    if task.due is None or now <= task.due:
        return 0
    return max(
        1, cal.working_days_between(task.due.astimezone(cal.tz).date(), _local_day(now, cal))
    )


def _working_days_before(cal: WorkCalendar, day: date, n: int) -> date | None:
    current = day
    for _ in range(n):
        current = _previous_working_day(cal, current)
    return current


def _previous_working_day(cal: WorkCalendar, day: date) -> date:
    current = day - timedelta(days=1)
    while not cal.is_working_day(current):
        current -= timedelta(days=1)
    return current


def _local_day(moment: datetime, cal: WorkCalendar) -> date:
    return moment.astimezone(cal.tz).date()


def _day_slot(moment: datetime, cal: WorkCalendar) -> str:
    return _iso(_local_day(moment, cal))


def _iso(day: date) -> str:
    return day.isoformat()
