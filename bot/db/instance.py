"""One scheduler at a time: `dondoc run` holds a lock on its database for the life of the process.

Two instances on one database would both long-poll Telegram (409 Conflict) and both send the
08:00 reminders; a second one's start-up recovery would also take back the rows the first is
still sending. So the second refuses to start and names the first.

- PostgreSQL: `pg_try_advisory_lock` on a connection of its own, held by a daemon thread with its
  own event loop (asyncpg connections belong to one loop, and `dondoc run` goes through several:
  the migrations', the roster import's, PTB's). The server drops the lock when that session
  ends, however the process dies. The holder's host, pid and start are its `application_name`,
  which the refused instance reads from pg_stat_activity: nothing to clean up, never stale.
- SQLite: an exclusive `flock` on a file beside the database (`dondoc.db.lock`), kept open for
  the life of the process; the kernel releases it when the process dies, SIGKILL included, so
  no stale lock survives a crash. flock rather than fcntl (POSIX) locks: those belong to the
  process and vanish when any descriptor of the file is closed, and SQLite uses them on the
  database file itself. The holder writes its host, pid and start into the lock file. (A row
  in the database with a heartbeat would need a timeout to tell a dead holder from a slow one.)
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from secrets import token_hex
from typing import Any

from sqlalchemy.engine import make_url

from bot.db.engine import ensure_sqlite_dir, is_sqlite

# pg_try_advisory_lock(bigint): one key for "the dondoc scheduler" ("dond" in ASCII). Advisory
# locks are per database, so bots on two databases of one server do not exclude each other.
PG_KEY = 0x646F6E64
_APP = "dondoc"
log = logging.getLogger(__name__)


def instance_id() -> str:
    """This running instance, as recorded on the rows it claims: host, pid and a random part
    (one process may open several runtimes, as the tests' restarts do)."""
    host = socket.gethostname()[:32]
    return f"{host}:{os.getpid()}:{token_hex(4)}"


@dataclass(frozen=True, slots=True)
class Holder:
    """The instance that holds the lock, as far as it said."""

    host: str
    pid: int | None
    since: datetime | None


class LockError(Exception):
    """The lock could not even be tried (the database cannot be reached, the folder is
    read-only): one line for the person starting the bot."""


class InstanceLock:
    """Held until the process ends (or `release`, for tests). On PostgreSQL the lock lives as long
    as its session: `held` says whether it is held now, and `watch` is told when that changes
    (from the lock's own thread)."""

    def __init__(self, release: threading.Event | None = None, fd: int | None = None) -> None:
        self._release = release
        self._fd = fd
        self.held = True
        self._watchers: list[Callable[[bool], None]] = []
        self._guard = threading.Lock()

    def watch(self, on_change: Callable[[bool], None]) -> None:
        with self._guard:
            self._watchers.append(on_change)

    def _changed(self, held: bool) -> None:
        with self._guard:
            if held == self.held:
                return
            self.held = held
            watchers = list(self._watchers)
        for watcher in watchers:
            watcher(held)

    def release(self) -> None:
        if self._release is not None:
            self._release.set()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def acquire(database_url: str) -> InstanceLock | Holder:
    """Take the scheduler's lock on this database, or say who holds it."""
    if is_sqlite(database_url):
        return _sqlite(database_url)
    return _postgres(database_url)


def _me() -> tuple[str, int, int]:
    return socket.gethostname(), os.getpid(), int(time.time())


# --- SQLite ----------------------------------------------------------------------------------


def lock_path(database_url: str) -> Path | None:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        return None  # a database in memory cannot be shared by two processes
    return Path(f"{database}.lock")


def _sqlite(database_url: str) -> InstanceLock | Holder:
    path = lock_path(database_url)
    if path is None:
        return InstanceLock()
    try:
        ensure_sqlite_dir(database_url)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockError(f"cannot open the lock file {path}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        try:
            said = os.read(fd, 512).decode("utf-8", "replace")
        finally:
            os.close(fd)
        return _parse(said)
    host, pid, since = _me()
    os.ftruncate(fd, 0)
    os.write(fd, f"{pid} {since} {host}\n".encode())
    return InstanceLock(fd=fd)


def _parse(said: str) -> Holder:
    """`pid since host`, as the holder wrote it (the host last: it may hold spaces)."""
    parts = said.strip().split(" ", 2)
    if len(parts) < 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return Holder(host="?", pid=None, since=None)
    return Holder(
        host=parts[2], pid=int(parts[0]), since=datetime.fromtimestamp(int(parts[1]), UTC)
    )


# --- PostgreSQL ------------------------------------------------------------------------------


_HOLDER = """
SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = $1
  AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def _postgres(database_url: str) -> InstanceLock | Holder:
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    host, pid, since = _me()
    # application_name holds at most 63 bytes: the host goes last and may be cut.
    name = f"{_APP} {pid} {since} {host}".encode()[:63].decode("utf-8", "ignore")
    outcome: list[InstanceLock | Holder | BaseException] = []
    ready = threading.Event()
    release = threading.Event()

    async def hold() -> None:
        import asyncpg  # type: ignore[import-untyped]

        try:
            conn = await asyncpg.connect(dsn, server_settings={"application_name": name})
        except (OSError, asyncpg.PostgresError) as exc:
            outcome.append(LockError(f"cannot take the scheduler lock on the database: {exc}"))
            ready.set()
            return
        try:
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", PG_KEY):
                said = await conn.fetchval(_HOLDER, PG_KEY) or ""
                outcome.append(_parse(said.removeprefix(_APP).strip()))
                ready.set()
                return
            lock = InstanceLock(release=release)
            outcome.append(lock)
            ready.set()
            # Hold the session (and so the lock) until released or the process ends, and check
            # it: after a database restart (or a cut connection) the lock is gone with the
            # session, and another instance may take it. This one steps down until it holds
            # the lock again.
            while not release.is_set():
                try:
                    await asyncio.wait_for(conn.fetchval("SELECT 1"), LEAD_CHECK * 2)
                except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as e:
                    log.warning(
                        "the scheduler lock's database session broke (%s): not running the "
                        "scheduled work until the lock is taken again",
                        e,
                    )
                    lock._changed(False)
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(conn.close(), 5)
                    conn = await _retake(dsn, name, release)
                    if conn is None:
                        return
                    log.warning("the scheduler lock is held again: running the scheduled work")
                    lock._changed(True)
                    continue
                await _pause(release, LEAD_CHECK)
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), 5)

    def run() -> None:
        try:
            asyncio.run(hold())
        except BaseException as exc:  # handed to the caller below
            if not ready.is_set():
                outcome.append(exc)
                ready.set()

    threading.Thread(target=run, name="dondoc-instance-lock", daemon=True).start()
    ready.wait()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


async def _pause(stop: threading.Event, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not stop.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(min(0.1, seconds))


async def _retake(dsn: str, name: str, stop: threading.Event) -> Any:
    """A new session holding the lock again, once the database answers and no other instance
    took the lock meanwhile (None when stopped first)."""
    import asyncpg

    while not stop.is_set():
        await _pause(stop, LEAD_RETRY)
        try:
            conn = await asyncpg.connect(
                dsn, server_settings={"application_name": name}, timeout=10
            )
        except (OSError, asyncpg.PostgresError, TimeoutError):
            continue
        try:
            if await asyncio.wait_for(
                conn.fetchval("SELECT pg_try_advisory_lock($1)", PG_KEY), LEAD_RETRY * 2
            ):
                return conn
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            pass
        with contextlib.suppress(Exception):
            await asyncio.wait_for(conn.close(), 5)
    return None


_OTHERS = """
SELECT application_name FROM pg_stat_activity
WHERE datname = current_database() AND application_name LIKE 'dondoc %'
  AND pid <> pg_backend_pid()
"""


def others(database_url: str) -> list[Holder]:
    """The instances connected to this PostgreSQL database besides this process: a follower of
    several holds no lock, but is running all the same (a restore must not pull the tables from
    under it)."""
    if is_sqlite(database_url):
        return []
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)

    async def ask() -> list[str]:
        import asyncpg

        try:
            conn = await asyncpg.connect(dsn, timeout=10)
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            raise LockError(f"cannot reach the database: {exc}") from None
        try:
            return [str(r[0]) for r in await conn.fetch(_OTHERS)]
        finally:
            await conn.close()

    me = socket.gethostname()
    found = [_parse(n.removeprefix(_APP).strip()) for n in asyncio.run(ask())]
    return [h for h in found if not (h.pid == os.getpid() and me.startswith(h.host))]


# --- Several instances on one PostgreSQL: leader election -------------------------------------

LEAD_RETRY = 5.0  # seconds between tries of a follower: a dead leader's work resumes within that
WAKE_CHANNEL = "dondoc_wake"
LEAD_CHECK = 2.0  # seconds between checks that the leader's session (and so its lock) still lives


class Election:
    """Every instance handles updates; the one holding the advisory lock (the same key as the
    single-instance lock) runs the scheduled work. A follower tries again every LEAD_RETRY
    seconds. The server drops the lock when the leader's session ends, however its process died,
    so another follower takes over within seconds. A leader whose session breaks (the database
    restarted, the network cut) steps down at once: the lock may already be someone else's.

    `on_change(True|False)` is called from the election's own thread (asyncpg connections belong
    to one event loop); the caller hands it over to its loop."""

    def __init__(
        self,
        database_url: str,
        on_change: Callable[[bool], None],
        retry: float = LEAD_RETRY,
        on_wake: Callable[[], None] | None = None,
    ) -> None:
        self._dsn = (
            make_url(database_url)
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
        )
        self._on_change = on_change
        self._on_wake = on_wake
        self._retry = retry
        self._stop = threading.Event()
        self.leading = False
        self._thread = threading.Thread(target=self._run, name="dondoc-election", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Give up the lock (the session ends) and stop trying."""
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        asyncio.run(self._campaign())

    async def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stop.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(min(0.1, seconds))

    def _woken(self, *_: object) -> None:
        if self._on_wake is not None:
            self._on_wake()

    def _set(self, leading: bool) -> None:
        if leading != self.leading:
            self.leading = leading
            self._on_change(leading)

    async def _campaign(self) -> None:
        import asyncpg

        host, pid, since = _me()
        name = f"{_APP} {pid} {since} {host}".encode()[:63].decode("utf-8", "ignore")
        while not self._stop.is_set():
            try:
                conn = await asyncpg.connect(
                    self._dsn, server_settings={"application_name": name}, timeout=10
                )
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                log.warning("leader election: cannot reach the database (%s): trying again", exc)
                await self._pause(self._retry)
                continue
            try:
                while not self._stop.is_set():
                    if self.leading:
                        await asyncio.wait_for(conn.fetchval("SELECT 1"), LEAD_CHECK * 2)
                        await self._pause(LEAD_CHECK)
                    elif await asyncio.wait_for(
                        conn.fetchval("SELECT pg_try_advisory_lock($1)", PG_KEY), self._retry * 2
                    ):
                        if self._on_wake is not None:
                            # A follower that queued a message (a /nhac) says so with NOTIFY
                            # (wake_leader), so that it goes out now rather than at the next scan.
                            await conn.add_listener(WAKE_CHANNEL, self._woken)
                        self._set(True)
                    else:
                        await self._pause(self._retry)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                if self.leading:
                    log.warning("leader election: the session holding the lock broke (%s)", exc)
                self._set(False)
                await self._pause(1.0)
            finally:
                self._set(False)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), 5)
