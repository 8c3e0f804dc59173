"""Cold start: seconds from starting the process to its first getUpdates, for `dondoc run` and a
bare python-telegram-bot echo bot, on the same Bot API stand-in. Đôn Đốc starts on a database
that is already migrated and holds the demo roster (a restart, as in production); the best of
--runs is printed, with the ratio. Also the process's CPU seconds by then (user + system, read
at the first getUpdates): on a shared machine the wall clock mostly measures the neighbours,
the CPU much less so.

Both bots run with a bytecode cache of their own (PYTHONPYCACHEPREFIX, a temporary folder),
filled by one uncounted start of each, as any earlier run fills it in production: a restart
does not compile its sources again. (This machine's PYTHONDONTWRITEBYTECODE=1 would otherwise
make every start compile Đôn Đốc's 27,000 lines while PTB's site-packages come compiled; pass
--compile to measure that way.)

    PYTHONPATH=. .venv/bin/python bench/coldstart.py [--runs 5] [--code /path/to/checkout]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import throughput as tp

from bot.sandbox import demo as demo_ward
from bot.sandbox.botapi import BotApiServer
from bot.sandbox.state import FakeTelegram


async def one(kind: str, url: str, workdir: Path) -> tuple[float, float]:
    tg = FakeTelegram(token=tp.TOKEN, bot_username="dondoc_bot")
    demo_ward.add_chats(tg, demo_ward.demo())
    server = BotApiServer(tg)
    api = await server.start()
    began = time.perf_counter()
    process = tp.spawn(kind, api, url, workdir)
    try:
        while not any(m == "getUpdates" for m, _ in tg.calls):
            if process.poll() is not None:
                raise RuntimeError(f"{kind} exited with {process.returncode}")
            await asyncio.sleep(0.005)
        return time.perf_counter() - began, tp.cpu_seconds(process.pid)
    finally:
        await tp.stop(process)
        await server.stop()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", default="", help="run Đôn Đốc from this checkout instead")
    parser.add_argument(
        "--compile", action="store_true", help="no bytecode cache: every start compiles"
    )
    args = parser.parse_args()
    if args.code:
        tp.CODE_DIR = Path(args.code).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if not args.compile:
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
        url = f"sqlite+aiosqlite:///{workdir / 'dondoc.db'}"
        await one("dondoc", url, workdir)  # migrates and imports the roster: not counted
        await one("echo", url, workdir)  # not counted either (its bytecode cache)
        best, cpu = {}, {}
        for kind in ("echo", "dondoc"):
            runs = [await one(kind, url, workdir) for _ in range(args.runs)]
            best[kind] = min(wall for wall, _ in runs)
            cpu[kind] = min(used for _, used in runs)
    print(
        f"start to first getUpdates, best of {args.runs}: echo {best['echo']:.2f} s,"
        f" Đôn Đốc {best['dondoc']:.2f} s, {best['dondoc'] / best['echo']:.1f}× echo;"
        f" CPU: echo {cpu['echo']:.2f} s, Đôn Đốc {cpu['dondoc']:.2f} s,"
        f" {cpu['dondoc'] / cpu['echo']:.1f}× echo"
    )


if __name__ == "__main__":
    asyncio.run(main())
