"""The scheduler's lock on PostgreSQL lives as long as its database session. When that session
dies (the database restarted, the connection was cut: here the server ends it with
pg_terminate_backend), the holder notices within seconds, stops the scheduled work, and takes
the lock again as soon as it can; meanwhile another instance could have taken it."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

from bot.db.instance import PG_KEY, Election, Holder, InstanceLock, acquire

HOLDER_PID = """
SELECT l.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1
  AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def _pg_only(database_url: str) -> str:
    if "sqlite" in database_url:
        pytest.skip("the advisory lock's session is PostgreSQL's")
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


async def _holder(dsn: str) -> tuple[int, str] | None:
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(HOLDER_PID, PG_KEY)
        return None if row is None else (int(row[0]), str(row[1]))
    finally:
        await conn.close()


async def _kill_holder(dsn: str) -> int:
    """End the lock holder's session as a database restart would; returns its backend pid."""
    found = await _holder(dsn)
    assert found is not None
    conn = await asyncpg.connect(dsn)
    try:
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", found[0])
    finally:
        await conn.close()
    return found[0]


async def _until(condition: Callable[[], object], timeout: float, what: str) -> float:
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)
    return time.monotonic() - began


async def test_a_lock_whose_session_dies_is_noticed_and_taken_again(database_url: str) -> None:
    dsn = _pg_only(database_url)
    lock = acquire(database_url)
    assert isinstance(lock, InstanceLock)
    try:
        before = await _holder(dsn)
        assert before is not None and f"dondoc {os.getpid()} " in before[1]
        killed = await _kill_holder(dsn)
        # Taken again by the same instance, in a new session, within seconds.
        deadline = time.monotonic() + 20
        while True:
            now = await _holder(dsn)
            if now is not None and now[0] != killed:
                break
            assert time.monotonic() < deadline, "the lock was never taken again"
            await asyncio.sleep(0.2)
        assert f"dondoc {os.getpid()} " in now[1]
        assert lock.held
        # So a second instance is refused again.
        assert isinstance(await asyncio.to_thread(acquire, database_url), Holder)
        # Meanwhile the scheduled work stopped: the lock may have been someone else's.
        changes: list[bool] = []
        lock.watch(changes.append)
        await _kill_holder(dsn)
        await _until(lambda: changes[:1] == [False], 10, "the lost session to be noticed")
        await _until(lambda: changes == [False, True], 20, "the lock to be held again")
    finally:
        lock.release()


async def test_a_leader_whose_session_dies_steps_down_and_leads_again(database_url: str) -> None:
    dsn = _pg_only(database_url)
    said: list[bool] = []
    election = Election(database_url, said.append, retry=0.5)
    election.start()
    try:
        await _until(lambda: said == [True], 10, "the lead")
        await _kill_holder(dsn)
        await _until(lambda: said == [True, False, True], 15, "stepping down and leading again")
    finally:
        election.stop()
