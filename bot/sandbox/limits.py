"""Telegram's flood limits as sliding windows over a monotonic clock."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """``(messages, seconds)`` windows. Defaults are Telegram's published figures."""

    per_bot: tuple[int, float] = (30, 1.0)
    per_group: tuple[int, float] = (20, 60.0)
    per_chat: tuple[int, float] = (1, 1.0)


class RateLimiter:
    """Counts sent messages; :meth:`retry_after` says how long a new one must wait (0 = may go)."""

    def __init__(self, limits: RateLimits, monotonic: Callable[[], float]) -> None:
        self.limits = limits
        self._monotonic = monotonic
        self._bot: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._chats: dict[int, deque[float]] = {}

    def retry_after(self, chat_id: int, is_group: bool) -> int:
        now = self._monotonic()
        waits = [
            _wait(self._bot, self.limits.per_bot, now),
            _wait(self._chats.setdefault(chat_id, deque()), self.limits.per_chat, now),
        ]
        if is_group:
            waits.append(
                _wait(self._groups.setdefault(chat_id, deque()), self.limits.per_group, now)
            )
        longest = max(waits)
        return 0 if longest <= 0 else max(1, math.ceil(longest))

    def record(self, chat_id: int, is_group: bool) -> None:
        now = self._monotonic()
        self._bot.append(now)
        self._chats.setdefault(chat_id, deque()).append(now)
        if is_group:
            self._groups.setdefault(chat_id, deque()).append(now)


def _wait(window: deque[float], limit: tuple[int, float], now: float) -> float:
    count, seconds = limit
    while window and window[0] <= now - seconds:
        window.popleft()
    if len(window) < count:
        return 0.0
    return window[len(window) - count] + seconds - now
