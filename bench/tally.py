"""Benchmark (not a test): the weekly tally over 200,000 tasks and 600 units on SQLite, the monthly
register (~20,000 tasks), peak memory; each beside a naive baseline measured in the same run.

    .venv/bin/python bench/tally.py [--tasks 200000] [--units 600] [--db /tmp/dondoc-bench.db]
        [--repeat 3]

The database is built once (about a minute) and reused while its size matches. Each measurement
runs in a fresh process, so its peak resident memory (VmHWM) is its own: interpreter, imports
(matplotlib, openpyxl) and the work.

Targets (issue 4): weekly tally < 1 s, monthly register < 10 s, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 27, 16, 0, tzinfo=VN)  # a Friday, the weekly post's moment
MONTH = (2026, 10)  # the last whole month before NOW


# --- building the data ---------------------------------------------------------------------------


async def build(url: str, tasks: int, units: int) -> None:
    from sqlalchemy import insert

    from bot.db.engine import create_engine
    from bot.db.tables import (
        ExtensionRow,
        NudgeRow,
        PersonRow,
        TaskEventRow,
        TaskRow,
        TaskUnitRow,
        UnitRow,
    )

    rng = random.Random(47)
    engine = create_engine(url)
    start = NOW - timedelta(days=730)
    async with engine.begin() as conn:
        await conn.execute(
            insert(UnitRow),
            [
                {"id": u, "code": f"U{u:03d}", "name": f"Đơn vị số {u}", "aliases": [],
                 "chat_id": None, "active": True}
                for u in range(1, units + 1)
            ],
        )  # fmt: skip
        people = [{"id": 1, "telegram_id": 1, "name": "Chủ tịch", "role": "chairman",
                   "unit_id": None, "can_dm": False, "active": True}]  # fmt: skip
        for u in range(1, units + 1):
            for k in range(2):
                pid = 1 + (u - 1) * 2 + k + 1
                people.append({"id": pid, "telegram_id": pid, "name": f"Cán bộ {pid}",
                               "role": "head" if k == 0 else "staff", "unit_id": u,
                               "can_dm": False, "active": True})  # fmt: skip
        await conn.execute(insert(PersonRow), people)
        rows, coops, exts, events, nudges = [], [], [], [], []
        for n in range(1, tasks + 1):
            created = start + timedelta(seconds=rng.randrange(int((NOW - start).total_seconds())))
            unit = rng.randrange(1, units + 1)
            head = 1 + (unit - 1) * 2 + 1
            due = None if rng.random() < 0.08 else created + timedelta(days=rng.randrange(3, 60))
            original = due
            ext_count = 0
            if due is not None and rng.random() < 0.12:
                ext_count = 1 + (rng.random() < 0.3)
                for k in range(ext_count):
                    decided = due - timedelta(days=1)
                    due = due + timedelta(days=rng.randrange(5, 30))
                    exts.append({"task_id": n, "requested_by": head, "requested_at": decided,
                                 "proposed_due": due, "reason": "x", "status": "approved",
                                 "decided_by": 1, "decided_at": decided,
                                 "granted_due": due})  # fmt: skip
                    _ = k
            span = (due or created + timedelta(days=40)) - created
            finish = created + span * rng.uniform(0.2, 1.5)
            status, completed, reported, ack = (
                "acknowledged",
                None,
                None,
                created + timedelta(hours=3),
            )
            if finish < NOW and rng.random() < 0.95:
                status, completed, reported = "done", finish, finish
            elif rng.random() < 0.1:
                status, ack = "assigned", None
            withdrawn = rng.random() < 0.03
            updated = completed or created + timedelta(days=1)
            if withdrawn:
                status, updated = "withdrawn", min(NOW, created + timedelta(days=2))
            rows.append({
                "id": n, "code": f"NV-{n:06d}", "content": f"Nhiệm vụ số {n} " + "x" * 60,
                "source": None, "origin_chat_id": None, "attachment": None, "lead_unit_id": unit,
                "assigner_id": 1, "status": status, "created_at": created, "original_due": original,
                "due": due, "extension_count": ext_count, "acknowledged_at": ack,
                "acknowledged_by": head if ack else None, "reported_at": reported,
                "reported_by": head if reported else None, "completed_at": completed,
                "result": "Đã xong" if completed else None, "result_attachment": None,
                "updated_at": updated,
            })  # fmt: skip
            events.append({"task_id": n, "kind": "assigned", "actor_id": 1, "at": created,
                           "before": {}, "after": {}, "note": None})  # fmt: skip
            if completed:
                events.append({"task_id": n, "kind": "approved", "actor_id": 1, "at": completed,
                               "before": {}, "after": {}, "note": None})  # fmt: skip
            if rng.random() < 0.2:
                coops.append({"task_id": n, "unit_id": unit % units + 1})
            if status != "done" and due is not None and due < NOW:
                for k in range(rng.randrange(0, 4)):
                    nudges.append({"task_id": n, "kind": "overdue", "slot": f"o{k}",
                                   "due_at": due + timedelta(days=k + 1), "state": "done",
                                   "created_at": due, "done_at": due + timedelta(days=k + 1),
                                   "urge_no": k + 1})  # fmt: skip
            if len(rows) == 20_000:
                await conn.execute(insert(TaskRow), rows)
                rows = []
        if rows:
            await conn.execute(insert(TaskRow), rows)
        for table, data in ((TaskUnitRow, coops), (ExtensionRow, exts), (TaskEventRow, events),
                            (NudgeRow, nudges)):  # fmt: skip
            for i in range(0, len(data), 20_000):
                await conn.execute(insert(table), data[i : i + 20_000])
    await engine.dispose()


# --- the measurements (each in its own process) -------------------------------------------------


def runtime(url: str):  # type: ignore[no-untyped-def]
    from bot.app import open_runtime
    from bot.clock import ManualClock
    from bot.config import load_settings

    settings = load_settings(TELEGRAM_BOT_TOKEN="1:x", DATABASE_URL=url, _env_file=None)
    return open_runtime(settings, clock=ManualClock(NOW))


async def weekly(url: str, repeat: int) -> dict[str, object]:
    from bot.domain.tally import Period

    rt = runtime(url)
    reports = rt.services.reports
    week = timedelta(days=7)
    await reports.tally_report(Period(NOW - week, NOW))  # warm the engine, imports, calendar
    times, renders = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        report = await reports.tally_report(
            Period(NOW - week, NOW), Period(NOW - 2 * week, NOW - week)
        )
        t1 = time.perf_counter()
        text, chart = await reports.texts(report)
        renders.append(time.perf_counter() - t1)
        times.append(t1 - t0)
    await rt.close()
    return {"tally_s": times, "text_chart_s": renders, "in_scope": report.tally.total.total,
            "late": len(report.tally.late), "chars": len(text),
            "png_kb": len(chart or b"") // 1024}  # fmt: skip


async def everything(url: str, repeat: int) -> dict[str, object]:
    """The worst case: a period covering all history, every task in scope."""
    from bot.domain.tally import Period

    rt = runtime(url)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        report = await rt.services.reports.tally_report(Period(NOW - timedelta(days=800), NOW))
        times.append(time.perf_counter() - t0)
    await rt.close()
    return {"tally_s": times, "in_scope": report.tally.total.total}


async def monthly(url: str, repeat: int) -> dict[str, object]:
    rt = runtime(url)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        report = await rt.services.reports.monthly_file(*MONTH)
        times.append(time.perf_counter() - t0)
    await rt.close()
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(report.data), read_only=True)["Danh sách nhiệm vụ"]
    rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
    return {"register_s": times, "rows": rows, "xlsx_kb": len(report.data) // 1024}


async def naive_monthly(url: str, repeat: int) -> dict[str, object]:
    """The register's baseline: the same facts, tally and rows, written the way one writes first
    (an ordinary openpyxl workbook, a style object set on every cell)."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from bot.reports.workbook import WorkbookData, register_rows
    from bot.services.reports import month

    rt = runtime(url)
    period = period_of(month(*MONTH, VN))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        async with rt.services.core.uow() as uow:
            units = {u.id: u for u in await uow.units.all(include_inactive=True)}
            people = {p.id: p for p in await uow.people.all(include_inactive=True)}
            [current] = await rt.services.reports._tallies(uow, [period], keep_lines=True)
            details = await uow.reports.details(period)
        rows = register_rows(WorkbookData(current, units, people, details), "vi", VN)
        wb = Workbook()
        ws = wb.active
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c, value)
                if c in (8, 9, 10, 12):
                    cell.number_format = "DD/MM/YYYY"
                if c in (3, 15):
                    cell.alignment = Alignment(wrap_text=True)
                cell.font = Font(name="Calibri")
        ws.freeze_panes = "A2"
        out = BytesIO()
        wb.save(out)
        times.append(time.perf_counter() - t0)
    await rt.close()
    return {"register_s": times, "rows": len(rows)}


def period_of(bounds: tuple[datetime, datetime]) -> Any:
    from bot.domain.tally import Period

    return Period(*bounds)


async def naive(url: str, repeat: int) -> dict[str, object]:
    """The baseline: every task as an ORM row, classified one by one with the calendar's own
    day-by-day count, extensions fetched per task (what one writes first)."""

    from bot.calendar import WorkCalendar

    rt = runtime(url)
    cal = WorkCalendar()
    start, end = NOW - timedelta(days=7), NOW
    times = []
    for _ in range(repeat):
        times.append(await _naive_once(rt, cal, start, end))
    await rt.close()
    return {"tally_s": times, "rows_read": _ROWS_READ[-1]}


_ROWS_READ: list[int] = []


async def _naive_once(rt, cal, start, end) -> float:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from bot.db.tables import ExtensionRow, TaskRow

    t0 = time.perf_counter()
    counts: dict[int, list[int]] = {}
    async with rt.services.core.uow() as uow:
        session = uow.tasks._s
        tasks = (await session.scalars(select(TaskRow))).all()
        for row in tasks:
            if row.created_at >= end or row.status == "withdrawn":
                continue
            if row.completed_at is not None and row.completed_at < start:
                continue
            due = row.due
            if row.extension_count:
                exts = (await session.scalars(
                    select(ExtensionRow).where(ExtensionRow.task_id == row.id)
                )).all()  # fmt: skip
                due = max(
                    (e.granted_due for e in exts if e.decided_at < end), default=row.original_due
                )  # type: ignore[type-var]
            c = counts.setdefault(row.lead_unit_id, [0, 0, 0, 0, 0, 0])
            if due is None:
                c[4] += 1
            elif row.completed_at is not None and row.completed_at < end:
                c[0 if row.completed_at <= due else 1] += 1
            elif end > due:
                c[3] += 1
                days = cal.working_days_between(
                    due.astimezone(VN).date(), end.astimezone(VN).date()
                )
                c[5] = max(c[5], days)
            else:
                c[2] += 1
    _ROWS_READ.append(len(tasks))
    return time.perf_counter() - t0


MEASURES = {"weekly": weekly, "everything": everything, "monthly": monthly, "naive": naive,
            "naive_monthly": naive_monthly}  # fmt: skip


def peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process image, where
    getrusage's ru_maxrss carries over fork + exec: a child started by a parent that has just
    built the database (300 MB) would report the parent's peak, not its own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, url: str, repeat: int) -> None:
    result = asyncio.run(MEASURES[name](url, repeat))
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


def run_child(name: str, url: str, repeat: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", name, "--url", url, "--repeat", str(repeat)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def best(times: list[float]) -> str:
    """Best and median of the repeats, in seconds."""
    return f"{min(times):.3f} / {statistics.median(times):.3f}"


def verdict(value: float, target: float) -> str:
    return "ok" if value < target else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=600)
    parser.add_argument("--db", default="/tmp/dondoc-bench.db")
    parser.add_argument("--measure")
    parser.add_argument("--url")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best, median)")
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.url, args.repeat)
        return
    path = Path(args.db)
    stamp = path.with_suffix(".json")
    url = f"sqlite+aiosqlite:///{path}"
    wanted = {"tasks": args.tasks, "units": args.units, "version": 1}
    if not (path.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted):
        for old in (path, stamp, Path(f"{path}-wal"), Path(f"{path}-shm")):
            old.unlink(missing_ok=True)
        from bot.db.migrate import upgrade

        t0 = time.perf_counter()
        upgrade(url)
        asyncio.run(build(url, args.tasks, args.units))
        stamp.write_text(json.dumps(wanted))
        print(f"built {args.tasks:,} tasks, {args.units} units in {time.perf_counter() - t0:.0f} s")
    print(
        f"command: {sys.executable} bench/tally.py --tasks {args.tasks} --units {args.units}"
        f" --db {args.db} --repeat {args.repeat}"
    )
    print(f"database: {path} ({path.stat().st_size / 2**20:.0f} MB), clock {NOW:%Y-%m-%d %H:%M}")
    print(f"each timing repeated {args.repeat} times in one process: best / median (s)")
    n = args.repeat
    week = run_child("weekly", url, n)
    base = run_child("naive", url, n)
    worst = run_child("everything", url, n)
    month = run_child("monthly", url, n)
    month_base = run_child("naive_monthly", url, n)
    w, m = min(week["tally_s"]), min(month["register_s"])
    print()
    print(f"{'measure':<36}{'target':>9}{'measured':>18}{'baseline':>18}{'':>8}")
    print(
        f"{'weekly tally, 2 periods (s)':<36}{'< 1':>9}{best(week['tally_s']):>18}"
        f"{best(base['tally_s']):>18}{verdict(w, 1):>8}"
    )
    print(
        f"{'  tasks in scope / late':<36}{'':>9}{week['in_scope']:>10} / {week['late']:<5}"
        f"{base['rows_read']:>12} read"
    )
    print(f"{'  text + PNG chart (s)':<36}{'':>9}{best(week['text_chart_s']):>18}")
    print(
        f"{'  peak memory (MB)':<36}{'< 300':>9}{week['peak_mb']:>18.0f}{base['peak_mb']:>18.0f}"
        f"{verdict(week['peak_mb'], 300):>8}"
    )
    print(f"{'every task in scope, 1 period (s)':<36}{'':>9}{best(worst['tally_s']):>18}")
    print(
        f"{'  tasks / peak memory (MB)':<36}{'':>9}"
        f"{worst['in_scope']:>10} / {worst['peak_mb']:<5.0f}"
    )
    print(
        f"{'monthly register .xlsx (s)':<36}{'< 10':>9}{best(month['register_s']):>18}"
        f"{best(month_base['register_s']):>18}{verdict(m, 10):>8}"
    )
    print(f"{'  rows / size (KB)':<36}{'':>9}{month['rows']:>10} / {month['xlsx_kb']:<6}")
    print(
        f"{'  peak memory (MB)':<36}{'< 300':>9}{month['peak_mb']:>18.0f}"
        f"{month_base['peak_mb']:>18.0f}{verdict(month['peak_mb'], 300):>8}"
    )
    print("baseline: weekly = every task as an ORM row, day-by-day calendar, extensions per task;")
    print("          register = the same rows into an ordinary (not write-only) openpyxl workbook")


if __name__ == "__main__":
    main()
