"""Engine setup. SQLite needs care to stay safe under concurrent async writers (engineering.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.inline import InlineConnection

READ_ONLY = "dondoc_read_only"  # an execution option: this transaction only reads


# pg_advisory_xact_lock key taken by the migrations and by a roster import ("donm" in ASCII):
# several instances started together each run both; the first does the work, the others wait for
# its commit and then find nothing left to do.
SCHEMA_LOCK = 0x646F6E6D


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_dir(url: str) -> None:
    database = make_url(url).database
    if is_sqlite(url) and database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


# SQLite run on the event loop's thread (bot.db.inline), chosen for `sqlite+aiosqlite` URLs.
INLINE_DRIVER = "dondoc_inline"
registry.register(f"sqlite.{INLINE_DRIVER}", "bot.db.inline", "InlineDialect")


def create_engine(url: str, inline: bool = True, **kwargs: Any) -> AsyncEngine:
    """`inline`: on SQLite, run the statements on the event loop's thread (bot.db.inline)
    rather than in aiosqlite's thread; False keeps aiosqlite (for comparison)."""
    ensure_sqlite_dir(url)
    parsed = make_url(url)
    sqlite = is_sqlite(url)
    if sqlite and inline and parsed.get_driver_name() == "aiosqlite":
        parsed = parsed.set(drivername=f"sqlite+{INLINE_DRIVER}")
    if parsed.get_driver_name() == "asyncpg":
        # No JIT compilation: PostgreSQL compiles any query its planner costs above
        # jit_above_cost, which the leaders' digest does at 1M tasks; the compiling took 0.5 to
        # 0.7 s of a query that runs in 0.7 s without it. The bot's queries are index searches,
        # never the long analytic scans JIT pays off on.
        connect_args = dict(kwargs.pop("connect_args", {}))
        settings = dict(connect_args.get("server_settings") or {})
        settings.setdefault("jit", "off")
        connect_args["server_settings"] = settings
        kwargs["connect_args"] = connect_args
        # Enough kept connections for the updates handled at once (handlers/ordering.py runs 8,
        # each sending its messages to several chats side by side, a tracked card a transaction
        # of its own) and the scheduled work. SQLAlchemy's 5 made a burst open and close a
        # dozen more: each a server process, an authentication and a cold statement cache.
        # Several instances share PostgreSQL's max_connections (100 by default): 24 at most each.
        kwargs.setdefault("pool_size", 16)
        kwargs.setdefault("max_overflow", 8)
        # The connection last given back is the next given out: each keeps its own prepared
        # statements, and PostgreSQL plans each statement afresh for its first five runs on a
        # connection. Handed out in turn, sixteen connections each saw a burst's statements a
        # few times and nearly every run was planned again.
        kwargs.setdefault("pool_use_lifo", True)
    engine = create_async_engine(parsed, **kwargs)
    if sqlite:
        _harden_sqlite(engine)
    return engine


def _harden_sqlite(engine: AsyncEngine) -> None:
    # The driver's own transaction handling loses read-modify-write updates under concurrency;
    # take it over and begin every writing transaction IMMEDIATE, so writers queue on
    # busy_timeout.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # Inline connections never sleep in SQLite's busy handler: that would hold the event
        # loop. They retry after an asyncio.sleep instead, for as long (bot.db.inline).
        inline = isinstance(dbapi_connection, InlineConnection)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=0" if inline else "PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Readers begin deferred: under WAL they read a snapshot and never wait for a writer.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"
        dbapi_connection = conn.connection.dbapi_connection
        if not isinstance(dbapi_connection, InlineConnection):
            conn.exec_driver_sql(begin)
            return
        # Straight to the driver: SQLAlchemy's execution of a statement that returns nothing
        # cost more than SQLite's BEGIN, once per unit of work. The engine's listeners still
        # see it, as they would.
        for listener in conn.dispatch.before_cursor_execute:
            listener(conn, None, begin, (), None, False)
        dbapi_connection.cursor().execute(begin)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
