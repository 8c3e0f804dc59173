"""Benchmark (not a test): importing an annual programme of 534 rows for 17 units, as the source
district's 2023 programme had, on a fresh SQLite file.

    .venv/bin/python bench/programme.py [--rows 534] [--units 17] [--db /tmp/dondoc-programme.db]
        [--repeat 3]

Builds the workbook with openpyxl (title rows, group rows, 1 to 66 rows per unit, months,
quarters, dates, "Hàng tháng" and "Hàng quý" rows), then times, each on a fresh database:
the preview (read the workbook, resolve units and deadlines), and preview + import in one
transaction, as `dondoc program import FILE --yes` does. It also counts the SQL statements the
import sends: a constant number, whatever the number of rows, since the planned tasks go in with
one multi-row INSERT. Last, the first month's activation (the due-scan making the planned tasks
real, cards queued) is timed for information.

Target (issue 9): 534 rows import in under 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=VN)  # the office imports next year's programme
YEAR = 2027
GROUPS = ["I. LĨNH VỰC KINH TẾ", "II. LĨNH VỰC ĐÔ THỊ", "III. VĂN HÓA - XÃ HỘI", "IV. NỘI CHÍNH"]
TIMES = (
    [f"Tháng {m}" for m in range(1, 13)] * 3
    + [str(m) for m in range(1, 13)]
    + ["Quý I", "Quý II", "Quý III", "Quý IV", "6 tháng đầu năm", "Cả năm"]
    + [f"15/{m}/2027" for m in range(1, 13)]
    + ["Hàng tháng", "Hàng quý"]
)


def roster(units: int) -> str:
    lines = ["units:"]
    for n in range(units):
        lines += [f"  - code: DV{n:02d}", f"    name: Phòng Đơn vị số {n:02d}"]
    lines += [
        "people:",
        "  - telegram_id: 900001",
        "    name: Nguyễn Văn An",
        "    role: chairman",
    ]
    return "\n".join(lines) + "\n"


def workbook(rows: int, units: int) -> bytes:
    """`rows` task rows shared unevenly among `units` (the source: 1 to 66 per unit)."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    rng = random.Random(534)
    weights = [rng.randint(1, 66) for _ in range(units)]
    owners = rng.choices(range(units), weights=weights, k=rows)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["ỦY BAN NHÂN DÂN QUẬN"])
    sheet.append([f"CHƯƠNG TRÌNH CÔNG TÁC NĂM {YEAR}"])
    sheet.append([])
    sheet.append(["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian",
                  "Lãnh đạo phụ trách", "Ghi chú"])  # fmt: skip
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    per_group = rows // len(GROUPS) + 1
    for index, owner in enumerate(owners):
        if index % per_group == 0:
            sheet.append([GROUPS[index // per_group]])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1,
                              end_row=sheet.max_row, end_column=7)  # fmt: skip
        other = (owner + 1 + rng.randrange(units - 1)) % units
        sheet.append(
            [
                index + 1,
                f"Nhiệm vụ số {index + 1}: tham mưu, tổ chức thực hiện và báo cáo kết quả",
                f"DV{owner:02d}",
                f"DV{other:02d}" if rng.random() < 0.4 else None,
                rng.choice(TIMES),
                "Đ/c Chủ tịch" if rng.random() < 0.3 else None,
                None,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def measure(url: str, data: bytes, units: int, mode: str) -> tuple[float, int, int]:
    """Seconds for `mode` ("preview" or "import") on a fresh database, with the number of SQL
    statements it sent and the tasks it would plan."""
    from sqlalchemy import event

    from bot.app import open_runtime
    from bot.clock import ManualClock
    from bot.config import load_settings
    from bot.db.migrate import upgrade
    from bot.domain.orgfile import parse_org

    path = Path(url.removeprefix("sqlite+aiosqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    await asyncio.to_thread(upgrade, url)
    settings = load_settings(DATABASE_URL=url, _env_file=None)
    runtime = open_runtime(settings, clock=ManualClock(NOW))
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    try:
        await runtime.services.roster.import_org(parse_org(roster(units)))
        programme = runtime.services.programme
        event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
        started = time.perf_counter()
        if mode == "preview":
            preview = await programme.preview(data, "ct.xlsx", None)
            planned = len(preview.items)
        else:
            result = await programme.import_file(data, "ct.xlsx", None)
            assert result.imported is not None, result
            planned = result.imported
        seconds = time.perf_counter() - started
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
        return seconds, statements, planned
    finally:
        await runtime.close()


async def activation(url: str, units: int) -> tuple[float, int]:
    """The first month's planned tasks made real by the due-scan's step (database as left by the
    last import)."""
    from bot.app import open_runtime
    from bot.clock import ManualClock
    from bot.config import load_settings

    settings = load_settings(DATABASE_URL=url, _env_file=None)
    clock = ManualClock(datetime(YEAR, 1, 4, 8, 0, tzinfo=VN))
    runtime = open_runtime(settings, clock=clock)
    try:
        started = time.perf_counter()
        made = await runtime.services.programme.activate_due()
        return time.perf_counter() - started, made
    finally:
        await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=534)
    parser.add_argument("--units", type=int, default=17)
    parser.add_argument("--db", default="/tmp/dondoc-programme.db")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = f"sqlite+aiosqlite:///{args.db}"

    started = time.perf_counter()
    data = workbook(args.rows, args.units)
    built = time.perf_counter() - started
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"workbook: {args.rows} rows, {args.units} units, {len(data) // 1024} KB "
          f"(built in {built:.2f} s)")  # fmt: skip

    for mode in ("preview", "import"):
        runs = [asyncio.run(measure(url, data, args.units, mode)) for _ in range(args.repeat)]
        times = [r[0] for r in runs]
        _, statements, planned = runs[-1]
        print(
            f"{mode:8s} median {statistics.median(times):.2f} s (min {min(times):.2f}, "
            f"max {max(times):.2f}; {args.repeat} runs), {planned} planned tasks, "
            f"{statements} SQL statements"
        )
    seconds, made = asyncio.run(activation(url, args.units))
    print(f"activate January (4/1/{YEAR} 08:00): {made} tasks made real, cards queued, "
          f"in {seconds:.2f} s")  # fmt: skip
    print("target: import of 534 rows < 5 s")


if __name__ == "__main__":
    main()
