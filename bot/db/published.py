"""The figures each weekly post published, kept as published (see PublishedTallyRow)."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.tables import PublishedTallyRow
from bot.domain.tally import Counts, Period


@dataclass(frozen=True, slots=True)
class Published:
    key: str
    period: Period
    count_against: str
    units: dict[int, Counts]
    total: Counts
    published_at: datetime


def _published(row: PublishedTallyRow) -> Published:
    figures = row.figures
    return Published(
        row.key,
        Period(row.period_start, row.period_end),
        row.count_against,
        {int(unit): Counts(*values) for unit, values in figures["units"].items()},
        Counts(*figures["total"]),
        row.published_at,
    )


class PublishedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, key: str) -> Published | None:
        row = await self._s.scalar(select(PublishedTallyRow).where(PublishedTallyRow.key == key))
        return None if row is None else _published(row)

    async def of_period(self, period: Period) -> Published | None:
        """What was published for exactly this period, if anything (the first, if twice)."""
        row = await self._s.scalar(
            select(PublishedTallyRow)
            .where(
                PublishedTallyRow.period_end == period.end,
                PublishedTallyRow.period_start == period.start,
            )
            .order_by(PublishedTallyRow.id)
            .limit(1)
        )
        return None if row is None else _published(row)

    async def add(
        self,
        key: str,
        period: Period,
        count_against: str,
        units: dict[int, Counts],
        total: Counts,
        now: datetime,
    ) -> bool:
        """Keep the figures of `key` unless some were kept already: the first publication stands."""
        if await self.get(key) is not None:
            return False
        figures = {
            "total": list(astuple(total)),
            "units": {str(u): list(astuple(c)) for u, c in sorted(units.items())},
        }
        self._s.add(
            PublishedTallyRow(
                key=key,
                period_start=period.start,
                period_end=period.end,
                count_against=count_against,
                figures=figures,
                published_at=now,
            )
        )
        await self._s.flush()
        return True
