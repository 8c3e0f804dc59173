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
        [--against /path/to/other/checkout] [--callgrind]

--against also starts Đôn Đốc from another checkout (the code before a change) in the same
run, each start of the three taking its turn, so that the neighbours' load falls on all alike.

--callgrind also starts each once under valgrind's callgrind, the process ended as PTB asks for
its first updates, and prints the instructions it ran by then: a count that the neighbours'
load does not change (a few minutes: valgrind runs Python some fifty times slower).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import throughput as tp

from bot.sandbox import demo as demo_ward
from bot.sandbox.botapi import BotApiServer
from bot.sandbox.state import FakeTelegram

# Run as `python -c EXIT_AT_POLL <the bot's own arguments>`: the bot, ended (os._exit) as PTB
# asks for its first updates, so that callgrind counts the start and nothing after it.
EXIT_AT_POLL = """
import importlib.util, os, runpy, sys

class Hook:
    def find_spec(self, name, path, target=None):
        if name != "telegram._bot":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module
        def exec_module(module):
            load(module)
            async def get_updates(*args, **kwargs):
                os._exit(0)
            module.Bot.get_updates = get_updates
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Hook())
del sys.argv[0]
if sys.argv[0] == "-m":
    del sys.argv[0]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    runpy.run_path(sys.argv[0], run_name="__main__")
"""


async def instructions(kind: str, url: str, workdir: Path, code: Path | None = None) -> int:
    if code is not None:
        tp.CODE_DIR = code
    tg = FakeTelegram(token=tp.TOKEN, bot_username="dondoc_bot")
    demo_ward.add_chats(tg, demo_ward.demo())
    server = BotApiServer(tg)
    api = await server.start()
    valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={workdir}/callgrind.%p"]
    process = tp.spawn(kind, api, url, workdir, wrap=(valgrind, ["-c", EXIT_AT_POLL]))
    try:
        await asyncio.wait_for(asyncio.to_thread(process.wait), timeout=1200)
    finally:
        await tp.stop(process)
        await server.stop()
    log = (workdir / f"{kind}.log").read_text(encoding="utf-8", errors="replace")
    found = re.search(r"Collected : (\d+)", log)
    if found is None or not tg.calls_to("deleteWebhook"):
        raise RuntimeError(f"{kind} under callgrind did not reach its first getUpdates:\n{log}")
    return int(found.group(1))


async def one(kind: str, url: str, workdir: Path, code: Path | None = None) -> tuple[float, float]:
    if code is not None:
        tp.CODE_DIR = code
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
    parser.add_argument("--against", default="", help="also Đôn Đốc from this checkout")
    parser.add_argument(
        "--callgrind", action="store_true", help="also the instructions run, once each"
    )
    args = parser.parse_args()
    if args.callgrind and shutil.which("valgrind") is None:
        parser.error("--callgrind needs valgrind (apt-get install valgrind)")
    code = Path(args.code).resolve() if args.code else tp.CODE_DIR
    kinds: dict[str, tuple[str, Path | None]] = {
        "echo": ("echo", None),
        "Đôn Đốc": ("dondoc", code),
    }
    if args.against:
        kinds["before"] = ("dondoc", Path(args.against).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if not args.compile:
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
            os.environ["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
        # A database for each checkout: an older one refuses a schema a newer one migrated.
        urls = {
            name: f"sqlite+aiosqlite:///{workdir / f'dondoc-{n}.db'}"
            for n, name in enumerate(kinds)
        }
        # The first start migrates and imports the roster, and each fills its bytecode cache:
        # not counted.
        for name, (kind, where) in kinds.items():
            await one(kind, urls[name], workdir, where)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
        for _ in range(args.runs):
            for name, (kind, where) in kinds.items():
                runs[name].append(await one(kind, urls[name], workdir, where))
        counted: dict[str, int] = {}
        if args.callgrind:
            for name, (kind, where) in kinds.items():
                counted[name] = await instructions(kind, urls[name], workdir, where)
    best = {name: min(wall for wall, _ in done) for name, done in runs.items()}
    cpu = {name: min(used for _, used in done) for name, done in runs.items()}
    print(
        f"start to first getUpdates, best of {args.runs}: "
        + ", ".join(
            f"{name} {best[name]:.2f} s"
            + ("" if name == "echo" else f" ({best[name] / best['echo']:.1f}× echo)")
            for name in kinds
        )
        + "; CPU: "
        + ", ".join(
            f"{name} {cpu[name]:.2f} s"
            + ("" if name == "echo" else f" ({cpu[name] / cpu['echo']:.1f}× echo)")
            for name in kinds
        )
    )
    worst = {n: (max(w for w, _ in done), max(c for _, c in done)) for n, done in runs.items()}
    print(
        "worst of each: "
        + ", ".join(f"{n} {wall:.2f} s, CPU {used:.2f} s" for n, (wall, used) in worst.items())
    )
    if counted:
        print(
            "instructions to the first getUpdates (callgrind): "
            + ", ".join(
                f"{name} {n / 1e9:.3f} G"
                + ("" if name == "echo" else f" ({n / counted['echo']:.2f}× echo)")
                for name, n in counted.items()
            )
        )


if __name__ == "__main__":
    asyncio.run(main())
