"""The scheduler's lock on a database (bot/db/instance.py), in one process: a second try is
refused and names the holder; released, it can be taken again. (tests/e2e/test_one_scheduler.py
starts two real `dondoc run` processes.)"""

from __future__ import annotations

import os
import socket
import time

from bot.db.instance import Holder, InstanceLock, acquire, lock_path


async def test_the_lock_is_held_once_and_names_its_holder(database_url: str) -> None:
    first = acquire(database_url)
    assert isinstance(first, InstanceLock)
    try:
        second = acquire(database_url)
        assert isinstance(second, Holder), second
        assert second.pid == os.getpid()
        assert second.host == socket.gethostname()[: len(second.host)] and second.host
        assert second.since is not None and abs(second.since.timestamp() - time.time()) < 60
    finally:
        first.release()
    # The PostgreSQL session ends a moment after the release.
    deadline = time.monotonic() + 10
    while isinstance(again := acquire(database_url), Holder):
        assert time.monotonic() < deadline, "the lock was not released"
        time.sleep(0.1)
    again.release()


def test_the_sqlite_lock_is_a_file_beside_the_database(sqlite_url: str) -> None:
    path = lock_path(sqlite_url)
    assert path is not None and path.name == "dondoc.db.lock"
    held = acquire(sqlite_url)
    assert isinstance(held, InstanceLock)
    try:
        pid, _since, host = path.read_text().strip().split(" ", 2)
        assert int(pid) == os.getpid() and host == socket.gethostname()
    finally:
        held.release()
    assert lock_path("sqlite+aiosqlite:///:memory:") is None
