"""The hot use cases' statements run on sqlite3 itself, inside the unit of work's transaction.

SQLAlchemy remains the source of the SQL: each statement (built once, at import or per dialect)
is compiled by it once per set of parameter names, with its parameter order, its bind and result
processors and its constant parameters. Running one then costs what sqlite3 costs, plus the
processors: not the ORM session's execute, the greenlet switch, the compiled cache's lookup and
the execution context, which took 100-300 µs per statement, 20-50 times the statement itself
(bench/throughput.py's mix runs 5 to 8 per update).

On the inline SQLite path (bot.db.inline), for what that path runs the same way: a single set
of parameters, not under `off_loop()`. On PostgreSQL through asyncpg, on the driver's connection
under SQLAlchemy's adapter: in the adapter's own transaction (begun here if it is not yet: the
adapter begins lazily, at the first statement), with the adapter's own cache of prepared
statements, so that SQLAlchemy's commit, rollback and pool see the same transaction and the
same statements as if it had run them. Everything else runs through the session's connection
as before (`fallback`), with the same results.

The engine's `before_cursor_execute` listeners still see every statement, as SQLAlchemy would
call them (the statement budget and the query-plan tests count and explain what runs here)."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from bot.db.inline import InlineDialect, Patience, _off_loop

SESSION_KEY = "dondoc_direct"  # session.info: the transaction's raw connection (Direct)

_MISSING = object()


class Result:
    """What a statement gave: its rows (read at once) and the rows it changed."""

    __slots__ = ("rowcount", "rows")

    def __init__(self, rows: Sequence[Any], rowcount: int) -> None:
        self.rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def all(self) -> Sequence[Any]:
        return self.rows

    def first(self) -> Any:
        return self.rows[0] if self.rows else None

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def scalar_one(self) -> Any:
        if not self.rows:
            raise exc.NoResultFound("expected one row, found none")
        if len(self.rows) > 1:
            raise exc.MultipleResultsFound("expected one row, found several")
        return self.rows[0][0]


class Plan:
    """One statement compiled for one dialect and one set of parameter names."""

    __slots__ = ("binds", "processors", "returns_rows", "row", "sql", "statement")

    def __init__(self, statement: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> None:
        self.statement = statement  # held: the plans are found by its id()
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        assert isinstance(compiled, SQLCompiler)
        if compiled.escaped_bind_names or not compiled.positional:
            raise NotImplementedError("escaped or named parameters")
        sql = compiled.string
        positions: Sequence[str] = compiled.positiontup or ()
        constants: Mapping[str, Any] = {}
        processors: Mapping[str, Any] = compiled._bind_processors
        later = compiled.post_compile_params | compiled.literal_execute_params
        if later:
            if any(p.key in keys for p in later):
                raise NotImplementedError("an expanding parameter given at execution")
            # Constants rendered at execution (a literal_execute separator, a fixed IN list):
            # the same every time, so expanded once.
            sample = {name: None for name in keys}
            expanded = compiled.construct_expanded_state(sample)
            sql, positions = expanded.statement, expanded.positiontup or ()
            # The expanded state's processors are only those of the parameters it expanded:
            # SQLAlchemy's execution context lays them over the compiled ones, as here.
            constants = expanded.parameters
            processors = {**compiled._bind_processors, **expanded.processors}
        else:
            constants = compiled.construct_params(_check=False)
        defaults = {column.key: _default(column.default) for column in compiled.insert_prefetch} | {
            column.key: _default(column.onupdate) for column in compiled.update_prefetch
        }
        binds: list[tuple[str, Any, Callable[[], Any] | None, Any]] = []
        for name in positions:
            if name in keys:
                binds.append((name, _MISSING, None, processors.get(name)))
            elif name in defaults:
                binds.append((name, _MISSING, defaults[name], processors.get(name)))
            else:
                value = constants.get(name, _MISSING)
                if value is _MISSING:
                    raise NotImplementedError(f"no value for {name}")
                process = processors.get(name)
                binds.append((name, process(value) if process else value, None, None))
        self.sql = sql
        self.binds = tuple(binds)
        columns = compiled._result_columns
        self.returns_rows = bool(columns)
        # Rows as SQLAlchemy's are read here: by position and by the column's name.
        self.row = namedtuple("Row", [c[0] for c in columns], rename=True) if columns else None
        self.processors = tuple(c[3]._cached_result_processor(dialect, None) for c in columns)

    def parameters(self, given: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, constant, default, process in self.binds:
            if constant is not _MISSING:
                out.append(constant)
                continue
            value = given[name] if default is None else default()
            out.append(process(value) if process is not None else value)
        return tuple(out)

    def rows(self, raw: list[tuple[Any, ...]]) -> list[Any]:
        make = self.row._make  # type: ignore[union-attr]
        processors = self.processors
        if not any(processors):
            return [make(r) for r in raw]
        return [
            make([p(v) if p is not None else v for p, v in zip(processors, r, strict=True)])
            for r in raw
        ]


def _default(default: Any) -> Callable[[], Any]:
    """A column's Python-side default (SQLAlchemy's execution context would compute it)."""
    if default is not None and default.is_scalar:
        value = default.arg
        return lambda: value
    if default is not None and default.is_callable:
        make = default.arg  # wrapped by SQLAlchemy to take the execution context
        return lambda: make(None)
    raise NotImplementedError("a default that needs an execution context")


_PLANS: dict[tuple[int, str, tuple[str, ...]], Plan | None] = {}


def plan_for(statement: ClauseElement, dialect: Dialect, keys: tuple[str, ...]) -> Plan | None:
    """The statement's plan; None when it is not one this path runs (then, never again)."""
    key = (id(statement), dialect.name, keys)
    found = _PLANS.get(key, _MISSING)
    if found is None or (isinstance(found, Plan) and found.statement is statement):
        return found
    try:
        plan: Plan | None = Plan(statement, dialect, keys)
    except (NotImplementedError, exc.SQLAlchemyError):
        # Also a type whose result processor needs the driver's column type (the execution
        # context's description), as PostgreSQL's numerics do: SQLAlchemy's way then.
        plan = None
    _PLANS[key] = plan
    return plan


class Direct:
    """The unit of work's transaction as the hot statements reach it: sqlite3's connection (None:
    not the inline SQLite path), and SQLAlchemy's, for the engine's listeners."""

    __slots__ = ("connection", "dialect", "pg", "raw", "transaction")

    def __init__(
        self, transaction: Any, raw: sqlite3.Connection | None, connection: Connection, pg: Any
    ) -> None:
        self.transaction = transaction
        self.raw = raw
        self.pg = pg  # SQLAlchemy's adapter of asyncpg's connection, or None
        self.connection = connection
        self.dialect = connection.dialect


async def begin(session: AsyncSession, options: Mapping[str, Any] | None = None) -> Direct:
    """The session's transaction begun now (with these execution options), and kept for the
    statements of this module."""
    connection = (await session.connection(execution_options=options)).sync_connection
    assert connection is not None
    return _keep(session, connection)


async def _direct(session: AsyncSession) -> Direct:
    sync = session.sync_session
    found: Direct | None = sync.info.get(SESSION_KEY)
    transaction = sync.get_transaction()
    if found is not None and transaction is not None and found.transaction is transaction:
        return found
    return await begin(session)


def _keep(session: AsyncSession, connection: Connection) -> Direct:
    sync = session.sync_session
    raw = pg = None
    if isinstance(connection.dialect, InlineDialect):
        raw = connection.connection.driver_connection
    elif connection.dialect.driver == "asyncpg":
        pg = connection.connection.dbapi_connection
    found = Direct(sync.get_transaction(), raw, connection, pg)
    sync.info[SESSION_KEY] = found
    return found


def forget(session: AsyncSession) -> None:
    """The transaction is over (commit, rollback): the next statement looks again."""
    session.sync_session.info.pop(SESSION_KEY, None)


async def execute(
    session: AsyncSession, statement: ClauseElement, params: Mapping[str, Any] | None = None
) -> Result:
    """`statement` with `params` in the session's transaction. `statement` must be built once
    (a module's constant, or cached per dialect): its compiled plan is kept by its identity."""
    given = params or {}
    direct = await _direct(session)
    plan = None
    if direct.pg is not None:
        plan = plan_for(statement, direct.dialect, tuple(given))
        if plan is not None and not direct.pg._execute_mutex.locked():
            return await _asyncpg(direct, plan, given)
        return await fallback(session, statement, given)
    if direct.raw is not None and not _off_loop.get():
        plan = plan_for(statement, direct.dialect, tuple(given))
    if plan is None:
        return await fallback(session, statement, given)
    parameters = plan.parameters(given)
    dispatch = direct.connection.dispatch.before_cursor_execute
    for listener in dispatch:
        listener(direct.connection, None, plan.sql, parameters, None, False)
    raw = direct.raw
    assert raw is not None
    try:
        cursor = await _patiently(raw, plan.sql, parameters)
        found = cursor.fetchall() if plan.returns_rows else []
    except sqlite3.Error as error:
        raise exc.DBAPIError.instance(
            plan.sql, parameters, error, sqlite3.Error, dialect=direct.dialect
        ) from error
    return Result(plan.rows(found) if found else [], cursor.rowcount)


# What SQLAlchemy's asyncpg cursor reads the row count from (its `_prepare_and_execute`).
_ROWCOUNT = re.compile(r"(?:SELECT|UPDATE|DELETE|INSERT \d+) (\d+)")


async def _asyncpg(direct: Direct, plan: Plan, given: Mapping[str, Any]) -> Result:
    """`plan` as SQLAlchemy's asyncpg cursor runs it, without the cursor, the execution context
    and the greenlet: what the session's execute added was 5 to 10 times asyncpg's own work."""
    parameters = plan.parameters(given)
    dispatch = direct.connection.dispatch.before_cursor_execute
    for listener in dispatch:
        listener(direct.connection, None, plan.sql, parameters, None, False)
    adapted = direct.pg
    try:
        if adapted._transaction is None:
            await adapted._start_transaction()
        stale = direct.dialect._invalidate_schema_cache_asof  # type: ignore[attr-defined]
        prepared, _ = await adapted._prepare(plan.sql, stale)
        found = await prepared.fetch(*parameters)
    except Exception as error:
        raise _translated(direct, plan.sql, parameters, error) from error
    if plan.returns_rows:
        return Result(plan.rows(found) if found else [], len(found))
    matched = _ROWCOUNT.match(prepared.get_statusmsg() or "")
    return Result([], int(matched.group(1)) if matched else -1)


def _translated(
    direct: Direct, sql: str, parameters: tuple[Any, ...], error: Exception
) -> BaseException:
    """asyncpg's error as SQLAlchemy would raise it (IntegrityError for a unique key, …)."""
    adapted = direct.pg
    dbapi_error: BaseException = error
    if not isinstance(error, adapted.dbapi.Error):
        try:
            adapted._handle_exception(error)
        except adapted.dbapi.Error as translated:
            dbapi_error = translated
        except Exception as other:  # not one the adapter knows: as it is
            return other
    return exc.DBAPIError.instance(
        sql, parameters, dbapi_error, adapted.dbapi.Error, dialect=direct.dialect
    )


async def _patiently(
    raw: sqlite3.Connection, sql: str, parameters: tuple[Any, ...]
) -> sqlite3.Cursor:
    """As bot.db.inline's `patiently`, for a coroutine: while another process holds the lock,
    again after a pause on the loop."""
    patience = Patience()
    while True:
        try:
            return raw.execute(sql, parameters)
        except sqlite3.OperationalError as error:
            wait = patience.pause(error)
            if wait is None:
                raise
            await asyncio.sleep(wait)


async def fallback(
    session: AsyncSession, statement: ClauseElement, params: Mapping[str, Any]
) -> Result:
    """SQLAlchemy's own way, on the session's connection (Core: the statements here are
    tables' and columns', which the ORM's execute would only pass through)."""
    connection = await session.connection()
    result = await connection.execute(statement, dict(params))  # type: ignore[call-overload]
    rows = result.all() if result.returns_rows else []
    return Result(rows, result.rowcount)
