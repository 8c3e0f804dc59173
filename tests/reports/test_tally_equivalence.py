"""`tally` against the rules computed the straightforward way, on generated tasks.

`bot.domain.tally` is tuned for 200,000-task databases (a cumulative working-day table, bounds
converted once per period, the deadline's minute compared without re-truncating both sides…).
This spells the same rules out naively — the calendar's day-by-day count, every stamp compared as
written in the module's docstring — and checks that both agree line by line and count by count
on thousands of tasks built around the boundaries (the deadline's minute, midnight ends,
extensions and reassignments on either side of the end, Tết, two time zones)."""

from __future__ import annotations

import random
from dataclasses import astuple, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from support import VN

from bot.calendar import WorkCalendar
from bot.domain.tally import (
    COUNT_AGAINST,
    IN_FORCE,
    Category,
    Counts,
    Period,
    Step,
    Steps,
    TaskFacts,
    WorkdayCounter,
    classify,
    tally,
)

CAL = WorkCalendar(days_off=frozenset({date(2026, 12, 31)}))
ORIGIN = datetime(2026, 1, 20, 0, 0, tzinfo=VN)  # a month before Tết 2026


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


REPORTS = (Step.REPORTED, Step.FINISHED)
CLEARS = (Step.RETURNED, Step.REASSIGNED)


def as_of(steps: Steps, end: datetime) -> TaskFacts:
    """The stamps a task's steps leave at `end`, read off the steps before it: who acknowledged
    (the last acknowledgement since the last reassignment, else the first report since), the
    result standing (the last report, unless returned or reassigned since), the approval (the
    last one) and the result it approved (the one standing then)."""
    before = [s for s in steps if s[0] < end]
    resets = [i for i, s in enumerate(before) if s[1] is Step.REASSIGNED]
    fresh = before[resets[-1] + 1 :] if resets else before
    acks = [s for s in fresh if s[1] is Step.ACKNOWLEDGED]
    firsts = [s for s in fresh if s[1] in REPORTS]
    ack = acks[-1] if acks else (firsts[0] if firsts else None)

    def standing(upto: int) -> tuple[datetime, Step, int | None] | None:
        last = None
        for s in before[:upto]:
            if s[1] in REPORTS:
                last = s
            elif s[1] in CLEARS:
                last = None
        return last

    report = standing(len(before))
    ends = [i for i, s in enumerate(before) if s[1] in (Step.APPROVED, Step.FINISHED)]
    completed = finished = None
    if ends:
        i = ends[-1]
        finished = before[i][0]
        approved = standing(i + 1) if before[i][1] is Step.FINISHED else standing(i)
        completed = approved[0] if approved else finished
    return TaskFacts(
        0,
        "",
        0,
        end,
        None,
        None,
        acknowledged_at=ack[0] if ack else None,
        acknowledged_by=ack[2] if ack else None,
        reported_at=report[0] if report else None,
        reported_by=report[2] if report else None,
        completed_at=completed,
        withdrawn_at=finished,  # here: when it was finished
    )


def reference(facts: TaskFacts, period: Period, count_against: str) -> tuple[object, ...] | None:
    """(lead, due, category, days late, extensions, finished, unacknowledged, assigned in
    period, people) as the rules say, or None when the task is not the period's."""
    start, end = period.start, period.end
    if facts.created_at >= end:
        return None
    if facts.withdrawn_at is not None and facts.withdrawn_at < end:
        return None
    if facts.steps is not None:
        # The state at the end, from the history: finished when approved, done when reported.
        state = as_of(facts.steps, end)
        finished_at = state.withdrawn_at
        if finished_at is not None and finished_at < start:
            return None
        facts = replace(
            facts,
            acknowledged_at=state.acknowledged_at,
            acknowledged_by=state.acknowledged_by,
            reported_at=state.reported_at,
            reported_by=state.reported_by,
            completed_at=state.completed_at,
        )
        finished = finished_at is not None
    else:
        finished = facts.completed_at is not None and facts.completed_at < end
        if finished and facts.completed_at < start:  # type: ignore[operator]
            return None
    lead = facts.lead_unit_id
    later = sorted(r for r in facts.reassignments if r[0] >= end)
    if later:
        lead = later[0][1]
    granted = [e for e in facts.extensions if e[0] < end]
    # Every change of deadline before the end, extension or move, in the order decided (a move
    # after an extension at the same instant comes later); the last one is in force.
    moved = sorted((m for m in facts.moved_dues if m[0] < end), key=lambda m: m[0])
    if count_against == IN_FORCE and (facts.extensions or facts.moved_dues):
        changes = sorted(
            [(at, 0, i, due) for i, (at, due) in enumerate(granted)]
            + [(at, 1, i, due) for i, (at, due) in enumerate(moved)],
            key=lambda c: (c[0], c[1], c[2]),
        )
        due = changes[-1][3] if changes else facts.original_due
    elif count_against == IN_FORCE:
        due = facts.due
    else:
        # "Original": the deadline first set, or the one the last move before the end set.
        due = moved[-1][1] if moved else facts.original_due

    def late(moment: datetime, day: datetime) -> int:
        assert due is not None
        if _minute(moment) <= _minute(due):
            return 0
        a, b = due.astimezone(CAL.tz).date(), day.astimezone(CAL.tz).date()
        return max(1, CAL.working_days_between(a, b) if b > a else 0)

    reported = facts.reported_at if facts.reported_at and facts.reported_at < end else None
    acknowledged = facts.acknowledged_at is not None and facts.acknowledged_at < end
    days = 0
    if due is None:
        category = Category.NO_DEADLINE
    elif finished:
        days = late(facts.completed_at, facts.completed_at)  # type: ignore[arg-type]
        category = Category.DONE_LATE if days else Category.DONE_ON_TIME
    else:
        days = late(reported, reported) if reported else late(end, end - timedelta(microseconds=1))
        category = Category.OPEN_LATE if days else Category.OPEN_IN_TIME
    people = []
    if acknowledged and facts.acknowledged_by is not None:
        people.append(facts.acknowledged_by)
    if reported and facts.reported_by is not None and facts.reported_by not in people:
        people.append(facts.reported_by)
    return (
        lead,
        due,
        category,
        days,
        len(granted) if facts.extensions else 0,
        finished,
        not finished and not acknowledged,
        facts.created_at >= start,
        tuple(people),
        reported,
        facts.completed_at if finished else None,
    )


def counted(lines: list[tuple[object, ...]]) -> Counts:
    counts = Counts()
    for _lead, _due, category, days, extensions, _finished, unack, assigned, *_ in lines:
        counts.total += 1
        counts.assigned += bool(assigned)
        counts.unacknowledged += bool(unack)
        counts.extended += bool(extensions)
        name = str(category)
        setattr(counts, name, getattr(counts, name) + 1)
        if category is Category.OPEN_LATE:
            counts.worst_days_late = max(counts.worst_days_late, int(days))  # type: ignore[call-overload]
    return counts


def moment(rng: random.Random, around: datetime | None = None) -> datetime:
    """A stamp, often right at a minute's edge or at 17:00 local, in Vietnam's zone or UTC."""
    if around is not None and rng.random() < 0.4:
        value = around + timedelta(seconds=rng.choice([-60, -1, 0, 0, 1, 30, 59, 60, 61, 86400]))
    else:
        value = ORIGIN + timedelta(minutes=rng.randrange(60 * 24 * 400))
        if rng.random() < 0.3:
            value = value.replace(hour=17, minute=0)
        value += timedelta(seconds=rng.choice([0, 0, 0, 30, 59]), microseconds=rng.choice([0, 7]))
    return value.astimezone(UTC) if rng.random() < 0.5 else value


def generated(rng: random.Random, n: int) -> list[TaskFacts]:
    out = []
    for i in range(n):
        created = moment(rng)
        original = None if rng.random() < 0.1 else moment(rng, created + timedelta(days=10))
        extensions: list[tuple[datetime, datetime]] = []
        due = original
        if original is not None and rng.random() < 0.3:
            for _ in range(rng.randrange(1, 4)):
                decided = moment(rng, due)
                due = moment(rng, due + timedelta(days=rng.randrange(1, 20)))  # type: ignore[operator]
                extensions.append((decided, due))
            if rng.random() < 0.1:  # two decisions at the same instant: the later one counts
                extensions.append((extensions[-1][0], moment(rng, due)))
                due = extensions[-1][1]
        reported = moment(rng, due) if rng.random() < 0.6 else None
        completed = None
        if reported is not None and rng.random() < 0.8:
            completed = reported if rng.random() < 0.5 else moment(rng, reported)
        acknowledged = moment(rng, created) if rng.random() < 0.8 else None
        withdrawn = moment(rng) if rng.random() < 0.05 else None
        moves = tuple(
            (moment(rng, created + timedelta(days=5)), rng.randrange(1, 6))
            for _ in range(rng.choice([0, 0, 0, 1, 2]))
        )
        # Some moves set a new deadline (/chuyen … hạn …), around the end and the extensions.
        moved_dues = tuple(
            (at, moment(rng, at + timedelta(days=rng.randrange(1, 15))))
            for at, _ in moves
            if original is not None and rng.random() < 0.6
        )
        if moved_dues and extensions and rng.random() < 0.3:  # a move at an extension's instant
            moved_dues += ((extensions[0][0], moment(rng, extensions[0][1])),)
        steps = None
        if rng.random() < 0.3:
            # A history, in order, around the deadline (some at one instant): the stamps above
            # then stand for the state now, which the tally must not read.
            kinds = list(Step)
            stamp = created
            steps = []
            for _ in range(rng.randrange(0, 7)):
                stamp = stamp if rng.random() < 0.15 else moment(rng, due or stamp)
                stamp = max(stamp, created)
                steps.append((stamp, rng.choice(kinds), rng.choice([None, 10, 11, 12])))
            steps.sort(key=lambda s: s[0])
        out.append(
            TaskFacts(
                id=i,
                code=f"NV-{i:05d}",
                lead_unit_id=rng.randrange(1, 6),
                created_at=created,
                original_due=original,
                due=due,
                acknowledged_at=acknowledged,
                acknowledged_by=rng.choice([None, 10, 11, 12]) if acknowledged else None,
                reported_at=reported,
                reported_by=rng.choice([None, 10, 11, 12]) if reported else None,
                completed_at=completed,
                withdrawn_at=withdrawn,
                extensions=tuple(extensions),
                reassignments=moves,
                steps=None if steps is None else tuple(steps),
                moved_dues=moved_dues,
            )
        )
    return out


def periods(rng: random.Random, facts: list[TaskFacts]) -> list[Period]:
    out = []
    for _ in range(12):
        start = ORIGIN + timedelta(days=rng.randrange(380))
        end = start + timedelta(days=rng.choice([1, 7, 7, 30, 92, 200]))
        out.append(Period(start, end))
    # Ends at a deadline's instant and its edges; one in UTC.
    due = next(f.due for f in facts if f.due is not None)
    for delta in (0, 30, 60):
        end = due + timedelta(seconds=delta)
        out.append(Period(end - timedelta(days=7), end))
    out.append(Period(out[0].start.astimezone(UTC), out[0].end.astimezone(UTC)))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tally_agrees_with_the_rules_computed_naively(seed: int) -> None:
    rng = random.Random(seed)
    facts = generated(rng, 1000)
    workdays = WorkdayCounter(CAL)
    for period in periods(rng, facts):
        for count_against in COUNT_AGAINST:
            expected = {f.id: reference(f, period, count_against) for f in facts}
            fresh = WorkdayCounter(CAL)  # its table grows as the tasks ask, to earlier years too
            for f in facts:
                line = classify(f, period, fresh, count_against)
                got = None
                if line is not None:
                    got = (
                        line.lead_unit_id,
                        line.due,
                        line.category,
                        line.days_late,
                        line.extensions,
                        line.finished,
                        line.unacknowledged,
                        line.assigned_in_period,
                        line.people,
                        line.reported_at,
                        line.completed_at,
                    )
                assert got == expected[f.id], (f, period, count_against)
            result = tally(facts, period, workdays, count_against=count_against, keep_lines=True)
            wanted = [x for x in expected.values() if x is not None]
            assert [line.facts.id for line in result.lines] == [
                f.id for f in facts if expected[f.id] is not None
            ]
            assert astuple(result.total) == astuple(counted(wanted))
            for unit in {x[0] for x in wanted}:
                mine = [x for x in wanted if x[0] == unit]
                assert astuple(result.units[unit]) == astuple(counted(mine)), unit
            for person in (10, 11, 12):
                theirs = [x for x in wanted if person in x[8]]  # type: ignore[operator]
                if theirs:
                    assert astuple(result.people[person]) == astuple(counted(theirs))
                else:
                    assert person not in result.people
            late = sorted(
                (f for f in facts if expected[f.id] and expected[f.id][2] is Category.OPEN_LATE),  # type: ignore[index]
                key=lambda f: (-expected[f.id][3], expected[f.id][1], f.code),  # type: ignore[index,operator]
            )
            assert [line.facts.id for line in result.late] == [f.id for f in late]
            counts_only = tally(facts, period, workdays, count_against=count_against, late=False)
            assert counts_only.late == [] and counts_only.units == result.units
            assert counts_only.total == result.total and counts_only.people == result.people
            # A few units asked for: each listed, the others left out, the total theirs.
            some = tally(facts, period, workdays, units=[1, 2, 9], count_against=count_against)
            assert set(some.units) == {1, 2, 9} and some.units[9].total == 0
            assert astuple(some.total) == astuple(counted([x for x in wanted if x[0] in (1, 2)]))


def test_the_working_day_table_grows_both_ways_without_changing_its_answers() -> None:
    tet = (date(2026, 2, 13), date(2026, 2, 23))
    far = [date(2023, 5, 2), date(2029, 1, 1), date(2019, 12, 31), date(2026, 12, 30)]
    shared = WorkdayCounter(CAL)
    for a in far + list(tet):
        for b in far + list(tet):
            expected = CAL.working_days_between(a, b)
            # A counter that has tabled 2026 only, asked about other years (the later day first:
            # growing to the earlier year must not shift what it said of the later one).
            fresh = WorkdayCounter(CAL)
            assert fresh.between(*tet) == 1
            assert fresh.between(a, b) == expected, (a, b)
            assert shared.between(a, b) == expected, (a, b)
