"""SQLite run on the event loop's thread (bot.db.inline): writers of this process take turns
without blocking the loop, a second process holding the write lock is waited for with the loop
running, and a cancelled writer gives up its turn. The loop's progress is counted in ticks of a
coroutine that only yields; nothing here reads the wall clock."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.engine import READ_ONLY, create_engine, make_sessionmaker
from bot.db.inline import InlineConnection, off_loop

# A second process (a `dondoc` command, a backup): takes the write lock, says so, adds one to
# the counter, and commits when told to (or after 60 s, so that a blocked loop fails the test
# rather than hanging it).
HOLDER = """
import sqlite3, sys, select
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE counter SET value = value + 1")
print("locked", flush=True)
select.select([sys.stdin], [], [], 60)
db.execute("COMMIT")
print("released", flush=True)
"""


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    path = tmp_path / "inline.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
        db.execute("INSERT INTO counter VALUES (0)")
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        yield engine
    finally:
        await engine.dispose()


class Ticks:
    """Counts the event loop's turns while it runs."""

    def __init__(self) -> None:
        self.count = 0
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(0)
            self.count += 1

    async def after(self, more: int) -> None:
        """Returns once the loop has turned `more` times more."""
        target = self.count + more
        while self.count < target:
            await asyncio.sleep(0)

    def stop(self) -> None:
        self._task.cancel()


async def add_one(sessions: async_sessionmaker[AsyncSession], times: int) -> None:
    """Read-modify-write, `times` transactions: a lost update shows in the total."""
    for _ in range(times):
        async with sessions() as session:
            value = await session.scalar(text("SELECT value FROM counter"))
            await asyncio.sleep(0)  # let the other writer try to get in between
            await session.execute(text("UPDATE counter SET value = :v"), {"v": value + 1})
            await session.commit()


async def total(engine: AsyncEngine) -> int:
    """Read in a deferred transaction: it takes no lock and waits for no writer."""
    async with engine.connect() as conn:
        reader = await conn.execution_options(**{READ_ONLY: True})
        return int(await reader.scalar(text("SELECT value FROM counter")) or 0)


async def test_the_engine_runs_sqlite_inline(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.dbapi_connection, InlineConnection)
        assert await conn.scalar(text("PRAGMA busy_timeout")) == 0


async def test_writers_and_another_process_all_finish_with_the_loop_running(
    engine: AsyncEngine,
) -> None:
    path = engine.url.database
    assert path is not None
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLDER,
        path,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert holder.stdin is not None and holder.stdout is not None
    ticks = Ticks()
    try:
        assert await holder.stdout.readline() == b"locked\n"
        sessions = make_sessionmaker(engine)
        writers = [asyncio.create_task(add_one(sessions, 20)) for _ in range(2)]
        # The other process holds the lock: both writers wait for it, the loop keeps turning
        # (a reader is answered meanwhile: under WAL it does not wait for the writer).
        await ticks.after(500)
        assert not any(w.done() for w in writers)
        assert await total(engine) == 0
        holder.stdin.write(b"go\n")
        await holder.stdin.drain()
        assert await holder.stdout.readline() == b"released\n"
        await asyncio.gather(*writers)
        assert await total(engine) == 1 + 2 * 20
    finally:
        ticks.stop()
        if holder.returncode is None:
            holder.kill()
        await holder.wait()


async def test_a_cancelled_writer_gives_up_its_turn(engine: AsyncEngine) -> None:
    sessions = make_sessionmaker(engine)
    inside = asyncio.Event()

    async def stuck() -> None:
        async with sessions() as session:
            await session.execute(text("UPDATE counter SET value = value + 100"))
            inside.set()
            await asyncio.Event().wait()  # never commits

    first = asyncio.create_task(stuck())
    await inside.wait()
    waiting = asyncio.create_task(add_one(sessions, 1))  # queued behind `first`
    queued = asyncio.create_task(add_one(sessions, 1))
    await asyncio.sleep(0)
    waiting.cancel()  # cancelled while waiting for its turn
    first.cancel()  # cancelled while holding it
    for task in (first, waiting):
        with pytest.raises(asyncio.CancelledError):
            await task
    await queued
    assert await total(engine) == 1


async def test_a_long_read_runs_off_the_loop(engine: AsyncEngine) -> None:
    count = text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)"
        " SELECT count(*) FROM n"
    )
    ticks = Ticks()
    try:
        async with engine.connect() as conn:
            await ticks.after(1)
            before = ticks.count
            assert await conn.scalar(count) == 1000000  # inline: the loop waits for it
            inline = ticks.count - before
            before = ticks.count
            with off_loop():
                assert await conn.scalar(count) == 1000000
            beside = ticks.count - before
    finally:
        ticks.stop()
    assert inline <= 1
    assert beside > 10


async def test_a_cancelled_long_read_is_interrupted_before_the_connection_moves_on(
    engine: AsyncEngine,
) -> None:
    """A scan cancelled at shutdown while its statement runs in the worker thread: the
    statement is stopped and waited for, then the session rolls back and the connection goes
    back to the pool, never while the statement still runs on it."""
    endless = text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    sessions = make_sessionmaker(engine)
    started = asyncio.Event()

    async def scan() -> None:
        async with sessions() as session:
            await session.execute(text("UPDATE counter SET value = value + 1"))
            started.set()
            with off_loop():
                await session.execute(endless)

    ticks = Ticks()
    try:
        task = asyncio.create_task(scan())
        await started.wait()
        await ticks.after(50)  # the loop runs while the endless count does
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        ticks.stop()
    assert await total(engine) == 0  # rolled back
    await add_one(sessions, 1)  # and the write turn was given up
    assert await total(engine) == 1
