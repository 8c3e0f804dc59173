"""The chain of responsibility of one task (issue 10, point 4): who took each step and when, how
long the step took in office time, and which steps were late.

Pure: built from the task's history (the events the caller has already loaded) and the office's
calendar. A step's time runs from the step it answers:

* tiếp nhận — from the assignment (or the last reassignment: the new lead starts afresh); late
  when it took more than the policy's ``unacknowledged_after_hours`` office hours, the time after
  which the unit is reminded;
* báo cáo — from the acknowledgement, or from the return it answers; late when made after the
  deadline in force at that moment (compared to the minute, as every screen shows it), with the
  working days late, as the tally counts them;
* duyệt / trả lại — from the report; đồng ý / từ chối gia hạn — from the request: a leader's
  decision, late when it waited more than the same office hours (the leaders' reminder comes
  then, see bot/services/decisions.py).

What the task waits on now (acknowledgement, report, a leader's decision) is measured the same way
up to `now`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.calendar import WorkCalendar
from bot.domain.model import EventKind, Status, Task, TaskEvent


class Late(StrEnum):
    SLOW = "slow"  # took more than the policy's office hours (acknowledgement, a decision)
    OVERDUE = "overdue"  # reported after the deadline


@dataclass(frozen=True, slots=True)
class ChainStep:
    """One event of the history as a step of the chain."""

    event: TaskEvent
    took: timedelta | None = None  # office time since the step it answers
    late: Late | None = None
    days_late: int = 0  # working days, for a report after the deadline
    finished: bool = False  # a report that finished the task at once (no review)


class Awaited(StrEnum):
    ACK = "ack"
    REPORT = "report"
    REVIEW = "review"
    EXTENSION = "extension"


@dataclass(frozen=True, slots=True)
class Wait:
    """A step the task waits on now."""

    awaited: Awaited
    since: datetime
    took: timedelta  # office time so far
    late: Late | None = None
    days_late: int = 0


# The events that are steps of the chain; progress notes are not.
STEPS = frozenset(EventKind) - {EventKind.PROGRESS}


def _iso(value: object) -> datetime | None:
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return None


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def days_late(calendar: WorkCalendar, due: datetime, moment: datetime) -> int:
    """Working days late at `moment`, as the tally counts them: 0 up to the deadline's minute,
    at least 1 after it."""
    if _minute(moment) <= _minute(due):
        return 0
    tz = calendar.tz
    between = calendar.working_days_between(due.astimezone(tz).date(), moment.astimezone(tz).date())
    return max(1, between)


@dataclass(frozen=True, slots=True)
class Chain:
    steps: tuple[ChainStep, ...]
    waits: tuple[Wait, ...] = ()
    asked: tuple[TaskEvent, ...] = ()  # the extension requests still awaiting a decision


def build_chain(
    events: Sequence[TaskEvent],
    calendar: WorkCalendar,
    expected_hours: float,
    task: Task | None = None,
    now: datetime | None = None,
) -> Chain:
    """The chain of `events` (in the order recorded). With `task` and `now`, what the task waits
    on now too."""
    expected = timedelta(hours=expected_hours)
    office = calendar.office_time_between
    steps: list[ChainStep] = []
    due: datetime | None = None
    started: datetime | None = None  # assigned or moved: the acknowledgement runs from here
    working: datetime | None = None  # acknowledged or returned: the report runs from here
    reported: datetime | None = None  # the result awaiting a decision
    requests: dict[object, TaskEvent] = {}  # extension requests awaiting a decision
    for event in events:
        kind, at = event.kind, event.at
        if kind not in STEPS:
            continue
        step = ChainStep(event)
        if kind is EventKind.ASSIGNED:
            due = _iso(event.after.get("due"))
            started, working, reported = at, None, None
        elif kind is EventKind.REASSIGNED:
            if "due" in event.after:
                due = _iso(event.after.get("due"))
            started, working, reported = at, None, None
            requests.clear()  # a move closes the pending request
        elif kind is EventKind.ACKNOWLEDGED:
            took = office(started, at) if started else None
            late = Late.SLOW if took is not None and took > expected else None
            step = ChainStep(event, took, late)
            working = at
        elif kind is EventKind.REPORTED:
            took = office(working, at) if working else None
            days = days_late(calendar, due, at) if due is not None else 0
            finished = event.after.get("status") == Status.DONE.value
            step = ChainStep(event, took, Late.OVERDUE if days else None, days, finished)
            reported = at
        elif kind in (EventKind.APPROVED, EventKind.RETURNED):
            took = office(reported, at) if reported else None
            step = ChainStep(event, took, Late.SLOW if took and took > expected else None)
            if kind is EventKind.RETURNED:
                working = at
            reported = None
        elif kind is EventKind.EXTENSION_REQUESTED:
            requests[event.after.get("request_id")] = event
        elif kind in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED):
            request = requests.pop(event.after.get("request_id"), None)
            took = office(request.at, at) if request else None
            step = ChainStep(event, took, Late.SLOW if took and took > expected else None)
            if kind is EventKind.EXTENSION_APPROVED:
                due = _iso(event.after.get("due")) or due
        elif kind is EventKind.WITHDRAWN:
            requests.clear()
        steps.append(step)
    waits: list[Wait] = []
    if task is not None and now is not None and task.is_open:
        due = task.due

        def wait(awaited: Awaited, since: datetime, overdue: bool = False) -> Wait:
            took = office(since, now)
            if overdue:
                days = days_late(calendar, due, now) if due is not None else 0
                return Wait(awaited, since, took, Late.OVERDUE if days else None, days)
            return Wait(awaited, since, took, Late.SLOW if took > expected else None)

        if task.status is Status.ASSIGNED and started is not None:
            waits.append(wait(Awaited.ACK, started))
        elif task.status is Status.ACKNOWLEDGED and working is not None:
            waits.append(wait(Awaited.REPORT, working, overdue=True))
        elif task.status is Status.REPORTED and reported is not None:
            waits.append(wait(Awaited.REVIEW, reported))
        for request in requests.values():
            waits.append(wait(Awaited.EXTENSION, request.at))
    return Chain(tuple(steps), tuple(waits), tuple(requests.values()))
