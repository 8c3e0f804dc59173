"""The 08:00 burst: 2,000 tasks due at one opening, delivered through the Bot API stand-in that
enforces Telegram's limits (30 msg/s per bot, 20/min per group, 1/s per chat) and answers 429
beyond them. Prints the paced sender beside a baseline that sends as fast as it can.

    PYTHONPATH=. .venv/bin/python bench/burst.py [--tasks 2000] [--units 50] [--runs 1]

Times are on the burst's time line: real time, plus the waits for Telegram's limits, which the
harness skips instead of sleeping through (bot/sandbox/burst.py), so they are what a real 08:00
would take. "wall s" is how long the sending really took here.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.config import load_settings
from bot.sandbox.burst import BurstResult, run_burst

PER_BOT = 30.0  # messages per second per bot
PER_GROUP = 20  # messages per minute per group
PER_CHAT = 1.0  # seconds between two messages to one chat


def fastest(result: BurstResult) -> float:
    """The least time Telegram's limits allow from the first of these messages to the last."""
    total = sum(len(d) for d in result.sent_dates.values())
    floor = (total - 1) / PER_BOT
    for chat, dates in result.sent_dates.items():
        n = len(dates)
        if n > 1:
            floor = max(floor, (n - 1) * PER_CHAT)
        if chat < 0 and n > PER_GROUP:
            floor = max(floor, 60.0 * ((n - 1) // PER_GROUP))
    return floor


async def one(label: str, tasks: int, units: int, baseline: bool) -> BurstResult:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            TELEGRAM_BOT_TOKEN="123:ABC",
            DATABASE_URL=f"sqlite+aiosqlite:///{Path(tmp) / 'burst.db'}",
            _env_file=None,
        )
        result = await run_burst(settings, tasks=tasks, units=units, baseline=baseline)
    delivered = result.delivered
    send = result.seconds
    rate = delivered / send if send else 0.0
    bound = delivered / fastest(result)
    end_to_end = delivered / (result.scan_seconds + send)
    print(
        f"{label:<9} {delivered:>5} {result.rate_limited:>5} {result.scan_seconds:>6.2f}"
        f" {send:>7.2f} {result.wall_seconds:>6.2f} {rate:>6.1f} {rate / PER_BOT:>6.0%}"
        f" {bound:>6.1f} {rate / bound:>6.0%} {end_to_end:>6.1f} {end_to_end / PER_BOT:>6.0%}"
        f" {result.unsent:>6} {len(result.codes_seen):>5}"
    )
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(
        f"{args.tasks} tasks in {args.units} units, due at one 08:00; SQLite; the stand-in"
        " enforces Telegram's limits.\n"
        "msgs: delivered; scan s: the due-scan; send s: end of scan to last send;"
        " msg/s: msgs / send s, and its % of 30/s;\n"
        "bound: the fastest rate Telegram's limits allow for these messages (30/s, 20/min per"
        " group, 1/s per chat), and msg/s as % of it;\n"
        "08:00→: msgs / (scan s + send s), the rate seen from 08:00, and its % of 30/s."
    )
    print(
        f"{'sender':<9} {'msgs':>5} {'429s':>5} {'scan s':>6} {'send s':>7} {'wall s':>6}"
        f" {'msg/s':>6} {'of 30':>6} {'bound':>6} {'of bd':>6} {'08:00→':>6} {'of 30':>6}"
        f" {'unsent':>6} {'tasks':>5}"
    )
    ratios = []
    for _ in range(args.runs):
        await one("baseline", args.tasks, args.units, baseline=True)
        paced = await one("paced", args.tasks, args.units, baseline=False)
        ratios.append(paced.rate / (paced.delivered / fastest(paced)))
    if len(ratios) > 1:
        print(f"paced, median of {len(ratios)} runs: {statistics.median(ratios):.0%} of the bound")


if __name__ == "__main__":
    asyncio.run(main())
