"""The due-scan works in committed chunks: what people do at 08:00 is not held behind it."""

from __future__ import annotations

from datetime import datetime

import pytest
from support import CHAIRMAN, LEADERS, QLDT_CHAT, TCKH_CHAT, VN, World


def reminders(world: World, chat: int) -> list[str]:
    return [m["text"] for m in world.tg.bot_messages(chat) if m["text"].startswith("🔔")]


async def test_a_command_commits_between_two_chunks_of_the_scan(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for unit in ("TCKH", "QLDT"):
        for n in range(3):
            await world.say(LEADERS, CHAIRMAN, f"/giao {unit} Việc {n} hạn 15/12")
    chasing = world.services.chasing
    chasing.scan_chunk = 3  # one unit per chunk: TCKH's three tasks, then QLDT's
    seen: list[list[int]] = []

    async def between() -> None:
        # The first chunk has committed (its nudges are no longer pending), the second has
        # not begun; a command's own transaction goes through now instead of after the scan.
        # On SQLite a scan still holding its transaction would make this wait, then fail.
        async with world.services.core.uow() as uow:
            seen.append(sorted(n.task_id for n in await uow.nudges.due(world.clock.now(), 100)))
        await world.say(LEADERS, CHAIRMAN, "/nhac NV-0005 Gửi trước 16h")

    monkeypatch.setattr(chasing, "between_chunks", between, raising=False)
    # Not acknowledged four office hours after 09:00: all six fall due at 15:00.
    world.clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=VN))
    result = await world.tick()

    assert seen == [[4, 5, 6]]  # called once, between the two units
    assert "Đã đôn đốc nhiệm vụ NV-0005 (lần 1)" in world.last_text(LEADERS)
    assert result.scan.nudges == 6
    [tckh] = reminders(world, TCKH_CHAT)
    [qldt] = reminders(world, QLDT_CHAT)
    assert all(f"NV-000{n}" in tckh for n in (1, 2, 3))
    assert all(f"NV-000{n}" in qldt for n in (4, 5, 6))
    # The urge made between the chunks went out with its unit's chunk, in the same message.
    assert "Gửi trước 16h" in qldt
    # Nothing is left over, and the next scan sends nothing twice.
    await world.tick()
    assert len(reminders(world, TCKH_CHAT)) == 1 and len(reminders(world, QLDT_CHAT)) == 1
