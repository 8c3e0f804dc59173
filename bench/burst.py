"""The 08:00 burst: 2,000 tasks due at one opening, delivered through the Bot API stand-in that
enforces Telegram's limits (30 msg/s per bot, 20/min per group, 1/s per chat) and answers 429
beyond them. Prints the paced sender beside a baseline that sends as fast as it can.

    .venv/bin/python bench/burst.py [--tasks 2000] [--units 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.config import load_settings
from bot.sandbox.burst import BurstResult, run_burst

TELEGRAM_MAX = 30.0  # messages per second per bot


async def one(label: str, tasks: int, units: int, baseline: bool) -> BurstResult:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            TELEGRAM_BOT_TOKEN="123:ABC",
            DATABASE_URL=f"sqlite+aiosqlite:///{Path(tmp) / 'burst.db'}",
            _env_file=None,
        )
        result = await run_burst(settings, tasks=tasks, units=units, baseline=baseline)
    delivered = result.messages - result.rate_limited
    rate = delivered / result.seconds
    print(
        f"{label:<10} {delivered:>9} {result.rate_limited:>6} {result.scan_seconds:>7.2f}"
        f" {result.seconds:>7.2f} {rate:>7.1f} {rate / TELEGRAM_MAX:>7.0%}"
        f" {result.unsent:>7} {len(result.codes_seen):>6}"
    )
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--units", type=int, default=50)
    args = parser.parse_args()
    print(f"{args.tasks} tasks in {args.units} units, due at one 08:00; SQLite; stand-in enforcing")
    print("Telegram's limits. msg/s = delivered / seconds from first send to last; max 30/s.")
    print(
        f"{'sender':<10} {'delivered':>9} {'429s':>6} {'scan s':>7} {'send s':>7} {'msg/s':>7}"
        f" {'of max':>7} {'unsent':>7} {'tasks':>6}"
    )
    await one("baseline", args.tasks, args.units, baseline=True)
    await one("paced", args.tasks, args.units, baseline=False)


if __name__ == "__main__":
    asyncio.run(main())
