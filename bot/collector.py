"""The cyclic garbage collector paused while a scan or a report reads tens of thousands of rows.

Such a read builds tens of thousands of small objects, none in a cycle (freed by reference
counting when it is done); while they live, the collector promotes them and in turn runs full
collections over every object not frozen at start-up (bot.app post_init) — at 1M tasks 10-20 ms
each, 85 ms each before the freeze, inside one turn of the event loop that a /nv waited behind.
Pauses nest and overlap (reads interleave on the event loop): the collector is back on when the
last one ends, unless it was off before the first."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_pauses = 0  # reads under way now
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    global _pauses, _resume
    if _pauses == 0:
        _resume = gc.isenabled()
        gc.disable()
    _pauses += 1
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0 and _resume:
            gc.enable()
