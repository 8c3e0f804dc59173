"""SQLite on the event loop's own thread, in place of aiosqlite's worker thread.

The bot's statements take microseconds in SQLite; handing each one to aiosqlite's thread and
back (a queue, a thread switch, a wake-up of the loop) cost more than running it. Here sqlite3
is called directly, from SQLAlchemy's async machinery, for every `sqlite+aiosqlite` URL
(bot.db.engine `create_engine`; the URL users write does not change).

Running on the loop's thread makes waiting for the write lock dangerous: a `BEGIN IMMEDIATE`
sleeping in SQLite's busy handler would hold the loop while the holder of the lock, another
coroutine of this process, could not run to release it. So:

- this process's writers take their turn on an asyncio lock before `BEGIN IMMEDIATE` (re-entrant
  for the task holding it, as bot.db.uow's WriterQueue is), held until commit, rollback or close;
- the connections' busy_timeout is 0, and SQLITE_BUSY (another process holds the lock: a
  `dondoc` command, a second instance) is retried after an `asyncio.sleep`, with SQLite's own
  pauses, for up to 30 s in all, as busy_timeout did;
- statements run under `off_loop()` go to a worker thread (sqlite3 lets go of the GIL while it
  steps), for reads long enough to stall the loop.

Deferred transactions (the READ_ONLY ones) take no lock: under WAL a reader never waits.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import pool
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_module
from sqlalchemy.dialects.sqlite.base import SQLiteExecutionContext
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine.interfaces import AdaptedConnection
from sqlalchemy.engine.url import URL
from sqlalchemy.util.concurrency import await_

T = TypeVar("T")

PATIENCE = 30.0  # seconds another process may hold the write lock, as busy_timeout=30000 was
# SQLite's own busy handler's pauses (sqlite3BusyHandler's `delays`), in seconds.
PAUSES = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.025, 0.025, 0.05, 0.05, 0.1)
SQLITE_BUSY = 5
SQLITE_BUSY_SNAPSHOT = 517  # a deferred transaction's snapshot went stale: waiting cannot help
BEGIN_WRITE = "BEGIN IMMEDIATE"


class _Done:
    """An awaitable that is already done: awaiting it does not reach the event loop."""

    def __await__(self) -> Generator[Any, None, None]:
        return
        yield  # a generator that finishes at once


# SQLAlchemy's AsyncConnection.execute checks that the driver awaited something (a sync driver
# by mistake would block the loop unnoticed); a statement run inline awaits this.
_DONE = _Done()

_off_loop: ContextVar[bool] = ContextVar("dondoc_sqlite_off_loop", default=False)


@contextmanager
def off_loop() -> Iterator[None]:
    """Statements run within this (in this task) go to a worker thread: for reads that take long
    enough to hold up other updates (a province's tally, a month's workbook)."""
    token = _off_loop.set(True)
    try:
        yield
    finally:
        _off_loop.reset(token)


def busy(exc: BaseException) -> bool:
    """SQLITE_BUSY (or one of its extended codes) that a later attempt can get past."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        isinstance(exc, sqlite3.OperationalError)
        and code is not None
        and code & 0xFF == SQLITE_BUSY
        and code != SQLITE_BUSY_SNAPSHOT
    )


class Patience:
    """The pauses between attempts while another process holds SQLite's write lock: growing
    (PAUSES), for PATIENCE seconds in all from the first refusal."""

    __slots__ = ("_attempt", "_deadline")

    def __init__(self) -> None:
        self._deadline: float | None = None
        self._attempt = 0

    def pause(self, error: sqlite3.OperationalError) -> float | None:
        """Seconds to wait before trying again; None when `error` is not another process's
        lock, or patience is spent (the caller then raises it)."""
        if not busy(error):
            return None
        now = asyncio.get_running_loop().time()
        if self._deadline is None:
            self._deadline = now + PATIENCE
        if now >= self._deadline:
            return None
        pause = PAUSES[min(self._attempt, len(PAUSES) - 1)]
        self._attempt += 1
        return min(pause, self._deadline - now)


def patiently(call: Callable[[], T]) -> T:
    """`call()`, again after a pause on the loop while another process holds the lock."""
    patience = Patience()
    while True:
        try:
            return call()
        except sqlite3.OperationalError as exc:
            wait = patience.pause(exc)
            if wait is None:
                raise
            await_(asyncio.sleep(wait))


async def in_thread(connection: sqlite3.Connection, call: Callable[[], T]) -> T:
    """`call()` (a statement on `connection`) in a worker thread. Cancelled meanwhile, the
    statement is interrupted and waited for before the cancellation goes on: whatever comes
    next (a rollback, the connection's close) must not meet it still running."""
    future = asyncio.get_running_loop().run_in_executor(None, call)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        while not future.done():  # an interrupt before the statement starts is lost: again
            connection.interrupt()
            await asyncio.wait([future], timeout=0.01)
        if not future.cancelled():
            future.exception()  # retrieved: "interrupted", or the statement's own outcome
        raise


class WriteLock:
    """This process's (this engine's) turn at SQLite's write lock."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0

    def acquire(self) -> None:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        if self._depth and task is not None and task is self._owner:
            # The same task begins a second writing transaction (a unit of work inside
            # another): it must not wait for itself. SQLite decides (busy, then an error).
            self._depth += 1
            return
        if self._lock is None or self._loop is not loop:  # an engine outlives a test's loop
            self._lock, self._loop, self._depth = asyncio.Lock(), loop, 0
        await_(self._lock.acquire())
        self._owner, self._depth = task, 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            assert self._lock is not None
            self._lock.release()


class InlineCursor:
    """sqlite3's cursor, its rows read at once (as SQLAlchemy's async adapters do: a result
    outlives the greenlet that ran it). Under `off_loop()` a statement runs, and its rows are
    read, in a worker thread."""

    __slots__ = ("_conn", "_cursor", "_rows")

    def __init__(self, conn: InlineConnection) -> None:
        self._conn = conn
        self._cursor = conn.raw.cursor()
        self._rows: deque[Any] = deque()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    def execute(self, operation: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        if operation == BEGIN_WRITE:
            self._conn.begin_write(self._cursor)
            rows: list[Any] = []
        elif _off_loop.get():
            raw = self._conn.raw
            run = self._run
            rows = patiently(lambda: await_(in_thread(raw, lambda: run(operation, parameters))))
        else:
            rows = patiently(lambda: self._run(operation, parameters))
            await_(_DONE)
        self._rows = deque(rows)
        return self

    def _run(self, operation: str, parameters: Sequence[Any]) -> list[Any]:
        cursor = self._cursor.execute(operation, parameters)
        return cursor.fetchall() if cursor.description else []

    def executemany(self, operation: str, seq_of_parameters: Sequence[Any]) -> InlineCursor:
        cursor = self._cursor
        patiently(lambda: cursor.executemany(operation, seq_of_parameters))
        await_(_DONE)
        self._rows = deque()
        return self

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = self._rows
        count = min(self._cursor.arraysize if size is None else size, len(rows))
        return [rows.popleft() for _ in range(count)]

    def fetchall(self) -> list[Any]:
        taken = list(self._rows)
        self._rows.clear()
        return taken

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    async def _async_soft_close(self) -> None:
        """Called by SQLAlchemy's async results; the rows are already read."""

    def close(self) -> None:
        self._rows.clear()
        self._cursor.close()


class InlineConnection(AdaptedConnection):
    """The DBAPI connection SQLAlchemy sees; `driver_connection` is sqlite3's."""

    __slots__ = ("_lock", "_writing")

    def __init__(self, connection: sqlite3.Connection, lock: WriteLock) -> None:
        self._connection = connection  # type: ignore[assignment]  # sqlite3's, not an async one
        self._lock = lock
        self._writing = False  # holds this process's turn (self._lock)

    @property
    def raw(self) -> sqlite3.Connection:
        return self._connection  # type: ignore[return-value]

    @property
    def isolation_level(self) -> str | None:
        return self.raw.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: Any) -> None:
        self.raw.isolation_level = value

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        self.raw.create_function(*args, **kwargs)

    def cursor(self, server_side: bool = False) -> InlineCursor:
        return InlineCursor(self)

    def execute(self, operation: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        return self.cursor().execute(operation, parameters)

    def begin_write(self, cursor: sqlite3.Cursor) -> None:
        if not self._writing:
            self._lock.acquire()
            self._writing = True
        try:
            patiently(lambda: cursor.execute(BEGIN_WRITE))
        except BaseException:
            self._let_go()
            raise

    def commit(self) -> None:
        connection = self.raw
        try:
            patiently(connection.commit)
        finally:
            self._let_go()

    def rollback(self) -> None:
        try:
            self.raw.rollback()
        finally:
            self._let_go()

    def close(self) -> None:
        raw = self.raw
        try:
            # A connection dropped mid-transaction (SQLAlchemy invalidates it when a use case
            # is cancelled) is closed without a rollback; and while a statement of it is not
            # finalized, SQLite keeps it open, write lock and all. Roll back first.
            if raw.in_transaction:
                raw.rollback()
        finally:
            try:
                raw.close()
            finally:
                self._let_go(closing=True)

    def terminate(self) -> None:
        self.close()

    def _let_go(self, closing: bool = False) -> None:
        """Give up the turn once the transaction is over (a failed COMMIT may leave it open:
        the rollback that follows ends it)."""
        if self._writing and (closing or not self.raw.in_transaction):
            self._writing = False
            self._lock.release()


class InlineDBAPI(AsyncAdapt_dbapi_module):
    """sqlite3 as the dialect's DBAPI module; one per engine, with the engine's write lock."""

    def __init__(self) -> None:
        super().__init__(sqlite3, dbapi_module=sqlite3)
        self.sqlite = sqlite3
        self.paramstyle = "qmark"
        self.has_stop = True
        self.write_lock = WriteLock()
        for name in (
            "DatabaseError",
            "DataError",
            "Error",
            "IntegrityError",
            "InterfaceError",
            "InternalError",
            "NotSupportedError",
            "OperationalError",
            "ProgrammingError",
            "Warning",
            "sqlite_version",
            "sqlite_version_info",
            "PARSE_COLNAMES",
            "PARSE_DECLTYPES",
            "Binary",
        ):
            setattr(self, name, getattr(sqlite3, name))

    def connect(self, *args: Any, **kwargs: Any) -> InlineConnection:
        kwargs["timeout"] = 0  # never sleep in SQLite's busy handler: see `patiently`
        kwargs["check_same_thread"] = False  # `off_loop` statements run in a worker thread
        kwargs["isolation_level"] = None  # transactions are begun explicitly (bot.db.engine)
        return InlineConnection(sqlite3.connect(*args, **kwargs), self.write_lock)


class InlineDialect(SQLiteDialect_pysqlite):
    driver = "aiosqlite"  # what the URL says; the driver underneath is sqlite3
    supports_statement_cache = True
    is_async = True
    has_terminate = True
    supports_server_side_cursors = False
    execution_ctx_cls = SQLiteExecutionContext

    @classmethod
    def import_dbapi(cls) -> InlineDBAPI:
        return InlineDBAPI()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool

    def get_driver_connection(self, connection: Any) -> Any:
        return connection._connection

    def do_terminate(self, dbapi_connection: Any) -> None:
        dbapi_connection.terminate()
