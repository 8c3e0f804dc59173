"""The chasing policy: when nudges go out. Defaults follow common practice; a deployment changes
them under `policy:` in the roster file."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, time
from typing import Any


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
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _int(value: Any, name: str, problems: list[str], low: int = 0) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        problems.append(f"policy.{name} must be a whole number ≥ {low}")
        return None
    return value


def policy_from(data: dict[str, Any] | None) -> Policy:
    """Read the `policy:` mapping; unknown keys and bad values are errors, named."""
    if not data:
        return Policy()
    if not isinstance(data, dict):
        raise PolicyError(["policy must be a mapping of settings"])
    problems: list[str] = []
    known = {f.name for f in fields(Policy)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            problems.append(f"unknown policy setting '{key}' (known: {', '.join(sorted(known))})")
        elif key == "due_soon_days":
            items = value if isinstance(value, list) else [value]
            days = [_int(v, key, problems, 1) for v in items]
            if all(d is not None for d in days):
                values[key] = tuple(sorted({d for d in days if d is not None}, reverse=True))
        elif key in ("due_today", "overdue_daily"):
            if not isinstance(value, bool):
                problems.append(f"policy.{key} must be true or false")
            else:
                values[key] = value
        elif key == "unacknowledged_after_hours":
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                problems.append(f"policy.{key} must be a number of office hours > 0")
            else:
                values[key] = float(value)
        elif key == "digest_at":
            try:
                hours, _, minutes = str(value).partition(":")
                values[key] = time(int(hours), int(minutes or 0))
            except ValueError:
                problems.append(f"policy.{key} must be a time like 08:00")
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
        raise ValueError("calendar must be a mapping with days_off and working_days")
    unknown = set(data) - {"days_off", "working_days", "roll_forward"}
    if unknown:
        raise ValueError(f"unknown calendar key(s): {', '.join(sorted(unknown))}")

    def days(key: str) -> frozenset[date]:
        values = data.get(key) or []
        if not isinstance(values, list):
            raise ValueError(f"calendar.{key} must be a list of dates like 2026-12-31")
        try:
            return frozenset(
                v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values
            )
        except ValueError:
            raise ValueError(f"calendar.{key} must be a list of dates like 2026-12-31") from None

    roll = data.get("roll_forward", True)
    if not isinstance(roll, bool):
        raise ValueError("calendar.roll_forward must be true or false")
    return CalendarOverrides(days("days_off"), days("working_days"), roll)
