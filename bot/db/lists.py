"""What /viec counts and orders before it reads any task in full: how many tasks are open (and
late) in a scope, and the decisions awaiting a leader as small tuples. The list shows the most
urgent few of a province's tens of thousands; these say how many more there are."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Select, bindparam, case, func, literal, select, union, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import CompoundSelect

from bot.db import direct
from bot.db.repositories import OPEN_STATUSES
from bot.db.tables import ExtensionRow, TaskRow, TaskUnitRow
from bot.domain.model import ExtensionStatus, Status


@dataclass(frozen=True, slots=True)
class Awaiting:
    """A decision a leader owes, as little as deciding whose it is needs."""

    task_id: int
    code: str
    assigner_id: int
    lead_unit_id: int
    since: datetime  # the report or the request: the longest waiting first
    review: bool  # a result to review (else a request for more time)


def _open_counts(of_unit: bool) -> Select[int, int]:
    """(open, of which past `now`) in all, or (`of_unit`) led or shared by the unit `unit`."""
    now = bindparam("now", type_=TaskRow.due.type)
    query = select(func.count(), func.count(case((TaskRow.due < now, 1)))).where(
        TaskRow.status.in_(OPEN_STATUSES)
    )
    if of_unit:
        unit = bindparam("unit", type_=Integer)
        lead = select(TaskRow.id).where(
            TaskRow.lead_unit_id == unit, TaskRow.status.in_(OPEN_STATUSES)
        )
        coop = select(TaskUnitRow.task_id).where(TaskUnitRow.unit_id == unit)
        query = query.where(TaskRow.id.in_(union(lead, coop)))
    return query


def _awaiting() -> CompoundSelect[Any]:
    columns = (TaskRow.id, TaskRow.code, TaskRow.assigner_id, TaskRow.lead_unit_id)
    reported = select(*columns, TaskRow.reported_at, literal(1)).where(
        TaskRow.status == Status.REPORTED.value, TaskRow.reported_at.is_not(None)
    )
    requested = (
        select(*columns, ExtensionRow.requested_at, literal(0))
        .join(TaskRow, TaskRow.id == ExtensionRow.task_id)
        .where(
            ExtensionRow.status == ExtensionStatus.PENDING.value,
            TaskRow.status.in_(OPEN_STATUSES),
        )
    )
    return union_all(reported, requested)


# Built once, as bot.db.direct wants them: every /viec runs them, and building them again
# (columns, IN lists, a union) cost more than running them on SQLite.
_OPEN_COUNTS = _open_counts(of_unit=False)
_OPEN_COUNTS_OF_UNIT = _open_counts(of_unit=True)
_AWAITING = _awaiting()
_TURN = 500  # rows read between turns given to other updates


class ListRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def open_counts(self, unit_id: int | None, now: datetime) -> tuple[int, int]:
        """(open, of which past their deadline) in all, or led or shared by a unit; counted in
        the (status, due) index, or the unit's keys (as `TaskRepository.open_tasks` reads)."""
        if unit_id is None:
            found = await direct.execute(self._s, _OPEN_COUNTS, {"now": now})
        else:
            found = await direct.execute(
                self._s, _OPEN_COUNTS_OF_UNIT, {"now": now, "unit": unit_id}
            )
        total, late = found.rows[0]
        return int(total), int(late)

    async def awaiting(self) -> list[Awaiting]:
        """Every result awaiting review and every request for more time awaiting a decision, on
        an open task: a few small columns each, the longest waiting first."""
        rows = (await direct.execute(self._s, _AWAITING)).rows
        out: list[Awaiting] = []
        for start in range(0, len(rows), _TURN):  # thousands in a province: others get turns
            out.extend(
                Awaiting(task_id, code, assigner, unit, _aware(_when(since)), bool(review))
                for task_id, code, assigner, unit, since, review in rows[start : start + _TURN]
                if since is not None
            )
            await asyncio.sleep(0)
        out.sort(key=lambda a: (a.since, a.task_id))
        return out


def _when(value: datetime | str) -> datetime:
    # Through a UNION the column's type is not applied on every driver: SQLite gives text.
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
