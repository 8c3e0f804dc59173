"""Repositories for the chasing schedule (nudges) and the outgoing messages (deliveries)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    DateTime,
    String,
    Table,
    bindparam,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.collector import collector_paused
from bot.db import direct
from bot.db.hints import NO_REMINDERS, forget
from bot.db.repositories import insert_of, table
from bot.db.tables import DeliveryRow, ExtensionRow, NudgeRow, TaskEventRow, TaskRow
from bot.domain.model import EventKind, ExtensionStatus, Status
from bot.domain.nudging import DECISION_KINDS, URGE_KINDS, NudgeKind, PlannedNudge, anchor_of

# The tables themselves: an INSERT of many rows through them is one executemany; through the
# mapped classes (the ORM's bulk path) it was one statement per row.
NUDGES = cast(Table, NudgeRow.__table__)
DELIVERIES = cast(Table, DeliveryRow.__table__)

ROWS_PART = 2000  # rows of a long result handled between two turns of the event loop


@dataclass(frozen=True, slots=True)
class Nudge:
    id: int
    task_id: int
    kind: NudgeKind
    slot: str
    due_at: datetime
    state: str
    urge_no: int | None = None
    actor_id: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NudgeWrite:
    """A nudge's new state, written in bulk by the due-scan: `id` None makes a new row."""

    task_id: int
    kind: NudgeKind
    slot: str
    due_at: datetime
    state: str  # pending | done | merged | cancelled
    urge_no: int | None = None
    id: int | None = None


def _nudge(row: NudgeRow) -> Nudge:
    return Nudge(
        row.id,
        row.task_id,
        NudgeKind(row.kind),
        row.slot,
        row.due_at,
        row.state,
        row.urge_no,
        row.actor_id,
        row.note,
    )


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    key: str
    chat_id: int
    person_id: int | None
    text: str
    buttons: list[list[dict[str, str]]]
    state: str
    attempts: int
    # A file to send, the text as its caption: (name, kind "photo" | "document", bytes).
    document: tuple[str, str, bytes] | None = None
    created_at: datetime | None = None
    nudge_ids: tuple[int, ...] = ()
    track: tuple[int, str] | None = None  # (task id, kind): record where it lands
    resent: int = 0  # put back after being cut off in flight: goes out marked as a repeat


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """A message to queue, written in bulk with others (DeliveryRepository.add_many)."""

    key: str
    chat_id: int
    text: str
    buttons: list[list[dict[str, str]]]
    nudge_ids: tuple[int, ...] = ()
    person_id: int | None = None


@dataclass(frozen=True, slots=True)
class Recovered:
    """What start-up recovery did with the rows of instances that are gone."""

    back: int = 0  # claimed, never tried: pending again
    again: int = 0  # cut off in flight: to be sent once more, marked
    unknown: int = 0  # cut off in flight a second time: not sent a third time


def _delivery(row: DeliveryRow) -> Delivery:
    document = None
    if row.document is not None:
        document = (row.document_name or "file", row.document_kind or "document", row.document)
    return Delivery(
        row.id,
        row.key,
        row.chat_id,
        row.person_id,
        row.text,
        row.buttons,
        row.state,
        row.attempts,
        document,
        row.created_at,
        tuple(row.nudge_ids or ()),
        (row.track_task_id, row.track_kind or "") if row.track_task_id is not None else None,
        row.resent or 0,
    )


_NUDGE = table(NudgeRow).c
_CANCEL_PENDING = (
    update(table(NudgeRow))
    .where(
        _NUDGE.task_id == bindparam("task_key"),
        _NUDGE.state == "pending",
        _NUDGE.kind != NudgeKind.MANUAL.value,
    )
    .values(state="cancelled", done_at=bindparam("now", type_=_NUDGE.done_at.type))
)


@cache
def _plan(dialect: str) -> Any:
    """Make (task, kind, slot) pending at its time, built once (bot.db.repositories)."""
    upsert = insert_of(dialect)(table(NudgeRow))
    upsert = upsert.on_conflict_do_update(
        index_elements=[_NUDGE.task_id, _NUDGE.kind, _NUDGE.slot],
        set_={"state": "pending", "due_at": upsert.excluded.due_at, "done_at": None},
        where=_NUDGE.state.not_in(("done", "merged")),
    )
    return upsert.returning(_NUDGE.id)


class NudgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session
        self._skip_locked = session.bind is not None and session.bind.dialect.name == "postgresql"

    async def plan(
        self,
        task_id: int,
        planned: PlannedNudge,
        now: datetime,
        actor_id: int | None = None,
        note: str | None = None,
    ) -> int | None:
        """Make (task, kind, slot) pending at the planned time and return its id; None when
        that very nudge already went out (the caller then plans the one after it). One
        statement: a cancelled plan comes back when the task returns to the same footing."""
        planned_id = await direct.execute(
            self._s,
            _plan(self._s.get_bind().dialect.name),
            dict(
                task_id=task_id,
                kind=planned.kind.value,
                slot=planned.slot,
                due_at=planned.at,
                state="pending",
                created_at=now,
                actor_id=actor_id,
                note=note,
            ),
        )
        nudge_id = planned_id.scalar()
        return None if nudge_id is None else int(nudge_id)

    async def by_ids(self, ids: Iterable[int]) -> dict[int, Nudge]:
        wanted = list(set(ids))
        out: dict[int, Nudge] = {}
        for start in range(0, len(wanted), 900):  # under SQLite's bound-parameter limit
            rows = await self._s.scalars(
                select(NudgeRow).where(NudgeRow.id.in_(wanted[start : start + 900]))
            )
            out.update({r.id: _nudge(r) for r in rows})
        return out

    async def moves(
        self, task_ids: Iterable[int], since: datetime
    ) -> dict[int, list[tuple[str, datetime]]]:
        """Extensions approved and reassignments since a moment, per task: what makes a
        message queued before it out of date."""
        ids = list(set(task_ids))
        out: dict[int, list[tuple[str, datetime]]] = {}
        for start in range(0, len(ids), 900):
            rows = await self._s.execute(
                select(TaskEventRow.task_id, TaskEventRow.kind, TaskEventRow.at).where(
                    TaskEventRow.task_id.in_(ids[start : start + 900]),
                    TaskEventRow.kind.in_(
                        [EventKind.EXTENSION_APPROVED.value, EventKind.REASSIGNED.value]
                    ),
                    TaskEventRow.at >= since,
                )
            )
            for task_id, kind, at in rows:
                out.setdefault(task_id, []).append((kind, at))
        return out

    async def cancel_pending(self, task_id: int, now: datetime) -> int:
        """Drop the planned schedule. A leader's /nhac stays: the scan decides, when it is due,
        whether the task still needs it."""
        result = await direct.execute(self._s, _CANCEL_PENDING, {"task_key": task_id, "now": now})
        return int(result.rowcount or 0)

    async def due(self, now: datetime, limit: int) -> list[Nudge]:
        query = (
            select(NudgeRow)
            .where(NudgeRow.state == "pending", NudgeRow.due_at <= now)
            .order_by(NudgeRow.due_at, NudgeRow.id)
            .limit(limit)
        )
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        return [_nudge(r) for r in await self._s.scalars(query)]

    async def mark_done(self, nudge_id: int, now: datetime, urge_no: int | None) -> None:
        await self._s.execute(
            update(NudgeRow)
            .where(NudgeRow.id == nudge_id)
            .values(state="done", done_at=now, urge_no=urge_no)
        )

    async def mark_merged(self, nudge_id: int, now: datetime) -> None:
        """Said in the same line as a more pressing nudge of the same task."""
        await self._s.execute(
            update(NudgeRow).where(NudgeRow.id == nudge_id).values(state="merged", done_at=now)
        )

    async def mark_cancelled(self, nudge_id: int, now: datetime) -> None:
        await self._s.execute(
            update(NudgeRow).where(NudgeRow.id == nudge_id).values(state="cancelled", done_at=now)
        )

    @staticmethod
    def _fresh_start() -> Any:
        """The moment a task's urges count from: its last approved extension or reassignment."""
        return (
            select(func.max(TaskEventRow.at))
            .where(
                TaskEventRow.task_id == NudgeRow.task_id,
                TaskEventRow.kind.in_(
                    [EventKind.EXTENSION_APPROVED.value, EventKind.REASSIGNED.value]
                ),
            )
            .correlate(NudgeRow)
            .scalar_subquery()
        )

    async def escalated_late(
        self, now: datetime, statuses: Sequence[str], threshold: int
    ) -> list[tuple[int, str, datetime, int]]:
        """(task id, code, deadline, urges) of the tasks in these statuses past their deadline
        and urged `threshold` times or more (counted as `urges` counts), in one aggregate
        query: the late tasks are found through the (status, due) index, their urges through
        (task_id, state, kind)."""
        # Per late task, two index searches: its urges in all (task_id, state, kind), and its
        # last extension or reassignment (task_id, kind, at). Only a task moved that way and
        # urged often enough in all is counted again from that moment (`urges`); counting
        # from it inside this query took a search per urge, several per task.
        # count(*), not count(id): counted in the (task_id, state, kind) index alone, without
        # a visit to each nudge's row (PostgreSQL; on SQLite every index holds the id).
        kinds = [k.value for k in URGE_KINDS]
        urged = (
            select(func.count())
            .where(
                NudgeRow.task_id == TaskRow.id,
                NudgeRow.state == "done",
                NudgeRow.kind.in_(kinds),
            )
            .correlate(TaskRow)
            .scalar_subquery()
        )

        # A first row or none, searched per late task in (task_id, kind, at) alone. As an
        # EXISTS, PostgreSQL hashed the whole history's extensions and moves once instead: at
        # 1M tasks 92k events, 36k pages read, 0.7 s of the first scan of the day.
        def moved(task_id: Any) -> Any:
            return (
                select(literal(1))
                .where(
                    TaskEventRow.task_id == task_id,
                    TaskEventRow.kind.in_(
                        [EventKind.EXTENSION_APPROVED.value, EventKind.REASSIGNED.value]
                    ),
                )
                .limit(1)
                .scalar_subquery()
            )

        # SQLite keeps times as text: read as text and parsed here (fromisoformat), several
        # times faster than the column type for the thousands of late tasks of a province.
        # PostgreSQL: read without the column type's conversion to an aware time, made below
        # for the tasks kept only (a fraction of the tens of thousands read).
        raw = self._s.get_bind().dialect.name == "sqlite"
        due = type_coerce(TaskRow.due, String if raw else DateTime())
        late = (
            TaskRow.status.in_(list(statuses)),
            TaskRow.due.is_not(None),
            TaskRow.due < now,
        )
        query = select(TaskRow.id, TaskRow.code, due, urged, moved(TaskRow.id))
        if raw:
            # SQLite: the late tasks found by (status, due), then visited in id order: their
            # urges and history sit in indexes led by task_id, so each search lands next to
            # the previous one's pages (in deadline order each went to another page: about
            # half the CPU again at 1M tasks). PostgreSQL's plan for that form is 8× slower.
            query = query.where(TaskRow.id.in_(select(TaskRow.id).where(*late)))
            query = query.order_by(TaskRow.id)
        else:
            # PostgreSQL: the tasks urged too few times left out in SQL (about half of the 27k
            # late ones at 1M tasks): neither sent over nor made Python rows here, nor searched
            # for a move. OFFSET 0 keeps the count in its own subquery, counted once; pulled
            # up, the WHERE and the select list would each count.
            counted = (
                select(TaskRow.id, TaskRow.code, due.label("due"), urged.label("urged"))
                .where(*late)
                .offset(0)
                .subquery()
            )
            query = select(
                counted.c.id, counted.c.code, counted.c.due, counted.c.urged, moved(counted.c.id)
            ).where(counted.c.urged >= threshold)
        found: list[tuple[int, str, datetime, int]] = []
        recount: list[int] = []
        # The rows' objects out of the cyclic collector's way while they are read (bot.collector).
        with collector_paused():
            rows = await self._s.execute(query)
            # SQLite: kept here rather than in a WHERE on the count, which it would count twice.
            # Read a part at a time, the event loop free between two: a province's late tasks
            # are thousands of rows, each made a Python row here (a /nv waited on that).
            for part in rows.partitions(ROWS_PART):
                for task_id, code, deadline, n, was_moved in part:
                    if deadline is None or n < threshold:
                        continue
                    if raw:
                        deadline = datetime.fromisoformat(deadline + "+00:00")
                    elif deadline.tzinfo is None:
                        deadline = deadline.replace(tzinfo=UTC)
                    found.append((task_id, code, deadline, int(n)))
                    if was_moved:
                        recount.append(task_id)
                await asyncio.sleep(0)
        if not recount:
            return found
        since = await self.urges(recount)
        again = set(recount)
        return [
            (task_id, code, deadline, since.get(task_id, 0) if task_id in again else n)
            for task_id, code, deadline, n in found
            if task_id not in again or since.get(task_id, 0) >= threshold
        ]

    async def decisions_reminded(self, threshold: int) -> set[int]:
        """The tasks awaiting a decision (a result to review, a request for more time) whose
        decision reminders went out `threshold` times or more in all: those that may be in the
        digest. Each counted through its own nudges, found by status (both indexed)."""
        kinds = [k.value for k in DECISION_KINDS]

        def reminded(task_id: Any) -> Any:
            return (
                select(func.count(NudgeRow.id))
                .where(
                    NudgeRow.task_id == task_id,
                    NudgeRow.state == "done",
                    NudgeRow.kind.in_(kinds),
                )
                .scalar_subquery()
            )

        reported = await self._s.execute(
            select(TaskRow.id, reminded(TaskRow.id)).where(TaskRow.status == Status.REPORTED.value)
        )
        found = {task_id for task_id, n in reported if n >= threshold}
        requests = await self._s.execute(
            select(ExtensionRow.task_id, reminded(ExtensionRow.task_id)).where(
                ExtensionRow.status == ExtensionStatus.PENDING.value
            )
        )
        found.update(task_id for task_id, n in requests if n >= threshold)
        return found

    async def urges(self, task_ids: Iterable[int]) -> dict[int, int]:
        """How many times each task was urged (overdue nudges and leaders' manual urges) since
        its deadline or lead unit last changed: a new deadline or a new unit starts afresh."""
        ids = list(set(task_ids))
        fresh_start = self._fresh_start()
        out: dict[int, int] = {}
        for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
            rows = await self._s.execute(
                select(NudgeRow.task_id, func.count())
                .where(
                    NudgeRow.task_id.in_(ids[start : start + 900]),
                    NudgeRow.state == "done",
                    NudgeRow.kind.in_([k.value for k in URGE_KINDS]),
                    or_(fresh_start.is_(None), NudgeRow.done_at > fresh_start),
                )
                .group_by(NudgeRow.task_id)
            )
            out.update({tid: int(n) for tid, n in rows})
        return out

    async def decision_counts(
        self, task_ids: Iterable[int]
    ) -> dict[tuple[int, NudgeKind, str], int]:
        """Reminders said about each decision a leader owes: (task, kind, anchor) → count."""
        ids = list(set(task_ids))
        out: dict[tuple[int, NudgeKind, str], int] = {}
        for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
            rows = await self._s.execute(
                select(NudgeRow.task_id, NudgeRow.kind, NudgeRow.slot).where(
                    NudgeRow.task_id.in_(ids[start : start + 900]),
                    NudgeRow.state == "done",
                    NudgeRow.kind.in_([k.value for k in DECISION_KINDS]),
                )
            )
            for task_id, kind, slot in rows:
                key = (task_id, NudgeKind(kind), anchor_of(slot))
                out[key] = out.get(key, 0) + 1
        return out

    async def urges_after(self, task_id: int, moment: datetime) -> int:
        """Urges of a task given after a moment (its deadline: the overdue ones)."""
        found = await self._s.scalar(
            select(func.count()).where(
                NudgeRow.task_id == task_id,
                NudgeRow.state == "done",
                NudgeRow.kind.in_([k.value for k in URGE_KINDS]),
                NudgeRow.done_at > moment,
            )
        )
        return int(found or 0)

    async def urges_after_due(self, task_ids: Iterable[int]) -> dict[int, int]:
        """Per task, the urges given after its deadline (the overdue ones), all in one query:
        `urges_after(task, task.due)` for many tasks."""
        ids = sorted(set(task_ids))
        out: dict[int, int] = {}
        for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
            rows = await self._s.execute(
                select(NudgeRow.task_id, func.count())
                .join(TaskRow, TaskRow.id == NudgeRow.task_id)
                .where(
                    NudgeRow.task_id.in_(ids[start : start + 900]),
                    NudgeRow.state == "done",
                    NudgeRow.kind.in_([k.value for k in URGE_KINDS]),
                    NudgeRow.done_at > TaskRow.due,
                )
                .group_by(NudgeRow.task_id)
            )
            out.update({task_id: int(n) for task_id, n in rows})
        return out

    async def upcoming(self, task_ids: Sequence[int] | None, limit: int) -> list[Nudge]:
        query = select(NudgeRow).where(NudgeRow.state == "pending")
        if task_ids is not None:
            query = query.where(NudgeRow.task_id.in_(list(task_ids)))
        query = query.order_by(NudgeRow.due_at, NudgeRow.id).limit(limit)
        return [_nudge(r) for r in await self._s.scalars(query)]

    async def next_due_at(self) -> datetime | None:
        return await self._s.scalar(
            select(func.min(NudgeRow.due_at)).where(NudgeRow.state == "pending")
        )

    # --- the due-scan, in bulk: a few statements per chunk of tasks, not several per task ---

    async def due_by_unit(self, now: datetime, limit: int) -> list[tuple[int, int]]:
        """(task, lead unit) of the tasks with a nudge due, most overdue first, each task once.
        Read without a claim: each chunk claims its own rows again (`due_for`)."""
        # The lead unit by a search per due row, not a join: PostgreSQL, expecting thousands
        # due, hashed the whole tasks table for the ten that were (50 ms at 100k tasks).
        unit = (
            select(TaskRow.lead_unit_id)
            .where(TaskRow.id == NudgeRow.task_id)
            .correlate(NudgeRow)
            .scalar_subquery()
        )
        rows = await self._s.execute(
            select(NudgeRow.task_id, unit)
            .where(NudgeRow.state == "pending", NudgeRow.due_at <= now)
            .order_by(NudgeRow.due_at, NudgeRow.id)
            .limit(limit)
        )
        seen: dict[int, int] = {}
        for task_id, unit_id in rows:
            seen.setdefault(task_id, unit_id)
        return list(seen.items())

    async def due_for(self, task_ids: Sequence[int], now: datetime) -> list[Nudge]:
        """The claim: these tasks' nudges still pending and due, in this transaction. A row
        another scan took meanwhile is no longer pending (SQLite) or is locked (PostgreSQL)."""
        query = (
            select(NudgeRow)
            .where(
                NudgeRow.task_id.in_(list(task_ids)),
                NudgeRow.state == "pending",
                NudgeRow.due_at <= now,
            )
            .order_by(NudgeRow.due_at, NudgeRow.id)
        )
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        return [_nudge(r) for r in await self._s.scalars(query)]

    async def states(
        self, keys: Iterable[tuple[int, NudgeKind, str]]
    ) -> dict[tuple[int, NudgeKind, str], tuple[int, str]]:
        """(id, state) of the nudges that exist among these (task, kind, slot) keys."""
        wanted = set(keys)
        task_ids = sorted({k[0] for k in wanted})
        slots = sorted({k[2] for k in wanted})
        out: dict[tuple[int, NudgeKind, str], tuple[int, str]] = {}
        # Tasks × slots over-selects a little; the exact keys are kept below. Both lists are
        # split to stay under SQLite's bound-parameter limit.
        for t0 in range(0, len(task_ids), 400):
            for s0 in range(0, len(slots), 400):
                rows = await self._s.execute(
                    select(
                        NudgeRow.id, NudgeRow.task_id, NudgeRow.kind, NudgeRow.slot, NudgeRow.state
                    ).where(
                        NudgeRow.task_id.in_(task_ids[t0 : t0 + 400]),
                        NudgeRow.slot.in_(slots[s0 : s0 + 400]),
                    )
                )
                for nudge_id, task_id, kind, slot, state in rows:
                    key = (task_id, NudgeKind(kind), slot)
                    if key in wanted:
                        out[key] = (nudge_id, state)
        return out

    async def write(self, writes: Sequence[NudgeWrite], now: datetime) -> list[int]:
        """Insert the new nudges (id None) and update the others by id, one executemany per
        kind of change; returns every nudge's id, in order."""
        new = [w for w in writes if w.id is None]
        if new:
            # One multi-row INSERT, then the ids by key: an INSERT ... RETURNING goes one row
            # per statement on SQLite, each a round trip to the driver's thread.
            await self._s.execute(
                insert(NUDGES),
                [
                    {
                        "task_id": w.task_id,
                        "kind": w.kind.value,
                        "slot": w.slot,
                        "due_at": w.due_at,
                        "state": w.state,
                        "created_at": now,
                        "done_at": None if w.state == "pending" else now,
                        "urge_no": w.urge_no,
                    }
                    for w in new
                ],
            )
        made = await self.states((w.task_id, w.kind, w.slot) for w in new) if new else {}
        groups: dict[str, list[dict[str, Any]]] = {}
        for w in writes:
            if w.id is None:
                continue
            if w.state == "pending":  # planned again: a cancelled plan comes back
                groups.setdefault("revive", []).append(
                    {"id": w.id, "state": w.state, "due_at": w.due_at, "done_at": None}
                )
            elif w.state == "done":
                groups.setdefault("done", []).append(
                    {"id": w.id, "state": w.state, "done_at": now, "urge_no": w.urge_no}
                )
            else:  # merged, cancelled
                groups.setdefault("closed", []).append(
                    {"id": w.id, "state": w.state, "done_at": now}
                )
        for group in groups.values():
            await self._s.execute(update(NudgeRow), group)
        return [w.id if w.id is not None else made[(w.task_id, w.kind, w.slot)][0] for w in writes]


class DeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session
        self._skip_locked = session.bind is not None and session.bind.dialect.name == "postgresql"

    async def add(
        self,
        key: str,
        chat_id: int,
        text: str,
        buttons: list[list[dict[str, str]]],
        now: datetime,
        person_id: int | None = None,
        document: tuple[str, str, bytes] | None = None,
        nudge_ids: Sequence[int] = (),
        track: tuple[int, str] | None = None,
    ) -> bool:
        if await self._s.scalar(select(DeliveryRow.id).where(DeliveryRow.key == key)) is not None:
            return False
        name, kind, data = document if document is not None else (None, None, None)
        self._s.add(
            DeliveryRow(
                key=key,
                chat_id=chat_id,
                person_id=person_id,
                text=text,
                buttons=buttons,
                state="pending",
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                document=data,
                document_name=name,
                document_kind=kind,
                nudge_ids=list(nudge_ids) or None,
                track_task_id=track[0] if track else None,
                track_kind=track[1] if track else None,
            )
        )
        await self._s.flush()
        return True

    async def add_many(self, rows: Sequence[NewDelivery], now: datetime) -> int:
        """Queue these messages, each once per key (a key already queued is left alone), in
        one read of the keys and one INSERT; returns how many were added."""
        fresh: dict[str, NewDelivery] = {}
        for row in rows:
            fresh.setdefault(row.key, row)
        keys = list(fresh)
        for start in range(0, len(keys), 900):  # under SQLite's bound-parameter limit
            taken = await self._s.scalars(
                select(DeliveryRow.key).where(DeliveryRow.key.in_(keys[start : start + 900]))
            )
            for key in taken:
                fresh.pop(key, None)
        if not fresh:
            return 0
        await self._s.execute(
            insert(DELIVERIES),
            [
                {
                    "key": row.key,
                    "chat_id": row.chat_id,
                    "person_id": row.person_id,
                    "text": row.text,
                    "buttons": row.buttons,
                    "state": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                    "nudge_ids": list(row.nudge_ids) or None,
                    "resent": 0,
                }
                for row in fresh.values()
            ],
        )
        return len(fresh)

    async def existing(self, keys: Sequence[str]) -> set[str]:
        """The keys among these already queued (or sent), in one query."""
        if not keys:
            return set()
        return set(await self._s.scalars(select(DeliveryRow.key).where(DeliveryRow.key.in_(keys))))

    async def exists(self, key: str) -> bool:
        return (
            await self._s.scalar(select(DeliveryRow.id).where(DeliveryRow.key == key)) is not None
        )

    async def claim(self, now: datetime, limit: int, owner: str | None = None) -> list[Delivery]:
        query = (
            select(DeliveryRow)
            .where(DeliveryRow.state == "pending", DeliveryRow.next_attempt_at <= now)
            .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id)
            .limit(limit)
        )
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        rows = list(await self._s.scalars(query))
        if rows:
            await self._s.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id.in_([r.id for r in rows]))
                .values(state="claimed", owner=owner)
            )
        return [_delivery(r) for r in rows]

    async def pending_since_before(self, key_prefix: str, before: datetime) -> list[Delivery]:
        """Messages still waiting to go out that were queued before a moment."""
        rows = await self._s.scalars(
            select(DeliveryRow)
            .where(
                DeliveryRow.state == "pending",
                DeliveryRow.created_at < before,
                DeliveryRow.key.startswith(key_prefix),
            )
            .order_by(DeliveryRow.id)
        )
        return [_delivery(r) for r in rows]

    async def queued_after(
        self, key_prefix: str, chat_ids: Iterable[int], after: datetime
    ) -> list[Delivery]:
        """Messages to these chats queued after a moment, whatever became of them."""
        chats = list(set(chat_ids))
        out: list[Delivery] = []
        for start in range(0, len(chats), 900):
            rows = await self._s.scalars(
                select(DeliveryRow).where(
                    DeliveryRow.chat_id.in_(chats[start : start + 900]),
                    DeliveryRow.created_at > after,
                    DeliveryRow.key.startswith(key_prefix),
                )
            )
            out.extend(_delivery(r) for r in rows)
        return out

    async def went_out(self, key_prefix: str) -> bool:
        """Whether any message under this key prefix was (or may have been) sent: one put back
        to be sent again after its first try was cut off in flight may have arrived."""
        found = await self._s.scalar(
            select(DeliveryRow.id)
            .where(
                DeliveryRow.key.startswith(key_prefix),
                or_(
                    DeliveryRow.state.in_(["sending", "sent", "unknown"]),
                    DeliveryRow.resent > 0,
                ),
            )
            .limit(1)
        )
        return found is not None

    async def set_state(self, delivery_id: int, state: str, **values: Any) -> None:
        forget(self._s, NO_REMINDERS)  # a reminder sent now may carry a task's buttons
        await self._s.execute(
            update(DeliveryRow).where(DeliveryRow.id == delivery_id).values(state=state, **values)
        )

    async def start_sending(self, ids: Sequence[int], owner: str | None) -> set[int]:
        """Claimed → sending, for the rows still claimed by `owner`: a row another instance took
        back meanwhile (this one lost the lead, and the new leader's recovery put the row back
        in the queue) is not this instance's to send any more. Returns the ids taken."""
        if not ids:
            return set()
        mine = DeliveryRow.owner.is_(None) if owner is None else DeliveryRow.owner == owner
        taken = await self._s.scalars(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(list(ids)), DeliveryRow.state == "claimed", mine)
            .values(state="sending", attempts=DeliveryRow.attempts + 1)
            .returning(DeliveryRow.id)
            .execution_options(synchronize_session=False)
        )
        return set(taken)

    async def mark_sent(self, sent: Sequence[tuple[int, int | None, datetime]]) -> None:
        """(id, message id, when) of messages Telegram accepted: one statement for them all."""
        if sent:
            await self._s.execute(
                update(DeliveryRow),
                [
                    {"id": i, "state": "sent", "message_id": m, "sent_at": at, "error": None}
                    for i, m, at in sent
                ],
            )

    async def defer(self, ids: Sequence[int], at: datetime) -> None:
        await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(list(ids)))
            .values(state="pending", next_attempt_at=at)
            .execution_options(synchronize_session=False)
        )

    async def release(self, ids: Sequence[int], owner: str | None) -> int:
        """Rows this instance claimed and will not send after all (it lost the lead): back to
        the queue at once, for whichever instance leads now."""
        if not ids:
            return 0
        mine = DeliveryRow.owner.is_(None) if owner is None else DeliveryRow.owner == owner
        result = await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id.in_(list(ids)), DeliveryRow.state == "claimed", mine)
            .values(state="pending", owner=None)
            .execution_options(synchronize_session=False)
        )
        return _count(result)

    async def recover(self, me: str) -> Recovered:
        """At start-up, the rows left claimed or sending by an instance that is gone (any owner
        but `me`: only one instance runs at a time, see bot/db/instance.py). Claimed rows were
        never tried: pending again. A row caught sending had its request in flight: it may or
        may not have arrived, and a lost reminder costs more than a repeated one, so it is sent
        once more, marked; one already sent again that way is not sent a third time."""
        gone = or_(DeliveryRow.owner.is_(None), DeliveryRow.owner != me)
        back = await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.state == "claimed", gone)
            .values(state="pending", owner=None)
        )
        again = await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.state == "sending", gone, DeliveryRow.resent == 0)
            .values(
                state="pending",
                owner=None,
                resent=1,
                error="interrupted while sending: sent again, marked",
            )
        )
        lost = await self._s.execute(
            update(DeliveryRow)
            .where(DeliveryRow.state == "sending", gone)
            .values(state="unknown", owner=None, error="interrupted while sending, twice")
        )
        return Recovered(_count(back), _count(again), _count(lost))

    async def counts(self) -> dict[str, int]:
        rows = await self._s.execute(
            select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)
        )
        return {state: int(n) for state, n in rows}

    async def wake_leader(self, channel: str) -> None:
        """PostgreSQL: tell the instance that runs the scheduled work (listening on `channel`)
        that messages were queued; delivered when the transaction commits."""
        if self._skip_locked:  # PostgreSQL
            await self._s.execute(select(func.pg_notify(channel, "")))

    async def backlog(self, states: Sequence[str]) -> int:
        """Rows in these states (the unsent ones, few next to the sent: the state index)."""
        found = await self._s.scalar(
            select(func.count()).select_from(DeliveryRow).where(DeliveryRow.state.in_(states))
        )
        return int(found or 0)

    async def next_attempt_at(self) -> datetime | None:
        return await self._s.scalar(
            select(func.min(DeliveryRow.next_attempt_at)).where(DeliveryRow.state == "pending")
        )

    async def all(self) -> list[Delivery]:
        rows = await self._s.scalars(select(DeliveryRow).order_by(DeliveryRow.id))
        return [_delivery(r) for r in rows]


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
