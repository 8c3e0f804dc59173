"""What waits on a leader, on whom, and when it is reminded (pure rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.calendar import WorkCalendar
from bot.domain.model import ExtensionRequest, ExtensionStatus, Person, Role, Status, Task
from bot.domain.nudging import NudgeKind, anchor_of, decision_waits, next_decision_nudge
from bot.domain.policy import Policy
from bot.domain.rules import waiting_on

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar()
TCKH = 10
CHAIRMAN = Person(1, 900001, "Chủ tịch", Role.CHAIRMAN)
VICE = Person(2, 900002, "PCT", Role.VICE_CHAIRMAN, supervises=frozenset({TCKH}))
OFFICE = Person(3, 900003, "Văn phòng", Role.OFFICE)
REPORTED = datetime(2026, 11, 25, 9, 0, tzinfo=VN)  # a Wednesday
TASK = Task(
    1, "NV-0001", "Việc", TCKH, (), OFFICE.id, Status.REPORTED,
    datetime(2026, 11, 23, 9, 0, tzinfo=VN), None, None, reported_at=REPORTED,
)  # fmt: skip


def test_a_reported_result_and_a_pending_request_each_wait() -> None:
    request = ExtensionRequest(7, 1, 5, REPORTED, REPORTED, "lý do", ExtensionStatus.PENDING)
    [review, extension] = decision_waits(TASK, request)
    assert review.kind is NudgeKind.REVIEW and review.since == REPORTED
    assert extension.kind is NudgeKind.EXTENSION and extension.anchor == "x7"
    assert decision_waits(replace(TASK, status=Status.DONE), request) == []
    assert decision_waits(replace(TASK, status=Status.ACKNOWLEDGED), None) == []


def test_four_office_hours_then_each_working_morning() -> None:
    [wait] = decision_waits(TASK, None)
    first = next_decision_nudge(wait, REPORTED, Policy(), CAL)
    assert first.at == datetime(2026, 11, 25, 15, 0, tzinfo=VN)  # lunch skipped
    second = next_decision_nudge(wait, first.at, Policy(), CAL)
    assert second.at == datetime(2026, 11, 26, 8, 0, tzinfo=VN)
    friday = next_decision_nudge(wait, second.at, Policy(), CAL)
    monday = next_decision_nudge(wait, friday.at, Policy(), CAL)
    assert monday.at == datetime(2026, 11, 30, 8, 0, tzinfo=VN)  # the weekend skipped
    assert anchor_of(monday.slot) == wait.anchor and monday.slot.endswith("2026-11-30")
    # A new report (after a return) is a new wait, counted afresh.
    again = replace(TASK, reported_at=datetime(2026, 12, 1, 9, 0, tzinfo=VN))
    assert decision_waits(again, None)[0].anchor != wait.anchor


def test_the_decision_waits_on_the_assigner_else_the_supervisor_else_the_chairman() -> None:
    leaders = [CHAIRMAN, VICE]
    assert waiting_on(TASK, OFFICE, leaders) == (OFFICE,)
    gone = replace(OFFICE, active=False)
    assert waiting_on(TASK, gone, leaders) == (VICE,)
    assert waiting_on(replace(TASK, lead_unit_id=99), gone, leaders) == (CHAIRMAN,)
