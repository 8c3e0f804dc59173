"""Alembic environment. Runs its own event loop: call it before the bot's loop starts."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.db.engine import SCHEMA_LOCK, create_engine, is_sqlite
from bot.db.tables import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection | None, url: str) -> None:
    context.configure(
        connection=connection,
        url=None if connection is not None else url,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite(url),
        compare_type=True,
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or ""
    _configure(None, url)
    with context.begin_transaction():
        context.run_migrations()


# Several instances started together on one PostgreSQL would each run the migrations: the
# first takes this lock, the others wait for its commit and then find nothing left to do.
MIGRATION_LOCK = SCHEMA_LOCK


def _run_sync(connection: Connection) -> None:
    _configure(connection, str(connection.engine.url))
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        context.run_migrations()


async def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or ""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
