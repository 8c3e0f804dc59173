"""The leaders' digest lists its late tasks most overdue first, then most urged, then by code;
at 1M tasks there are tens of thousands of them and one message shows about 20, so the first
pages are picked from all without sorting all (bot.services.chasing.most_urgent_first)."""

from __future__ import annotations

import itertools
import random

import pytest

from bot.services.chasing import DIGEST_PAGE, most_urgent_first


def late_tasks(n: int) -> list[tuple[int, int, str, int]]:
    rng = random.Random(n)
    ids = rng.sample(range(1, 10 * n + 2), n)
    # (-days late, -urges, code, id): few distinct days and urges, so that ties are common.
    return [(-rng.randrange(1, 30), -rng.randrange(3, 7), f"NV-{i:07d}", i) for i in ids]


@pytest.mark.parametrize(
    "n", [0, 1, 2 * DIGEST_PAGE - 1, 2 * DIGEST_PAGE, 2 * DIGEST_PAGE + 1, 3000]
)
def test_the_order_is_the_full_sort(n: int) -> None:
    late = late_tasks(n)
    assert list(most_urgent_first(late)) == sorted(late)


def test_the_first_pages_come_without_sorting_the_rest() -> None:
    late = late_tasks(5000)
    ordered = most_urgent_first(late)
    first = list(itertools.islice(ordered, 2 * DIGEST_PAGE))
    assert first == sorted(late)[: 2 * DIGEST_PAGE]
    assert late == late_tasks(5000)  # the list itself is left as it was
    assert next(ordered) == sorted(late)[2 * DIGEST_PAGE]
