"""The numbers behind every report: one pure function, `tally`, over the facts of the tasks.

Which tasks belong to a period [start, end) — half-open, stamps are compared as instants (only
lateness is judged to the minute, see below):

* assigned before the end (``created_at < end``);
* not withdrawn before the end (a task withdrawn at or after the end still counts: it was open);
* not finished before the start (``completed_at`` unset or ``>= start``): what was done before the
  period belongs to earlier periods, what is still open is carried over ("kỳ trước chuyển sang").

Every task is classified *as of the end*: stamps at or after the end are ignored (a task approved
after the end is open at the end; an extension approved after the end has not moved the deadline;
a reassignment after the end leaves the task with the unit that led it then).

Categories (a partition of the tasks in the period):

* Đã hoàn thành đúng hạn — finished no later than the deadline's minute, as every screen shows
  it (17:00:59 on a 17:00 deadline is on time, 17:01:00 is late). Finished means approved; the
  completion time is when the unit reported (the leader's review time never makes a unit late).
* Đã hoàn thành quá hạn — finished after the deadline.
* Chưa hoàn thành – trong hạn — open, the deadline not passed at the end; also open tasks whose
  result was reported on time and awaits the leader's review.
* Chưa hoàn thành – quá hạn — open and late at the end; a result reported late and awaiting review
  stays here, its lateness frozen at the report.
* Không có thời hạn — tasks without a deadline, open or finished: outside the 2×2 and the rate.

Overlays (counted within the partition): chưa tiếp nhận (open and not acknowledged at the end),
đã gia hạn (at least one extension approved before the end), giao trong kỳ (assigned in the
period).

The deadline counted against is the one in force at the end (after the extensions approved by
then); with ``count_against="original"`` it is the deadline first set. Days late are working days
(the calendar's holidays and days off skipped) from the deadline's day to the day of completion,
or to the end for open tasks; at least 1 once past the deadline. Only the lead unit answers for a
task: cooperating units are never counted.

On-time rate = đúng hạn / (đã hoàn thành có thời hạn + chưa hoàn thành quá hạn); no rate when the
denominator is 0.

Per person: each task counts for whoever acknowledged it and whoever reported its result (once per
person), as of the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.calendar import WorkCalendar

IN_FORCE = "in_force"
ORIGINAL = "original"
COUNT_AGAINST = (IN_FORCE, ORIGINAL)
_INSTANT = timedelta(microseconds=1)


def _minute(value: datetime) -> datetime:
    """The start of `value`'s minute (zone offsets are whole minutes, so any zone gives one)."""
    return value.replace(second=0, microsecond=0)


class Category(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OPEN_IN_TIME = "open_in_time"
    OPEN_LATE = "open_late"
    NO_DEADLINE = "no_deadline"


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime  # inclusive, aware
    end: datetime  # exclusive, aware: the moment everything is classified at

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a period needs aware datetimes")
        if not self.start < self.end:
            raise ValueError("a period must start before it ends")


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """A task as the database records it now, plus the history the tally needs to look back."""

    id: int
    code: str
    lead_unit_id: int  # the lead unit now
    created_at: datetime
    original_due: datetime | None
    due: datetime | None  # the deadline now (after every approved extension)
    acknowledged_at: datetime | None = None
    acknowledged_by: int | None = None
    reported_at: datetime | None = None
    reported_by: int | None = None
    completed_at: datetime | None = None  # set when finished (approved)
    withdrawn_at: datetime | None = None  # set when withdrawn
    # Approved extensions: (decided at, granted deadline). Empty: the deadline never moved.
    extensions: tuple[tuple[datetime, datetime], ...] = ()
    # Reassignments: (at, the lead unit before it). Only those at or after a period's end matter.
    reassignments: tuple[tuple[datetime, int], ...] = ()


@dataclass(slots=True)
class Counts:
    total: int = 0  # tasks in the period
    assigned: int = 0  # of which assigned during the period
    done_on_time: int = 0
    done_late: int = 0
    open_in_time: int = 0
    open_late: int = 0
    no_deadline: int = 0
    unacknowledged: int = 0
    extended: int = 0
    worst_days_late: int = 0  # among the open late ones

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def rate_base(self) -> int:
        return self.done_on_time + self.done_late + self.open_late

    @property
    def rate(self) -> float | None:
        """On-time rate in [0, 1]; None when nothing was due."""
        base = self.rate_base
        return self.done_on_time / base if base else None

    def add(self, line: TaskLine) -> None:
        self.total += 1
        self.assigned += line.assigned_in_period
        category = line.category
        if category is Category.DONE_ON_TIME:
            self.done_on_time += 1
        elif category is Category.DONE_LATE:
            self.done_late += 1
        elif category is Category.OPEN_IN_TIME:
            self.open_in_time += 1
        elif category is Category.OPEN_LATE:
            self.open_late += 1
            if line.days_late > self.worst_days_late:
                self.worst_days_late = line.days_late
        else:
            self.no_deadline += 1
        self.unacknowledged += line.unacknowledged
        self.extended += line.extensions > 0


@dataclass(frozen=True, slots=True)
class TaskLine:
    """One task's classification as of the period's end."""

    facts: TaskFacts
    lead_unit_id: int  # at the end
    due: datetime | None  # the deadline counted against
    category: Category
    days_late: int
    extensions: int  # approved before the end
    finished: bool
    unacknowledged: bool
    assigned_in_period: bool
    people: tuple[int, ...]  # who acknowledged or reported, as of the end


@dataclass
class Tally:
    period: Period
    count_against: str
    units: dict[int, Counts]
    people: dict[int, Counts]
    total: Counts
    lines: list[TaskLine] = field(default_factory=list)  # every task, when asked for
    late: list[TaskLine] = field(default_factory=list)  # open and late, the worst first


class WorkdayCounter:
    """`WorkCalendar.working_days_between`, by table lookups: the tally asks it for thousands of
    tasks, and the calendar counts day by day."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        # Per year: the ordinal of 1 January and table[i] = working days among its first i days.
        self._years: dict[int, tuple[int, list[int]]] = {}

    def _table(self, year: int) -> tuple[int, list[int]]:
        entry = self._years.get(year)
        if entry is None:
            table = [0]
            day = date(year, 1, 1)
            while day.year == year:
                table.append(table[-1] + self.calendar.is_working_day(day))
                day += timedelta(days=1)
            entry = self._years[year] = (date(year, 1, 1).toordinal() - 1, table)
        return entry

    def _upto(self, day: date) -> int:
        first, table = self._table(day.year)
        return table[day.toordinal() - first]

    def between(self, a: date, b: date) -> int:
        """Working days in (a, b]."""
        if b <= a:
            return 0
        if a.year == b.year:
            return self._upto(b) - self._upto(a)
        count = self._table(a.year)[1][-1] - self._upto(a)
        for year in range(a.year + 1, b.year):
            count += self._table(year)[1][-1]
        return count + self._upto(b)

    def days_late(self, due: datetime, moment: datetime, day: datetime | None = None) -> int:
        """Working days late at `moment`: 0 up to the deadline, at least 1 after it, counted to
        the date of `day` (default: of `moment`).

        Compared to the minute: every screen shows times as HH:MM, so a report at 17:00:30 on
        a 17:00 deadline reads "17:00" and is on time; 17:01:00 is late."""
        if _minute(moment) <= _minute(due):
            return 0
        tz = self.calendar.tz
        last = (day or moment).astimezone(tz).date()
        return max(1, self.between(due.astimezone(tz).date(), last))


def deadline_at(facts: TaskFacts, end: datetime, count_against: str = IN_FORCE) -> datetime | None:
    """The deadline in force at `end` (or the original one), and nothing else."""
    return _deadline(facts, end, count_against)[0]


def _deadline(facts: TaskFacts, end: datetime, count_against: str) -> tuple[datetime | None, int]:
    if not facts.extensions:
        due = facts.due if count_against == IN_FORCE else facts.original_due
        return due, 0
    granted = None
    latest = None
    count = 0
    for decided_at, granted_due in facts.extensions:
        if decided_at < end:
            count += 1
            if latest is None or decided_at >= latest:
                latest, granted = decided_at, granted_due
    if count_against == ORIGINAL or granted is None:
        return facts.original_due, count
    return granted, count


def classify(
    facts: TaskFacts,
    period: Period,
    workdays: WorkdayCounter,
    count_against: str = IN_FORCE,
) -> TaskLine | None:
    """The task's line as of the period's end, or None when it does not belong to the period."""
    end = period.end
    if facts.created_at >= end:
        return None
    if facts.withdrawn_at is not None and facts.withdrawn_at < end:
        return None
    completed = facts.completed_at
    finished = completed is not None and completed < end
    if finished and completed < period.start:  # type: ignore[operator]
        return None
    lead = facts.lead_unit_id
    if facts.reassignments:
        later = [r for r in facts.reassignments if r[0] >= end]
        if later:
            lead = min(later)[1]
    due, extensions = _deadline(facts, end, count_against)
    reported = (
        facts.reported_at if facts.reported_at is not None and facts.reported_at < end else None
    )
    acknowledged = facts.acknowledged_at is not None and facts.acknowledged_at < end
    days_late = 0
    if due is None:
        category = Category.NO_DEADLINE
    elif finished:
        days_late = workdays.days_late(due, completed)  # type: ignore[arg-type]
        category = Category.DONE_LATE if days_late else Category.DONE_ON_TIME
    else:
        # A result awaiting review stops the clock at the report; otherwise it runs to the
        # period's end (late once the end's minute is past the deadline's), its days counted to
        # the period's last instant (an end at midnight does not count the day it opens).
        if reported is not None:
            days_late = workdays.days_late(due, reported)
        else:
            days_late = workdays.days_late(due, end, end - _INSTANT)
        category = Category.OPEN_LATE if days_late else Category.OPEN_IN_TIME
    people: tuple[int, ...] = ()
    ack_by = facts.acknowledged_by if acknowledged else None
    rep_by = facts.reported_by if reported is not None else None
    if ack_by is not None and rep_by is not None and ack_by != rep_by:
        people = (ack_by, rep_by)
    elif ack_by is not None or rep_by is not None:
        people = (ack_by if ack_by is not None else rep_by,)  # type: ignore[assignment]
    return TaskLine(
        facts=facts,
        lead_unit_id=lead,
        due=due,
        category=category,
        days_late=days_late,
        extensions=extensions,
        finished=finished,
        unacknowledged=not finished and not acknowledged,
        assigned_in_period=facts.created_at >= period.start,
        people=people,
    )


def tally(
    facts: Iterable[TaskFacts],
    period: Period,
    calendar: WorkCalendar | WorkdayCounter,
    units: Iterable[int] | None = None,
    count_against: str = IN_FORCE,
    keep_lines: bool = False,
    people: bool = True,
) -> Tally:
    """Count the tasks of `period` per lead unit, per person and in total.

    `units`: only these lead units (each listed, even with nothing); None: every lead unit met.
    `keep_lines`: keep every task's line (for the register); the late ones are always kept.
    `people`: count per person too (the monthly report's "Cán bộ").
    """
    if count_against not in COUNT_AGAINST:
        raise ValueError(f"count_against must be one of {', '.join(COUNT_AGAINST)}")
    workdays = calendar if isinstance(calendar, WorkdayCounter) else WorkdayCounter(calendar)
    wanted = None if units is None else set(units)
    by_unit: dict[int, Counts] = {u: Counts() for u in wanted} if wanted is not None else {}
    by_person: dict[int, Counts] = {}
    total = Counts()
    lines: list[TaskLine] = []
    late: list[TaskLine] = []
    for item in facts:
        line = classify(item, period, workdays, count_against)
        if line is None:
            continue
        unit = line.lead_unit_id
        if wanted is not None and unit not in wanted:
            continue
        counts = by_unit.get(unit)
        if counts is None:
            counts = by_unit[unit] = Counts()
        counts.add(line)
        total.add(line)
        if people:
            for person in line.people:
                person_counts = by_person.get(person)
                if person_counts is None:
                    person_counts = by_person[person] = Counts()
                person_counts.add(line)
        if keep_lines:
            lines.append(line)
        if line.category is Category.OPEN_LATE:
            late.append(line)
    late.sort(key=lambda x: (-x.days_late, x.due or period.end, x.facts.code))
    return Tally(period, count_against, by_unit, by_person, total, lines, late)


def worst_first(units: dict[int, Counts], codes: dict[int, str]) -> list[int]:
    """Units in the order a weekly tally is read: most open-late tasks first, then the longest
    late, then the lowest on-time rate, then by code."""

    def key(unit_id: int) -> tuple[int, int, float, str]:
        c = units[unit_id]
        rate = c.rate
        return (-c.open_late, -c.worst_days_late, 2.0 if rate is None else rate, codes[unit_id])

    return sorted(units, key=key)
