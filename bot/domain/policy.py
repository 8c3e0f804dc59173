"""The chasing policy: when nudges go out. Defaults follow common practice; a deployment changes
them under `policy:` in the roster file."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, time
from typing import Any

from bot.text.said import Said


@dataclass(frozen=True, slots=True)
class Policy:
    due_soon_days: tuple[int, ...] = (3, 1)  # working days before the deadline
    due_today: bool = True
    overdue_daily: bool = True
    unacknowledged_after_hours: float = 4.0  # office hours after assignment, then daily
    no_deadline_every_days: int = 30
    escalate_from_urge: int = 3  # from this overdue urge on, leaders hear of it
    digest_at: time = time(8, 0)  # the leadership group's daily "Nhiệm vụ quá hạn"
    deputies_from_urge: int = 1  # deputies are mentioned from this overdue urge on


class PolicyError(ValueError):
    """The `policy:` or `calendar:` section refused; each problem a Said (English as a str)."""

    def __init__(self, problems: list[Said]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _int(value: Any, name: str, problems: list[Said], low: int = 0) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        problems.append(Said("roster.policy.number", name=name, low=low))
        return None
    return value


def policy_from(data: dict[str, Any] | None) -> Policy:
    """Read the `policy:` mapping; unknown keys and bad values are errors, named."""
    if not data:
        return Policy()
    if not isinstance(data, dict):
        raise PolicyError([Said("roster.policy.not_mapping")])
    problems: list[Said] = []
    known = {f.name for f in fields(Policy)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            names = ", ".join(sorted(known))
            problems.append(Said("roster.policy.unknown", name=key, known=names))
        elif key == "due_soon_days":
            items = value if isinstance(value, list) else [value]
            days = [_int(v, key, problems, 1) for v in items]
            if all(d is not None for d in days):
                values[key] = tuple(sorted({d for d in days if d is not None}, reverse=True))
        elif key in ("due_today", "overdue_daily"):
            if not isinstance(value, bool):
                problems.append(Said("roster.policy.bool", name=key))
            else:
                values[key] = value
        elif key == "unacknowledged_after_hours":
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                problems.append(Said("roster.policy.hours", name=key))
            else:
                values[key] = float(value)
        elif key == "digest_at":
            try:
                hours, _, minutes = str(value).partition(":")
                values[key] = time(int(hours), int(minutes or 0))
            except ValueError:
                problems.append(Said("roster.policy.time", name=key))
        else:
            number = _int(value, key, problems, 1)
            if number is not None:
                values[key] = number
    if problems:
        raise PolicyError(problems)
    return Policy(**values)


@dataclass(frozen=True, slots=True)
class CalendarOverrides:
    days_off: frozenset[date] = frozenset()  # bridge days the government gives
    working_days: frozenset[date] = frozenset()  # Saturdays worked in exchange
    roll_forward: bool = True  # a deadline on a day off ends with the next working day


def calendar_overrides(data: object) -> CalendarOverrides:
    """`calendar: {days_off: [2026-12-31], working_days: [2027-02-13], roll_forward: true}`."""
    if not data:
        return CalendarOverrides()
    if not isinstance(data, dict):
        raise PolicyError([Said("roster.calendar.not_mapping")])
    unknown = set(data) - {"days_off", "working_days", "roll_forward"}
    if unknown:
        raise PolicyError([Said("roster.calendar.unknown", names=", ".join(sorted(unknown)))])

    def days(key: str) -> frozenset[date]:
        values = data.get(key) or []
        if not isinstance(values, list):
            raise PolicyError([Said("roster.calendar.dates", name=key)])
        try:
            return frozenset(
                v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values
            )
        except ValueError:
            raise PolicyError([Said("roster.calendar.dates", name=key)]) from None

    roll = data.get("roll_forward", True)
    if not isinstance(roll, bool):
        raise PolicyError([Said("roster.calendar.roll")])
    return CalendarOverrides(days("days_off"), days("working_days"), roll)
