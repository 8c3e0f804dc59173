"""The chain of responsibility's rules (bot/domain/chain.py) on hand-written histories: from which
step each step is timed, and when it is late. Office hours 08:00–17:00, lunch 11:30–13:30;
Tuesday 24/11/2026 is a day off."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.calendar import WorkCalendar
from bot.calendar.workdays import VN_TZ
from bot.domain.chain import Awaited, Late, build_chain
from bot.domain.model import EventKind, Status, Task, TaskEvent

CAL = WorkCalendar()
HOURS = 4.0


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN_TZ)


def event(kind: EventKind, moment: datetime, **after: object) -> TaskEvent:
    return TaskEvent(0, 1, kind, 7, moment, {}, dict(after))


def task(status: Status, due: datetime | None) -> Task:
    return Task(1, "NV-0001", "x", 1, (), 7, status, at(23, 9), due, due)


DUE = at(25, 17).isoformat()


def test_an_acknowledgement_is_late_only_past_the_policys_office_hours() -> None:
    on_the_hour = build_chain(
        [event(EventKind.ASSIGNED, at(23, 9), due=DUE), event(EventKind.ACKNOWLEDGED, at(23, 15))],
        CAL,
        HOURS,
    )
    ack = on_the_hour.steps[1]
    assert (ack.took, ack.late) == (timedelta(hours=4), None)  # exactly 4 h: not late
    past = build_chain(
        [event(EventKind.ASSIGNED, at(23, 9), due=DUE), event(EventKind.ACKNOWLEDGED, at(23, 16))],
        CAL,
        HOURS,
    )
    assert (past.steps[1].took, past.steps[1].late) == (timedelta(hours=5), Late.SLOW)


def test_a_report_is_late_against_the_deadline_in_force_then() -> None:
    later = at(27, 17).isoformat()
    chain = build_chain(
        [
            event(EventKind.ASSIGNED, at(23, 9), due=DUE),
            event(EventKind.ACKNOWLEDGED, at(23, 10)),
            event(EventKind.REPORTED, at(25, 17, 0), status="reported"),  # the deadline's minute
            event(EventKind.RETURNED, at(26, 9)),
            event(EventKind.REPORTED, at(26, 10), status="reported"),  # a day late
            event(EventKind.RETURNED, at(26, 11)),
            event(EventKind.EXTENSION_REQUESTED, at(26, 11, 5), due=later, request_id=3),
            event(EventKind.EXTENSION_APPROVED, at(26, 15), due=later, request_id=3),
            event(EventKind.REPORTED, at(27, 9), status="done"),  # within the extension
        ],
        CAL,
        HOURS,
    )
    first, _, second, returned, _, granted, third = chain.steps[2:]
    assert (first.late, first.days_late) == (None, 0)
    assert (second.late, second.days_late) == (Late.OVERDUE, 1)
    assert second.took == timedelta(hours=1)  # from the return it answers, not the assignment
    assert returned.took == timedelta(hours=1) and returned.late is None
    # The extension waited 25 minutes before lunch and 1 h 30 after it.
    assert (granted.took, granted.late) == (timedelta(hours=1, minutes=55), None)
    assert (third.late, third.finished) == (None, True)


def test_a_move_with_a_new_deadline_starts_the_new_unit_afresh() -> None:
    chain = build_chain(
        [
            event(EventKind.ASSIGNED, at(23, 9), due=DUE),
            event(EventKind.ACKNOWLEDGED, at(23, 10)),
            event(EventKind.REASSIGNED, at(26, 9), lead_unit_id=2, due=at(30, 17).isoformat()),
            event(EventKind.ACKNOWLEDGED, at(26, 10)),
            event(EventKind.REPORTED, at(27, 9), status="reported"),
        ],
        CAL,
        HOURS,
    )
    ack, report = chain.steps[3:]
    assert ack.took == timedelta(hours=1) and ack.late is None  # from the move
    assert report.late is None  # against 30/11, not the passed 25/11


def test_what_the_task_waits_on_now() -> None:
    history = [
        event(EventKind.ASSIGNED, at(23, 9), due=DUE),
        event(EventKind.ACKNOWLEDGED, at(23, 10)),
        event(EventKind.REPORTED, at(25, 9), status="reported"),
        event(EventKind.EXTENSION_REQUESTED, at(25, 10), due=at(27, 17).isoformat(), request_id=4),
    ]
    chain = build_chain(history, CAL, HOURS, task(Status.REPORTED, at(25, 17)), at(25, 15))
    review, extension = chain.waits
    assert (review.awaited, review.took, review.late) == (Awaited.REVIEW, timedelta(hours=4), None)
    assert (extension.awaited, extension.took) == (Awaited.EXTENSION, timedelta(hours=3))
    # Open and unreported past the deadline: the wait for the result says how late.
    chain = build_chain(history[:2], CAL, HOURS, task(Status.ACKNOWLEDGED, at(25, 17)), at(27, 9))
    [report] = chain.waits
    assert (report.awaited, report.late, report.days_late) == (Awaited.REPORT, Late.OVERDUE, 2)
    # Finished: nothing waits.
    done = build_chain(history, CAL, HOURS, task(Status.DONE, at(25, 17)), at(27, 9))
    assert done.waits == ()


def test_a_long_chain_keeps_the_card_within_telegrams_limit() -> None:
    """A long content and result, and a task returned twenty times: the card keeps the
    assignment and the latest steps, says how many are left to /nv, and stays under 4,096."""
    from bot.domain.model import Person, Role, Unit
    from bot.text import render

    history = [event(EventKind.ASSIGNED, at(23, 9), due=DUE)]
    moment = at(23, 10)
    for _ in range(20):
        history.append(event(EventKind.REPORTED, moment, status="reported"))
        history.append(event(EventKind.RETURNED, moment + timedelta(minutes=30)))
        moment += timedelta(hours=1)
    base = task(Status.ACKNOWLEDGED, at(25, 17))
    long = Task(
        1,
        "NV-0001",
        "Rà soát " * 312,
        1,
        (),
        7,
        Status.REPORTED,
        at(23, 9),
        at(25, 17),
        at(25, 17),
        result="Kết quả " * 75,
        source="https://t.me/ubnd/" + "1" * 280,
    )
    chairman = Person(7, 100, "Nguyễn Văn An", Role.CHAIRMAN)
    for shown in (base, long):
        view = render.TaskView(
            task=shown,
            lead=Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch"),
            cooperating=(),
            assigner=chairman,
            chain=build_chain(history, CAL, HOURS),
            people={7: chairman},
        )
        text = render.card(view, "vi", VN_TZ)
        assert len(text) <= render.MESSAGE_BUDGET
        lines = text.splitlines()
        title = lines.index("<b>Trách nhiệm từng bước:</b>")
        chain = lines[title + 1 :]
        if shown is long:
            chain = chain[: chain.index(next(x for x in chain if x.startswith("<b>Kết quả")))]
        assert chain[0] == "• Giao: Nguyễn Văn An, 09:00 23/11/2026"
        assert chain[-1].startswith("• Trả lại: Nguyễn Văn An, 05:30 24/11/2026")
        if shown is base:
            assert len(chain) == 41  # all of it fits
        else:
            skipped = int(chain[1].split()[1])
            assert chain[1] == f"… {skipped} bước khác: /nv NV-0001"
            assert skipped > 0 and skipped + len(chain) - 2 == 40
