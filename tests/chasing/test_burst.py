"""2,000 tasks due at one 08:00: all delivered, none twice, within Telegram's limits."""

from __future__ import annotations

from itertools import pairwise

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


async def test_few_units_wait_out_the_per_group_limit(database_url: str) -> None:
    # 200 tasks a unit: 25 reminders to each group, more than the 20 a minute Telegram allows,
    # so the last ones wait for the next minute (the harness skips the wait, not the limit).
    result = await run_burst(make_settings(database_url), tasks=400, units=2)
    assert result.unsent == 0
    assert len(result.codes_seen) == 400
    assert set(result.codes_seen.values()) == {1}
    assert result.rate_limited == 0
    assert result.messages == 100  # 2 groups × 25 batches of 8, the same to each head
    assert result.deferred > 0  # handed back to the queue until the group's minute was up
    for chat, dates in result.sent_dates.items():
        # Message dates are whole seconds: a second apart means strictly increasing dates,
        # and 21 messages in a group span at least a minute.
        assert all(a < b for a, b in pairwise(dates))
        if chat < 0:
            assert len(dates) == 25
            assert all(b - a >= 60 for a, b in zip(dates, dates[20:], strict=False))
