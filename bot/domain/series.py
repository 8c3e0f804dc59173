"""A recurring task (nhiệm vụ định kỳ): the standing order from which each period's task is made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class SeriesState(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"  # no new periods; the tasks already made keep their own course


@dataclass(frozen=True, slots=True)
class Series:
    id: int
    code: str
    content: str
    lead_unit_id: int
    cooperating_unit_ids: tuple[int, ...]
    assigner_id: int  # who assigned it, and so who created the series
    rule: str  # Recurrence.spec(): "M:20", "W:5", "Q:3:15", "Y:12:15@16:00"
    rule_text: str  # as written: "hạn ngày 20 hàng tháng"
    next_period: str  # the period whose task is made next ("2027-01")
    next_start: datetime  # that period's opening (Period.opens): its task is made from then on
    state: SeriesState
    created_at: datetime
    origin_chat_id: int | None = None
    source: str | None = None
    ended_at: datetime | None = None
    ended_by: int | None = None
    end_reason: str | None = None

    @property
    def active(self) -> bool:
        return self.state is SeriesState.ACTIVE
