"""Benchmark (not a test): the conclusion reader on its measured set (tests/data/conclusions).

    .venv/bin/python bench/intake.py [--misses]

Prints the share of items read right for the lead unit, the cooperating units, the deadline, the
flags, and whole items (all four). Goal (issue 9): >= 95% lead and >= 95% deadline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from reading_measure import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every item read wrong")
    args = parser.parse_args()
    for title, held_out in (
        ("whole set", None),
        ("written before the reader", False),
        ("held out (written after it)", True),
    ):
        score = measure(held_out=held_out)
        print(f"== {title}: {score.header_total} documents, headers right: {score.headers}")
        print(f"items expected: {score.items}, items read: {score.found}")
        for label, right in (
            ("lead unit", score.lead),
            ("cooperating units", score.cooperating),
            ("deadline", score.deadline),
            ("flags", score.flags),
            ("whole item", score.whole),
        ):
            print(f"{label:<18} {right:>3}/{score.items}  {score.share(right):6.1%}")
        if args.misses and held_out is None:
            for miss in score.misses:
                print("  " + miss)


if __name__ == "__main__":
    main()
