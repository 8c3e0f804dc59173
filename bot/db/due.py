"""What the due-scan's rarer steps have to do: one query, so that a scan with nothing but nudges
due does not open a transaction per step to find nothing (issue 13: a scan's work is what is
due, not a fixed toll per family)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.tables import DraftRow, HandledRow, ProgrammeItemRow, SeriesRow
from bot.domain.series import SeriesState
from bot.intake.drafting import DraftState


@dataclass(frozen=True, slots=True)
class Pending:
    """Whether each step has something due at the moment asked about."""

    series: bool
    programme: bool
    drafts: bool


class DueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def pending(self, now: datetime) -> Pending:
        """Each an EXISTS on the index its step reads by ((state, next_start), (state,
        active_from)); drafts are few, open ones fewer."""
        series = exists().where(
            SeriesRow.state == SeriesState.ACTIVE.value, SeriesRow.next_start <= now
        )
        planned = exists().where(
            ProgrammeItemRow.state == "planned", ProgrammeItemRow.active_from <= now
        )
        drafts = exists().where(DraftRow.state == DraftState.OPEN.value, DraftRow.expires_at <= now)
        row = (await self._s.execute(select(series, planned, drafts))).one()
        return Pending(bool(row[0]), bool(row[1]), bool(row[2]))

    async def prune_handled(self, before: datetime) -> int:
        """Forget the updates handled before `before` (bot.db.once): Telegram gives up
        resending an update within a day, so an older key guards nothing; kept, one row per
        change made through the webhook would pile up for ever."""
        result = await self._s.execute(delete(HandledRow).where(HandledRow.at < before))
        return int(getattr(result, "rowcount", 0) or 0)
