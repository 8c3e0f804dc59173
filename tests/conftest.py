"""Fixtures: a real database (SQLite file; PostgreSQL when TEST_DATABASE_URL is set) and the real
bot polling the Bot API stand-in over HTTP, with a clock the tests move."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from support import DB_KINDS, PG_URL, ROSTER, START, TOKEN, World, make_settings, people

from bot.clock import ManualClock
from bot.domain.orgfile import parse_org
from bot.sandbox import FakeTelegram
from bot.sandbox.live import LiveBot


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A database of this test run's own on the server TEST_DATABASE_URL names, so that two runs
    on one server (a developer's and CI's) never drop each other's tables."""
    if not PG_URL:
        yield ""
        return
    url = make_url(PG_URL)
    name = f"dondoc_test_{os.getpid()}"

    async def admin(statement: str) -> None:
        engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as conn:
                await conn.execute(sql(statement))
        finally:
            await engine.dispose()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=DB_KINDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_url: str
) -> AsyncIterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'dondoc.db'}"
        return
    if not pg_url:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql+asyncpg://...)")
    engine = create_async_engine(pg_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sql("DROP SCHEMA public CASCADE"))
            await conn.execute(sql("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    yield pg_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'dondoc.db'}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def world(database_url: str, clock: ManualClock) -> AsyncIterator[World]:
    tg = FakeTelegram(token=TOKEN, clock=clock.now)
    people(tg)
    settings = make_settings(database_url)
    live = await LiveBot.start(settings, tg, clock=clock)
    await live.runtime.services.roster.import_org(parse_org(ROSTER))
    world = World(live, clock, settings)
    try:
        yield world
    finally:
        await world.live.stop()
