"""Cold start: seconds from starting the process to its first getUpdates, for `dondoc run` and a
bare python-telegram-bot echo bot, on the same Bot API stand-in. Đôn Đốc starts on a database
that is already migrated and holds the demo roster (a restart, as in production); the best of
--runs is printed, with the ratio.

    PYTHONPATH=. .venv/bin/python bench/coldstart.py [--runs 5] [--code /path/to/checkout]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import throughput as tp

from bot.sandbox import demo as demo_ward
from bot.sandbox.botapi import BotApiServer
from bot.sandbox.state import FakeTelegram


async def one(kind: str, url: str, workdir: Path) -> float:
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
        return time.perf_counter() - began
    finally:
        await tp.stop(process)
        await server.stop()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", default="", help="run Đôn Đốc from this checkout instead")
    args = parser.parse_args()
    if args.code:
        tp.CODE_DIR = Path(args.code).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = f"sqlite+aiosqlite:///{workdir / 'dondoc.db'}"
        await one("dondoc", url, workdir)  # migrates and imports the roster: not counted
        best = {}
        for kind in ("echo", "dondoc"):
            best[kind] = min([await one(kind, url, workdir) for _ in range(args.runs)])
    print(
        f"start to first getUpdates, best of {args.runs}: echo {best['echo']:.2f} s,"
        f" Đôn Đốc {best['dondoc']:.2f} s, {best['dondoc'] / best['echo']:.1f}× echo"
    )


if __name__ == "__main__":
    asyncio.run(main())
