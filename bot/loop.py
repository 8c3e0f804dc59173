"""The event loop a long-running `dondoc` process runs on: uvloop where it is installed, or
asyncio's own (DONDOC_EVENT_LOOP).

Each update waits on the network several times (the Bot API, and on PostgreSQL every
statement, BEGIN and COMMIT), and every wait is a turn of the loop: the selector, the callbacks,
the task's step. uvloop does those turns in C. On bench/throughput.py's mix it cut the bot's CPU
per update by about a fifth on SQLite and by about a third on PostgreSQL (README, "Hiệu năng").
The choice is made per run, with `asyncio.Runner`'s loop factory, not with a process-wide
policy: the short commands, the tests and other threads keep asyncio's loop."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

CHOICES = ("auto", "uvloop", "asyncio")


def available() -> bool:
    return importlib.util.find_spec("uvloop") is not None


def chosen(setting: str) -> str:
    """The loop `setting` (DONDOC_EVENT_LOOP) gives on this machine: "uvloop" or "asyncio".
    "uvloop" where it is not installed is refused when the settings are read, not here."""
    if setting == "asyncio" or (setting == "auto" and not available()):
        return "asyncio"
    return "uvloop"


def factory(setting: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    if chosen(setting) == "asyncio":
        return None  # asyncio.Runner's default: a new loop of asyncio's own
    import uvloop

    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T], setting: str) -> T:
    """`asyncio.run(main)` on the loop `setting` chooses."""
    with asyncio.Runner(loop_factory=factory(setting)) as runner:
        return runner.run(main)
