"""Drafts of task lists and the source documents confirmed drafts record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.repositories import TaskRepository, _attachment, _attachment_data
from bot.db.tables import DocumentRow, DraftRow, TaskRow
from bot.domain.model import Attachment, SourceDocument, Task
from bot.intake.drafting import (
    Draft,
    DraftItem,
    DraftState,
    header_from_json,
    header_to_json,
    item_from_json,
    item_to_json,
)
from bot.intake.reading import DocumentHeader


def _draft(row: DraftRow) -> Draft:
    return Draft(
        id=row.id,
        author_id=row.author_id,
        chat_id=row.chat_id,
        message_id=row.message_id,
        header=header_from_json(row.header or {}),
        items=tuple(item_from_json(i) for i in row.items or ()),
        created_at=row.created_at,
        expires_at=row.expires_at,
        state=DraftState(row.state),
        attachment=_attachment(row.attachment),
        source=row.source,
        document_id=row.document_id,
    )


def _document(row: DocumentRow) -> SourceDocument:
    attachment = Attachment(file_id=row.file_id, file_name=row.file_name) if row.file_id else None
    return SourceDocument(
        id=row.id,
        number=row.number,
        issued=row.issued,
        title=row.title,
        created_by=row.created_by,
        created_at=row.created_at,
        attachment=attachment,
    )


class DraftRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self,
        author_id: int,
        chat_id: int,
        header: DocumentHeader,
        items: Iterable[DraftItem],
        created_at: datetime,
        expires_at: datetime,
        attachment: Attachment | None,
        source: str | None,
    ) -> Draft:
        row = DraftRow(
            author_id=author_id,
            chat_id=chat_id,
            header=header_to_json(header),
            items=[item_to_json(i) for i in items],
            attachment=_attachment_data(attachment),
            source=source,
            created_at=created_at,
            expires_at=expires_at,
            state=DraftState.OPEN.value,
        )
        self._s.add(row)
        await self._s.flush()
        return _draft(row)

    async def get(self, draft_id: int, lock: bool = False) -> Draft | None:
        query = (
            select(DraftRow)
            .where(DraftRow.id == draft_id)
            .execution_options(populate_existing=True)
        )
        if lock:
            query = query.with_for_update()
        row = await self._s.scalar(query)
        return _draft(row) if row else None

    async def by_message(self, chat_id: int, message_id: int) -> int | None:
        return await self._s.scalar(
            select(DraftRow.id).where(
                DraftRow.chat_id == chat_id, DraftRow.message_id == message_id
            )
        )

    async def set_message(self, draft_id: int, message_id: int) -> None:
        await self._s.execute(
            update(DraftRow).where(DraftRow.id == draft_id).values(message_id=message_id)
        )

    async def save_items(self, draft_id: int, items: Iterable[DraftItem]) -> None:
        await self._s.execute(
            update(DraftRow)
            .where(DraftRow.id == draft_id)
            .values(items=[item_to_json(i) for i in items])
        )

    async def expired_open(self, now: datetime, limit: int = 50) -> list[Draft]:
        """Open drafts past their expiry, oldest first."""
        rows = await self._s.scalars(
            select(DraftRow)
            .where(DraftRow.state == DraftState.OPEN.value, DraftRow.expires_at <= now)
            .order_by(DraftRow.expires_at, DraftRow.id)
            .limit(limit)
        )
        return [_draft(r) for r in rows]

    async def expire(self, draft_id: int, at: datetime) -> bool:
        """Close an open draft as expired; False when it was closed meanwhile."""
        result = await self._s.execute(
            update(DraftRow)
            .where(DraftRow.id == draft_id, DraftRow.state == DraftState.OPEN.value)
            .values(state=DraftState.EXPIRED.value, decided_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def close(
        self,
        draft_id: int,
        state: DraftState,
        by: int | None,
        at: datetime,
        document_id: int | None = None,
    ) -> None:
        await self._s.execute(
            update(DraftRow)
            .where(DraftRow.id == draft_id)
            .values(state=state.value, decided_by=by, decided_at=at, document_id=document_id)
        )


class DocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self,
        header: DocumentHeader,
        attachment: Attachment | None,
        created_by: int,
        created_at: datetime,
    ) -> SourceDocument:
        row = DocumentRow(
            number=header.number,
            issued=header.issued,
            title=header.title,
            file_id=attachment.file_id if attachment else None,
            file_name=attachment.file_name if attachment else None,
            created_by=created_by,
            created_at=created_at,
        )
        self._s.add(row)
        await self._s.flush()
        return _document(row)

    async def get(self, document_id: int) -> SourceDocument | None:
        row = await self._s.get(DocumentRow, document_id)
        return _document(row) if row else None

    async def recent(self, limit: int = 50) -> list[SourceDocument]:
        rows = await self._s.scalars(
            select(DocumentRow)
            .order_by(DocumentRow.created_at.desc(), DocumentRow.id.desc())
            .limit(limit)
        )
        return [_document(r) for r in rows]

    async def by_number(self, number: str) -> list[SourceDocument]:
        """Documents whose number is `number` ("45/TB-UBND", any case) or starts with it and a
        slash ("45" finds "45/TB-UBND"); newest first."""
        wanted = number.strip().upper()
        rows = (
            await self._s.scalars(
                select(DocumentRow)
                .where(DocumentRow.number.is_not(None))
                .order_by(DocumentRow.created_at.desc(), DocumentRow.id.desc())
            )
        ).all()
        found = [r for r in rows if (r.number or "").upper() == wanted]
        if not found:
            found = [r for r in rows if (r.number or "").upper().startswith(wanted + "/")]
        return [_document(r) for r in found]

    async def tasks(self, document_ids: Iterable[int]) -> dict[int, list[Task]]:
        ids = set(document_ids)
        if not ids:
            return {}
        tasks = TaskRepository(self._s)
        query = tasks._select().where(TaskRow.document_id.in_(ids)).order_by(TaskRow.id)
        out: dict[int, list[Task]] = {i: [] for i in ids}
        for task in await tasks._load(query):
            assert task.document_id is not None
            out[task.document_id].append(task)
        return out
