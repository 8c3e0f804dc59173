"""The pacer's arithmetic on a clock the test moves (scheduler/pacer.py)."""

from __future__ import annotations

import pytest

from scheduler.pacer import Pacer

GROUP = -1001000000010
PERSON = 900010


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_one_chat_waits_its_interval_from_the_last_send() -> None:
    clock = Clock()
    pacer = Pacer(per_chat_interval=1.2, monotonic=clock)
    pacer.landed(PERSON, pacer.sent(PERSON))
    clock.now = 0.5
    assert pacer.ready_in(PERSON) == pytest.approx(0.7)
    assert pacer.ready_in(PERSON + 1) == 0


def test_a_request_held_up_in_flight_counts_from_when_it_came_back() -> None:
    # Telegram may have counted it as late as the answer came: the next one waits from then.
    clock = Clock()
    pacer = Pacer(per_chat_interval=1.2, monotonic=clock)
    stamp = pacer.sent(PERSON)
    clock.now = 1.5
    pacer.landed(PERSON, stamp)
    assert pacer.ready_in(PERSON) == pytest.approx(1.2)


def test_a_group_window_counts_slow_requests_as_of_their_return() -> None:
    clock = Clock()
    pacer = Pacer(per_group_minute=2, per_chat_interval=0.0, monotonic=clock)
    first = pacer.sent(GROUP)
    pacer.landed(GROUP, pacer.sent(GROUP))
    clock.now = 10.0
    pacer.landed(GROUP, first)  # the first one took ten seconds
    clock.now = 61.0
    # The quick one left the window; the slow one counts from 10 s, so a slot opens at 70 s.
    assert pacer.ready_in(GROUP) == pytest.approx(0.0)
    pacer.sent(GROUP)
    assert pacer.ready_in(GROUP) == pytest.approx(9.0)
