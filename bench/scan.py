"""Benchmark (not a test): the due-scan at 10k, 100k and 1M tasks (a province: 600 units over three
years, mostly done, a realistic share open and late, their history and their past urges), on
SQLite and, with --pg, on PostgreSQL.

    PYTHONPATH=. .venv/bin/python bench/scan.py [--sizes 10000,100000,1000000] [--units 600]
        [--dir /tmp/dondoc-scan] [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/test]
        [--repeat 3] [--code /path/to/checkout] [--pg-prefix dondoc_scan] [--drop]

Three scans, each with exactly 10 nudges due, so that what grows is the scan's fixed cost:
- morning: Wednesday 10:00, the day's digest already out;
- first: Wednesday 08:00, the first scan of the day (the leaders' digest of overdue tasks);
- monday: Monday 08:00, the digest and the weekly post (reports.weekly "mon 08:00": the tally of
  the week and the week before, its text and chart).
Each scan is the scheduler's (scheduler/jobs.py `_run`) up to the outbox: series, chasing.scan,
programme, expired drafts, scheduled reports; sending is bench/burst.py's. While it runs, a /nv (the
service call `tasks.show`) is made every 20 ms; the longest wait of one is printed beside /nv's time
when nothing else runs. Each scan runs in a fresh process (the bot's imports, its memory high-water
mark is its own), --repeat times on the same database, put back between runs.

Baseline in the same run: every open task read as domain objects (`open_tasks`), what a scan that
grows with the table does (the digest used to).

Databases are built once (1M tasks: a few minutes) under --dir (PostgreSQL: a database per size
next to the one in --pg, named --pg-prefix_TASKS_UNITS, filled by COPY) and reused while their
recipe matches; --drop drops the PostgreSQL ones at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 11, 23, 8, 0, 30, tzinfo=VN)
# Tuesday 24 November is a day off (Ngày Văn hóa Việt Nam, from 2026): Wednesday's scans.
FIRST = datetime(2026, 11, 25, 8, 0, 30, tzinfo=VN)
MORNING = datetime(2026, 11, 25, 10, 0, tzinfo=VN)
BUILT = datetime(2026, 11, 23, 0, 0, tzinfo=VN)  # the history ends here; later rows are the scans'
LATER = datetime(2026, 11, 26, 8, 0, tzinfo=VN)  # every other pending nudge is due from here on
DUE = 10
LEADERS_CHAT = -100_000_000_001
ALL_UNITS_CHAT = -100_000_000_002
RECIPE = 4  # bump when the data changes
SCENARIOS = {"morning": MORNING, "first": FIRST, "monday": MONDAY}
CHIEF = 1  # person ids: chairman, then four vice-chairmen, then the office
OFFICE = 6
PROBER = 1_000_001  # the chairman's Telegram id: makes the /nv calls


def person_of(unit: int, deputy: bool = False) -> int:
    return 7 + (unit - 1) * 2 + int(deputy)


# --- building the data ---------------------------------------------------------------------------


def build(url: str, tasks: int, units: int) -> dict[str, Any]:
    """Fill a migrated, empty database; returns what reset() needs (the 10 due nudges)."""
    from sqlalchemy import insert

    from bot.db.tables import (
        ExtensionRow,
        NudgeRow,
        PersonRow,
        SettingRow,
        SupervisionRow,
        TaskEventRow,
        TaskRow,
        TaskUnitRow,
        UnitRow,
    )

    sync_url = url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    if "+psycopg" in sync_url:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            sync_url = url  # fall back to the async driver below
    rng = random.Random(13)
    start = BUILT - timedelta(days=3 * 365)
    seconds = int((BUILT - start).total_seconds())
    rows: dict[Any, list[dict[str, Any]]] = {
        t: [] for t in (TaskRow, TaskUnitRow, ExtensionRow, TaskEventRow, NudgeRow)
    }
    late_open: list[tuple[int, int]] = []
    ids = {"event": 0, "nudge": 0}
    due_nudges: dict[int, int] = {}  # task → its pending nudge's id

    def event(task: int, kind: str, actor: int, at: datetime, after: dict[str, Any]) -> None:
        ids["event"] += 1
        rows[TaskEventRow].append(
            {"id": ids["event"], "task_id": task, "kind": kind, "actor_id": actor, "at": at,
             "before": {}, "after": after, "note": None}
        )  # fmt: skip

    def nudge(task: int, kind: str, slot: str, at: datetime, state: str, urge: int | None) -> int:
        ids["nudge"] += 1
        rows[NudgeRow].append(
            {"id": ids["nudge"], "task_id": task, "kind": kind, "slot": slot, "due_at": at,
             "state": state, "created_at": min(at, BUILT - timedelta(days=1)),
             "done_at": at if state == "done" else None, "urge_no": urge, "actor_id": None,
             "note": None}
        )  # fmt: skip
        return ids["nudge"]

    def flush(conn: Any, final: bool = False) -> None:
        for table, data in rows.items():
            if data and (final or len(data) >= 20_000):
                if copy is not None:
                    copy(conn, table, data)
                else:
                    run(conn, insert(table), data)
                data.clear()

    engine, run, done = _connect(url, sync_url)
    copy = _copier(_LOOPS[0]) if "+asyncpg" in url and _LOOPS else None
    conn = engine
    run(conn, insert(UnitRow), [
        {"id": u, "code": f"P{u:03d}", "name": f"Phòng số {u}", "aliases": [f"PS{u}"],
         "chat_id": -100_000_001_000 - u, "active": True}
        for u in range(1, units + 1)
    ])  # fmt: skip
    people = [
        {"id": CHIEF, "telegram_id": 1_000_001, "name": "Chủ tịch", "role": "chairman",
         "unit_id": None, "can_dm": True, "active": True, "source": "file"},
        *({"id": i, "telegram_id": 1_000_000 + i, "name": f"Phó Chủ tịch {i - 1}",
           "role": "vice_chairman", "unit_id": None, "can_dm": True, "active": True,
           "source": "file"} for i in range(2, 6)),
        {"id": OFFICE, "telegram_id": 1_000_006, "name": "Văn phòng", "role": "office",
         "unit_id": None, "can_dm": True, "active": True, "source": "file"},
    ]  # fmt: skip
    for u in range(1, units + 1):
        for deputy in (False, True):
            pid = person_of(u, deputy)
            people.append(
                {"id": pid, "telegram_id": 2_000_000 + pid, "name": f"Cán bộ {pid}",
                 "role": "deputy" if deputy else "head", "unit_id": u, "can_dm": u % 3 == 0,
                 "active": True, "source": "file"}
            )  # fmt: skip
    run(conn, insert(PersonRow), people)
    run(conn, insert(SupervisionRow), [
        {"person_id": 2 + (u % 4), "unit_id": u} for u in range(1, units + 1)
    ])  # fmt: skip
    run(conn, insert(SettingRow), [
        {"key": "leadership_chat", "value": str(LEADERS_CHAT)},
        {"key": "reports", "value": json.dumps(
            {"weekly": "mon 08:00", "all_units_chat": ALL_UNITS_CHAT})},
    ])  # fmt: skip
    for n in range(1, tasks + 1):
        created = start + timedelta(seconds=rng.randrange(seconds))
        unit = rng.randrange(1, units + 1)
        head = person_of(unit)
        assigner = rng.choice((CHIEF, 2, 3, 4, 5, OFFICE))
        due = None if rng.random() < 0.08 else created + timedelta(days=rng.randrange(3, 60))
        original, ext_count = due, 0
        if due is not None and rng.random() < 0.1:
            ext_count = 1
            decided = due - timedelta(days=1)
            granted = due + timedelta(days=rng.randrange(5, 30))
            rows[ExtensionRow].append(
                {"task_id": n, "requested_by": head, "requested_at": decided - timedelta(hours=5),
                 "proposed_due": granted, "reason": "Chờ số liệu", "status": "approved",
                 "decided_by": assigner, "decided_at": decided, "granted_due": granted}
            )  # fmt: skip
            due = granted
        span = (due or created + timedelta(days=40)) - created
        finish = created + span * rng.uniform(0.3, 1.4)
        ack = created + timedelta(hours=rng.randrange(1, 30))
        status, completed = "acknowledged", None
        if finish < BUILT and rng.random() < 0.97:
            status, completed = "done", finish
        elif rng.random() < 0.08:
            status, ack = "assigned", None
        elif rng.random() < 0.05:
            status = "reported"
        withdrawn = status != "done" and rng.random() < 0.04
        updated = completed or ack or created
        if withdrawn:
            status, updated = "withdrawn", min(BUILT, created + timedelta(days=5))
        rows[TaskRow].append({
            "id": n, "code": f"NV-{n:07d}",
            "content": f"Nhiệm vụ số {n}: báo cáo tình hình thực hiện "
                       + "x" * rng.randrange(20, 90),
            "source": None, "origin_chat_id": None, "attachment": None, "lead_unit_id": unit,
            "assigner_id": assigner, "status": status, "created_at": created,
            "original_due": original, "due": due, "extension_count": ext_count,
            "acknowledged_at": ack, "acknowledged_by": head if ack else None,
            "reported_at": completed or (updated if status == "reported" else None),
            "reported_by": head if completed or status == "reported" else None,
            "completed_at": completed, "result": "Đã hoàn thành" if completed else None,
            "result_attachment": None, "updated_at": updated, "document_id": None,
            "series_id": None, "series_period": None,
        })  # fmt: skip
        if rng.random() < 0.2:
            rows[TaskUnitRow].append({"task_id": n, "unit_id": unit % units + 1})
        event(n, "assigned", assigner, created, {"status": "assigned"})
        if ack:
            event(n, "acknowledged", head, ack, {"status": "acknowledged"})
        if ext_count:
            event(n, "extension_approved", assigner, due - timedelta(days=1), {"due": "x"})
        if completed:
            event(n, "approved", assigner, completed, {"status": "done"})
        elif status == "reported":
            event(n, "reported", head, updated, {"status": "reported"})
        # The schedule: past reminders sent, and each open task's next one (one pending row).
        if due is not None and (completed is None or completed > due - timedelta(days=3)):
            nudge(n, "due_soon", "b:soon", due - timedelta(days=3), "done", None)
        if status in ("assigned", "acknowledged"):
            late = due is not None and due < BUILT
            if late:
                for k in range(rng.randrange(0, 7)):
                    nudge(n, "overdue", f"b:o{k}", due + timedelta(days=k + 1), "done", k + 1)
            kind = "overdue" if late else ("check_in" if due is None else "due_soon")
            at = LATER + timedelta(minutes=rng.randrange(0, 60 * 24 * 20))
            if due is not None and not late:
                at = max(at, due - timedelta(days=3))
            due_nudges[n] = nudge(n, kind, "b:next", at, "pending", None)
            if late and status == "acknowledged":
                late_open.append((n, unit))
        if n % 20_000 == 0:
            flush(conn)
    flush(conn, final=True)
    # The ten due: late tasks of ten different units, each with its next urge due at 07:59.
    picked: dict[int, int] = {}
    seen_units: set[int] = set()
    for n, unit in late_open:
        if unit not in seen_units and len(picked) < DUE:
            seen_units.add(unit)
            picked[n] = due_nudges[n]
    chosen = list(picked)
    from sqlalchemy import update

    moment = MONDAY.replace(minute=0, second=0) - timedelta(minutes=1)
    for nudge_id in picked.values():
        run(conn, update(NudgeRow).where(NudgeRow.id == nudge_id).values(due_at=moment), None)
    if "postgresql" in url:  # rows written with their ids: the sequences continue after them
        from sqlalchemy import text

        for table in ("units", "people", "tasks", "task_events", "nudges"):
            run(conn, text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"), None)  # fmt: skip
    done(conn)
    return {"due_nudges": sorted(picked.values()), "due_tasks": sorted(picked),
            "probe_task": f"NV-{chosen[0]:07d}"}  # fmt: skip


_LOOPS: list[asyncio.AbstractEventLoop] = []  # the private loop of _connect's async connection


def _copier(loop: asyncio.AbstractEventLoop) -> Any:
    """copy(conn, table, rows) by COPY (asyncpg's copy_records_to_table): on PostgreSQL 1M tasks'
    rows through executemany took most of an hour; each value goes through its column's own bind
    processing (naive UTC times, JSON as text), as an INSERT's would."""
    from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

    dialect = asyncpg_dialect()

    def copy(c: Any, table: Any, data: list[dict[str, Any]]) -> None:
        given = data[0].keys()  # the others take their server defaults (serial ids), as INSERT
        columns = [col for col in table.__table__.columns if col.key in given]
        procs = [col.type.dialect_impl(dialect).bind_processor(dialect) for col in columns]
        records = [
            tuple(
                (proc(row.get(col.key)) if proc else row.get(col.key))
                for col, proc in zip(columns, procs, strict=True)
            )
            for row in data
        ]

        async def go() -> None:
            raw = await c.get_raw_connection()
            await raw.driver_connection.copy_records_to_table(
                table.__tablename__, records=records, columns=[col.name for col in columns]
            )

        loop.run_until_complete(go())

    return copy


def _connect(url: str, sync_url: str) -> tuple[Any, Any, Any]:
    """(connection, run(conn, statement, rows), done(conn)): a synchronous connection when the
    database has a synchronous driver here, else the async one driven from a private loop."""
    from sqlalchemy import create_engine

    if "+aiosqlite" not in sync_url and "+asyncpg" not in sync_url:
        engine = create_engine(sync_url)
        conn = engine.connect()
        if sync_url.startswith("sqlite"):
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            conn.exec_driver_sql("PRAGMA synchronous=OFF")

        def run(c: Any, statement: Any, data: Any) -> Any:
            result = c.execute(statement) if data is None else c.execute(statement, data)
            return list(result) if result.returns_rows else None

        def done(c: Any) -> None:
            c.commit()
            c.close()
            engine.dispose()

        return conn, run, done
    from bot.db.engine import create_engine as create_async

    loop = asyncio.new_event_loop()
    aengine = create_async(url)
    aconn = loop.run_until_complete(aengine.connect())
    loop.run_until_complete(aconn.begin())
    _LOOPS[:] = [loop]

    def arun(c: Any, statement: Any, data: Any) -> Any:
        async def go() -> Any:
            result = await (c.execute(statement) if data is None else c.execute(statement, data))
            return list(result) if result.returns_rows else None

        return loop.run_until_complete(go())

    def adone(c: Any) -> None:
        loop.run_until_complete(c.commit())
        loop.run_until_complete(c.close())
        loop.run_until_complete(aengine.dispose())
        loop.close()

    return aconn, arun, adone


# --- the measurements (each in a fresh process) --------------------------------------------------


async def reset(engine: Any, info: dict[str, Any], scenario: str) -> None:
    """Put the database back as built: what a scan wrote is taken out, the due nudges pending."""
    from sqlalchemy import delete, insert, update

    from bot.db.tables import DeliveryRow, NudgeRow, PublishedTallyRow

    async with engine.begin() as conn:
        await conn.execute(delete(DeliveryRow))
        await conn.execute(delete(PublishedTallyRow))
        await conn.execute(delete(NudgeRow).where(NudgeRow.created_at >= BUILT))
        await conn.execute(
            update(NudgeRow)
            .where(NudgeRow.id.in_(info["due_nudges"]))
            .values(state="pending", done_at=None, urge_no=None)
        )
        keys: list[str] = []
        if scenario == "morning":
            # The day's digests went out at 08:00.
            day = MORNING.date().isoformat()
            keys = [f"digest:{day}:{LEADERS_CHAT}", f"digest-decide:{day}:p{OFFICE}"]
            keys += [f"digest-decide:{day}:p{i}" for i in range(1, 6)]
        if scenario != "monday":
            # Monday's weekly post went out on Monday (else Wednesday makes it up: Tuesday is off).
            year, week, _ = MONDAY.isocalendar()
            keys += [f"report:week:{year}-W{week:02d}:{c}" for c in (LEADERS_CHAT, ALL_UNITS_CHAT)]
        if keys:
            await conn.execute(
                insert(DeliveryRow),
                [
                    {"key": k, "chat_id": LEADERS_CHAT, "text": "x", "buttons": [], "state": "sent",
                     "attempts": 1, "next_attempt_at": FIRST, "created_at": FIRST, "resent": 0}
                    for k in keys
                ],
            )  # fmt: skip


async def scan_once(services: Any) -> Any:
    """What scheduler.jobs._run does before it sends (the drafts' edits are Telegram's), with its
    statements off the event loop where the code measured does that (scheduler.jobs.run_once)."""
    try:
        from bot.db.inline import off_loop
    except ImportError:  # --code: a checkout from before bot.db.inline
        off_loop = contextlib.nullcontext
    with off_loop():
        if hasattr(services, "due_scan"):
            return (await services.due_scan.prepare()).scan
        await services.series.create_due()  # a checkout from before DueScan (--code)
        result = await services.chasing.scan()
        await services.programme.activate_due()
        await services.drafts.expired_edits()
        await services.reports.queue_due_posts()
    return result


async def probe(services: Any, info: dict[str, Any], stop: asyncio.Event) -> list[float]:
    """A /nv every 20 ms until `stop`: how long each took from the moment it was due."""
    from bot.services.common import Actor, Where

    actor = Actor(PROBER, "Chủ tịch")
    where = Where(PROBER, True)
    waits: list[float] = []
    loop = asyncio.get_running_loop()
    target = loop.time()
    while not stop.is_set():
        target += 0.02
        delay = target - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        began = min(target, loop.time())
        outcome = await services.tasks.show(actor, where, info["probe_task"])
        assert info["probe_task"] in (outcome.reply or ""), outcome.reply
        waits.append(loop.time() - began)
        target = max(target, loop.time() - 0.02)
    return waits


async def measure(scenario: str, url: str, repeat: int, info: dict[str, Any]) -> dict[str, Any]:
    from sqlalchemy import event

    from bot.app import open_runtime
    from bot.clock import ManualClock
    from bot.config import load_settings
    from bot.db.migrate import upgrade

    try:  # the schema of the code measured (an older checkout: as it is, if newer)
        await asyncio.to_thread(upgrade, url)
    except Exception as exc:
        print(f"schema left as it is: {exc}", file=sys.stderr)
    settings = load_settings(TELEGRAM_BOT_TOKEN="1:x", DATABASE_URL=url, _env_file=None)
    clock = ManualClock(SCENARIOS.get(scenario, MORNING))
    rt = open_runtime(settings, clock=clock)
    services = rt.services
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    await services.core.load_org_settings()  # as post_init does
    await probe_one(services, info)  # the roster in memory, as in a running bot
    # What start-up built out of the collector's sight, as post_init does (bot.app): without
    # it every full collection walked the imports, ~85 ms a time, which the bot never does.
    gc.freeze()
    if scenario != "naive":  # a running bot has scanned before: its statements are compiled
        await reset(rt.engine, info, scenario)
        await scan_once(services)
    idle: list[float] = []
    for _ in range(25):
        t0 = time.perf_counter()
        await probe_one(services, info)
        idle.append(time.perf_counter() - t0)
    times: list[float] = []
    waits: list[float] = []
    counts: list[int] = []
    cpus: list[float] = []  # the bot process's own CPU time (not the database server's)
    out: dict[str, Any] = {}
    for _ in range(repeat):
        await reset(rt.engine, info, scenario)
        if scenario == "naive":
            t0 = time.perf_counter()
            async with services.core.uow(read_only=True) as uow:
                found = await uow.tasks.open_tasks(limit=10_000_000)
            times.append(time.perf_counter() - t0)
            out["open_tasks"] = len(found)
            del found
            continue
        # Timed alone (its statements counted), then again beside the /nv calls.
        event.listen(rt.engine.sync_engine, "before_cursor_execute", count)
        statements[0] = 0
        t0, c0 = time.perf_counter(), time.process_time()
        result = await scan_once(services)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        event.remove(rt.engine.sync_engine, "before_cursor_execute", count)
        counts.append(statements[0])
        out["nudges"] = result.nudges
        out["digests"] = result.digests
        async with services.core.uow(read_only=True) as uow:
            out["queued"] = sum((await uow.deliveries.counts()).values())
        await reset(rt.engine, info, scenario)
        stop = asyncio.Event()
        prober = asyncio.create_task(probe(services, info, stop))
        await asyncio.sleep(0.05)
        t0 = time.perf_counter()
        await scan_once(services)
        out.setdefault("times_probed", []).append(time.perf_counter() - t0)
        stop.set()
        waits.append(max(await prober))
    await rt.close()
    out.update(
        {"times": times, "cpus": cpus, "waits": waits, "statements": counts, "idle_nv": idle}
    )
    return out


async def probe_one(services: Any, info: dict[str, Any]) -> None:
    from bot.services.common import Actor, Where

    actor, where = Actor(PROBER, "Chủ tịch"), Where(PROBER, True)
    outcome = await services.tasks.show(actor, where, info["probe_task"])
    assert info["probe_task"] in (outcome.reply or ""), outcome.reply


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss carries over fork + exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(scenario: str, url: str, repeat: int, info_json: str) -> None:
    result = asyncio.run(measure(scenario, url, repeat, json.loads(info_json)))
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


def run_child(scenario: str, url: str, repeat: int, info: dict[str, Any], code: Path) -> Any:
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run(
        [sys.executable, __file__, "--measure", scenario, "--url", url, "--repeat", str(repeat),
         "--info", json.dumps(info)],
        capture_output=True, text=True, env=env, cwd=code,
    )  # fmt: skip
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit(f"{scenario} failed on {url}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- databases -----------------------------------------------------------------------------------


def ensure_sqlite(folder: Path, tasks: int, units: int) -> tuple[str, dict[str, Any]]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"scan-{tasks}-{units}.db"
    stamp = path.with_suffix(".json")
    url = f"sqlite+aiosqlite:///{path}"
    wanted = {"tasks": tasks, "units": units, "recipe": RECIPE}
    if path.exists() and stamp.exists():
        saved = json.loads(stamp.read_text())
        if saved["wanted"] == wanted:
            return url, saved["info"]
    for old in (path, stamp, Path(f"{path}-wal"), Path(f"{path}-shm")):
        old.unlink(missing_ok=True)
    info = _build(url, tasks, units)
    stamp.write_text(json.dumps({"wanted": wanted, "info": info}))
    return url, info


def pg_name(prefix: str, tasks: int, units: int) -> str:
    return f"{prefix}_{tasks}_{units}"


def drop_pg(base: str, names: list[str]) -> None:
    """The scratch databases built here, dropped (--drop)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    async def go() -> None:
        admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
        conn = await asyncpg.connect(admin)
        try:
            for name in names:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                print(f"dropped {name}")
        finally:
            await conn.close()

    asyncio.run(go())


def ensure_pg(base: str, tasks: int, units: int, prefix: str) -> tuple[str, dict[str, Any]]:
    from sqlalchemy.engine import make_url

    name = pg_name(prefix, tasks, units)
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    wanted = {"tasks": tasks, "units": units, "recipe": RECIPE}

    async def stamp_of() -> dict[str, Any] | None:
        import asyncpg

        admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
        conn = await asyncpg.connect(admin)
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if exists:
                db = await asyncpg.connect(
                    make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
                )
                try:
                    text = await db.fetchval(
                        "SELECT value FROM org_settings WHERE key = 'bench_scan'"
                    )
                except asyncpg.PostgresError:
                    text = None
                finally:
                    await db.close()
                if text and json.loads(text)["wanted"] == wanted:
                    return json.loads(text)  # type: ignore[no-any-return]
                await conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
            return None
        finally:
            await conn.close()

    saved = asyncio.run(stamp_of())
    if saved is not None:
        return url, saved["info"]
    info = _build(url, tasks, units)

    async def save() -> None:
        import asyncpg

        db = await asyncpg.connect(
            make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        await db.execute(
            "INSERT INTO org_settings (key, value) VALUES ('bench_scan', $1)",
            json.dumps({"wanted": wanted, "info": info}),
        )
        await db.execute("VACUUM ANALYZE")
        await db.close()

    asyncio.run(save())
    return url, info


def _build(url: str, tasks: int, units: int) -> dict[str, Any]:
    from bot.db.migrate import upgrade

    t0 = time.perf_counter()
    upgrade(url)
    info = build(url, tasks, units)
    print(f"  built {tasks:,} tasks in {time.perf_counter() - t0:.0f} s", flush=True)
    return info


# --- the report ----------------------------------------------------------------------------------


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--units", type=int, default=600)
    parser.add_argument("--dir", default="/tmp/dondoc-scan")
    parser.add_argument("--pg", help="a PostgreSQL URL: also measure there")
    parser.add_argument("--repeat", type=int, default=3, help="scans per process (the median)")
    parser.add_argument("--code", default=str(ROOT), help="the checkout whose bot is measured")
    parser.add_argument("--only", choices=["sqlite", "pg"])
    parser.add_argument(
        "--pg-prefix", default="dondoc_scan",
        help="the scratch databases' names: PREFIX_TASKS_UNITS, next to the one in --pg",
    )  # fmt: skip
    parser.add_argument(
        "--drop", action="store_true", help="drop the PostgreSQL scratch databases at the end"
    )
    parser.add_argument("--scenarios", default="morning,first,monday,naive")
    parser.add_argument("--measure")
    parser.add_argument("--url")
    parser.add_argument("--info")
    args = parser.parse_args()
    if args.measure:
        child(args.measure, args.url, args.repeat, args.info)
        return
    sys.path.insert(0, str(ROOT))
    sizes = [int(s) for s in args.sizes.split(",")]
    scenarios = args.scenarios.split(",")
    code = Path(args.code).resolve()
    backends = []
    if args.only != "pg":
        backends.append("sqlite")
    if args.pg and args.only != "sqlite":
        backends.append("pg")
    print(f"command: {' '.join([sys.executable, *sys.argv])}")
    print(f"code measured: {code}; each figure the median of {args.repeat} scans")
    for backend in backends:
        results: dict[int, dict[str, Any]] = {}
        for size in sizes:
            print(f"{backend} {size:,} tasks:", flush=True)
            if backend == "sqlite":
                url, info = ensure_sqlite(Path(args.dir), size, args.units)
            else:
                url, info = ensure_pg(args.pg, size, args.units, args.pg_prefix)
            results[size] = {}
            for scenario in scenarios:
                r = run_child(scenario, url, args.repeat, info, code)
                results[size][scenario] = r
                extra = ""
                if scenario != "naive":
                    extra = (
                        f" (CPU {ms(r['cpus']):.1f} ms)"
                        f", /nv max wait {ms(r['waits']):.0f} ms (alone {ms(r['idle_nv']):.1f}"
                        f" ms), {statistics.median(r['statements']):.0f} statements,"
                        f" {r['nudges']} nudges, {r['queued']} messages queued"
                    )
                else:
                    extra = f", {r['open_tasks']:,} open tasks"
                print(
                    f"  {scenario:<8} {ms(r['times']):9.1f} ms{extra}, peak {r['peak_mb']:.0f} MB",
                    flush=True,
                )
        report(backend, sizes, scenarios, results)
    if args.drop and args.pg:
        drop_pg(args.pg, [pg_name(args.pg_prefix, size, args.units) for size in sizes])


def report(
    backend: str, sizes: list[int], scenarios: list[str], results: dict[int, dict[str, Any]]
) -> None:
    first, last = sizes[0], sizes[-1]
    goals = {"morning": "< 20 ms", "first": "< 2 s", "monday": "", "naive": ""}
    print()
    print(f"{backend}: median ms per scan ({', '.join(f'{s:,}' for s in sizes)} tasks)")
    head = f"{'scan':<10}{'goal':>9}" + "".join(f"{s:>12,}" for s in sizes)
    print(head + f"{'growth':>9}{'/naive':>9}{'max /nv wait':>14}{'peak MB':>9}")
    for scenario in scenarios:
        row = [ms(results[s][scenario]["times"]) for s in sizes]
        growth = row[-1] / row[0] if row[0] else float("nan")
        naive = ms(results[last]["naive"]["times"]) if "naive" in scenarios else 0
        vs = f"{row[-1] / naive:8.2f}×" if naive and scenario != "naive" else f"{'':>9}"
        wait = results[last][scenario].get("waits") or [0.0]
        print(
            f"{scenario:<10}{goals[scenario]:>9}" + "".join(f"{v:>12.1f}" for v in row)
            + f"{growth:>8.1f}×{vs}{ms(wait):>12.0f} ms"
            + f"{results[last][scenario]['peak_mb']:>9.0f}"
        )  # fmt: skip
    print(
        f"growth: {last:,} against {first:,} tasks; /naive: against reading every open task"
        " (the baseline) at the largest size; /nv wait and memory at the largest size"
    )


if __name__ == "__main__":
    main()
