"""Staying inside Telegram's limits: ~30 messages a second per bot, 20 a minute per group and
about one a second per chat. Real time on purpose: the limits are Telegram's, not the clock's.
(The burst harness gives it a time line that can skip ahead, shared with its stand-in, so
minutes of Telegram's waiting take milliseconds of a test.)"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable


class Pacer:
    def __init__(
        self,
        per_second: int = 25,
        per_group_minute: int = 19,
        per_chat_interval: float = 1.2,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        # A little under each limit: other traffic (replies to commands) shares the same budget,
        # and a request may reach Telegram later than it left here (1.05 s gave stray 429s
        # on a loaded machine).
        self.per_second = per_second
        self.per_group_minute = per_group_minute
        self.per_chat_interval = per_chat_interval
        self._now = monotonic
        self._sleep = sleep
        self._recent: deque[float] = deque()
        self._group: dict[int, deque[float]] = defaultdict(deque)
        self._last: dict[int, float] = {}

    def ready_in(self, chat_id: int) -> float:
        """Seconds until a message to this chat may go out (0 when it may go now)."""
        now = self._now()
        waits = [0.0]
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.per_second:
            waits.append(self._recent[0] + 1.0 - now)
        last = self._last.get(chat_id)
        if last is not None:
            waits.append(last + self.per_chat_interval - now)
        if chat_id < 0:
            window = self._group[chat_id]
            while window and now - window[0] >= 60.0:
                window.popleft()
            if len(window) >= self.per_group_minute:
                waits.append(window[0] + 60.0 - now)
        return max(0.0, *waits)

    def sent(self, chat_id: int) -> float:
        """A request to this chat is leaving now; returns its stamp for `landed`."""
        now = self._now()
        self._recent.append(now)
        self._last[chat_id] = now
        if chat_id < 0:
            self._group[chat_id].append(now)
        return now

    def note(self, chat_id: int) -> None:
        """A message that did not wait for the pacer (a reply to someone's own action) went out
        just now: it spends the same budget, so queued messages leave room for it."""
        now = self._now()
        self._recent.append(now)
        self._last[chat_id] = max(self._last.get(chat_id, now), now)
        if chat_id < 0:
            self._group[chat_id].append(now)

    def landed(self, chat_id: int, stamp: float) -> None:
        """The request is back. Telegram counted it at some moment between leaving and now,
        so from here on it counts as of now: a request held up on a busy machine then cannot
        bunch with the next one to the same chat at Telegram's end."""
        self.restamp(chat_id, stamp)

    def restamp(self, chat_id: int, stamp: float) -> float:
        """Count a message given the slot at `stamp` as of now; returns the new stamp."""
        now = self._now()
        _restamp(self._recent, stamp, now)
        self._last[chat_id] = max(self._last.get(chat_id, now), now)
        if chat_id < 0:
            _restamp(self._group[chat_id], stamp, now)
        return now

    async def wait(self, seconds: float) -> None:
        """Wait for a slot on the pacer's own time line."""
        await self._sleep(seconds)


def _restamp(window: deque[float], stamp: float, now: float) -> None:
    # Appending `now` keeps the window in time order; a stamp already dropped from the window
    # (the request took longer than the window) comes back as of now, which only errs on the
    # side of waiting.
    with contextlib.suppress(ValueError):
        window.remove(stamp)
    window.append(now)
