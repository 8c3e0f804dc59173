"""The queries that run on every /viec and every due-scan use the indexes meant for them: the
plans are read from the database itself (EXPLAIN QUERY PLAN on SQLite; EXPLAIN on PostgreSQL).
The tables hold a few thousand rows shaped like a year of a ward: 20 units, most tasks done,
most nudges sent. PostgreSQL plans from statistics, so it is ANALYZEd, as autovacuum would;
SQLite is not, as in production (the bot never runs ANALYZE there)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine, is_sqlite, make_sessionmaker
from bot.db.migrate import upgrade
from bot.db.tables import NudgeRow, PersonRow, TaskEventRow, TaskRow, TaskUnitRow, UnitRow
from bot.db.uow import UnitOfWork, UnitOfWorkFactory

UNITS, TASKS = 20, 3000
T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


async def fill(engine: AsyncEngine) -> None:
    units = [{"id": u, "code": f"U{u}", "name": f"Unit {u}", "aliases": []} for u in range(1, 21)]
    tasks, coop, nudges, events = [], [], [], []
    for n in range(1, TASKS + 1):
        at = T0 + timedelta(hours=n)
        status = "done" if n < TASKS * 0.9 else "acknowledged"
        tasks.append(
            {
                "id": n,
                "code": f"NV-{n:05d}",
                "content": "x",
                "lead_unit_id": n % UNITS + 1,
                "assigner_id": 1,
                "status": status,
                "created_at": at,
                "due": at + timedelta(days=10),
                "extension_count": 0,
                "updated_at": at,
            }
        )
        if n % 3 == 0:
            coop.append({"task_id": n, "unit_id": (n + 7) % UNITS + 1})
        for k, kind in enumerate(("due_soon", "due_today", "overdue", "overdue")):
            state = "done" if status == "done" or k < 2 else "pending"
            nudges.append(
                {
                    "task_id": n,
                    "kind": kind,
                    "slot": f"{n}:{k}",
                    "due_at": at + timedelta(days=k + 8),
                    "state": state,
                    "created_at": at,
                }
            )
        events.append({"task_id": n, "kind": "assigned", "at": at, "before": {}, "after": {}})
    async with engine.begin() as conn:
        await conn.execute(insert(UnitRow), units)
        person = {"id": 1, "telegram_id": 1, "name": "A", "role": "chairman", "source": "file"}
        await conn.execute(insert(PersonRow), [person])
        await conn.execute(insert(TaskRow), tasks)
        await conn.execute(insert(TaskUnitRow), coop)
        await conn.execute(insert(NudgeRow), nudges)
        await conn.execute(insert(TaskEventRow), events)
    if not is_sqlite(str(engine.url)):
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            # As autovacuum would: statistics, and the visibility map index-only scans rely on.
            await conn.exec_driver_sql("VACUUM ANALYZE")


async def plans(database_url: str, use: Callable[[UnitOfWork], Awaitable[Any]]) -> list[str]:
    """The plan of each query `use` makes, as one text per query."""
    await asyncio.to_thread(upgrade, database_url)
    engine = create_engine(database_url)
    await fill(engine)
    seen: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async with UnitOfWorkFactory(make_sessionmaker(engine))() as uow:
            await use(uow)
        event.remove(engine.sync_engine, "before_cursor_execute", record)
        out = []
        async with engine.connect() as conn:
            if is_sqlite(database_url):
                for statement, parameters in seen:
                    rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                    out.append("\n".join(str(r[3]) for r in rows))
            else:
                for statement, parameters in seen:
                    rows = await conn.exec_driver_sql("EXPLAIN " + statement, parameters)
                    out.append("\n".join(str(r[0]) for r in rows))
        return out
    finally:
        await engine.dispose()


async def test_urges_are_counted_by_task_not_by_state(database_url: str) -> None:
    [plan] = await plans(database_url, lambda uow: uow.nudges.urges(range(2990, 3000)))
    assert "ix_nudges_task_id_state_kind" in plan, plan
    assert "ix_nudges_state_due_at" not in plan, plan
    assert "ix_task_events_task_id_kind_at" in plan, plan


async def test_a_units_open_tasks_are_found_by_unit(database_url: str) -> None:
    [plan] = await plans(database_url, lambda uow: uow.tasks.open_tasks(5))
    assert "ix_task_cooperators_unit_id" in plan, plan
    assert "ix_tasks_lead_unit_id_status" in plan, plan
    if is_sqlite(database_url):
        assert "SCAN task_cooperators" not in plan, plan
    else:
        assert "Seq Scan" not in plan, plan


async def test_the_digest_finds_the_late_tasks_by_status_and_deadline(database_url: str) -> None:
    """The leaders' digest: the open tasks past their deadline, and each one's urges by task;
    not every sent nudge (the (state, due_at) index), not every open task."""
    now = T0 + timedelta(days=200)
    [plan] = await plans(
        database_url, lambda uow: uow.nudges.escalated_late(now, ["assigned", "acknowledged"], 3)
    )
    assert "ix_nudges_state_due_at" not in plan, plan
    if is_sqlite(database_url):
        assert "ix_nudges_task_id_state_kind" in plan, plan
        assert "ix_tasks_status_due" in plan, plan
        assert "SCAN tasks" not in plan and "SCAN nudges" not in plan, plan
    else:  # by task (ix_nudges_task_id or the composite one), never the whole table
        assert "Seq Scan on nudges" not in plan and "Seq Scan on tasks" not in plan, plan
        # The late ones by both columns of (status, due), not every open task by status; each
        # one's history searched by task, never every extension and move ever made hashed.
        assert "ix_tasks_status_due" in plan, plan
        assert "hashed SubPlan" not in plan and "Bitmap Heap Scan on task_events" not in plan
        assert "ix_task_events_task_id" in plan, plan


async def test_the_digests_late_tasks_are_read_from_the_index_alone(database_url: str) -> None:
    """PostgreSQL: the late tasks' id and code come with (status, due) (INCLUDE, migration
    0016), not from the table's pages (19.5k of them at 1M tasks); and only the tasks urged
    often enough leave the subquery that counts them, each counted once (one count per plan)."""
    now = T0 + timedelta(days=200)
    [plan] = await plans(
        database_url, lambda uow: uow.nudges.escalated_late(now, ["assigned", "acknowledged"], 3)
    )
    if is_sqlite(database_url):  # no INCLUDE: found by (status, due), read by id as before
        assert "ix_tasks_status_due" in plan, plan
        return
    assert "Index Only Scan using ix_tasks_status_due on tasks" in plan, plan
    assert "Heap Scan on tasks" not in plan, plan
    assert plan.count("ix_nudges_task_id_state_kind") == 1, plan
    assert "Subquery Scan" in plan, plan


async def test_postgresql_compiles_no_query(database_url: str) -> None:
    """JIT off on the bot's connections: the digest's query at 1M tasks spent 0.5-0.7 s
    compiling, as long as it then ran."""
    if is_sqlite(database_url):
        return
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SHOW jit")) == "off"
    finally:
        await engine.dispose()


async def test_a_reports_tasks_are_found_by_index(database_url: str) -> None:
    """A week's tally: the unfinished tasks and those touched in the week, each by its index;
    the finished ones of earlier weeks are not read."""
    from bot.domain.tally import Period

    end = T0 + timedelta(hours=TASKS)
    week = Period(end - timedelta(days=7), end)

    async def read(uow: UnitOfWork) -> None:
        async for _ in uow.reports.fact_chunks([week]):
            pass

    found = await plans(database_url, read)
    scope = "\n".join(found[:2])  # the two searches for the tasks in scope
    if is_sqlite(database_url):
        assert "ix_tasks_completed_at_status" in scope, scope
        assert "ix_tasks_updated_at" in scope, scope
        for plan in found:
            assert not any(line.startswith("SCAN tasks") for line in plan.splitlines()), plan
    else:
        assert "Seq Scan on tasks" not in found[1], found[1]


async def test_the_requests_awaiting_a_decision_are_found_by_status(database_url: str) -> None:
    [plan] = await plans(database_url, lambda uow: uow.extensions.pending_all())
    if is_sqlite(database_url):
        assert "ix_extension_requests_status_task_id" in plan, plan
