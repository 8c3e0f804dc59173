"""The annual programme's imports and planned tasks. Flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.tables import ProgrammeImportRow, ProgrammeItemRow

# The table itself, for Core's executemany (see add_items).
ITEMS = cast(Table, ProgrammeItemRow.__table__)


@dataclass(frozen=True, slots=True)
class ProgrammeImport:
    id: int
    sha256: str
    year: int | None
    file_name: str
    state: str  # draft | imported | cancelled
    created_by: int | None
    assigner_id: int | None
    created_at: datetime
    decided_at: datetime | None
    chat_id: int | None
    content: bytes | None
    tasks: int


@dataclass(frozen=True, slots=True)
class NewItem:
    """A row of the programme as read, to be stored."""

    row_no: int
    seq: int
    number: str | None
    content: str
    lead_unit_id: int
    cooperating: tuple[int, ...]
    coop_text: str | None
    leader: str | None
    note: str | None
    active_from: datetime
    due: datetime | None


@dataclass(frozen=True, slots=True)
class PlannedItem(NewItem):
    """A stored row: which import it came from, and whether it became a task yet."""

    id: int
    import_id: int
    state: str
    task_id: int | None


def _import(row: ProgrammeImportRow) -> ProgrammeImport:
    return ProgrammeImport(
        row.id,
        row.sha256,
        row.year,
        row.file_name,
        row.state,
        row.created_by,
        row.assigner_id,
        row.created_at,
        row.decided_at,
        row.chat_id,
        row.content,
        row.tasks,
    )


def _item(row: ProgrammeItemRow) -> PlannedItem:
    return PlannedItem(
        id=row.id,
        import_id=row.import_id,
        row_no=row.row_no,
        seq=row.seq,
        number=row.number,
        content=row.content,
        lead_unit_id=row.lead_unit_id,
        cooperating=tuple(row.cooperating or ()),
        coop_text=row.coop_text,
        leader=row.leader,
        note=row.note,
        active_from=row.active_from,
        due=row.due,
        state=row.state,
        task_id=row.task_id,
    )


class ProgrammeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session
        self._skip_locked = session.bind is not None and session.bind.dialect.name == "postgresql"

    async def imported(self, sha256: str) -> ProgrammeImport | None:
        row = await self._s.scalar(
            select(ProgrammeImportRow).where(ProgrammeImportRow.imported_hash == sha256)
        )
        return _import(row) if row else None

    async def add_import(
        self,
        sha256: str,
        file_name: str,
        year: int | None,
        now: datetime,
        created_by: int | None,
        chat_id: int | None = None,
        content: bytes | None = None,
    ) -> int:
        row = ProgrammeImportRow(
            sha256=sha256,
            year=year,
            file_name=file_name[:255],
            state="draft",
            created_by=created_by,
            created_at=now,
            chat_id=chat_id,
            content=content,
            tasks=0,
        )
        self._s.add(row)
        await self._s.flush()
        return row.id

    async def get(self, import_id: int, lock: bool = False) -> ProgrammeImport | None:
        query = select(ProgrammeImportRow).where(ProgrammeImportRow.id == import_id)
        if lock:
            query = query.with_for_update()
        row = await self._s.scalar(query)
        return _import(row) if row else None

    async def decide(self, import_id: int, state: str, now: datetime, **values: Any) -> None:
        values.setdefault("content", None)
        await self._s.execute(
            update(ProgrammeImportRow)
            .where(ProgrammeImportRow.id == import_id)
            .values(state=state, decided_at=now, **values)
        )

    async def add_items(self, import_id: int, items: Sequence[NewItem]) -> None:
        """Every planned task of an import in one executemany. On the table, not the mapped
        class: the ORM splits a bulk insert wherever the None columns change (a row with a
        leader, the next without), and 600 rows became 230 statements."""
        if not items:
            return
        await self._s.execute(
            insert(ITEMS),
            [
                {
                    "import_id": import_id,
                    "row_no": i.row_no,
                    "seq": i.seq,
                    "number": i.number,
                    "content": i.content,
                    "lead_unit_id": i.lead_unit_id,
                    "cooperating": list(i.cooperating),
                    "coop_text": i.coop_text,
                    "leader": i.leader,
                    "note": i.note,
                    "active_from": i.active_from,
                    "due": i.due,
                    "state": "planned",
                    "task_id": None,
                }
                for i in items
            ],
        )

    async def due(self, now: datetime, limit: int) -> list[PlannedItem]:
        """Planned tasks whose moment has come, locked for this transaction (skipped by another
        instance's scan on PostgreSQL; SQLite's write lock serialises the scans)."""
        query = (
            select(ProgrammeItemRow)
            .where(ProgrammeItemRow.state == "planned", ProgrammeItemRow.active_from <= now)
            .order_by(ProgrammeItemRow.active_from, ProgrammeItemRow.id)
            .limit(limit)
        )
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        return [_item(r) for r in await self._s.scalars(query)]

    async def activated(self, item_id: int, task_id: int) -> bool:
        """Mark a planned task active; False when another scan got there first."""
        result = await self._s.execute(
            update(ProgrammeItemRow)
            .where(ProgrammeItemRow.id == item_id, ProgrammeItemRow.state == "planned")
            .values(state="active", task_id=task_id)
        )
        return bool(getattr(result, "rowcount", 0))

    async def planned(self) -> list[PlannedItem]:
        rows = await self._s.scalars(
            select(ProgrammeItemRow)
            .where(ProgrammeItemRow.state == "planned")
            .order_by(ProgrammeItemRow.active_from, ProgrammeItemRow.row_no, ProgrammeItemRow.seq)
        )
        return [_item(r) for r in rows]

    async def counts(self) -> dict[str, int]:
        rows = await self._s.execute(
            select(ProgrammeItemRow.state, func.count()).group_by(ProgrammeItemRow.state)
        )
        return {state: int(n) for state, n in rows}

    async def next_activation(self) -> datetime | None:
        return await self._s.scalar(
            select(func.min(ProgrammeItemRow.active_from)).where(
                ProgrammeItemRow.state == "planned"
            )
        )
