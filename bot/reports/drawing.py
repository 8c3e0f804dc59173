"""The weekly chart drawn in a process of its own: matplotlib (and numpy) are some 70 MB that the
bot would otherwise carry from the first chart on, and drawing holds the interpreter for long
stretches in C, during which a worker thread of the bot kept every command waiting.

The bot sends what the chart shows (the units' counts, their codes, the period) as JSON to
`python -m bot.reports.chart`, which answers with the PNG. Imports no matplotlib."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from dataclasses import astuple
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.model import Unit
from bot.domain.tally import Counts, Period, Tally

log = logging.getLogger(__name__)


def encode(tally: Tally, units: dict[int, Unit], lang: str, tz: ZoneInfo) -> bytes:
    shown = {uid: units[uid] for uid in tally.units if uid in units}
    return json.dumps(
        {
            "period": [tally.period.start.isoformat(), tally.period.end.isoformat()],
            "count_against": tally.count_against,
            "units": {str(uid): list(astuple(c)) for uid, c in tally.units.items()},
            "total": list(astuple(tally.total)),
            "names": {str(uid): [u.code, u.name] for uid, u in shown.items()},
            "lang": lang,
            "tz": tz.key,
        }
    ).encode()


def decode(data: bytes) -> tuple[Tally, dict[int, Unit], str, ZoneInfo]:
    raw = json.loads(data)
    start, end = (datetime.fromisoformat(x) for x in raw["period"])
    tally = Tally(
        Period(start, end),
        raw["count_against"],
        {int(uid): Counts(*c) for uid, c in raw["units"].items()},
        {},
        Counts(*raw["total"]),
    )
    units = {int(uid): Unit(int(uid), code, name) for uid, (code, name) in raw["names"].items()}
    return tally, units, raw["lang"], ZoneInfo(raw["tz"])


async def chart_png(tally: Tally, units: dict[int, Unit], lang: str, tz: ZoneInfo) -> bytes:
    """The chart's PNG, drawn by a child process; in a worker thread if that fails."""
    try:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.reports.chart",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        out, err = await child.communicate(encode(tally, units, lang, tz))
        if child.returncode == 0 and out.startswith(b"\x89PNG"):
            return out
        log.warning("the chart process failed (%s): %s", child.returncode, err[-500:])
    except OSError as exc:
        log.warning("could not start the chart process: %s", exc)
    from bot.reports import chart

    return await asyncio.to_thread(chart.chart_png, tally, units, lang, tz)
