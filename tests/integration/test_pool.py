"""A burst of updates is served by the connections the pool keeps (bot/db/engine.py): no
connection opened and closed per burst, each a PostgreSQL server process, an authentication
and a statement cache starting cold."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from support import (
    ADMIN,
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    QLDT_HEAD,
    TCKH_CHAT,
    TCKH_HEAD,
    TCKH_STAFF,
    VICE,
    World,
)


async def _burst(world: World, n: int) -> None:
    for i in range(n):
        world.tg.send_message(LEADERS, CHAIRMAN, f"/giao TCKH Rà soát hồ sơ đợt {n}-{i} hạn 20/12")
        world.tg.send_message(OFFICE, OFFICE, f"/giao QLDT Báo cáo số liệu đợt {n}-{i} hạn 20/12")
        world.tg.send_message(TCKH_CHAT, TCKH_HEAD, "/viec")
        world.tg.send_message(QLDT_CHAT, QLDT_HEAD, "/viec")
        world.tg.send_message(CHAIRMAN, CHAIRMAN, "/viec")
        for person in (VICE, TCKH_HEAD, TCKH_STAFF, QLDT_HEAD, ADMIN):  # private chats
            world.tg.send_message(person, person, "/viec")
    await world.live.settled()


async def test_a_burst_opens_no_connection_the_pool_would_not_keep(world: World) -> None:
    if world.live.runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's connections are a file handle each, not a server process")
    await _burst(world, 12)  # the pool fills up to what a burst needs
    opened: list[Any] = []

    def count(*_: Any) -> None:
        opened.append(1)

    engine = world.live.runtime.engine.sync_engine
    event.listen(engine, "connect", count)
    try:
        await _burst(world, 12)
    finally:
        event.remove(engine, "connect", count)
    assert "NV-0048" in world.last_text(OFFICE) + world.last_text(LEADERS)
    assert opened == []
