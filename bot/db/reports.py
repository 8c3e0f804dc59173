"""What the reports read: the facts of a period's tasks, chosen in SQL (set-based), counted by the
pure `bot.domain.tally`. Read-only; nothing here writes."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, DateTime, String, and_, func, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.inline import off_loop
from bot.db.tables import (
    DocumentRow,
    ExtensionRow,
    NudgeRow,
    TaskEventRow,
    TaskRow,
    TaskUnitRow,
)
from bot.domain.model import EventKind, ExtensionStatus, Status
from bot.domain.nudging import URGE_KINDS
from bot.domain.tally import Period, Step, Steps, TaskFacts

CHUNK = 5000  # ids per IN (...): well inside SQLite's and asyncpg's parameter limits

FACTS_STEP = 250  # facts made between two turns of the event loop
IDS_PART = 5000  # ids of the tasks in scope taken between two turns of the event loop


@dataclass(frozen=True, slots=True)
class TaskDetails:
    """What the register shows besides the numbers."""

    content: str
    source: str | None
    result: str | None
    assigner_id: int
    status: Status
    cooperating_unit_ids: tuple[int, ...]
    # The source document, when the task came from one (a conclusion, a directive).
    document_number: str | None = None
    document_issued: date | None = None
    document_title: str | None = None


def in_period(period: Period) -> ColumnElement[bool]:
    """A first cut, in SQL, of the tasks a period is about (see bot.domain.tally): assigned
    before the end, not finished before the start (approved, which is when the task was last
    updated or before; its completion time is the report, which may be earlier), not withdrawn
    before the start (a task withdrawn is never touched again, so its last update is the
    withdrawal). The tally applies the exact rules to what this returns."""
    return and_(
        TaskRow.created_at < period.end,
        or_(TaskRow.completed_at.is_(None), TaskRow.updated_at >= period.start),
        or_(TaskRow.status != Status.WITHDRAWN.value, TaskRow.updated_at >= period.start),
    )


# The history events the tally replays, as its steps (a report is told apart by its status).
_STEP_KINDS = {
    EventKind.ACKNOWLEDGED.value: Step.ACKNOWLEDGED,
    EventKind.REPORTED.value: Step.REPORTED,
    EventKind.APPROVED.value: Step.APPROVED,
    EventKind.RETURNED.value: Step.RETURNED,
    EventKind.REASSIGNED.value: Step.REASSIGNED,
}


def _from_text(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value + "+00:00")


def _as_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=UTC)


class _OffLoop:
    """The session's reads, each run under `off_loop()`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def get_bind(self) -> Any:
        return self._session.get_bind()

    async def execute(self, statement: Any) -> Any:
        with off_loop():
            return await self._session.execute(statement)

    async def scalars(self, statement: Any) -> Any:
        with off_loop():
            return await self._session.scalars(statement)

    async def scalar(self, statement: Any) -> Any:
        with off_loop():
            return await self._session.scalar(statement)


class ReportRepository:
    """The reads behind reports: over a province's tasks, each can take long enough to hold up
    other updates, so on SQLite they run in a worker thread (bot.db.inline `off_loop`)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = _OffLoop(session)

    async def facts(self, periods: Sequence[Period]) -> list[TaskFacts]:
        """The facts of every task of any of `periods`, in one list (see `fact_chunks`)."""
        return [item async for chunk in self.fact_chunks(periods) for item in chunk]

    async def fact_chunks(
        self, periods: Sequence[Period], size: int = CHUNK
    ) -> AsyncIterator[list[TaskFacts]]:
        """The facts of every task of any of `periods` (this week and the one before, say),
        `size` tasks at a time: the tasks in scope are found first (their ids, through the
        indexes on status and on updated_at), then read a chunk at a time, so that a caller
        can count each chunk and let go of it, and the event loop runs between chunks."""
        span = Period(min(p.start for p in periods), max(p.end for p in periods))
        # SQLite keeps times as text; parsing that text with its zone is five times faster than
        # the column type's parse-then-attach-UTC, which dominates a 200,000-task tally.
        raw = self._s.get_bind().dialect.name == "sqlite"
        aware = _from_text if raw else _as_utc

        def when(column: Any) -> Any:
            return type_coerce(column, String) if raw else type_coerce(column, DateTime())

        scope = in_period(span)
        # In scope: the tasks not finished (and not withdrawn), and those touched since the
        # span began; each found through its own index, not by reading the table.
        unfinished = await self._s.scalars(
            select(TaskRow.id).where(
                TaskRow.completed_at.is_(None),
                TaskRow.status != Status.WITHDRAWN.value,
                TaskRow.created_at < span.end,
            )
        )
        # Taken a part at a time, the event loop free between two: a province's unfinished
        # tasks are 53k ids at 1M tasks, one turn of 20-30 ms taken whole.
        found: set[int] = set()
        for part in unfinished.partitions(IDS_PART):
            found.update(part)
            await asyncio.sleep(0)
        touched = await self._s.scalars(
            select(TaskRow.id).where(TaskRow.updated_at >= span.start, scope)
        )
        for part in touched.partitions(IDS_PART):
            found.update(part)
            await asyncio.sleep(0)
        ids = sorted(found)
        del found
        moves, moved_dues = await self.reassignments(min(p.end for p in periods), raw)
        # Which tasks' state at an end differs from their state now, or may: those that took a
        # step at or after the earliest end, and those finished whose result was reported before
        # the latest start but that were touched (approved, perhaps) at or after the earliest
        # start (whether they belong to a period depends on when they were approved). Their
        # history is read; the others' stamps are their state at every end asked about.
        stepped = set(await self._stepped_since(min(p.end for p in periods)))
        latest_start = max(p.start for p in periods)
        done = Status.DONE.value
        withdrawn = Status.WITHDRAWN.value
        for first in range(0, len(ids), size):
            chunk = ids[first : first + size]
            rows = (
                await self._s.execute(
                    select(
                        TaskRow.id,
                        TaskRow.code,
                        TaskRow.lead_unit_id,
                        when(TaskRow.created_at),
                        when(TaskRow.original_due),
                        when(TaskRow.due),
                        TaskRow.extension_count,
                        when(TaskRow.acknowledged_at),
                        TaskRow.acknowledged_by,
                        when(TaskRow.reported_at),
                        TaskRow.reported_by,
                        when(TaskRow.completed_at),
                        TaskRow.status,
                        when(TaskRow.updated_at),
                    )
                    .where(TaskRow.id.in_(chunk), scope)
                    .order_by(TaskRow.id)
                )
            ).all()
            # The approved extensions of the tasks that have any (one in eight), by task id
            # through the index, in the order they were decided in (of two at one instant, the
            # tally takes the later).
            extended = [row[0] for row in rows if row[6]]
            extensions: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
            if extended:
                ext_rows = await self._s.execute(
                    select(
                        ExtensionRow.task_id,
                        when(ExtensionRow.decided_at),
                        when(ExtensionRow.granted_due),
                    )
                    .where(
                        ExtensionRow.task_id.in_(extended),
                        ExtensionRow.status == ExtensionStatus.APPROVED.value,
                        ExtensionRow.decided_at.is_not(None),
                        ExtensionRow.granted_due.is_not(None),
                    )
                    .order_by(ExtensionRow.id)
                )
                for task_id, decided_at, granted_due in ext_rows:
                    extensions[task_id].append((aware(decided_at), aware(granted_due)))  # type: ignore[arg-type]
            need = {row[0] for row in rows if row[0] in stepped}
            for row in rows:
                completed_at, status, updated_at = row[11], row[12], row[13]
                if status == done and updated_at != completed_at and completed_at is not None:
                    completed = aware(completed_at)
                    if completed < latest_start and aware(updated_at) >= span.start:  # type: ignore[operator]
                        need.add(row[0])
            steps = await self._steps_of(sorted(need), raw)
            out: list[TaskFacts] = []
            for (
                task_id,
                code,
                lead,
                created_at,
                original_due,
                due,
                extension_count,
                ack_at,
                ack_by,
                rep_at,
                rep_by,
                completed_at,
                status,
                updated_at,
            ) in rows:
                if len(out) % FACTS_STEP == FACTS_STEP - 1:
                    await asyncio.sleep(0)  # a chunk's facts are many: others get a turn
                # A stamp equal to one already read (most original deadlines to the deadline,
                # a result reported and approved at once) is not read twice.
                deadline = aware(due)
                completed = aware(completed_at)
                out.append(
                    TaskFacts(
                        task_id,
                        code,
                        lead,
                        aware(created_at),  # type: ignore[arg-type]
                        deadline if original_due == due else aware(original_due),
                        deadline,
                        aware(ack_at),
                        ack_by,
                        completed if rep_at == completed_at else aware(rep_at),
                        rep_by,
                        completed,
                        aware(updated_at) if status == withdrawn else None,
                        tuple(extensions[task_id])
                        if extension_count and task_id in extensions
                        else (),
                        tuple(moves[task_id]) if task_id in moves else (),
                        steps.get(task_id),
                        tuple(moved_dues[task_id]) if task_id in moved_dues else (),
                    )
                )
            del rows
            yield out

    async def _stepped_since(self, moment: datetime) -> list[int]:
        """The tasks that took a step at or after `moment` (through the (kind, at) index)."""
        rows = await self._s.execute(
            select(TaskEventRow.task_id)
            .where(TaskEventRow.kind.in_(list(_STEP_KINDS)), TaskEventRow.at >= moment)
            .distinct()
        )
        return [task_id for (task_id,) in rows]

    async def _steps_of(self, task_ids: list[int], raw: bool) -> dict[int, Steps]:
        """The whole history of steps of these tasks, each in the order it was recorded."""
        at = type_coerce(TaskEventRow.at, String) if raw else TaskEventRow.at
        found: dict[int, list[tuple[datetime, Step, int | None]]] = defaultdict(list)
        done = Status.DONE.value
        for start in range(0, len(task_ids), CHUNK):
            rows = await self._s.execute(
                select(
                    TaskEventRow.task_id,
                    at,
                    TaskEventRow.kind,
                    TaskEventRow.actor_id,
                    TaskEventRow.after,
                )
                .where(
                    TaskEventRow.task_id.in_(task_ids[start : start + CHUNK]),
                    TaskEventRow.kind.in_(list(_STEP_KINDS)),
                )
                .order_by(TaskEventRow.id)
            )
            for task_id, when, kind, actor_id, after in rows:
                step = _STEP_KINDS[kind]
                if step is Step.REPORTED and (after or {}).get("status") == done:
                    step = Step.FINISHED  # reported with no review: finished at once
                stamp = _from_text(when) if raw else _as_utc(when)
                found[task_id].append((stamp, step, actor_id))  # type: ignore[arg-type]
        return {task_id: tuple(items) for task_id, items in found.items()}

    async def reassignments(
        self, moment: datetime, raw: bool = False
    ) -> tuple[dict[int, list[tuple[datetime, int]]], dict[int, list[tuple[datetime, datetime]]]]:
        """The reassignments at or after `moment`: (at, the lead unit before); and the deadlines
        every reassignment set, whenever it was: (at, the new deadline). Moves are rare (a few
        in a hundred tasks), so all of them are read, through the (kind, at) index."""
        at = type_coerce(TaskEventRow.at, String) if raw else TaskEventRow.at
        rows = await self._s.execute(
            select(TaskEventRow.task_id, at, TaskEventRow.before, TaskEventRow.after)
            .where(TaskEventRow.kind == EventKind.REASSIGNED.value)
            .order_by(TaskEventRow.id)
        )
        leads: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
        dues: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
        for task_id, when, before, after in rows:
            stamp: datetime = _from_text(when) if raw else _as_utc(when)  # type: ignore[assignment]
            lead = (before or {}).get("lead_unit_id")
            if isinstance(lead, int) and stamp >= moment:
                leads[task_id].append((stamp, lead))
            due = (after or {}).get("due")
            if isinstance(due, str) and due:
                dues[task_id].append((stamp, datetime.fromisoformat(due).astimezone(UTC)))
        return leads, dues

    async def urges(self, task_ids: Iterable[int], before: datetime) -> dict[int, int]:
        """How many times each task had been urged before `before`."""
        out: dict[int, int] = {}
        ids = sorted(set(task_ids))
        for start in range(0, len(ids), CHUNK):
            rows = await self._s.execute(
                select(NudgeRow.task_id, func.count())
                .where(
                    NudgeRow.task_id.in_(ids[start : start + CHUNK]),
                    NudgeRow.state == "done",
                    NudgeRow.kind.in_([k.value for k in URGE_KINDS]),
                    NudgeRow.done_at < before,
                )
                .group_by(NudgeRow.task_id)
            )
            out.update({task_id: int(n) for task_id, n in rows})
        return out

    async def details(self, period: Period) -> dict[int, TaskDetails]:
        """Content, source, result, assigner, status and cooperating units of a period's tasks."""
        scope = in_period(period)
        coops: dict[int, list[int]] = defaultdict(list)
        coop_rows = await self._s.execute(
            select(TaskUnitRow.task_id, TaskUnitRow.unit_id)
            .join(TaskRow, TaskRow.id == TaskUnitRow.task_id)
            .where(scope)
            .order_by(TaskUnitRow.task_id, TaskUnitRow.unit_id)
        )
        for task_id, unit_id in coop_rows:
            coops[task_id].append(unit_id)
        rows = await self._s.execute(
            select(
                TaskRow.id,
                TaskRow.content,
                TaskRow.source,
                TaskRow.result,
                TaskRow.assigner_id,
                TaskRow.status,
                DocumentRow.number,
                DocumentRow.issued,
                DocumentRow.title,
            )
            .outerjoin(DocumentRow, DocumentRow.id == TaskRow.document_id)
            .where(scope)
        )
        out: dict[int, TaskDetails] = {}
        for task_id, content, source, result, assigner_id, status, number, issued, title in rows:
            out[task_id] = TaskDetails(
                content,
                source,
                result,
                assigner_id,
                Status(status),
                tuple(coops.get(task_id, ())),
                number,
                issued,
                title,
            )
        return out
