"""Keeping each open task's next nudge planned: called by every use case that changes a task."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.db.uow import UnitOfWork
from bot.domain.model import EventKind, Task, TaskEvent
from bot.domain.nudging import PlannedNudge, decision_waits, next_decision_nudge, next_nudge
from bot.services.common import Core


async def replan(
    core: Core,
    uow: UnitOfWork,
    task: Task,
    now: datetime,
    events: Sequence[TaskEvent] | None = None,
) -> None:
    """After any change to a task: drop its pending nudges and plan the next one. `events`: the
    task's whole history when the caller has it (with this change): a task that never asked for
    more time has no request pending, and none is looked up."""
    await uow.nudges.cancel_pending(task.id, now)
    await plan_after(core, uow, task, now, now)
    asked = events is None or any(e.kind is EventKind.EXTENSION_REQUESTED for e in events)
    await plan_decisions(core, uow, task, now, now, asked)


async def plan_first(core: Core, uow: UnitOfWork, task: Task, now: datetime) -> None:
    """A task created in this transaction: nothing to cancel, nothing planned to look up."""
    planned = next_nudge(task, now, core.policy, core.calendar)
    if planned is not None:
        await uow.nudges.plan(task.id, planned, now)


async def plan_after(
    core: Core, uow: UnitOfWork, task: Task, after: datetime, now: datetime
) -> PlannedNudge | None:
    for _ in range(20):  # a nudge that already went out is skipped, the one after it planned
        planned = next_nudge(task, after, core.policy, core.calendar)
        if planned is None:
            return None
        if await uow.nudges.plan(task.id, planned, now) is not None:
            return planned
        after = planned.at
    return None


async def plan_decisions(
    core: Core,
    uow: UnitOfWork,
    task: Task,
    after: datetime,
    now: datetime,
    asked: bool = True,
) -> list[PlannedNudge]:
    """The next reminder of each decision a leader owes on the task: a track of its own beside
    the unit's, since it goes to another person and is counted on its own. `asked`: False when
    the task's history holds no extension request, so none can be pending."""
    pending = await uow.extensions.pending_for(task.id) if task.is_open and asked else None
    out: list[PlannedNudge] = []
    for wait in decision_waits(task, pending):
        moment = after
        for _ in range(20):  # a reminder that already went out is skipped
            planned = next_decision_nudge(wait, moment, core.policy, core.calendar)
            if await uow.nudges.plan(task.id, planned, now) is not None:
                out.append(planned)
                break
            moment = planned.at
    return out
