"""The scans grow with what is due, not with the table (issue 13, point 2), checked without a clock:

- the first scan of the day (the leaders' digest) and the Monday scan (the weekly post) make the
  same statements after the history has grown tenfold with finished tasks;
- on SQLite, none of their queries reads a big table (tasks, nudges, history, extension
  requests, messages) from end to end: each goes through an index (EXPLAIN QUERY PLAN);
- the due-scan commits once per chunk, and the weekly tally is counted a chunk at a time with
  the event loop free between two chunks (another use case runs in between);
- a morning scan with nothing but ten nudges due opens one read and one write transaction and
  makes at most 20 statements (series, programme and drafts only asked about in one probe);
- a leader's /viec reads the most urgent tasks and decisions, not all, and counts the rest.

The data is a small province shaped like bench/scan.py's: a few units, most tasks finished long
ago, some open and late with past urges, ten nudges due."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, event, insert, update

from bot.app import Runtime, open_runtime
from bot.clock import ManualClock
from bot.config import load_settings
from bot.db.engine import is_sqlite
from bot.db.migrate import upgrade
from bot.db.tables import (
    DeliveryRow,
    ExtensionRow,
    NudgeRow,
    PersonRow,
    PublishedTallyRow,
    SettingRow,
    SupervisionRow,
    TaskEventRow,
    TaskRow,
    UnitRow,
)
from bot.domain import tally as tally_module
from bot.services import reports as reports_module
from bot.services.common import Actor, Where

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 11, 23, 8, 0, 30, tzinfo=VN)  # the weekly post: "mon 08:00"
FIRST = datetime(2026, 11, 25, 8, 0, 30, tzinfo=VN)  # Wednesday (24/11 is a day off)
BUILT = datetime(2026, 11, 23, 0, 0, tzinfo=VN)
UNITS = 10
LEADERS_CHAT = -100_000_000_001
CHAIRMAN_TG = 1_000_001
BIG_TABLES = ("tasks", "nudges", "task_events", "extension_requests", "deliveries")


class Ids:
    task = 0


def _person(pid: int, role: str, unit: int | None, can_dm: bool) -> dict[str, Any]:
    return {"id": pid, "telegram_id": 1_000_000 + pid, "name": f"Người {pid}", "role": role,
            "unit_id": unit, "can_dm": can_dm, "active": True, "source": "file"}  # fmt: skip


def _task(
    ids: Ids, unit: int, created: datetime, due: datetime | None, **over: Any
) -> dict[str, Any]:
    ids.task += 1
    row = {"id": ids.task, "code": f"NV-{ids.task:05d}", "content": f"Việc {ids.task}",
           "lead_unit_id": unit, "assigner_id": 1, "status": "acknowledged",
           "created_at": created, "original_due": due, "due": due, "extension_count": 0,
           "acknowledged_at": created + timedelta(hours=2), "acknowledged_by": 10 + unit,
           "updated_at": created + timedelta(hours=2), "reported_at": None,
           "reported_by": None, "completed_at": None}  # fmt: skip
    # Every row the same keys: an INSERT of many rows takes its columns from the first row's,
    # and a key only a later row has is dropped without a word (a report's reported_at was).
    row.update(over)
    return row


def _event(task: int, kind: str, at: datetime) -> dict[str, Any]:
    return {"task_id": task, "kind": kind, "actor_id": 1, "at": at,
            "before": {}, "after": {}}  # fmt: skip


def _nudge(task: int, kind: str, slot: str, at: datetime, state: str) -> dict[str, Any]:
    return {"task_id": task, "kind": kind, "slot": slot, "due_at": at,
            "state": state, "created_at": min(at, BUILT - timedelta(days=1)),
            "done_at": at if state == "done" else None,
            "urge_no": None}  # fmt: skip


async def fill(rt: Runtime, ids: Ids) -> list[int]:
    """The roster, 30 open tasks (20 late, urged 0 to 4 times), 300 finished; the ids of the ten
    tasks with a nudge due."""
    people = [_person(1, "chairman", None, True), _person(2, "vice_chairman", None, True)]
    people += [_person(3, "office", None, True)]
    people += [_person(10 + u, "head", u, u % 2 == 0) for u in range(1, UNITS + 1)]
    people += [_person(30 + u, "deputy", u, False) for u in range(1, UNITS + 1)]
    units = [{"id": u, "code": f"P{u}", "name": f"Phòng {u}", "aliases": [],
              "chat_id": -100_000_001_000 - u} for u in range(1, UNITS + 1)]  # fmt: skip
    tasks, events, nudges, due = [], [], [], []
    for n in range(30):
        unit = n % UNITS + 1
        created = BUILT - timedelta(days=40 + n)
        late = n < 20
        deadline = created + timedelta(days=20 if late else 80)
        row = _task(ids, unit, created, deadline)
        tasks.append(row)
        events.append(_event(row["id"], "assigned", created))
        if late:
            for k in range(n % 5):
                nudges.append(
                    _nudge(row["id"], "overdue", f"b{k}", deadline + timedelta(days=k + 1),
                           "done")
                )  # fmt: skip
        at = BUILT - timedelta(minutes=1) if n < 10 else FIRST + timedelta(days=3)
        nudges.append(_nudge(row["id"], "overdue" if late else "due_soon", "next", at,
                             "pending"))  # fmt: skip
        if n < 10:
            due.append(row["id"])
    # A result awaiting review, and a request for more time awaiting a decision.
    reported = _task(
        ids, 1, BUILT - timedelta(days=3), BUILT + timedelta(days=9), status="reported",
        reported_at=BUILT - timedelta(days=1), reported_by=11,
    )  # fmt: skip
    tasks.append(reported)
    async with rt.engine.begin() as conn:
        await conn.execute(insert(UnitRow), units)
        await conn.execute(insert(PersonRow), people)
        await conn.execute(
            insert(SupervisionRow), [{"person_id": 2, "unit_id": u} for u in range(1, UNITS + 1)]
        )
        await conn.execute(
            insert(SettingRow),
            [
                {"key": "leadership_chat", "value": str(LEADERS_CHAT)},
                {"key": "reports", "value": json.dumps({"weekly": "mon 08:00"})},
            ],
        )
        await conn.execute(insert(TaskRow), tasks)
        await conn.execute(
            insert(ExtensionRow),
            [{"task_id": tasks[25]["id"], "requested_by": 16, "requested_at": BUILT,
              "proposed_due": BUILT + timedelta(days=30), "reason": "x",
              "status": "pending"}],
        )  # fmt: skip
        await conn.execute(insert(TaskEventRow), events)
        await conn.execute(insert(NudgeRow), nudges)
    await add_finished(rt, ids, 300)
    return due


async def add_finished(rt: Runtime, ids: Ids, count: int) -> None:
    """Tasks finished long before the periods the scans look at, with their history."""
    tasks, events, nudges, extensions = [], [], [], []
    for n in range(count):
        created = BUILT - timedelta(days=400 + n % 300, hours=n % 11)
        deadline = created + timedelta(days=15)
        done = created + timedelta(days=10)
        row = _task(ids, n % UNITS + 1, created, deadline, status="done", reported_at=done,
                    reported_by=11, completed_at=done, updated_at=done)  # fmt: skip
        if n % 8 == 0:
            row["extension_count"] = 1
            extensions.append(
                {"task_id": row["id"], "requested_by": 11, "requested_at": created,
                 "proposed_due": deadline, "reason": "x", "status": "approved",
                 "decided_by": 1, "decided_at": created, "granted_due": deadline}
            )  # fmt: skip
        tasks.append(row)
        events += [_event(row["id"], "assigned", created)]
        events += [_event(row["id"], "approved", done)]
        nudges.append(_nudge(row["id"], "due_soon", "b", deadline - timedelta(days=3), "done"))
    async with rt.engine.begin() as conn:
        await conn.execute(insert(TaskRow), tasks)
        await conn.execute(insert(TaskEventRow), events)
        await conn.execute(insert(NudgeRow), nudges)
        if extensions:
            await conn.execute(insert(ExtensionRow), extensions)
    if not is_sqlite(str(rt.engine.url)):
        async with rt.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.exec_driver_sql("ANALYZE")


async def reset(rt: Runtime, due: list[int], monday_posted: bool = False) -> None:
    """As filled: what a scan wrote taken out, the ten due again. `monday_posted`: Monday's
    weekly post went out (else Wednesday makes it up: Tuesday 24/11 is a day off)."""
    async with rt.engine.begin() as conn:
        await conn.execute(delete(DeliveryRow))
        if monday_posted:
            year, week, _ = MONDAY.isocalendar()
            await conn.execute(
                insert(DeliveryRow),
                [{"key": f"report:week:{year}-W{week:02d}:{LEADERS_CHAT}",
                  "chat_id": LEADERS_CHAT, "text": "x", "buttons": [], "state": "sent",
                  "attempts": 1, "next_attempt_at": MONDAY, "created_at": MONDAY,
                  "resent": 0}],
            )  # fmt: skip
        await conn.execute(delete(PublishedTallyRow))
        await conn.execute(delete(NudgeRow).where(NudgeRow.created_at >= BUILT))
        await conn.execute(
            update(NudgeRow)
            .where(NudgeRow.task_id.in_(due), NudgeRow.slot == "next")
            .values(state="pending", done_at=None, urge_no=None)
        )


@pytest.fixture
async def province(database_url: str) -> AsyncIterator[tuple[Runtime, ManualClock]]:
    await asyncio.to_thread(upgrade, database_url)
    settings = load_settings(TELEGRAM_BOT_TOKEN="1:x", DATABASE_URL=database_url, _env_file=None)
    clock = ManualClock(FIRST)
    rt = open_runtime(settings, clock=clock)
    await rt.services.core.load_org_settings()
    try:
        yield rt, clock
    finally:
        await rt.close()


class Work:
    """What the scan cost: its statements, its commits and, on SQLite, the work of SQLite's
    virtual machine in steps of 100 instructions (which grows with the rows a query reads,
    by an index or not)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []
        self.commits = 0
        self.steps = 0

    def step(self) -> int:
        self.steps += 1
        return 0  # go on


async def scan(rt: Runtime) -> tuple[list[tuple[str, Any]], int, Any]:
    """The scheduler's scan up to the outbox; its statements and commits."""
    work = Work()
    result = await measured_scan(rt, work)
    return work.statements, work.commits, result


async def measured_scan(rt: Runtime, work: Work) -> Any:
    seen = work.statements
    commits = [0]

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    def commit(_c: Any) -> None:
        commits[0] += 1

    def checkout(dbapi_connection: Any, *_: Any) -> None:
        # sqlite3's connection (bot.db.inline): counted by SQLite itself as it runs.
        dbapi_connection.driver_connection.set_progress_handler(work.step, 100)

    sqlite = is_sqlite(str(rt.engine.url))
    event.listen(rt.engine.sync_engine, "before_cursor_execute", record)
    event.listen(rt.engine.sync_engine, "commit", commit)
    if sqlite:
        event.listen(rt.engine.sync_engine, "checkout", checkout)
    try:
        services: Any = rt.services
        if hasattr(services, "due_scan"):
            result = (await services.due_scan.prepare()).scan
        else:  # the scheduler's steps before DueScan: to compare with an older checkout
            await services.series.create_due()
            result = await services.chasing.scan()
            await services.programme.activate_due()
            await services.drafts.expired_edits()
            await services.reports.queue_due_posts()
    finally:
        event.remove(rt.engine.sync_engine, "before_cursor_execute", record)
        event.remove(rt.engine.sync_engine, "commit", commit)
        if sqlite:
            event.remove(rt.engine.sync_engine, "checkout", checkout)
    work.commits = commits[0]
    return result


async def full_scans(rt: Runtime, statements: list[tuple[str, Any]]) -> list[str]:
    """The SELECTs whose plan reads one of the big tables from end to end (SQLite)."""
    found = []
    async with rt.engine.connect() as conn:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            if "LIMIT" in statement and "ORDER BY" not in statement:
                continue  # stops at the first row it finds (TaskRepository.any_before)
            rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            for row in rows:
                detail = str(row[3])
                if any(detail.startswith(f"SCAN {table}") for table in BIG_TABLES):
                    found.append(f"{detail}: {statement[:160]}")
    return found


async def test_the_first_and_the_monday_scan_do_not_grow_with_finished_tasks(
    province: tuple[Runtime, ManualClock],
) -> None:
    rt, clock = province
    ids = Ids()
    due = await fill(rt, ids)
    counts: dict[str, list[int]] = {"first": [], "monday": []}
    steps: dict[str, list[int]] = {"first": [], "monday": []}
    await reset(rt, due)
    await scan(rt)  # as in a running bot, the roster is in memory already
    for size in ("small", "tenfold"):
        if size == "tenfold":
            await add_finished(rt, ids, 2700)
        for name, moment in (("first", FIRST), ("monday", MONDAY)):
            await reset(rt, due, monday_posted=name == "first")
            clock.set(moment)
            work = Work()
            result = await measured_scan(rt, work)
            statements = work.statements
            steps[name].append(work.steps)
            assert result.nudges == 10 and result.digests == 1, result
            async with rt.services.core.uow(read_only=True) as uow:
                keys = {d.key for d in await uow.deliveries.all() if d.state == "pending"}
            assert any(k.startswith("digest:") for k in keys), keys
            assert any(k.startswith("report:week:") for k in keys) == (name == "monday"), keys
            counts[name].append(len(statements))
            if is_sqlite(str(rt.engine.url)):
                assert await full_scans(rt, statements) == [], name
    # The same statements whatever the history: a scan's work is what is due.
    assert counts["first"][0] == counts["first"][1], counts
    assert counts["monday"][0] == counts["monday"][1], counts
    if is_sqlite(str(rt.engine.url)):
        # And about the same work inside SQLite: index searches get a little deeper with a
        # tenfold table, a query that read the finished tasks (or their nudges) would not.
        print(steps)
        for name, (small, tenfold) in steps.items():
            assert tenfold < small * 1.3, (name, steps)


async def test_the_due_scan_commits_each_chunk(province: tuple[Runtime, ManualClock]) -> None:
    rt, clock = province
    due = await fill(rt, Ids())
    await reset(rt, due, monday_posted=True)
    clock.set(FIRST)
    rt.services.chasing.scan_chunk = 2  # the ten due tasks are in ten units: five chunks
    rt.services.chasing.scan_pause = 0
    _, commits, result = await scan(rt)
    assert result.nudges == 10
    # Five chunks, the digest, and the scan's other steps (each its own short transaction).
    assert commits >= 6, commits
    rt.services.chasing.scan_chunk = 200
    await reset(rt, due, monday_posted=True)
    _, fewer, _ = await scan(rt)
    assert commits - fewer == 4, (commits, fewer)


async def test_the_weekly_tally_lets_others_in_between_its_chunks(
    province: tuple[Runtime, ManualClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = province
    due = await fill(rt, Ids())
    await reset(rt, due)
    clock.set(MONDAY)
    # Five tasks at a time: the 31 tasks in scope (the open ones) are counted in seven parts.
    monkeypatch.setattr(reports_module, "FACTS_CHUNK", 5)
    order: list[str] = []
    counted = tally_module.TallyCounter.add

    def add(self: tally_module.TallyCounter, facts: Any) -> None:
        order.append("chunk")
        counted(self, facts)

    monkeypatch.setattr(tally_module.TallyCounter, "add", add)
    stop = asyncio.Event()

    async def someone() -> None:
        # A /nv (a read-only use case) at every turn of the event loop it gets.
        while not stop.is_set():
            outcome = await rt.services.tasks.show(
                Actor(CHAIRMAN_TG, "Chủ tịch"), Where(CHAIRMAN_TG, True), "NV-00001"
            )
            assert "NV-00001" in (outcome.reply or "")
            order.append("nv")
            await asyncio.sleep(0)

    other = asyncio.create_task(someone())
    await asyncio.sleep(0)
    await rt.services.reports.queue_due_posts()
    stop.set()
    await other
    chunks = [i for i, what in enumerate(order) if what == "chunk"]
    # Two periods (this week and the one before) count each chunk: 2 × 7 additions.
    assert len(chunks) == 14, order
    # Someone was answered between the first chunk and the last, not only after the tally.
    assert "nv" in order[chunks[0] : chunks[-1]], order


async def test_the_morning_scan_does_only_what_is_due(
    province: tuple[Runtime, ManualClock],
) -> None:
    """Wednesday 10:00, the day's digest and Monday's post out, ten nudges due and nothing else:
    one read transaction says so for every step, one write transaction claims the ten."""
    rt, clock = province
    due = await fill(rt, Ids())
    moment = FIRST.replace(hour=10, minute=0, second=0)
    clock.set(moment)
    await reset(rt, due, monday_posted=True)
    await scan(rt)  # the digest goes out on the first scan of the day
    await reset(rt, due, monday_posted=True)
    async with rt.engine.begin() as conn:
        await conn.execute(
            insert(DeliveryRow),
            [{"key": f"digest:{moment.date().isoformat()}:{LEADERS_CHAT}",
              "chat_id": LEADERS_CHAT, "text": "x", "buttons": [], "state": "sent",
              "attempts": 1, "next_attempt_at": moment, "created_at": moment,
              "resent": 0}],
        )  # fmt: skip
    statements, commits, result = await scan(rt)
    assert result.nudges == 10 and result.digests == 0, result
    text = [s for s, _ in statements]
    writes = [s for s in text if s.startswith("BEGIN IMMEDIATE")]
    reads = [s for s in text if s.startswith("BEGIN") and s not in writes]
    listing = "\n".join(s[:120] for s in text)
    # On SQLite: 2 BEGINs, the probe, the rules with the reports' setting, the due tasks, the
    # roster's stamp, the digest's key, the reports' keys, and the chunk's 11 (35 before).
    assert len(statements) <= 18 if is_sqlite(str(rt.engine.url)) else 16, listing
    assert commits == 1, listing  # the chunk's; nothing else wrote
    if is_sqlite(str(rt.engine.url)):
        assert len(writes) == 1 and len(reads) == 1, listing
    for table in ("FROM series", "FROM programme_items", "FROM drafts"):
        # Only inside the probe's EXISTS: no step with nothing due opened.
        assert sum(table in s for s in text) == 1, (table, listing)
    for table in ("FROM org_settings", "FROM counters"):
        # Once each per scan (twice before): the rules with the reports' settings in one
        # statement, the roster's stamp read by the read transaction and carried to the writes.
        assert sum(table in s for s in text) == 1, (table, listing)
    if is_sqlite(str(rt.engine.url)):
        assert await full_scans(rt, statements) == []


async def test_viec_reads_the_most_urgent_and_counts_the_rest(
    province: tuple[Runtime, ManualClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A leader's /viec in a province: the few most urgent tasks and decisions, what one
    message holds, with how many there are in all and how to see more."""
    from bot.services import decisions as decisions_module
    from bot.services import tasks as tasks_module

    rt, clock = province
    await fill(rt, Ids())  # 31 open (20 late), a request for more time pending
    async with rt.engine.begin() as conn:  # and a second one, newer
        await conn.execute(
            insert(ExtensionRow),
            [{"task_id": 27, "requested_by": 17, "requested_at": BUILT + timedelta(hours=1),
              "proposed_due": BUILT + timedelta(days=30), "reason": "y", "status": "pending"}],
        )  # fmt: skip
    clock.set(FIRST)
    # (raising=False: so that the test runs, and fails, on a checkout from before them)
    monkeypatch.setattr(tasks_module, "LIST_SHOWN", 5, raising=False)
    monkeypatch.setattr(decisions_module, "SECTION_SHOWN", 1, raising=False)
    work = Work()
    seen = work.statements

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(rt.engine.sync_engine, "before_cursor_execute", record)
    try:
        outcome = await rt.services.tasks.open_tasks(
            Actor(CHAIRMAN_TG, "Chủ tịch"), Where(CHAIRMAN_TG, True)
        )
    finally:
        event.remove(rt.engine.sync_engine, "before_cursor_execute", record)
    text = outcome.reply or ""
    # Three decisions wait on the chairman (who assigned the tasks): the result to review
    # (reported the day before the first request) shown, the two requests for more time counted.
    assert "(3)" in text and "… và 2 việc khác đang chờ." in text, text
    assert "NV-00031" in text and "chờ duyệt" in text, text
    assert "NV-00026" not in text and "NV-00027" not in text, text
    assert "Nhiệm vụ đang mở</b> (31)" in text and "20 nhiệm vụ quá hạn" in text, text
    assert "… và 26 nhiệm vụ khác." in text and "<code>/viec P1</code>" in text, text
    assert text.count("• <b>NV-") == 5 + 1, text
    assert len(text) <= 4096
    # Read: five tasks for the list, one for the decisions, never every open task.
    full = [s for s, _ in seen if s.startswith("SELECT tasks.id, tasks.code, tasks.content")]
    assert len(full) == 2, full
    if is_sqlite(str(rt.engine.url)):
        assert await full_scans(rt, seen) == []
