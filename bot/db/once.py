"""An update acts once, however often it arrives.

Telegram sends an update again when its webhook's 200 did not come back, possibly to another
instance: the one that handled it may have died after its commit and before the answer. So the
webhook names the update it is handling (`handling`), and the first unit of work that commits a
change while it runs records the update's key in the same transaction (`UnitOfWork.commit`):
the key is in the database exactly when the update's change is. A resend whose key is there is
answered without being handled again; one that races the first handling (two instances at
once) meets the key at its own commit, on PostgreSQL after the other transaction ends, and is
rolled back with `AlreadyHandled`.

Only the first commit carries the key: the later ones of the same update (the message ids of
what it sent, a prompt to reply to) are bookkeeping of the change already made. An update that
commits nothing (a look: /nv, /viec) leaves no key: the instance that answered it remembers it
in memory instead (handlers/web.py, ANSWERED), so a resend to it is not answered twice; one to
another instance, or after a restart, is answered again, which a look allows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime


class AlreadyHandled(Exception):
    """Another handling of the same update committed first: this one's change is rolled back."""


@dataclass(slots=True)
class Handling:
    key: str  # HandledRow's key: "u:<update_id>:..."
    at: datetime
    # The task handling the update. Tasks it starts (a scan kicked by /nhac, the sender's
    # commits) inherit the context but are not the update's change: they never carry the key.
    owner: asyncio.Task[object] | None = None
    claimed: bool = False  # this handling's change is committed with the key

    def carries(self) -> bool:
        """Whether a commit made now is the update's own, still to carry the key."""
        return not self.claimed and asyncio.current_task() is self.owner


CURRENT: ContextVar[Handling | None] = ContextVar("dondoc_handling", default=None)


@contextmanager
def handling(key: str, at: datetime) -> Iterator[Handling]:
    """While the block runs, the first commit of this task carries `key`."""
    current = Handling(key, at, asyncio.current_task())
    token = CURRENT.set(current)
    try:
        yield current
    finally:
        CURRENT.reset(token)
