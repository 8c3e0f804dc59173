"""The numbers behind every report: one pure function, `tally`, over the facts of the tasks.

Which tasks belong to a period [start, end) — half-open, stamps are compared as instants (only
lateness is judged to the minute, see below):

* assigned before the end (``created_at < end``);
* not withdrawn before the end (a task withdrawn at or after the end still counts: it was open);
* not finished before the start (``completed_at`` unset or ``>= start``): what was done before the
  period belongs to earlier periods, what is still open is carried over ("kỳ trước chuyển sang").

Every task is classified *as of the end*, from its history: what happened at or after the end is
ignored (a task approved after the end is open at the end, awaiting review; a result returned
after the end was still awaiting review at the end; an extension approved after the end has not
moved the deadline; a reassignment after the end leaves the task with the unit that led it then,
as acknowledged and reported by that unit). A task belongs to a period unless it was *finished*
(approved) before the start, whenever its result was reported.

Categories (a partition of the tasks in the period):

* Đã hoàn thành đúng hạn — finished no later than the deadline's minute, as every screen shows
  it (17:00:59 on a 17:00 deadline is on time, 17:01:00 is late). Finished means approved before
  the end; the completion time is when the unit reported the result that was approved (the
  leader's review time never makes a unit late).
* Đã hoàn thành quá hạn — finished after the deadline.
* Chưa hoàn thành – trong hạn — open, the deadline not passed at the end; also open tasks whose
  result was reported on time and awaits the leader's review.
* Chưa hoàn thành – quá hạn — open and late at the end; a result reported late and awaiting review
  stays here, its lateness frozen at the report. A result returned before the end no longer
  stops the clock: the task is open again from the return, as if never reported.
* Không có thời hạn — tasks without a deadline, open or finished: outside the 2×2 and the rate.

Overlays (counted within the partition): chưa tiếp nhận (open and not acknowledged at the end),
đã gia hạn (at least one extension approved before the end), giao trong kỳ (assigned in the
period).

The deadline counted against is the one in force at the end (after the extensions approved by
then, or the deadline a reassignment set, whichever came last); with ``count_against="original"``
it is the deadline first set, or the one the last reassignment before the end set (a task moved
after its deadline gets a new one, and the days before the move are not the new lead's). Days
late are working days (the calendar's holidays and days off skipped) from the deadline's day to
the day of completion, or to the end for open tasks; at least 1 once past the deadline. Only the
lead unit answers for a task: cooperating units are never counted.

On-time rate = đúng hạn / (đã hoàn thành có thời hạn + chưa hoàn thành quá hạn); no rate when the
denominator is 0.

Per person: each task counts for whoever acknowledged it and whoever reported its result (once per
person), as of the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
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


class Step(StrEnum):
    """What a task's history records of who took it on, reported, and how that was decided."""

    ACKNOWLEDGED = "acknowledged"
    REPORTED = "reported"  # a result, to be reviewed
    FINISHED = "finished"  # a result that finished the task at once (no review)
    APPROVED = "approved"
    RETURNED = "returned"
    REASSIGNED = "reassigned"  # the new lead acknowledges and reports afresh


# (at, step, by): a task's steps in the order they were recorded.
Steps = tuple[tuple[datetime, Step, int | None], ...]


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
    # The task's steps, when any was taken since the earliest start asked about: then the state
    # at an end is replayed from those before it, and the five stamps above (its state now) are
    # not read. None: its state has not changed since, so the stamps are its state at every end.
    steps: Steps | None = None
    # Deadlines set by a reassignment (/chuyen ... hạn 20/12, required when the deadline had
    # passed): (at, the new deadline), every one the task had. From the move on it is the
    # deadline in force (until a later extension or move), and the one counted against under
    # "original" too: the days before the move are not the new lead's lateness.
    moved_dues: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(slots=True)
class Counts:
    """A unit's, a person's or the total's figures. `tally` counts into plain lists laid out in
    this field order (see `_CATEGORY_SLOT`), made into Counts at the end."""

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
    # As of the end: when the result awaiting review (or the one approved) was reported, and
    # the completion time of a finished task.
    reported_at: datetime | None = None
    completed_at: datetime | None = None


@dataclass
class Tally:
    period: Period
    count_against: str
    units: dict[int, Counts]
    people: dict[int, Counts]
    total: Counts
    lines: list[TaskLine] = field(default_factory=list)  # every task, when asked for
    late: list[TaskLine] = field(default_factory=list)  # open and late, the worst first
    # How many are open and late in all, when `late` holds only the worst of them (a report
    # that lists a few); None: `late` holds them all.
    late_count: int | None = None


class WorkdayCounter:
    """`WorkCalendar.working_days_between`, by table lookups: the tally asks it for thousands of
    tasks, and the calendar counts day by day."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        # Whole years from the one of ordinal `_first` on; _table[i] - _shift = working days
        # among the days from _first to _first + i - 1, less those before the first day ever
        # tabled (so what `upto` answers never changes when the table grows to earlier years).
        self._first = 0
        self._shift = 0
        self._table: list[int] = []

    def _grow(self, ordinal: int) -> None:
        years = [date.fromordinal(ordinal).year]
        if self._table:
            years += [
                date.fromordinal(self._first).year,
                date.fromordinal(self._first + len(self._table) - 2).year,
            ]
        start, stop = date(min(years), 1, 1), date(max(years) + 1, 1, 1)
        table = [0]
        is_working_day = self.calendar.is_working_day
        day = start
        while day < stop:
            table.append(table[-1] + is_working_day(day))
            day += timedelta(days=1)
        if self._table:
            self._shift += table[self._first - start.toordinal()]
        self._first, self._table = start.toordinal(), table

    def upto(self, ordinal: int) -> int:
        """Working days up to the day of `ordinal`, inclusive, from some fixed day: the
        difference of two is the count in between."""
        index = ordinal - self._first + 1
        if not 0 < index < len(self._table):
            self._grow(ordinal)
            index = ordinal - self._first + 1
        return self._table[index] - self._shift

    def between(self, a: date, b: date) -> int:
        """Working days in (a, b]."""
        if b <= a:
            return 0
        return self.upto(b.toordinal()) - self.upto(a.toordinal())

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


class _Bounds:
    """A period as the tally compares against it, worked out once rather than per task: its
    bounds in UTC (stamps read from the database are UTC, and datetimes of one zone compare
    without asking either for its offset), the end's minute, and the working days counted to
    the end's last instant."""

    __slots__ = ("count_against", "end", "end_minute", "period", "start", "tz", "upto", "upto_end")

    def __init__(self, period: Period, workdays: WorkdayCounter, count_against: str) -> None:
        self.period = period
        self.start = period.start.astimezone(UTC)
        self.end = period.end.astimezone(UTC)
        self.end_minute = _minute(self.end)
        self.count_against = count_against
        self.tz = workdays.calendar.tz
        self.upto = workdays.upto
        self.upto_end = workdays.upto((self.end - _INSTANT).astimezone(self.tz).toordinal())

    def days_late(self, due: datetime, moment: datetime) -> int:
        """`WorkdayCounter.days_late(due, moment)`. Zone offsets are whole minutes, so the
        start of a minute is the same instant in every zone, and `moment`'s minute is not
        past `due`'s exactly when it is not past `due` itself."""
        if moment <= due or _minute(moment) <= due:
            return 0
        tz = self.tz
        upto = self.upto
        return max(
            1, upto(moment.astimezone(tz).toordinal()) - upto(due.astimezone(tz).toordinal())
        )

    def days_late_at_end(self, due: datetime) -> int:
        """`WorkdayCounter.days_late(due, end, end - instant)`, as above."""
        if self.end_minute <= due:
            return 0
        return max(1, self.upto_end - self.upto(due.astimezone(self.tz).toordinal()))


def deadline_at(facts: TaskFacts, end: datetime, count_against: str = IN_FORCE) -> datetime | None:
    """The deadline in force at `end` (or the original one), and nothing else."""
    return _deadline(facts, end, count_against)[0]


def _deadline(facts: TaskFacts, end: datetime, count_against: str) -> tuple[datetime | None, int]:
    if not facts.extensions and not facts.moved_dues:
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
    # The last move before the end that set a deadline: the new lead's first deadline.
    moved = moved_at = None
    for at, due in facts.moved_dues:
        if at < end and (moved_at is None or at >= moved_at):
            moved_at, moved = at, due
    first = facts.original_due if moved_at is None else moved
    if count_against == ORIGINAL:
        return first, count
    if granted is None or (moved_at is not None and moved_at >= latest):  # type: ignore[operator]
        return first, count
    return granted, count


# What `_classify` finds: (lead unit, deadline, category, days late, extensions, finished,
# unacknowledged, assigned in the period, who acknowledged (or None), who reported (or None),
# reported at (or None), completed at (or None)), all as of the end.
_Found = tuple[
    int,
    datetime | None,
    Category,
    int,
    int,
    bool,
    bool,
    bool,
    int | None,
    int | None,
    datetime | None,
    datetime | None,
]


# The state `_replay` finds at an end: (acknowledged at, by, reported at (the result awaiting
# review, or the one approved), by, completion time, finished (approved) at).
_State = tuple[
    datetime | None, int | None, datetime | None, int | None, datetime | None, datetime | None
]


def _replay(steps: Steps, end: datetime) -> _State:
    """A task's state at `end`, from the steps recorded before it."""
    ack_at = rep_at = completed = finished = None
    ack_by = rep_by = None
    for at, step, by in steps:
        if at >= end:
            continue
        if step is Step.ACKNOWLEDGED:
            ack_at, ack_by = at, by
        elif step is Step.REPORTED or step is Step.FINISHED:
            rep_at, rep_by = at, by
            if ack_at is None:  # reporting takes the task on
                ack_at, ack_by = at, by
            if step is Step.FINISHED:
                completed = finished = at
        elif step is Step.APPROVED:
            # Done when the approved result was reported, whenever the leader decided.
            completed, finished = (rep_at or at), at
        elif step is Step.RETURNED:
            rep_at = rep_by = None
        elif step is Step.REASSIGNED:
            ack_at = ack_by = rep_at = rep_by = None
    return ack_at, ack_by, rep_at, rep_by, completed, finished


def _classify(facts: TaskFacts, bounds: _Bounds) -> _Found | None:
    """The rules (see the module's docstring): `classify` without building a TaskLine, which
    `tally` builds only for the lines it keeps."""
    end = bounds.end
    if facts.created_at >= end:
        return None
    withdrawn = facts.withdrawn_at
    if withdrawn is not None and withdrawn < end:
        return None
    if facts.steps is not None:
        acknowledged, ack_by, reported, rep_by, completed, finished_at = _replay(facts.steps, end)
        finished = finished_at is not None
        if finished and finished_at < bounds.start:  # type: ignore[operator]
            return None
    else:
        completed = facts.completed_at
        finished = completed is not None and completed < end
        if finished and completed < bounds.start:  # type: ignore[operator]
            return None
        acknowledged, ack_by = facts.acknowledged_at, facts.acknowledged_by
        reported, rep_by = facts.reported_at, facts.reported_by
    lead = facts.lead_unit_id
    if facts.reassignments:
        later = [r for r in facts.reassignments if r[0] >= end]
        if later:
            lead = min(later)[1]
    if facts.extensions or facts.moved_dues:
        due, extensions = _deadline(facts, end, bounds.count_against)
    else:
        due = facts.due if bounds.count_against == IN_FORCE else facts.original_due
        extensions = 0
    if reported is not None and not reported < end:
        reported = None
    acknowledged_ok = acknowledged is not None and acknowledged < end
    days_late = 0
    if due is None:
        category = Category.NO_DEADLINE
    elif finished:
        days_late = bounds.days_late(due, completed)  # type: ignore[arg-type]
        category = Category.DONE_LATE if days_late else Category.DONE_ON_TIME
    else:
        # A result awaiting review stops the clock at the report; otherwise it runs to the
        # period's end (late once the end's minute is past the deadline's), its days counted to
        # the period's last instant (an end at midnight does not count the day it opens).
        if reported is not None:
            days_late = bounds.days_late(due, reported)
        else:
            days_late = bounds.days_late_at_end(due)
        category = Category.OPEN_LATE if days_late else Category.OPEN_IN_TIME
    return (
        lead,
        due,
        category,
        days_late,
        extensions,
        finished,
        not finished and not acknowledged_ok,
        facts.created_at >= bounds.start,
        ack_by if acknowledged_ok else None,
        rep_by if reported is not None else None,
        reported,
        completed if finished else None,
    )


def _people(ack_by: int | None, rep_by: int | None) -> tuple[int, ...]:
    if ack_by is not None and rep_by is not None and ack_by != rep_by:
        return (ack_by, rep_by)
    if ack_by is not None:
        return (ack_by,)
    if rep_by is not None:
        return (rep_by,)
    return ()


def _line(facts: TaskFacts, found: _Found) -> TaskLine:
    lead, due, category, days, extensions, finished, unack, assigned, ack_by, rep_by = found[:10]
    return TaskLine(
        facts=facts,
        lead_unit_id=lead,
        due=due,
        category=category,
        days_late=days,
        extensions=extensions,
        finished=finished,
        unacknowledged=unack,
        assigned_in_period=assigned,
        people=_people(ack_by, rep_by),
        reported_at=found[10],
        completed_at=found[11],
    )


def classify(
    facts: TaskFacts,
    period: Period,
    workdays: WorkdayCounter,
    count_against: str = IN_FORCE,
) -> TaskLine | None:
    """The task's line as of the period's end, or None when it does not belong to the period."""
    found = _classify(facts, _Bounds(period, workdays, count_against))
    return None if found is None else _line(facts, found)


# Per unit or person while counting: total, assigned, the five categories in Category's order,
# unacknowledged, extended, worst days late (made into Counts at the end).
_CATEGORY_SLOT = {category: 2 + i for i, category in enumerate(Category)}
_WORST = 9


def _counts(slots: list[int]) -> Counts:
    return Counts(*slots)


def _count(
    table: dict[int, list[int]],
    key: int,
    slot: int,
    assigned: int,
    unack: int,
    extended: bool,
    worst: int,
) -> None:
    """One task into a unit's or a person's row: the same counting for both."""
    counts = table.get(key)
    if counts is None:
        counts = table[key] = [0] * 10
    counts[0] += 1
    counts[1] += assigned
    counts[slot] += 1
    counts[7] += unack
    counts[8] += extended
    if worst > counts[_WORST]:
        counts[_WORST] = worst


def tally(
    facts: Iterable[TaskFacts],
    period: Period,
    calendar: WorkCalendar | WorkdayCounter,
    units: Iterable[int] | None = None,
    count_against: str = IN_FORCE,
    keep_lines: bool = False,
    people: bool = True,
    late: bool = True,
) -> Tally:
    """Count the tasks of `period` per lead unit, per person and in total.

    `units`: only these lead units (each listed, even with nothing); None: every lead unit met.
    `keep_lines`: keep every task's line (for the register).
    `people`: count per person too (the monthly report's "Cán bộ").
    `late`: keep the open late tasks' lines, the worst first (off: `Tally.late` is empty, for
    a period whose counts alone are wanted, such as the one a report compares with).
    """
    counter = TallyCounter(period, calendar, units, count_against, keep_lines, people, late)
    counter.add(facts)
    return counter.result()


class TallyCounter:
    """`tally`, fed a part of the facts at a time: every task counts on its own, so a report
    can read and count a few thousand tasks, let the bot answer others, and go on, holding
    only what it keeps (the counts, and the lines asked for) rather than every task's facts."""

    def __init__(
        self,
        period: Period,
        calendar: WorkCalendar | WorkdayCounter,
        units: Iterable[int] | None = None,
        count_against: str = IN_FORCE,
        keep_lines: bool = False,
        people: bool = True,
        late: bool = True,
        late_limit: int | None = None,
    ) -> None:
        """`late_limit`: keep only the worst so many late tasks' lines (and count the rest):
        a province's thousands of late tasks need not be held for a post that lists 25."""
        if count_against not in COUNT_AGAINST:
            raise ValueError(f"count_against must be one of {', '.join(COUNT_AGAINST)}")
        workdays = calendar if isinstance(calendar, WorkdayCounter) else WorkdayCounter(calendar)
        self.period = period
        self.count_against = count_against
        self._bounds = _Bounds(period, workdays, count_against)
        self._wanted = None if units is None else set(units)
        self._by_unit: dict[int, list[int]] = {}
        if self._wanted is not None:
            self._by_unit = {u: [0] * 10 for u in self._wanted}
        self._by_person: dict[int, list[int]] = {}
        self._lines: list[TaskLine] = []
        self._late_lines: list[TaskLine] = []
        self._keep_lines = keep_lines
        self._people = people
        self._keep_late = late
        self._late_limit = late_limit
        self._late_total = 0

    def _late_key(self, line: TaskLine) -> tuple[int, datetime, str]:
        return (-line.days_late, line.due or self.period.end, line.facts.code)

    def add(self, facts: Iterable[TaskFacts]) -> None:
        bounds, wanted = self._bounds, self._wanted
        by_unit, by_person = self._by_unit, self._by_person
        keep_lines, keep_late, people = self._keep_lines, self._keep_late, self._people
        lines, late_lines = self._lines, self._late_lines
        open_late = Category.OPEN_LATE
        slot_of = _CATEGORY_SLOT
        for item in facts:
            found = _classify(item, bounds)
            if found is None:
                continue
            unit, _, category, days, extensions, _, unack, assigned, ack_by, rep_by, _, _ = found
            if wanted is not None and unit not in wanted:
                continue
            slot = slot_of[category]
            worst = days if category is open_late else 0
            _count(by_unit, unit, slot, assigned, unack, extensions > 0, worst)
            if people and (ack_by is not None or rep_by is not None):
                for person in _people(ack_by, rep_by):
                    _count(by_person, person, slot, assigned, unack, extensions > 0, worst)
            if keep_lines or (keep_late and category is open_late):
                line = _line(item, found)
                if keep_lines:
                    lines.append(line)
                if keep_late and category is open_late:
                    late_lines.append(line)
                    self._late_total += 1
        limit = self._late_limit
        if limit is not None and len(late_lines) > 4 * limit + 64:
            late_lines.sort(key=self._late_key)
            del late_lines[limit:]

    def result(self) -> Tally:
        # Every task counted is in exactly one unit: the total is the units' sum (the worst,
        # their worst).
        total = [0] * 10
        for counts in self._by_unit.values():
            for i in range(_WORST):
                total[i] += counts[i]
            if counts[_WORST] > total[_WORST]:
                total[_WORST] = counts[_WORST]
        late_lines = sorted(self._late_lines, key=self._late_key)
        late_count = None
        if self._late_limit is not None:
            late_count = self._late_total
            del late_lines[self._late_limit :]
        return Tally(
            self.period,
            self.count_against,
            {u: _counts(c) for u, c in self._by_unit.items()},
            {p: _counts(c) for p, c in self._by_person.items()},
            _counts(total),
            self._lines,
            late_lines,
            late_count,
        )


def worst_first(units: dict[int, Counts], codes: dict[int, str]) -> list[int]:
    """Units in the order a weekly tally is read: most open-late tasks first, then the longest
    late, then the lowest on-time rate, then by code."""

    def key(unit_id: int) -> tuple[int, int, float, str]:
        c = units[unit_id]
        rate = c.rate
        return (-c.open_late, -c.worst_days_late, 2.0 if rate is None else rate, codes[unit_id])

    return sorted(units, key=key)
