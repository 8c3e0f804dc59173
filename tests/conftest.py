"""Fixtures: a real database (SQLite file; PostgreSQL when TEST_DATABASE_URL is set) and the real
bot polling the Bot API stand-in over HTTP, with a clock the tests move."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import create_async_engine
from support import DB_KINDS, PG_URL, ROSTER, START, TOKEN, World, make_settings, people

from bot.clock import ManualClock
from bot.domain.orgfile import parse_org
from bot.sandbox import FakeTelegram
from bot.sandbox.live import LiveBot


@pytest.fixture(params=DB_KINDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'dondoc.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (e.g. postgresql+asyncpg://...)")
    engine = create_async_engine(PG_URL)
    try:
        async with engine.begin() as conn:
            await conn.execute(sql("DROP SCHEMA public CASCADE"))
            await conn.execute(sql("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    yield PG_URL


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
