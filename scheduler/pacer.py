"""Staying inside Telegram's limits: 30 messages a second per bot, 20 a minute per group and
one a second per chat, as sliding windows (the Bot API stand-in, bot/sandbox/limits.py, enforces
the same windows and answers 429 beyond them). Real time on purpose: the limits are Telegram's,
not the clock's. (The burst harness gives it a time line that can skip ahead, shared with its
stand-in, so minutes of Telegram's waiting take milliseconds of a test.)

The windows count each message as of when its answer came back, the latest moment Telegram can
have counted it, and a message still in flight as of now: a request held up on a busy machine
can then never bunch with the next ones at Telegram's end, so the pacer can use the limits in
full instead of keeping a margin below each. A message that did not wait for the pacer (a reply
to someone's own action) is counted when it went out (`note`)."""

from __future__ import annotations

import asyncio
import math
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable

LANDING = math.inf  # "not before a message in flight comes back"


class Pacer:
    def __init__(
        self,
        per_second: int = 30,
        per_group_minute: int = 20,
        per_chat_interval: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.per_group_minute = per_group_minute
        self.per_chat_interval = per_chat_interval
        self._now = monotonic
        self._sleep = sleep
        self._recent: deque[float] = deque()  # landed in the last second, oldest first
        self._group: dict[int, deque[float]] = defaultdict(deque)  # the same per group, a minute
        self._last: dict[int, float] = {}  # per chat: when its last message landed
        self._flying: dict[int, int] = defaultdict(int)  # per chat: messages in flight
        self.in_air = 0

    # --- what may go -----------------------------------------------------------------------

    def room(self) -> int:
        """How many more messages may leave now as far as the per-bot limit goes."""
        _prune(self._recent, self._now() - 1.0)
        return max(0, self.per_second - len(self._recent) - self.in_air)

    def bot_ready_in(self) -> float:
        """Seconds until the per-bot limit lets one more message go (LANDING: when one in
        flight comes back)."""
        return _window_wait(self._recent, self.in_air, self.per_second, 1.0, self._now())

    def chat_ready_in(self, chat_id: int) -> float:
        """Seconds until this chat's own limits (per chat, per group) let a message go."""
        if self._flying.get(chat_id):
            return LANDING
        now = self._now()
        wait = 0.0
        last = self._last.get(chat_id)
        if last is not None:
            wait = last + self.per_chat_interval - now
        if chat_id < 0 and chat_id in self._group:
            wait = max(
                wait, _window_wait(self._group[chat_id], 0, self.per_group_minute, 60.0, now)
            )
        return max(0.0, wait)

    def ready_in(self, chat_id: int) -> float:
        """Seconds until a message to this chat may go out (0 when it may go now)."""
        return max(self.bot_ready_in(), self.chat_ready_in(chat_id))

    # --- what went -------------------------------------------------------------------------

    def sent(self, chat_id: int) -> None:
        """A request to this chat is leaving now: it counts as of now until it is back."""
        self._flying[chat_id] += 1
        self.in_air += 1

    def cancel(self, chat_id: int) -> None:
        """A request counted by `sent` did not leave after all."""
        self._take_off(chat_id)

    def landed(self, chat_id: int) -> None:
        """The request is back. Telegram counted it at some moment between leaving and now, so
        from here on it counts as of now."""
        self._take_off(chat_id)
        self._count(chat_id)

    def note(self, chat_id: int) -> None:
        """A message that did not wait for the pacer (a reply to someone's own action) went out
        just now: it spends the same budget, so queued messages leave room for it."""
        self._count(chat_id)

    async def wait(self, seconds: float) -> None:
        """Wait on the pacer's own time line."""
        await self._sleep(seconds)

    def _take_off(self, chat_id: int) -> None:
        if self._flying.get(chat_id, 0) > 0:
            self._flying[chat_id] -= 1
            self.in_air -= 1
            if not self._flying[chat_id]:
                del self._flying[chat_id]

    def _count(self, chat_id: int) -> None:
        now = self._now()
        self._recent.append(now)
        self._last[chat_id] = now
        if chat_id < 0:
            window = self._group[chat_id]
            window.append(now)
            _prune(window, now - 60.0)
        _prune(self._recent, now - 1.0)


def _prune(window: deque[float], before: float) -> None:
    while window and window[0] <= before:
        window.popleft()


def _window_wait(window: deque[float], flying: int, limit: int, span: float, now: float) -> float:
    """Seconds until one more message fits in a sliding window of `span` seconds holding
    `window` (landed) and `flying` (counted as of now)."""
    _prune(window, now - span)
    over = len(window) + flying - limit  # how many must leave the window first, less one
    if over < 0:
        return 0.0
    if over >= len(window):
        return LANDING
    return max(0.0, window[over] + span - now)
