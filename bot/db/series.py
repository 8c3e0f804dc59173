"""Repository for recurring series (the tasks they make live in the tasks table)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.tables import SeriesRow
from bot.domain.series import Series, SeriesState


def _series(row: SeriesRow) -> Series:
    return Series(
        id=row.id,
        code=row.code,
        content=row.content,
        lead_unit_id=row.lead_unit_id,
        cooperating_unit_ids=tuple(row.cooperating or ()),
        assigner_id=row.assigner_id,
        rule=row.rule,
        rule_text=row.rule_text,
        next_period=row.next_period,
        next_start=row.next_start,
        state=SeriesState(row.state),
        created_at=row.created_at,
        origin_chat_id=row.origin_chat_id,
        source=row.source,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
        end_reason=row.end_reason,
    )


class SeriesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, series: Series) -> Series:
        row = SeriesRow(
            code=series.code,
            content=series.content,
            lead_unit_id=series.lead_unit_id,
            cooperating=list(series.cooperating_unit_ids),
            assigner_id=series.assigner_id,
            rule=series.rule,
            rule_text=series.rule_text,
            next_period=series.next_period,
            next_start=series.next_start,
            state=series.state.value,
            origin_chat_id=series.origin_chat_id,
            source=series.source,
            created_at=series.created_at,
        )
        self._s.add(row)
        await self._s.flush()
        return _series(row)

    async def get(self, series_id: int) -> Series | None:
        row = await self._s.get(SeriesRow, series_id)
        return _series(row) if row else None

    async def by_code(self, code: str, lock: bool = False) -> Series | None:
        query = select(SeriesRow).where(SeriesRow.code == code)
        if lock:
            query = query.with_for_update()
        row = await self._s.scalar(query.execution_options(populate_existing=True))
        return _series(row) if row else None

    async def all(self) -> list[Series]:
        rows = await self._s.scalars(select(SeriesRow).order_by(SeriesRow.id))
        return [_series(r) for r in rows]

    async def due(self, now: datetime, limit: int = 500) -> list[Series]:
        """Active series whose next period has begun, locked for the scan's transaction."""
        query = (
            select(SeriesRow)
            .where(SeriesRow.state == SeriesState.ACTIVE.value, SeriesRow.next_start <= now)
            .order_by(SeriesRow.next_start, SeriesRow.id)
            .limit(limit)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return [_series(r) for r in await self._s.scalars(query)]

    async def save(self, series: Series) -> None:
        row = await self._s.get(SeriesRow, series.id)
        if row is None:
            raise LookupError(series.code)
        row.next_period = series.next_period
        row.next_start = series.next_start
        row.state = series.state.value
        row.ended_at = series.ended_at
        row.ended_by = series.ended_by
        row.end_reason = series.end_reason
        await self._s.flush()
