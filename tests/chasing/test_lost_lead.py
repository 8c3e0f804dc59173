"""A leader that loses the lead in the middle of sending (its advisory lock's session is gone, and
another instance leads now) sends nothing more of what it had claimed: it checks before each
message, hands the rest back to the queue, and a row the new leader already took back is never
sent by the old one. Every reminder arrives once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text as sql
from support import CHAIRMAN, LEADERS, QLDT_CHAT, TCKH_CHAT, VN, World

from bot.app import open_runtime
from bot.db.engine import create_engine
from scheduler.delivery import Faults, deliver
from scheduler.pacer import Pacer

DUE = datetime(2026, 11, 23, 15, 0, tzinfo=VN)  # the unacknowledged reminders of 09:00 tasks


def reminders(world: World) -> list[str]:
    return [
        m["text"]
        for chat in (TCKH_CHAT, QLDT_CHAT)
        for m in world.tg.bot_messages(chat)
        if (m.get("text") or "").startswith("🔔")
    ]


async def _states(world: World) -> dict[str, int]:
    async with world.services.core.uow() as uow:
        return await uow.deliveries.counts()


async def _two_reminders(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hộ nghèo hạn 18/12")
    await world.say(LEADERS, CHAIRMAN, "/giao QLDT Rà soát vỉa hè hạn 18/12")
    world.clock.set(DUE)


async def _owners(world: World) -> set[str | None]:
    engine = create_engine(world.settings.database_url)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(sql("SELECT owner FROM deliveries WHERE state = 'pending'"))
            return {row[0] for row in found}
    finally:
        await engine.dispose()


async def test_a_leader_that_loses_the_lead_sends_no_more_and_hands_the_rest_back(
    world: World,
) -> None:
    await _two_reminders(world)
    data = world.live.app.bot_data

    async def lead_lost() -> None:
        data.leader = False  # what the election does when the lock's session breaks

    result = await world.tick(Faults(after_claim=lead_lost))
    assert reminders(world) == []
    assert result.delivery.sent == 0
    # Handed back, owned by nobody: the instance that leads now sends them at once.
    assert await _states(world) == {"pending": 2}
    assert await _owners(world) == {None}
    data.leader = True
    await world.tick()
    assert len(reminders(world)) == 2
    assert await _states(world) == {"sent": 2}


async def test_rows_the_new_leader_took_back_are_not_sent_by_the_old_one(world: World) -> None:
    """The old leader has not noticed yet that it lost the lead: the new one takes back what it
    had claimed (recovery) and sends it; the old one then must not send it too."""
    await _two_reminders(world)
    other = open_runtime(world.settings, clock=world.clock)  # another instance, the new leader
    sent_by_other = []

    async def new_leader_takes_over() -> None:
        await other.services.chasing.recover()
        stats = await deliver(world.live.app.bot, other.services, Pacer())
        sent_by_other.append(stats.sent)

    try:
        result = await world.tick(Faults(after_claim=new_leader_takes_over))
    finally:
        await other.close()
    assert sent_by_other == [2]
    assert result.delivery.sent == 0 and result.delivery.taken_over == 2
    texts = reminders(world)
    assert len(texts) == 2 and len(set(texts)) == 2, texts
    assert await _states(world) == {"sent": 2}
