"""A period's figures come from the history as of its end (issue 10, point 2).

Histories are made through the real services on a real SQLite file: the figures of a period
are read back through the reports' facts query and the tally, as the reports read them. The
rules on hand-written histories first, then the property: for random histories, the tally as
of T equals the tally of a copy of the database that holds only what happened before T."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import astuple, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import (
    CHAIRMAN,
    LEADERS,
    QLDT_CHAT,
    QLDT_HEAD,
    ROSTER,
    START,
    TCKH_CHAT,
    TCKH_HEAD,
    TCKH_STAFF,
    VN,
    make_settings,
)

import bot.db.migrate
from bot.app import Runtime, open_runtime
from bot.clock import ManualClock
from bot.domain.model import Status
from bot.domain.orgfile import parse_org
from bot.domain.tally import ORIGINAL, Category, Period, Tally, tally
from bot.services.common import Actor, Where

UNITS = {"TCKH": (TCKH_CHAT, (TCKH_HEAD, TCKH_STAFF)), "QLDT": (QLDT_CHAT, (QLDT_HEAD,))}
WEEK = timedelta(days=7)


def at(day: int, month: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database holding the roster, copied for each history."""
    path = tmp_path_factory.mktemp("history") / "template.db"
    url = f"sqlite+aiosqlite:///{path}"
    bot.db.migrate.upgrade(url)

    async def load() -> None:
        runtime = open_runtime(make_settings(url), clock=ManualClock(START))
        try:
            await runtime.services.roster.import_org(parse_org(ROSTER))
        finally:
            await runtime.close()

    asyncio.run(load())
    return path


@dataclass
class Office:
    """The people of the roster acting through the services, at moments the test sets."""

    runtime: Runtime
    clock: ManualClock

    @staticmethod
    def open(template: Path, folder: Path, name: str, review: bool = True) -> Office:
        path = folder / f"{name}.db"
        shutil.copyfile(template, path)
        clock = ManualClock(START)
        extra = {} if review else {"DONDOC_REVIEW": "false"}
        url = f"sqlite+aiosqlite:///{path}"
        return Office(open_runtime(make_settings(url, **extra), clock=clock), clock)

    @property
    def tasks(self):  # type: ignore[no-untyped-def]
        return self.runtime.services.tasks

    async def close(self) -> None:
        await self.runtime.close()

    async def state(self, code: str) -> tuple[Status, str, datetime]:
        async with self.runtime.services.core.uow() as uow:
            task = await uow.tasks.by_code(code)
            assert task is not None and task.due is not None
            unit = await uow.units.get(task.lead_unit_id)
            assert unit is not None
            return task.status, unit.code, task.due

    async def unit_ids(self, *codes: str) -> list[int]:
        async with self.runtime.services.core.uow() as uow:
            units = [await uow.units.by_code(code) for code in codes]
        return [u.id for u in units if u is not None]

    async def unit_side(self, code: str, staff: bool = False) -> tuple[Actor, Where]:
        _, unit, _ = await self.state(code)
        chat, people = UNITS[unit]
        person = people[-1] if staff else people[0]
        return Actor(person, "x"), Where(chat, private=False)

    async def do(self, moment: datetime, action: str, code: str = "", arg: str = "") -> None:
        """One step of a history, at `moment`; it must be accepted."""
        self.clock.set(moment)
        chairman, leaders = Actor(CHAIRMAN, "x"), Where(LEADERS, private=False)
        tasks = self.tasks
        if action == "assign":
            outcome = await tasks.assign(chairman, leaders, arg)
        elif action in ("ack", "report", "report_staff", "extend"):
            actor, where = await self.unit_side(code, staff=action == "report_staff")
            if action == "ack":
                outcome = await tasks.acknowledge(actor, where, code)
            elif action == "extend":
                outcome = await tasks.request_extension(actor, where, code, arg + " chờ số liệu")
                async with self.runtime.services.core.uow() as uow:
                    task = await uow.tasks.by_code(code)
                    request = await uow.extensions.pending_for(task.id)  # type: ignore[union-attr]
                assert request is not None, outcome.reply
                outcome = await tasks.decide_extension(chairman, leaders, request.id, True)
            else:
                outcome = await tasks.report(actor, where, code, "Đã xong")
        elif action == "approve":
            outcome = await tasks.approve(chairman, leaders, code)
        elif action == "return":
            outcome = await tasks.return_task(chairman, leaders, code, "Bổ sung số liệu")
        elif action == "reassign":
            outcome = await tasks.reassign(chairman, leaders, code, arg)
        elif action == "withdraw":
            outcome = await tasks.withdraw(chairman, leaders, code, "Không còn cần")
        else:
            raise AssertionError(action)
        assert outcome.changed or action == "assign", (action, code, outcome.reply)

    async def tally(
        self, period: Period, history: bool = True, read_with: list[Period] | None = None
    ) -> Tally:
        """The period's tally from the facts read for it (or for it and others at once, as the
        weekly post reads this week and the one before)."""
        async with self.runtime.services.core.uow() as uow:
            facts = await uow.reports.facts(read_with or [period])
        if not history:
            facts = [replace(f, steps=None) for f in facts]
        return tally(facts, period, self.runtime.services.core.calendar, keep_lines=True)


@pytest.fixture
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def lines(result: Tally) -> dict[str, tuple[object, ...]]:
    """Every task's line by code, without the facts it came from."""
    return {
        x.facts.code: (
            x.lead_unit_id,
            x.due,
            x.category,
            x.days_late,
            x.extensions,
            x.finished,
            x.unacknowledged,
            x.assigned_in_period,
            x.people,
            x.reported_at,
            x.completed_at,
        )
        for x in result.lines
    }


def figures(result: Tally) -> tuple[object, ...]:
    return (
        lines(result),
        astuple(result.total),
        {u: astuple(c) for u, c in result.units.items()},
        {p: astuple(c) for p, c in result.people.items()},
        [x.facts.code for x in result.late],
    )


# --- the rules, on hand-written histories -----------------------------------------------------

# Week 49 as the weekly post sees it: Friday 27/11 16:00 to Friday 4/12 16:00.
W49 = Period(at(27, 11, 16), at(4, 12, 16))


async def history(template: Path, folder: Path, review: bool = True) -> Office:
    office = Office.open(template, folder, "office", review)
    # NV-0001, NV-0002, NV-0003 to TCKH, due Wednesday 2/12 17:00.
    for n in range(3):
        await office.do(at(23, 11, 9, n), "assign", arg=f"TCKH Việc số {n + 1} hạn 02/12/2026")
    return office


def category(result: Tally, code: str) -> tuple[Category, int]:
    line = next(x for x in result.lines if x.facts.code == code)
    return line.category, line.days_late


async def test_approved_after_the_end_awaits_review_in_that_period(
    template: Path, folder: Path
) -> None:
    office = await history(template, folder)
    try:
        await office.do(at(1, 12, 10), "report", "NV-0001")  # on time
        await office.do(at(3, 12, 10), "report", "NV-0002")  # a day late
        before = figures(await office.tally(W49))
        # Approved the next week: week 49 is unchanged, both still awaiting review there.
        await office.do(at(7, 12, 10), "approve", "NV-0001")
        await office.do(at(8, 12, 10), "approve", "NV-0002")
        result = await office.tally(W49)
        assert figures(result) == before
        assert category(result, "NV-0001") == (Category.OPEN_IN_TIME, 0)
        assert category(result, "NV-0002") == (Category.OPEN_LATE, 1)  # frozen at the report
        assert result.total.done == 0 and result.total.rate == 0
        # The week of the approvals counts them done, at the time each was reported.
        w50 = await office.tally(Period(W49.end, W49.end + WEEK))
        assert category(w50, "NV-0001") == (Category.DONE_ON_TIME, 0)
        assert category(w50, "NV-0002") == (Category.DONE_LATE, 1)
    finally:
        await office.close()


async def test_reported_in_one_period_and_approved_in_the_next_belongs_to_both(
    template: Path, folder: Path
) -> None:
    office = await history(template, folder)
    try:
        await office.do(at(25, 11, 10), "report", "NV-0001")
        await office.do(at(30, 11, 10), "approve", "NV-0001")
        # Reported before week 49 began, approved during it: open at its start, done in it.
        assert category(await office.tally(W49), "NV-0001") == (Category.DONE_ON_TIME, 0)
        before = await office.tally(Period(W49.start - WEEK, W49.start))
        assert category(before, "NV-0001") == (Category.OPEN_IN_TIME, 0)
        # Week 50 does not see it: finished before it began.
        w50 = await office.tally(Period(W49.end, W49.end + WEEK))
        assert "NV-0001" not in lines(w50)
    finally:
        await office.close()


async def test_a_return_after_the_end_does_not_change_the_period(
    template: Path, folder: Path
) -> None:
    office = await history(template, folder)
    try:
        await office.do(at(24, 11, 10), "ack", "NV-0001")
        await office.do(at(1, 12, 10), "report_staff", "NV-0001")
        before = figures(await office.tally(W49))
        await office.do(at(7, 12, 10), "return", "NV-0001")
        result = await office.tally(W49)
        assert figures(result) == before
        assert category(result, "NV-0001") == (Category.OPEN_IN_TIME, 0)
        # The register says it awaited review, with the report the return later undid.
        [line] = [x for x in result.lines if x.facts.code == "NV-0001"]
        assert line.reported_at == at(1, 12, 10) and line.completed_at is None
        # Who acknowledged and who reported, as at the end, both still counted.
        assert sorted(c.total for c in result.people.values()) == [1, 1]
        # The week of the return: open again and late, counted to its end.
        w50 = await office.tally(Period(W49.end, W49.end + WEEK))
        assert category(w50, "NV-0001") == (Category.OPEN_LATE, 7)
    finally:
        await office.close()


async def test_a_re_report_counts_from_the_report_awaiting_review_at_the_end(
    template: Path, folder: Path
) -> None:
    office = await history(template, folder)
    try:
        # Reported on time, returned before the end, reported again late, approved later.
        await office.do(at(1, 12, 10), "report", "NV-0001")
        await office.do(at(2, 12, 10), "return", "NV-0001")
        await office.do(at(3, 12, 10), "report", "NV-0001")
        # NV-0002: reported on time, returned after the end, reported again late.
        await office.do(at(2, 12, 9), "report", "NV-0002")
        w49 = await office.tally(W49)
        await office.do(at(7, 12, 10), "return", "NV-0002")
        await office.do(at(9, 12, 10), "report", "NV-0002")
        await office.do(at(10, 12, 10), "approve", "NV-0001")
        await office.do(at(10, 12, 11), "approve", "NV-0002")
        again = await office.tally(W49)
        assert figures(again) == figures(w49)
        # NV-0001: the first report was returned; the late one awaits review at the end.
        assert category(again, "NV-0001") == (Category.OPEN_LATE, 1)
        # NV-0002: its first report still awaited review at the end.
        assert category(again, "NV-0002") == (Category.OPEN_IN_TIME, 0)
        # Approved in week 50: done when the approved result was reported.
        w50 = await office.tally(Period(W49.end, W49.end + WEEK))
        assert category(w50, "NV-0001") == (Category.DONE_LATE, 1)
        assert category(w50, "NV-0002") == (Category.DONE_LATE, 5)
        [line] = [x for x in w50.lines if x.facts.code == "NV-0002"]
        assert line.completed_at == line.reported_at == at(9, 12, 10)
    finally:
        await office.close()


async def test_a_reassignment_after_the_end_leaves_the_period_to_the_unit_leading_then(
    template: Path, folder: Path
) -> None:
    office = await history(template, folder)
    try:
        await office.do(at(24, 11, 10), "ack", "NV-0001")
        await office.do(at(3, 12, 10), "report", "NV-0001")
        before = figures(await office.tally(W49))
        await office.do(at(7, 12, 10), "reassign", "NV-0001", "QLDT hạn 15/12/2026")
        result = await office.tally(W49)
        assert figures(result) == before
        [tckh] = [u for u, c in result.units.items() if c.total == 3]
        assert list(result.units) == [tckh] and result.units[tckh].unacknowledged == 2
        assert category(result, "NV-0001") == (Category.OPEN_LATE, 1)
        # From the move on it is QLDT's, to acknowledge afresh.
        w50 = await office.tally(Period(W49.end, W49.end + WEEK))
        qldt = next(x for x in w50.lines if x.facts.code == "NV-0001")
        assert qldt.lead_unit_id != tckh and qldt.unacknowledged and qldt.people == ()
    finally:
        await office.close()


async def test_a_task_moved_after_its_deadline_is_late_for_the_new_unit_only_from_the_move(
    template: Path, folder: Path
) -> None:
    """Issue 10, point 2: the move needs a new deadline; before the move the old unit was late
    (and stays so in the periods that ended then), after it the new unit answers for the new
    deadline only, in force and "original" alike."""
    office = await history(template, folder)
    try:
        await office.do(at(24, 11, 10), "ack", "NV-0001")
        # Thursday 3/12 10:00, a day past the deadline: a bare move is refused, nothing moves.
        office.clock.set(at(3, 12, 10))
        chairman, leaders = Actor(CHAIRMAN, "x"), Where(LEADERS, private=False)
        refused = await office.tasks.reassign(chairman, leaders, "NV-0001", "QLDT")
        assert not refused.changed and "hạn mới" in (refused.reply or "")
        assert (await office.state("NV-0001"))[1] == "TCKH"
        await office.do(at(3, 12, 10), "reassign", "NV-0001", "QLDT hạn 09/12/2026")
        _, unit, due = await office.state("NV-0001")
        assert (unit, due) == ("QLDT", at(9, 12, 17))
        tckh, qldt = await office.unit_ids("TCKH", "QLDT")
        # A period that ended before the move: TCKH's, a day late, as it was.
        early = await office.tally(Period(W49.start, at(3, 12, 9)))
        [line] = [x for x in early.lines if x.facts.code == "NV-0001"]
        assert (line.lead_unit_id, line.due) == (tckh, at(2, 12, 17))
        assert (line.category, line.days_late) == (Category.OPEN_LATE, 1)
        # Week 49 ends after the move: QLDT's, in time against 9/12, to acknowledge.
        w49 = await office.tally(W49)
        [line] = [x for x in w49.lines if x.facts.code == "NV-0001"]
        assert (line.lead_unit_id, line.due, line.unacknowledged) == (qldt, at(9, 12, 17), True)
        assert (line.category, line.days_late) == (Category.OPEN_IN_TIME, 0)
        assert w49.units[qldt].open_late == 0 and w49.units[qldt].total == 1
        # QLDT reports a day after its deadline: a day late, not the six since 2/12.
        await office.do(at(10, 12, 10), "report", "NV-0001")
        await office.do(at(10, 12, 11), "approve", "NV-0001")
        w50 = Period(W49.end, W49.end + WEEK)
        assert category(await office.tally(w50), "NV-0001") == (Category.DONE_LATE, 1)
        async with office.runtime.services.core.uow() as uow:
            facts = await uow.reports.facts([w50])
        calendar = office.runtime.services.core.calendar
        strict = tally(facts, w50, calendar, count_against=ORIGINAL, keep_lines=True)
        [line] = [x for x in strict.lines if x.facts.code == "NV-0001"]
        assert (line.due, line.category, line.days_late) == (at(9, 12, 17), Category.DONE_LATE, 1)
        # And week 49 read again after all this: the same figures.
        assert figures(await office.tally(W49)) == figures(w49)
    finally:
        await office.close()


async def test_without_review_a_report_finishes_the_task_at_once(
    template: Path, folder: Path
) -> None:
    office = await history(template, folder, review=False)
    try:
        await office.do(at(3, 12, 10), "report", "NV-0001")
        result = await office.tally(W49)
        assert category(result, "NV-0001") == (Category.DONE_LATE, 1)
        early = await office.tally(Period(W49.start, at(3, 12, 10)))
        assert category(early, "NV-0001") == (Category.OPEN_LATE, 1)
    finally:
        await office.close()


# --- the property -----------------------------------------------------------------------------

GAPS = [timedelta(minutes=30), timedelta(hours=3), timedelta(hours=20), timedelta(days=2)]


def _choices(states: dict[str, tuple[Status, str, datetime]]) -> list[tuple[str, str]]:
    out = [("", "assign")]
    for code, (status, _, _) in sorted(states.items()):
        if status is Status.ASSIGNED:
            out += [(code, "ack")]
        if status in (Status.ASSIGNED, Status.ACKNOWLEDGED):
            out += [(code, "report"), (code, "report_staff"), (code, "extend")]
        if status is Status.REPORTED:
            out += [(code, "approve"), (code, "return"), (code, "approve")]
        if status in (Status.ASSIGNED, Status.ACKNOWLEDGED, Status.REPORTED):
            out += [(code, "reassign"), (code, "withdraw")]
    return out


async def _scenario(data: st.DataObject, template: Path, folder: Path) -> None:
    review = data.draw(st.booleans(), "review")
    cutoff = START + timedelta(hours=data.draw(st.integers(2, 24 * 20), "hours to T"))
    whole = Office.open(template, folder, "whole", review)
    upto = Office.open(template, folder, "upto", review)
    try:
        moment = START
        states: dict[str, tuple[Status, str, datetime]] = {}
        for n in range(data.draw(st.integers(4, 22), "steps")):
            moment += data.draw(st.sampled_from(GAPS))
            code, action = data.draw(st.sampled_from(_choices(states)))
            arg = ""
            if action == "assign":
                code = f"NV-{len(states) + 1:04d}"
                unit = data.draw(st.sampled_from(sorted(UNITS)))
                due = (moment + timedelta(days=data.draw(st.integers(1, 10)))).astimezone(VN)
                arg = f"{unit} Việc số {n} hạn {due:%d/%m/%Y}"
            elif action == "extend":
                later = max(states[code][2], moment) + timedelta(days=data.draw(st.integers(1, 9)))
                arg = f"{later.astimezone(VN):%d/%m/%Y}"
            elif action == "reassign":
                arg = "QLDT" if states[code][1] == "TCKH" else "TCKH"
                # Past its deadline a move needs a new one (/chuyen refuses it bare); before it,
                # one may be given or not.
                if states[code][2] < moment or data.draw(st.booleans(), "new deadline"):
                    later = moment + timedelta(days=data.draw(st.integers(1, 9)))
                    arg += f" hạn {later.astimezone(VN):%d/%m/%Y}"
            offices = [whole, upto] if moment < cutoff else [whole]
            for office in offices:
                await office.do(moment, action, code, arg)
            states[code] = await whole.state(code)
        starts = (START - timedelta(hours=1), cutoff - WEEK, cutoff - timedelta(hours=5))
        periods = [Period(start, cutoff) for start in starts if start < cutoff]
        # Periods ending before T too, read together with those ending at T.
        earlier = [Period(p.start - WEEK, p.start) for p in periods]
        for period in periods + earlier:
            expected = figures(await upto.tally(period))
            # The copy's stamps are its state at T: read without the history, the same.
            if period.end == cutoff:
                assert figures(await upto.tally(period, history=False)) == expected
            assert figures(await whole.tally(period)) == expected, period
            together = await whole.tally(period, read_with=periods + earlier)
            assert figures(together) == expected, period
    finally:
        await whole.close()
        await upto.close()


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_the_tally_as_of_t_equals_the_tally_of_the_history_up_to_t(
    template: Path, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as name:
        asyncio.run(_scenario(data, template, Path(name)))
