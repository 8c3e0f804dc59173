"""Fixtures of the integration tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

import bot.db.migrate
from bot.db.engine import create_engine


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test's database, migrated to the newest revision."""
    await asyncio.to_thread(bot.db.migrate.upgrade, database_url)
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()
