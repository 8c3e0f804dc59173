"""2,000 tasks due at one 08:00: all delivered, none twice, within Telegram's limits."""

from __future__ import annotations

from support import make_settings

from bot.sandbox.burst import run_burst


async def test_two_thousand_tasks_at_eight(database_url: str) -> None:
    result = await run_burst(make_settings(database_url), tasks=2000, units=50)
    assert result.unsent == 0
    # Every task's reminder reached its unit's group exactly once.
    assert len(result.codes_seen) == 2000
    assert set(result.codes_seen.values()) == {1}
    # The stand-in enforces 30/s per bot, 20/min per group, 1/s per chat and counts refusals.
    assert result.rate_limited == 0
    # 50 groups × 5 batches of 8, plus the same to each head privately.
    assert result.messages == 500
