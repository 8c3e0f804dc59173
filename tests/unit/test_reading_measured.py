"""The conclusion reader on its measured set (tests/data/conclusions, bench/intake.py)."""

from __future__ import annotations

from reading_measure import measure

GOAL = 0.95  # issue 9: the lead unit and the deadline right for at least 95% of the items


def test_the_measured_set_has_at_least_80_items() -> None:
    assert measure().items >= 80


def test_lead_share_stays_at_the_goal() -> None:
    score = measure()
    assert score.share(score.lead) >= GOAL, score.misses


def test_deadline_share_stays_at_the_goal() -> None:
    score = measure()
    assert score.share(score.deadline) >= GOAL, score.misses


def test_every_document_yields_the_expected_number_of_items() -> None:
    score = measure()
    assert score.found == score.items, score.misses
