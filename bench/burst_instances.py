"""The 08:00 burst to 2,000 groups with two instances: two real `dondoc run` processes in webhook
mode on one PostgreSQL (one leads and sends, the other follows), against the Bot API stand-in,
which enforces Telegram's limits (30 msg/s per bot, 20/min per group, 1/s per chat) in real time
and answers 429 beyond them. 2,000 units, one task each due at 08:00: one reminder per group.

    PYTHONPATH=. .venv/bin/python bench/burst_instances.py \\
        --pg postgresql+asyncpg://postgres@127.0.0.1:5432/test [--groups 2000] [--runs 1] \\
        [--prefix dondoc_burst]

Prints, per run: the reminders delivered, the 429s, the duplicates (a task named in more than
one group message), the leader's scan, the send time (first reminder to last, as the stand-in
received them), the rate and its ratio to the bound Telegram's limits set for these messages
(here 30/s: one message per group, so the per-bot limit is the one that binds). Each run uses a
database of its own on the server --pg names (created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from bot.sandbox import BotApiServer, FakeTelegram
from bot.sandbox.burst import (
    BURST,
    add_roster_to,
    burst_roster,
    deliveries_by_state,
    seed_due_tasks,
    tasks_named,
)
from bot.sandbox.processes import STAND_IN_TOKEN, Runs, free_port

PER_BOT = 30.0
PER_GROUP = 20
PER_CHAT = 1.0
SCAN_LINE = re.compile(r"due scan: (\d+) nudges .*?, (\d+) messages sent")


async def _admin(url: str, statement: str) -> None:
    dsn = make_url(url).set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _stand_in(groups: int) -> FakeTelegram:
    tg = FakeTelegram(token=STAND_IN_TOKEN, enforce_limits=True)
    add_roster_to(tg, burst_roster(groups))
    return tg


def fastest(dates: dict[int, list[float]]) -> float:
    """The least time Telegram's limits allow from the first of these messages to the last."""
    total = sum(len(d) for d in dates.values())
    floor = (total - 1) / PER_BOT
    for chat, sent in dates.items():
        n = len(sent)
        if n > 1:
            floor = max(floor, (n - 1) * PER_CHAT)
        if chat < 0 and n > PER_GROUP:
            floor = max(floor, 60.0 * ((n - 1) // PER_GROUP))
    return floor


async def one(pg: str, template: str, groups: int, tmp: Path, prefix: str) -> dict[str, Any]:
    name = f"{prefix}_{os.getpid()}_{int(time.time())}"
    await _admin(pg, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    database_url = make_url(pg).set(database=name).render_as_string(hide_password=False)
    tg = _stand_in(groups)
    arrivals: dict[int, list[float]] = {}
    store = tg.bot_send

    def bot_send(chat: Any, content: Any) -> Any:
        arrivals.setdefault(chat.id, []).append(time.monotonic())
        return store(chat, content)

    tg.bot_send = bot_send  # type: ignore[method-assign]
    server = BotApiServer(tg)
    runs: Runs | None = None
    try:
        url = await server.start()
        runs = Runs(tmp, url, database_url, name=name)
        began = time.monotonic()
        for _ in range(2):
            port = free_port()
            await runs.start(
                DONDOC_FAKE_NOW=(BURST - timedelta(seconds=3)).isoformat(),
                DONDOC_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
                DONDOC_WEBHOOK_SECRET="burst-instances-secret-0123456789",
                DONDOC_WEBHOOK_PORT=str(port),
            )
        async with asyncio.timeout(900):
            while True:
                await asyncio.sleep(0.5)
                if sum(len(v) for v in arrivals.values()) >= groups:
                    states = await deliveries_by_state(database_url)
                    if not set(states) & {"pending", "claimed", "sending"}:
                        break
        await tg.wait_idle(timeout=10)
        for run in runs.started:
            await run.stop()
    finally:
        if runs is not None:
            await runs.close()
        await server.stop()
        await _admin(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    codes, _ = tasks_named(tg, burst_roster(groups))
    groups_dates = {
        c: d for c, d in arrivals.items() if c in {u.chat for u in burst_roster(groups).units}
    }
    every = sorted(t for d in groups_dates.values() for t in d)
    send = every[-1] - every[0]
    delivered = len(every)
    sent_by = []
    scans = []
    assert runs is not None
    for run in runs.started:
        text = run.output()
        sent_by.append(sum(int(m.group(2)) for m in SCAN_LINE.finditer(text)))
        scans.append("Traceback" in text)
    rate = (delivered - 1) / send if send else 0.0
    bound = (delivered - 1) / fastest(groups_dates)
    return {
        "delivered": delivered,
        "rate_limited": tg.rate_limited,
        "duplicates": sum(n - 1 for n in codes.values() if n > 1),
        "missing": groups - len(codes),
        "first_after_start": every[0] - began,
        "send": send,
        "rate": rate,
        "bound": bound,
        "ratio": rate / bound,
        "sent_by": sent_by,
        "tracebacks": scans,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", ""))
    parser.add_argument("--groups", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--prefix", default="dondoc_burst", help="the scratch databases' names")
    args = parser.parse_args()
    if not args.pg.startswith("postgresql"):
        raise SystemExit("give a PostgreSQL server: --pg postgresql+asyncpg://user@host/db")
    print(
        f"{args.groups} groups, one reminder each at 08:00; two `dondoc run` processes on one"
        " PostgreSQL (webhook mode, leader election); the stand-in enforces Telegram's limits.\n"
        "send s: first reminder to last as the stand-in received them; bound: the fastest rate"
        " Telegram's limits allow for them; dup: a task named in more than one message."
    )
    print(
        f"{'msgs':>5} {'429s':>5} {'dup':>4} {'lost':>4} {'send s':>7} {'msg/s':>6}"
        f" {'bound':>6} {'of bd':>6}  sent by instance"
    )
    ratios = []
    # Seeded once, copied for each run (CREATE DATABASE … TEMPLATE).
    template = f"{args.prefix}_seed_{os.getpid()}"
    await _admin(args.pg, f'CREATE DATABASE "{template}"')
    try:
        seed = make_url(args.pg).set(database=template).render_as_string(False)
        await seed_due_tasks(seed, args.groups, args.groups)
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.runs):
                result = await one(args.pg, template, args.groups, Path(tmp), args.prefix)
                ratios.append(await _print(result))
    finally:
        await _admin(args.pg, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    if len(ratios) > 1:
        print(f"median of {len(ratios)} runs: {statistics.median(ratios):.0%} of the bound")


async def _print(r: dict[str, Any]) -> float:
    print(
        f"{r['delivered']:>5} {r['rate_limited']:>5} {r['duplicates']:>4}"
        f" {r['missing']:>4} {r['send']:>7.2f} {r['rate']:>6.1f} {r['bound']:>6.1f}"
        f" {r['ratio']:>6.0%}  {r['sent_by']}"
        + ("  TRACEBACK in a log" if any(r["tracebacks"]) else ""),
        flush=True,
    )
    return float(r["ratio"])


if __name__ == "__main__":
    asyncio.run(main())
