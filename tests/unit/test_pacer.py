"""The pacer's arithmetic on a clock the test moves (scheduler/pacer.py): Telegram's limits as
the stand-in enforces them (30 a second, 20 a minute per group, 1 a second per chat), each
message counted as of when it came back, one in flight as of now."""

from __future__ import annotations

import pytest

from scheduler.pacer import LANDING, Pacer

GROUP = -1001000000010
PERSON = 900010


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_one_chat_waits_its_interval_from_the_last_send() -> None:
    clock = Clock()
    pacer = Pacer(monotonic=clock)
    pacer.sent(PERSON)
    pacer.landed(PERSON)
    clock.now = 0.4
    assert pacer.ready_in(PERSON) == pytest.approx(0.6)
    assert pacer.ready_in(PERSON + 1) == 0


def test_a_chat_with_a_request_in_flight_waits_for_it_to_come_back() -> None:
    clock = Clock()
    pacer = Pacer(monotonic=clock)
    pacer.sent(PERSON)
    assert pacer.chat_ready_in(PERSON) == LANDING
    clock.now = 1.5
    pacer.landed(PERSON)  # held up: Telegram may have counted it as late as now
    assert pacer.ready_in(PERSON) == pytest.approx(1.0)


def test_thirty_go_at_once_and_the_thirty_first_a_second_after_the_first_came_back() -> None:
    clock = Clock()
    pacer = Pacer(monotonic=clock)
    for n in range(30):
        assert pacer.room() == 30 - n
        pacer.sent(PERSON + n)
    assert pacer.room() == 0
    # All thirty still in flight: nothing may go until one comes back.
    assert pacer.bot_ready_in() == LANDING
    clock.now = 0.2
    for n in range(30):
        pacer.landed(PERSON + n)
    assert pacer.bot_ready_in() == pytest.approx(1.0)
    clock.now = 1.25
    assert pacer.room() == 30


def test_a_cancelled_request_frees_its_slot() -> None:
    clock = Clock()
    pacer = Pacer(per_second=1, monotonic=clock)
    pacer.sent(PERSON)
    assert pacer.room() == 0
    pacer.cancel(PERSON)
    assert pacer.room() == 1 and pacer.chat_ready_in(PERSON) == 0


def test_a_group_takes_twenty_a_minute_counted_as_they_came_back() -> None:
    clock = Clock()
    pacer = Pacer(monotonic=clock)
    for n in range(20):
        clock.now = n * 1.0
        pacer.sent(GROUP)
        clock.now += 0.5  # each answer half a second later
        pacer.landed(GROUP)
    clock.now = 30.0
    # The first came back at 0.5 s: the 21st may go a minute after that.
    assert pacer.ready_in(GROUP) == pytest.approx(30.5)
    clock.now = 60.5
    assert pacer.ready_in(GROUP) == 0


def test_a_reply_that_did_not_wait_spends_the_same_budget() -> None:
    clock = Clock()
    pacer = Pacer(per_second=2, monotonic=clock)
    pacer.note(GROUP)
    pacer.note(PERSON)
    assert pacer.room() == 0
    assert pacer.ready_in(GROUP) == pytest.approx(1.0)
