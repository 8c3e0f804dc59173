"""The clock the core reads. Production reads the system clock; tests and the sandbox move it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until moved: tests move time instead of sleeping."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class OffsetClock:
    """Real time plus an offset that only moves forward: the sandbox's "⏩" jumps ahead to the next
    scheduled event while time keeps flowing. Production never uses it.

    ``start`` sets where the clock begins (it flows on from there at the real pace): tests give one
    so that what ⏩ reaches does not depend on the day they run."""

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("OffsetClock needs an aware datetime")
        self._offset = timedelta(0) if start is None else start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def jump_to(self, moment: datetime) -> None:
        ahead = moment.astimezone(UTC) - datetime.now(UTC)
        if ahead > self._offset:
            self._offset = ahead


class StartedClock:
    """Real time, but starting from a given moment: `DONDOC_FAKE_NOW`, so that tests can run the
    `dondoc run` process at 08:00 of a chosen day whatever today is. Production never uses it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("StartedClock needs an aware datetime")
        self._start = start.astimezone(UTC)
        self._began = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._began)
