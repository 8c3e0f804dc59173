"""Several instances on one database, in one process: task codes stay sequential with no duplicate
under concurrent /giao from two engines (two instances' pools); the leader election hands the lead
over when the leader goes. (tests/e2e/test_several_instances.py runs real processes.)"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy import text as sql
from support import CHAIRMAN, LEADERS, ROSTER, START, make_settings

from bot.app import open_runtime
from bot.clock import ManualClock
from bot.db.engine import create_engine
from bot.db.instance import Election, Holder, acquire, others
from bot.db.migrate import upgrade
from bot.domain.orgfile import parse_org
from bot.services.common import Actor, Where

PER_INSTANCE = 25


async def test_concurrent_assigns_from_two_engines_get_sequential_codes(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url)
    clock = ManualClock(START)
    one = open_runtime(make_settings(database_url), clock=clock)
    two = open_runtime(make_settings(database_url), clock=clock)
    try:
        await one.services.roster.import_org(parse_org(ROSTER))
        chairman = Actor(telegram_id=CHAIRMAN, name="An")
        where = Where(LEADERS, private=False)

        async def giao(runtime_no: int, n: int) -> bool:
            runtime = (one, two)[runtime_no]
            outcome = await runtime.services.tasks.assign(
                chairman, where, f"TCKH Việc thử {runtime_no}-{n} hạn 15/12"
            )
            return outcome.changed

        made = await asyncio.gather(
            *(giao(i % 2, i) for i in range(2 * PER_INSTANCE)), return_exceptions=True
        )
    finally:
        await one.close()
        await two.close()
    assert made == [True] * (2 * PER_INSTANCE), made
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            codes = [str(c) for (c,) in await conn.execute(sql("SELECT code FROM tasks"))]
    finally:
        await engine.dispose()
    assert sorted(codes) == [f"NV-{n:04d}" for n in range(1, 2 * PER_INSTANCE + 1)]


def _pg_only(database_url: str) -> None:
    if "sqlite" in database_url:
        pytest.skip("leader election is for several instances on PostgreSQL")


async def test_the_lead_passes_to_a_follower_when_the_leader_goes(database_url: str) -> None:
    _pg_only(database_url)
    said: dict[str, list[bool]] = {"a": [], "b": []}
    changed = threading.Condition()

    def on(name: str):  # type: ignore[no-untyped-def]
        def change(leading: bool) -> None:
            with changed:
                said[name].append(leading)
                changed.notify_all()

        return change

    def wait(condition, timeout: float) -> float:  # type: ignore[no-untyped-def]
        began = time.monotonic()
        with changed:
            assert changed.wait_for(condition, timeout), said
        return time.monotonic() - began

    a = Election(database_url, on("a"), retry=0.5)
    a.start()
    wait(lambda: said["a"] == [True], 10)
    b = Election(database_url, on("b"), retry=0.5)
    b.start()
    try:
        # The follower tries, and fails, while the leader lives; the single-instance lock is the
        # same lock, so a polling `dondoc run` is refused meanwhile.
        await asyncio.sleep(1.5)
        assert said["b"] == []
        assert isinstance(acquire(database_url), Holder)
        # Both elections are this process's own: no other instance is running.
        assert await asyncio.to_thread(others, database_url) == []
        a.stop()
        assert said["a"] == [True, False]
        took = wait(lambda: said["b"] == [True], 10)
        assert took < 5
        assert b.leading and not a.leading
    finally:
        b.stop()
    assert said["b"] == [True, False]


async def test_a_follower_wakes_the_leader_to_send_what_it_queued(database_url: str) -> None:
    """A /nhac handled by a follower queues the message; the follower's NOTIFY has the leader
    send it at once rather than at its next scan."""
    _pg_only(database_url)
    await asyncio.to_thread(upgrade, database_url)
    woken = threading.Event()
    led = threading.Event()
    leader = Election(database_url, lambda leading: led.set(), retry=0.5, on_wake=woken.set)
    leader.start()
    follower = open_runtime(make_settings(database_url))
    try:
        assert await asyncio.to_thread(led.wait, 10)
        await asyncio.sleep(0.3)  # nothing wakes it by itself
        assert not woken.is_set()
        await follower.services.ops.wake_leader()
        assert await asyncio.to_thread(woken.wait, 5)
    finally:
        await follower.close()
        leader.stop()


async def test_on_sqlite_waking_the_leader_does_nothing(sqlite_url: str) -> None:
    await asyncio.to_thread(upgrade, sqlite_url)
    runtime = open_runtime(make_settings(sqlite_url))
    try:
        await runtime.services.ops.wake_leader()  # one instance: it always leads
        assert await runtime.services.ops.backlog() == 0
    finally:
        await runtime.close()
