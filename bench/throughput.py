"""Updates per second and latency: Đôn Đốc beside a bare python-telegram-bot echo bot, each in a
process of its own polling the same Bot API stand-in (bot/sandbox) over HTTP, fed the same
updates. Prints, for SQLite and (with --pg) PostgreSQL, measured in the same run:

- burst: N updates of a realistic mix queued at once; updates/s until the last is answered, the
  ratio to echo, and the bot process's CPU per update;
- steady: the same mix at a steady rate (20 updates/s by default); p50 and p99 latency from the
  update being queued to the bot's answer (its reply, or the button's callback answer).

    PYTHONPATH=. .venv/bin/python bench/throughput.py [--burst 400] [--rate 20] [--seconds 15]
        [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/test] [--only sqlite|pg]
        [--loop auto|uvloop|asyncio|both] [--callgrind [--keep DIR]]

--loop is Đôn Đốc's event loop (DONDOC_EVENT_LOOP; auto: uvloop, installed with the bot); both:
a row for each, in the same run. The echo and floor bots run PTB's defaults: asyncio's loop.
On PostgreSQL, "db ms" is the server's CPU per burst update (its backends for the scratch
database, read from /proc): the server shares the host's two cores with the bots.

--callgrind runs each bot under valgrind's callgrind with counting off, switches it on
(callgrind_control -i on) just before the burst and off once the bot has made its last Bot API
call for it, and prints the instructions per burst update, with the ratio to echo's in the same
run: a count the neighbours' load does not change (Đôn Đốc's due-scan, every 20 s of wall clock,
is kept out of it: see KEEP_SCAN_OUT). valgrind runs Python some fifty times slower,
so the burst is 50 updates by default there and the steady part is skipped. --keep DIR keeps
each bot's callgrind.out file there, for `callgrind_annotate --inclusive=yes`.

The mix, in equal parts: /giao (a new task), the "Đã nhận" button on a task's card, /xong on an
acknowledged task, /nv on a task, /viec in a unit's group; from the sandbox's demo ward, spread
over its groups and private chats. The tasks that "Đã nhận" and /xong act on are made by the bot
beforehand (not timed). Đôn Đốc runs as `dondoc run` does (its production settings, system
clock, due-scan on); the echo bot is PTB's defaults: one handler replying with the text, one
answering button presses. The floor bot (bench/echo_bot.py floor) makes, for each kind of
update, the Bot API calls Đôn Đốc makes, with PTB's defaults and no database: what PTB's own
request and parsing path costs for that work. The stand-in does not enforce Telegram's
flood limits here: the bots would be capped at 30 replies/s, which would measure Telegram, not
the bots.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.domain.orgfile import parse_org
from bot.sandbox import demo as demo_ward
from bot.sandbox.botapi import BotApiServer
from bot.sandbox.state import FakeTelegram

TOKEN = "123456:BENCH"
ROOT = Path(__file__).resolve().parent.parent
UNIT_HEADS = {  # the demo ward's unit heads, by unit code (--units: a province's instead)
    "VP": 910010,
    "KTHT": demo_ward.KTHT_HEAD,
    "VHXH": 910030,
    "HCC": 910040,
    "CA": 910050,
}
ROSTER = demo_ward.DEMO_ROSTER


def province(units: int) -> None:
    """The demo ward's leaders over `units` units, each with its group and head: the same mix
    spread over as many groups as a province's departments would use."""
    global ROSTER
    lines = [
        f"leadership_chat: {demo_ward.LEADERSHIP_CHAT}",
        "units:",
    ]
    UNIT_HEADS.clear()
    for n in range(1, units + 1):
        code = f"DV{n:03d}"
        lines += [
            f"  - code: {code}",
            f"    name: Đơn vị số {n}",
            f"    chat: {-1003000000000 - n}",
        ]
        UNIT_HEADS[code] = 930000 + n
    lines.append("people:")
    for person, role in (
        (demo_ward.CHAIRMAN, "chairman"),
        (demo_ward.OFFICE, "office"),
        (demo_ward.ADMIN, "admin"),
    ):
        lines += [f"  - telegram_id: {person}", f"    name: Lãnh đạo {person}", f"    role: {role}"]
    for code, head in UNIT_HEADS.items():
        lines += [
            f"  - telegram_id: {head}",
            f"    name: Trưởng {code}",
            "    role: head",
            f"    unit: {code}",
        ]
    ROSTER = "\n".join(lines) + "\n"


ASSIGNERS = (demo_ward.CHAIRMAN, demo_ward.OFFICE, demo_ward.ADMIN)
CODE = re.compile(r"NV-\d{4,}")
BURST_PATIENCE = 120.0  # seconds; what is unanswered by then counts as lost
STEADY_PATIENCE = 60.0  # after the last steady update


# --- the bots, each in a process of its own ---------------------------------------------------


WARM = 0  # --warm: updates of the mix handled (untimed) before the burst
LOOP = "auto"  # --loop: Đôn Đốc's DONDOC_EVENT_LOOP
DB_NAME = ""  # PostgreSQL's scratch database: its backends' CPU is read from /proc
PROFILE: Path | None = None  # --profile: cProfile Đôn Đốc's process into this file
CALLGRIND: Path | None = None  # --callgrind: run each bot under callgrind, its file here
CODE_DIR = ROOT  # --code: run Đôn Đốc from another checkout (the figures before a change)


def spawn(
    kind: str,
    api: str,
    database_url: str,
    workdir: Path,
    wrap: tuple[list[str], list[str]] = ([], []),
) -> subprocess.Popen[bytes]:
    """`wrap`: what goes before the interpreter (valgrind) and just after it (-c …): see
    bench/coldstart.py --callgrind."""
    env = dict(os.environ, PYTHONPATH=str(CODE_DIR if kind.startswith("dondoc") else ROOT))
    if kind in ("echo", "floor"):
        argv = [sys.executable, str(Path(__file__).with_name("echo_bot.py")), api, kind]
    else:
        roster = workdir / "roster.yaml"
        roster.write_text(ROSTER, encoding="utf-8")
        env.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=api,
            DATABASE_URL=database_url,
            DONDOC_ORG_FILE=str(roster),
            DONDOC_ADMINS=str(demo_ward.ADMIN),
            DONDOC_EVENT_LOOP=kind.partition("-")[2] or LOOP,
        )
        argv = [sys.executable, "-m", "bot", "run"]
        if PROFILE:
            argv[1:1] = ["-m", "cProfile", "-o", str(PROFILE)]
    before, options = wrap
    if CALLGRIND is not None and not before:
        before = callgrind_argv(CALLGRIND / f"callgrind.out.{kind}")
        if kind.startswith("dondoc"):
            options = ["-c", KEEP_SCAN_OUT]
    argv = [*before, argv[0], *options, *argv[1:]]
    log = (workdir / f"{kind}.log").open("wb")
    return subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)


# Đôn Đốc under --callgrind: `python -c KEEP_SCAN_OUT -m bot run`. Its due-scan runs every 20 s
# of wall clock, so the slower valgrind ran the burst the more scans it would count: the scan
# runs at start (not counted) and not again, and the count is the updates' alone.
KEEP_SCAN_OUT = """
import runpy, sys
import scheduler.jobs
scheduler.jobs.SCAN_EVERY = 10**6
del sys.argv[:2]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def callgrind_argv(out: Path) -> list[str]:
    """valgrind counting nothing until told: the start-up and the preparation are not counted."""
    return ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}"]


def collected(log: str) -> int:
    """The instructions callgrind counted, from the summary it writes as the process ends."""
    found = re.findall(r"^==\d+== Collected : (\d+)", log, re.MULTILINE)
    if not found:
        raise RuntimeError("no callgrind summary in the bot's log")
    return int(found[-1])


async def instrument(pid: int, on: bool) -> None:
    """Switch callgrind's counting in process `pid` on or off; returns once valgrind has."""
    argv = ["callgrind_control", "-i", "on" if on else "off", str(pid)]
    done = await asyncio.to_thread(subprocess.run, argv, capture_output=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stdout!r} {done.stderr!r}")


async def wait_or_quiet(
    tg: FakeTelegram, watch: Watch, keys: list[Any], calls: int, quiet: float = 120.0
) -> bool:
    """Under valgrind: until every update is answered, or the bot has made no Bot API call but
    getUpdates for `quiet` seconds. On a loaded host valgrind's slowness can make a request
    time out and its update go unanswered: that is counted as lost, not waited on for hours."""
    seen, since = -1, time.perf_counter()
    while not await watch.wait(keys, timeout=5.0):
        made = sum(1 for m, _ in tg.calls[calls:] if m != "getUpdates")
        if made != seen:
            seen, since = made, time.perf_counter()
        elif time.perf_counter() - since >= quiet:
            return False
    return True


async def settle(tg: FakeTelegram, calls: int, quiet: float = 2.0) -> None:
    """Until the bot has made no Bot API call but getUpdates for `quiet` seconds: the burst's
    cards and notices follow its answers."""
    seen, since = -1, time.perf_counter()
    while True:
        made = sum(1 for m, _ in tg.calls[calls:] if m != "getUpdates")
        if made != seen:
            seen, since = made, time.perf_counter()
        elif time.perf_counter() - since >= quiet:
            return
        await asyncio.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def db_cpu() -> dict[int, float] | None:
    """CPU seconds of each PostgreSQL backend serving the scratch database, by pid: the server
    shares the host's cores with the bots, so its work per update is part of what a bot costs.
    None where it cannot be read (SQLite, a server elsewhere, no permission)."""
    if not DB_NAME:
        return None
    found: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().decode(errors="replace")
            if title.startswith("postgres: ") and f" {DB_NAME} " in title:
                found[int(entry.name)] = cpu_seconds(int(entry.name))
        except OSError:
            continue
    return found or None


def db_cpu_since(before: dict[int, float] | None) -> float | None:
    after = db_cpu()
    if before is None or after is None:
        return None
    # A backend begun during the burst counts whole; one that ended is lost (pools keep theirs).
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


async def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    for _ in range(100 * (30 if CALLGRIND else 1)):  # valgrind writes its file as it ends
        if process.poll() is not None:
            return
        await asyncio.sleep(0.1)
    process.kill()


# --- the driver: people writing and pressing, and a stopwatch on the answers ----------------


@dataclass
class Step:
    kind: str  # giao | ack | xong | nv | viec
    chat: int
    user: int
    text: str = ""
    card: tuple[int, str] | None = None  # (message id, callback data) of the button to press


@dataclass
class Watch:
    """When each update went in and when the bot first answered it."""

    sent: dict[Any, float] = field(default_factory=dict)
    answered: dict[Any, float] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def on_event(self, event: dict[str, Any]) -> None:
        now = time.perf_counter()
        key: Any = None
        if event["type"] == "callback_answer":
            key = event["callback_query_id"]
        elif event["type"] == "message":
            message = event["message"]
            replied = message.get("reply_to_message")
            if message.get("from", {}).get("is_bot") and replied is not None:
                key = (event["chat_id"], replied["message_id"])
        if key is not None and key in self.sent and key not in self.answered:
            self.answered[key] = now
            self.changed.set()

    async def wait(self, keys: list[Any], timeout: float) -> bool:
        deadline = time.perf_counter() + timeout
        while any(k not in self.answered for k in keys):
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 1.0))
        return True


def put(tg: FakeTelegram, watch: Watch, step: Step, forged: bool) -> Any:
    if step.kind == "ack":
        if step.card is not None:
            message_id, data = step.card
        else:  # the echo bot has no cards: press "a button" on the last message of the chat
            message_id, data = tg.messages(step.chat)[-1]["message_id"], "ack:1"
        key: Any = tg.press_button(step.chat, message_id, step.user, data, forged=forged)
    else:
        sent = tg.send_message(step.chat, step.user, step.text)
        key = (step.chat, sent["message_id"])
    watch.sent[key] = time.perf_counter()
    return key


def giao_step(n: int) -> Step:
    unit = list(UNIT_HEADS)[n % len(UNIT_HEADS)]
    user = ASSIGNERS[n % len(ASSIGNERS)]
    chat = demo_ward.LEADERSHIP_CHAT if user == demo_ward.CHAIRMAN else user
    text = f"/giao {unit} Rà soát, báo cáo số liệu đợt {n} hạn 10 ngày làm việc"
    return Step("giao", chat, user, text)


@functools.cache
def unit_chats(roster: str) -> dict[str, int]:
    return {u.code: u.chat for u in parse_org(roster).units if u.chat is not None}


def unit_chat(unit: str) -> int:
    return unit_chats(ROSTER)[unit]


def cards(tg: FakeTelegram) -> dict[str, tuple[int, int, str, str]]:
    """Each task's card in its unit's group: code → (chat, message id, unit, ack data)."""
    out = {}
    for unit in UNIT_HEADS:
        chat = unit_chat(unit)
        for message in tg.messages(chat):
            found = CODE.search(message.get("text") or "")
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            ack = [b["callback_data"] for r in rows for b in r if b["callback_data"][:4] == "ack:"]
            if found and ack:
                out[found.group()] = (chat, message["message_id"], unit, ack[0])
    return out


def mix(
    rounds: int,
    start: int,
    assigned: list[tuple[str, tuple[int, int, str, str]]],
    acked: list[tuple[str, str]],
) -> list[Step]:
    """`rounds` × (/giao, Đã nhận, /xong, /nv, /viec); `assigned` tasks to acknowledge and
    `acked` (code, unit) to report on, one of each per round."""
    steps = []
    for i in range(rounds):
        code, (chat, message_id, unit, data) = assigned[i]
        done_code, done_unit = acked[i]
        head = UNIT_HEADS[unit]
        viec_unit = list(UNIT_HEADS)[i % len(UNIT_HEADS)]
        asker = ASSIGNERS[i % len(ASSIGNERS)]
        steps += [
            giao_step(start + i),
            Step("ack", chat, head, card=(message_id, data)),
            Step(
                "xong",
                unit_chat(done_unit),
                UNIT_HEADS[done_unit],
                f"/xong {done_code} Đã xong, số liệu kèm theo",
            ),
            Step("nv", asker, asker, f"/nv {code}"),
            Step("viec", unit_chat(viec_unit), UNIT_HEADS[viec_unit], "/viec"),
        ]
    return steps


async def prepare(tg: FakeTelegram, watch: Watch, rounds: int, first: int) -> list[Step]:
    """Make 2×rounds tasks through the bot, acknowledge half of them: the mix's material."""
    keys = [put(tg, watch, giao_step(first + n), forged=False) for n in range(2 * rounds)]
    if not await watch.wait(keys, timeout=600):
        raise RuntimeError("the bot did not answer the preparation's /giao")
    print(f"  made {2 * rounds} tasks", file=sys.stderr)
    await asyncio.sleep(0.5)  # cards follow the replies
    found = cards(tg)
    codes = sorted(found, key=lambda c: int(c[3:]))[-2 * rounds :]
    to_ack, assigned = codes[:rounds], codes[rounds:]
    keys = []
    for code in to_ack:
        chat, message_id, unit, data = found[code]
        step = Step("ack", chat, UNIT_HEADS[unit], card=(message_id, data))
        keys.append(put(tg, watch, step, forged=False))
    if not await watch.wait(keys, timeout=600):
        raise RuntimeError("the bot did not answer the preparation's presses")
    return mix(
        rounds,
        first + 2 * rounds,
        [(c, found[c]) for c in assigned],
        [(c, found[c][2]) for c in to_ack],
    )


def echo_steps(steps: list[Step]) -> list[Step]:
    return [Step(s.kind, s.chat, s.user, s.text or "Đã nhận", None) for s in steps]


@dataclass
class Figures:
    burst_rate: float
    cpu_ms: float
    p50: float
    p99: float
    missing: int
    calls: dict[str, float] = field(default_factory=dict)  # Bot API calls per burst update
    instructions: float = 0.0  # per burst update, under --callgrind
    db_ms: float | None = None  # PostgreSQL's backends' CPU per burst update
    api_ms: float = 0.0  # this process's (the stand-in's, and the driver's) per burst update


async def measure(
    tg: FakeTelegram,
    watch: Watch,
    pid: int,
    burst: list[Step],
    steady: list[Step],
    rate: float,
    forged: bool,
) -> Figures:
    calls0 = len(tg.calls)
    if CALLGRIND is not None:
        await instrument(pid, True)
    cpu0 = cpu_seconds(pid)
    db0 = db_cpu()
    api0 = time.process_time()
    t0 = time.perf_counter()
    keys = [put(tg, watch, s, forged) for s in burst]
    if CALLGRIND is not None:
        ok = await wait_or_quiet(tg, watch, keys, calls0)
    else:
        ok = await watch.wait(keys, timeout=BURST_PATIENCE)
    last = max((watch.answered.get(k, 0.0) for k in keys), default=t0)
    cpu = cpu_seconds(pid) - cpu0
    db = db_cpu_since(db0)
    api = time.process_time() - api0
    if CALLGRIND is not None:
        await settle(tg, calls0)
        await instrument(pid, False)
    answered = sum(1 for k in keys if k in watch.answered)
    # Unanswered after BURST_PATIENCE seconds: the rate is what was answered by then.
    burst_rate = answered / ((last if ok else time.perf_counter()) - t0)
    burst_lost = len(keys) - answered
    await asyncio.sleep(1.0)  # let the burst's side effects (cards, notices) drain
    made = Counter(m for m, _ in tg.calls[calls0:] if m != "getUpdates")
    keys = []
    begin = time.perf_counter()
    for n, step in enumerate(steady):
        delay = begin + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        keys.append(put(tg, watch, step, forged))
    await watch.wait(keys, timeout=STEADY_PATIENCE)
    latencies = sorted(
        (watch.answered[k] - watch.sent[k]) * 1000 for k in keys if k in watch.answered
    )
    # Nothing answered in time (a backlog from the burst): the latency is beyond measure here.
    quantiles = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else [math.inf] * 99
    )
    return Figures(
        burst_rate=burst_rate,
        calls={m: n / len(burst) for m, n in made.items()},
        cpu_ms=cpu * 1000 / max(1, answered),
        db_ms=None if db is None else db * 1000 / max(1, answered),
        api_ms=api * 1000 / max(1, answered),
        p50=quantiles[49],
        p99=quantiles[98],
        missing=burst_lost + len(keys) - len(latencies),
    )


async def wait_polling(tg: FakeTelegram, process: subprocess.Popen[bytes], calls: int) -> None:
    for _ in range(600 * (30 if CALLGRIND else 1)):
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.returncode}")
        if sum(1 for m, _ in tg.calls[calls:] if m == "getUpdates") >= 2:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError("the bot did not start polling")


async def run_bot(
    kind: str, database_url: str, burst: int, rate: float, seconds: float, workdir: Path
) -> Figures:
    tg = FakeTelegram(token=TOKEN, bot_username="dondoc_bot")
    spec = parse_org(ROSTER)
    demo_ward.add_chats(tg, demo_ward.Demo("", spec, (), ()))
    for person in spec.people:  # everyone has opened a private chat with the bot
        tg.open_private_chat(person.telegram_id)
    server = BotApiServer(tg)
    api = await server.start()
    watch = Watch()
    tg.subscribe(watch.on_event)
    process = spawn(kind, api, database_url, workdir)
    try:
        await wait_polling(tg, process, 0)
        burst_rounds = burst // 5
        steady_rounds = int(rate * seconds) // 5
        warm_rounds = WARM // 5
        if kind in ("echo", "floor"):
            # Same chats, same texts; "Đã nhận" presses a button on a message in that chat.
            for chat in [demo_ward.LEADERSHIP_CHAT, *(unit_chat(u) for u in UNIT_HEADS)]:
                tg.send_message(chat, demo_ward.ADMIN, "/start")
            fake = [("NV-0001", (unit_chat(u), 0, u, "ack:1")) for u in UNIT_HEADS]
            burst_steps = echo_steps(
                mix(
                    burst_rounds,
                    0,
                    fake * burst_rounds,
                    [("NV-0001", next(iter(UNIT_HEADS)))] * burst_rounds,
                )
            )
            steady_steps = echo_steps(
                mix(
                    steady_rounds,
                    0,
                    fake * steady_rounds,
                    [("NV-0001", next(iter(UNIT_HEADS)))] * steady_rounds,
                )
            )
            warm_steps = echo_steps(
                mix(
                    warm_rounds,
                    0,
                    fake * warm_rounds,
                    [("NV-0001", next(iter(UNIT_HEADS)))] * warm_rounds,
                )
            )
            await asyncio.sleep(1.0)
        else:
            burst_steps = await prepare(tg, watch, burst_rounds, 1)
            steady_steps = await prepare(tg, watch, steady_rounds, 10_000) if steady_rounds else []
            warm_steps = await prepare(tg, watch, warm_rounds, 20_000) if warm_rounds else []
            await asyncio.sleep(1.0)
        if warm_steps:
            # As a bot that has been running a while meets the 08:00 burst: its connections and
            # their prepared statements in use, its caches filled.
            keys = [
                put(tg, watch, step, forged=not kind.startswith("dondoc")) for step in warm_steps
            ]
            if not await watch.wait(keys, timeout=BURST_PATIENCE):
                raise RuntimeError("the warm-up burst was not answered")
            await settle(tg, len(tg.calls))
        figures = await measure(
            tg,
            watch,
            process.pid,
            burst_steps,
            steady_steps,
            rate,
            forged=not kind.startswith("dondoc"),
        )
    finally:
        await stop(process)
        await server.stop()
    if CALLGRIND is not None:
        log = (workdir / f"{kind}.log").read_text(encoding="utf-8", errors="replace")
        figures.instructions = collected(log) / len(burst_steps)
    return figures


async def fresh_postgres(url: str, name: str, drop: bool = False) -> str:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    parsed = make_url(url)
    engine = create_async_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--burst", type=int, default=0, help="updates in the burst (400; 50 under --callgrind)"
    )
    parser.add_argument("--rate", type=float, default=20.0, help="steady updates per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the steady part")
    parser.add_argument("--pg", default="", help="a PostgreSQL URL (a scratch database is made)")
    parser.add_argument(
        "--pg-prefix", default="dondoc_bench", help="the scratch database's name, before its pid"
    )
    parser.add_argument("--code", default="", help="run Đôn Đốc from this checkout instead")
    parser.add_argument(
        "--no-floor", action="store_true", help="skip the floor bot (PTB making Đôn Đốc's calls)"
    )
    parser.add_argument("--profile", default="", help="write a cProfile of Đôn Đốc here")
    parser.add_argument(
        "--units", type=int, default=0, help="a province of this many units (default: demo ward)"
    )
    parser.add_argument(
        "--callgrind", action="store_true", help="instructions per burst update (valgrind)"
    )
    parser.add_argument("--keep", default="", help="with --callgrind: keep its files here")
    parser.add_argument(
        "--only", choices=("sqlite", "pg"), default="", help="one database only (pg: with --pg)"
    )
    parser.add_argument(
        "--loop",
        choices=("auto", "uvloop", "asyncio", "both"),
        default="auto",
        help="Đôn Đốc's event loop (DONDOC_EVENT_LOOP); both: a row for each",
    )
    parser.add_argument(
        "--warm",
        type=int,
        default=0,
        help="updates of the mix each bot handles, untimed, before the burst",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of echo and Đôn Đốc; the median ratio"
    )
    args = parser.parse_args()
    if args.only == "pg" and not args.pg:
        parser.error("--only pg needs --pg URL")
    if args.callgrind and shutil.which("callgrind_control") is None:
        parser.error("--callgrind needs valgrind (apt-get install valgrind)")
    args.burst = args.burst or (50 if args.callgrind else 400)
    if args.callgrind:
        args.seconds = 0.0  # no steady part: its latencies would be valgrind's
    if args.units:
        province(args.units)
    global CODE_DIR, LOOP, PROFILE, WARM
    WARM = args.warm
    LOOP = "auto" if args.loop == "both" else args.loop
    ours_kinds = ["dondoc-uvloop", "dondoc-asyncio"] if args.loop == "both" else ["dondoc"]
    if args.profile:
        PROFILE = Path(args.profile).resolve()
    if args.code:
        CODE_DIR = Path(args.code).resolve()
    where = f"{args.units} units, one group each" if args.units else "the demo ward (5 units)"
    print(
        f"{where}; burst: {args.burst} updates queued at once; steady: {args.rate:g} updates/s for"
        f" {args.seconds:g} s. Mix: /giao, Đã nhận, /xong, /nv, /viec in equal parts;"
        f" {args.warm} updates of it (untimed) before the burst.\n"
        "floor: a bare PTB bot making the Bot API calls Đôn Đốc makes for each kind of update,"
        " with PTB's defaults and no database (bench/echo_bot.py);\n"
        "upd/s: burst updates / seconds to the last answer; ×echo: ratio to the echo bot in the"
        " same run;\nCPU ms: the bot process's CPU per burst update (db ms: PostgreSQL's, its"
        " backends for the scratch database; API ms: the stand-in's, with the driver feeding it,"
        " this process);\nĐôn Đốc's event loop (DONDOC_EVENT_LOOP):"
        f" {args.loop}; p50/p99 ms: latency from"
        " the update being queued to the answer, at the steady rate;\nlost: updates unanswered"
        f" {BURST_PATIENCE:g} s after the burst or {STEADY_PATIENCE:g} s after the steady part;"
        " calls: Bot API calls per burst update."
        + (
            "\nM instr: millions of instructions per burst update (callgrind, counted from the"
            " burst's first update to the bot's last Bot API call for it); ×echo instr: ratio to"
            " echo's. No steady part under callgrind."
            if args.callgrind
            else ""
        )
    )
    print(
        f"{'database':<11} {'bot':<15} {'upd/s':>7} {'×echo':>6} {'CPU ms':>7}"
        f" {'db ms':>6} {'API ms':>6} {'p50 ms':>7} {'p99 ms':>7} {'lost':>5} {'calls':>6}"
        + (f" {'M instr':>8} {'×echo instr':>11}" if args.callgrind else "")
    )
    kinds = ["sqlite"] + (["postgres"] if args.pg else [])
    if args.only:
        kinds = ["postgres" if args.only == "pg" else "sqlite"]
    for db in kinds:
        ratios: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            rows = await one_round(db, args, ours_kinds)
            echo = rows[0][1]
            for label, fig in rows:
                ratios.setdefault(label, []).append(fig.burst_rate / echo.burst_rate)
                print(
                    f"{db:<11} {label:<15} {fig.burst_rate:>7.1f}"
                    f" {fig.burst_rate / echo.burst_rate:>6.2f} {fig.cpu_ms:>7.2f}"
                    f" {'-' if fig.db_ms is None else f'{fig.db_ms:.2f}':>6} {fig.api_ms:>6.2f}"
                    f" {fig.p50:>7.1f} {fig.p99:>7.1f} {fig.missing:>5}"
                    f" {sum(fig.calls.values()):>6.2f}"
                    + (
                        f" {fig.instructions / 1e6:>8.2f}"
                        f" {fig.instructions / echo.instructions:>11.2f}"
                        if args.callgrind
                        else ""
                    ),
                    flush=True,
                )
        if args.repeat > 1:
            for label, found in ratios.items():
                if label != "echo":
                    print(
                        f"{db:<11} {label:<15} ×echo over {len(found)} rounds: median"
                        f" {statistics.median(found):.2f}, {min(found):.2f}–{max(found):.2f}"
                    )
        for label, fig in rows:
            each = ", ".join(f"{m} {n:.2f}" for m, n in sorted(fig.calls.items()))
            print(f"  {label}: Bot API calls per update: {each}")


async def one_round(
    db: str, args: argparse.Namespace, ours_kinds: list[str]
) -> list[tuple[str, Figures]]:
    """Echo (and the floor), then Đôn Đốc on each loop asked for, each on a fresh database:
    one row each, the ratios taken against this round's echo."""
    global CALLGRIND, DB_NAME
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.callgrind:
            CALLGRIND = Path(args.keep).resolve() / db if args.keep else workdir
            CALLGRIND.mkdir(parents=True, exist_ok=True)
        if db == "sqlite":
            url = f"sqlite+aiosqlite:///{workdir / 'dondoc.db'}"
            DB_NAME = ""
        else:
            DB_NAME = f"{args.pg_prefix}_{os.getpid()}"
            url = await fresh_postgres(args.pg, DB_NAME)
        try:
            echo = await run_bot("echo", url, args.burst, args.rate, args.seconds, workdir)
            rows = [("echo", echo)]
            if not args.no_floor:
                floor = await run_bot("floor", url, args.burst, args.rate, args.seconds, workdir)
                rows.append(("floor", floor))
            for n, kind in enumerate(ours_kinds):
                if n:  # a database of its own: the first run's updates are marked handled
                    if db == "sqlite":
                        url = f"sqlite+aiosqlite:///{workdir / f'{kind}.db'}"
                    else:
                        url = await fresh_postgres(args.pg, DB_NAME)
                ours = await run_bot(kind, url, args.burst, args.rate, args.seconds, workdir)
                rows.append(("Đôn Đốc" + kind.removeprefix("dondoc").replace("-", "/"), ours))
        finally:
            if db == "postgres":
                await fresh_postgres(args.pg, DB_NAME, drop=True)
    return rows


if __name__ == "__main__":
    asyncio.run(main())
