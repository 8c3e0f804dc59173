"""An update's key goes with its first change (bot.db.once): the commit that makes the change
records the key, a later handling of the same update is rolled back, and the tasks the
handling starts (a scan, the sender) never carry it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine
from support import START

from bot.db.engine import make_sessionmaker
from bot.db.once import AlreadyHandled, handling
from bot.db.tables import CounterRow, HandledRow
from bot.db.uow import UnitOfWorkFactory

KEY = "u:42:-100:7"


async def change(uow: UnitOfWorkFactory, name: str) -> None:
    """A use case's change: a row of its own, committed."""
    async with uow() as work:
        await work.tasks.next_number(name)
        await work.commit()


async def counters(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set((await conn.execute(select(CounterRow.name))).scalars())


async def keys(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(HandledRow)) or 0)


async def test_the_first_change_carries_the_key_and_a_second_handling_is_rolled_back(
    engine: AsyncEngine,
) -> None:
    uow = UnitOfWorkFactory(make_sessionmaker(engine))
    with handling(KEY, START):
        await change(uow, "first")
        await change(uow, "bookkeeping")  # the same update's later commit: no key again
        # A task the handling starts commits on its own, without the key.
        await asyncio.create_task(change(uow, "spawned"))
    assert await keys(engine) == 1
    async with uow(read_only=True) as work:
        assert await work.handled.seen(KEY)

    with handling(KEY, START):
        # Telegram's resend, handled meanwhile elsewhere: a task it starts (a scan) commits
        # its own work all the same; the update's own change is rolled back.
        await asyncio.create_task(change(uow, "scan"))
        with pytest.raises(AlreadyHandled):
            await change(uow, "again")
    assert await counters(engine) == {"first", "bookkeeping", "spawned", "scan"}
    await change(uow, "outside")  # no update being handled: nothing to claim
    assert await keys(engine) == 1


async def test_the_nightly_job_forgets_keys_older_than_two_days(database_url: str) -> None:
    """The keys pile up with every change made through the webhook; the leader's nightly job
    drops those older than two days (Telegram resends for a day) and keeps the recent ones."""
    from support import TOKEN, make_settings

    from bot.app import build_application, open_runtime
    from bot.clock import ManualClock
    from bot.db.migrate import upgrade
    from scheduler import jobs

    await asyncio.to_thread(upgrade, database_url)
    now = START + timedelta(days=10)
    runtime = open_runtime(make_settings(database_url), clock=ManualClock(now))
    app = build_application(runtime, TOKEN, "http://127.0.0.1:9", schedule=False)
    ages = {"u:1": timedelta(days=9), "u:2": timedelta(days=2, minutes=1)}
    ages |= {"u:3": timedelta(days=1, hours=23), "u:4": timedelta(minutes=5)}
    try:
        async with runtime.engine.begin() as conn:
            await conn.execute(
                insert(HandledRow), [{"key": k, "at": now - age} for k, age in ages.items()]
            )
        app.bot_data.leader = False  # another instance leads: it does the clean-up
        assert await jobs.nightly_maintenance(app) == 0
        assert await keys(runtime.engine) == 4
        app.bot_data.leader = True
        assert await jobs.nightly_maintenance(app) == 2
        async with runtime.services.core.uow(read_only=True) as work:
            assert [await work.handled.seen(k) for k in ages] == [False, False, True, True]
        assert await jobs.nightly_maintenance(app) == 0
    finally:
        await runtime.close()
    scheduled = build_application(runtime, TOKEN, "http://127.0.0.1:9")
    assert scheduled.job_queue is not None  # every bot runs it, with or without backups
    assert "nightly-maintenance" in [j.name for j in scheduled.job_queue.jobs()]
