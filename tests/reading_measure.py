"""The measured set of the conclusion reader (tests/data/conclusions): loading and scoring.

Shared by tests/unit/test_reading_measured.py (which asserts the goal) and bench/intake.py
(which prints the shares).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.calendar.workdays import WorkCalendar
from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory
from bot.intake.drafting import blockers
from bot.intake.reading import ReadItem, read_document

DATA = Path(__file__).resolve().parent / "data" / "conclusions"
STANDING = "thường xuyên"


def roster() -> UnitDirectory:
    raw = yaml.safe_load((DATA / "roster.yaml").read_text(encoding="utf-8"))
    return UnitDirectory(
        Unit(i, u["code"], u["name"], tuple(u.get("aliases", ())))
        for i, u in enumerate(raw["units"], 1)
    )


@dataclass
class Score:
    items: int = 0
    found: int = 0
    lead: int = 0
    cooperating: int = 0
    deadline: int = 0
    flags: int = 0
    whole: int = 0
    headers: int = 0
    header_total: int = 0
    misses: list[str] = field(default_factory=list)

    def share(self, right: int) -> float:
        return right / self.items if self.items else 0.0


def _due_of(item: ReadItem, cal: WorkCalendar) -> object:
    if item.no_deadline:
        return STANDING
    return item.due.date() if item.due is not None else None


def _expected_due(value: Any, cal: WorkCalendar) -> object:
    if value is None or value == STANDING:
        return value
    assert isinstance(value, date), value
    return cal.roll(value)  # art. 148: the bench compares what the bot will show


def measure(cal: WorkCalendar | None = None, held_out: bool | None = None) -> Score:
    """Score the whole set, or only the held-out documents (True) or the others (False)."""
    cal = cal or WorkCalendar()
    spec = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))
    now = spec["now"]
    assert isinstance(now, datetime)
    units = roster()
    score = Score()
    for doc in spec["documents"]:
        if held_out is not None and bool(doc.get("held_out")) != held_out:
            continue
        text = (DATA / doc["file"]).read_text(encoding="utf-8")
        read = read_document(text, units, now, cal)
        header = doc.get("header", {})
        score.header_total += 1
        if read.header.number == header.get("number") and read.header.issued == header.get(
            "issued"
        ):
            score.headers += 1
        else:
            score.misses.append(f"{doc['file']} header: {read.header}")
        expected = doc["items"]
        score.items += len(expected)
        score.found += len(read.items)
        if len(read.items) != len(expected):
            score.misses.append(
                f"{doc['file']}: {len(read.items)} items read, {len(expected)} expected"
            )
        for k, want in enumerate(expected):
            got = read.items[k] if k < len(read.items) else None
            lead = got.lead.code if got and got.lead else None
            coop = sorted(u.code for u in got.cooperating) if got else None
            due = _due_of(got, cal) if got else "missing"
            # Notes (a cooperating body outside the roster) were added after this set was
            # written; it scores what stops confirmation, as its header says.
            flags = sorted({f.code.value for f in blockers(got.flags)}) if got else None
            ok_lead = got is not None and lead == want["lead"]
            ok_coop = got is not None and coop == sorted(want.get("coop", []))
            ok_due = got is not None and due == _expected_due(want["due"], cal)
            ok_flags = got is not None and flags == sorted(want.get("flags", []))
            score.lead += ok_lead
            score.cooperating += ok_coop
            score.deadline += ok_due
            score.flags += ok_flags
            score.whole += ok_lead and ok_coop and ok_due and ok_flags
            if not (ok_lead and ok_coop and ok_due and ok_flags):
                number = got.number if got else "-"
                score.misses.append(
                    f"{doc['file']} #{k + 1} ({number}): lead {lead} / {want['lead']}, "
                    f"coop {coop} / {sorted(want.get('coop', []))}, due {due} / {want['due']}, "
                    f"flags {flags} / {sorted(want.get('flags', []))}"
                )
    return score
