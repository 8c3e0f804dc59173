"""Repositories load and store domain objects; they flush, never commit: the unit of work does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any
from typing import cast as cast_type

from sqlalchemy import (
    JSON,
    Integer,
    Select,
    String,
    Table,
    cast,
    delete,
    exists,
    func,
    insert,
    null,
    select,
    true,
    type_coerce,
    union,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import bindparam

from bot.db import direct
from bot.db.engine import SCHEMA_LOCK
from bot.db.hints import (
    NO_PENDING_EXTENSION,
    NO_REMINDERS,
    ROSTER_STAMP_SEEN,
    forget,
    known_none,
    learn_none,
)
from bot.db.reminders import reminders_exist
from bot.db.tables import (
    Base,
    CounterRow,
    ExtensionRow,
    HandledRow,
    InviteRow,
    PersonRow,
    PromptRow,
    SettingRow,
    SupervisionRow,
    TaskEventRow,
    TaskMessageRow,
    TaskRow,
    TaskUnitRow,
    UnitRow,
)
from bot.domain.model import (
    Attachment,
    EventKind,
    ExtensionRequest,
    ExtensionStatus,
    Person,
    Role,
    Status,
    Task,
    TaskEvent,
    Unit,
)
from bot.domain.roster import Roster, RosterUnit

LEADERSHIP_CHAT_KEY = "leadership_chat"  # the settings key (bot.services.common.LEADERSHIP_CHAT)


OPEN_STATUSES = (Status.ASSIGNED.value, Status.ACKNOWLEDGED.value, Status.REPORTED.value)
ROSTER_CHANGED = "roster_changed"  # a session.info flag: the unit of work bumps the stamp


def _roster_changed(session: AsyncSession) -> None:
    session.info[ROSTER_CHANGED] = True


def _insert_for(session: AsyncSession) -> Any:
    """The dialect's INSERT (for ON CONFLICT). PostgreSQL's is imported only where it is used:
    its dialect costs a SQLite deployment's start a tenth of a second."""
    return insert_of(session.get_bind().dialect.name)


def insert_of(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    return sqlite_insert


# The statements of every update (/giao, a button, /xong) are built once, on the tables (Core:
# the ORM's bulk-insert machinery is not needed for rows no object stands for), their values
# given when executed; SQLAlchemy then finds their compiled form without rebuilding them.
def table(row: type[Base]) -> Table:
    return cast_type(Table, row.__table__)


_ADD_TASK = insert(table(TaskRow)).returning(table(TaskRow).c.id)
_SAVE_TASK = update(table(TaskRow)).where(table(TaskRow).c.id == bindparam("task_key"))
_ADD_EVENT = insert(table(TaskEventRow))
_ADD_PROMPT = insert(table(PromptRow))
_MESSAGE = TaskMessageRow.__table__.c
_MESSAGES = (
    select(_MESSAGE.chat_id, _MESSAGE.message_id, _MESSAGE.kind)
    .where(_MESSAGE.task_id == bindparam("task_id"))
    .order_by(_MESSAGE.id)
)
_MESSAGES_OF_KIND = (
    select(_MESSAGE.chat_id, _MESSAGE.message_id, _MESSAGE.kind)
    .where(_MESSAGE.task_id == bindparam("task_id"), _MESSAGE.kind == bindparam("kind"))
    .order_by(_MESSAGE.id)
)


@cache
def _next_number(dialect: str) -> Any:
    # One statement that also creates the counter without racing: two first-ever transactions
    # on PostgreSQL would otherwise both insert it, and one would fail on the primary key. ON
    # CONFLICT waits for the other and then increments.
    c = CounterRow.__table__.c
    upsert = insert_of(dialect)(CounterRow.__table__)
    return upsert.on_conflict_do_update(
        index_elements=[c.name], set_={"value": c.value + 1}
    ).returning(c.value)


@cache
def _add_message(dialect: str) -> Any:
    return insert_of(dialect)(TaskMessageRow.__table__).on_conflict_do_nothing(
        index_elements=[_MESSAGE.chat_id, _MESSAGE.message_id]
    )


@cache
def _claim(dialect: str) -> Any:
    c = HandledRow.__table__.c
    claim = insert_of(dialect)(HandledRow.__table__).on_conflict_do_nothing(index_elements=[c.key])
    return claim.returning(c.key)


def _unit(row: UnitRow) -> Unit:
    return Unit(
        id=row.id,
        code=row.code,
        name=row.name,
        aliases=tuple(row.aliases or ()),
        chat_id=row.chat_id,
    )


def _attachment(data: dict[str, Any] | None) -> Attachment | None:
    if not data:
        return None
    return Attachment(file_id=data["file_id"], file_name=data.get("file_name"), kind=data["kind"])


def _attachment_data(att: Attachment | None) -> dict[str, Any] | None:
    if att is None:
        return None
    return {"file_id": att.file_id, "file_name": att.file_name, "kind": att.kind}


class UnitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def all(self, include_inactive: bool = False) -> list[Unit]:
        query = select(UnitRow).order_by(UnitRow.code)
        if not include_inactive:
            query = query.where(UnitRow.active.is_(True))
        return [_unit(r) for r in (await self._s.scalars(query)).all()]

    async def get(self, unit_id: int) -> Unit | None:
        row = await self._s.get(UnitRow, unit_id)
        return _unit(row) if row else None

    async def by_ids(self, ids: Iterable[int]) -> dict[int, Unit]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = await self._s.scalars(select(UnitRow).where(UnitRow.id.in_(wanted)))
        return {r.id: _unit(r) for r in rows}

    async def by_code(self, code: str) -> Unit | None:
        row = await self._s.scalar(select(UnitRow).where(func.upper(UnitRow.code) == code.upper()))
        return _unit(row) if row else None

    async def by_chat(self, chat_id: int) -> Unit | None:
        row = await self._s.scalar(select(UnitRow).where(UnitRow.chat_id == chat_id))
        return _unit(row) if row else None

    async def upsert(
        self, code: str, name: str, aliases: Sequence[str], chat_id: int | None
    ) -> tuple[Unit, bool]:
        """Returns the unit and whether anything changed."""
        row = await self._s.scalar(select(UnitRow).where(func.upper(UnitRow.code) == code.upper()))
        if row is None:
            row = UnitRow(code=code, name=name, aliases=list(aliases), chat_id=chat_id, active=True)
            self._s.add(row)
            await self._s.flush()
            _roster_changed(self._s)
            return _unit(row), True
        changed = (row.name, list(row.aliases or []), row.chat_id, row.active) != (
            name,
            list(aliases),
            chat_id,
            True,
        )
        if changed:
            row.name, row.aliases, row.chat_id, row.active = name, list(aliases), chat_id, True
            await self._s.flush()
            _roster_changed(self._s)
        return _unit(row), changed

    async def set_chat(self, unit_id: int, chat_id: int) -> None:
        # A chat belongs to one unit: binding it here unbinds it elsewhere.
        _roster_changed(self._s)
        await self._s.execute(
            update(UnitRow).where(UnitRow.chat_id == chat_id).values(chat_id=None)
        )
        await self._s.execute(update(UnitRow).where(UnitRow.id == unit_id).values(chat_id=chat_id))

    async def move_chat(self, old: int, new: int) -> None:
        _roster_changed(self._s)
        await self._s.execute(update(UnitRow).where(UnitRow.chat_id == old).values(chat_id=new))

    async def clear_chat(self, chat_id: int) -> None:
        _roster_changed(self._s)
        await self._s.execute(
            update(UnitRow).where(UnitRow.chat_id == chat_id).values(chat_id=None)
        )


class PersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _supervision(self, person_ids: Iterable[int]) -> dict[int, frozenset[int]]:
        ids = set(person_ids)
        if not ids:
            return {}
        rows = await self._s.execute(
            select(SupervisionRow.person_id, SupervisionRow.unit_id).where(
                SupervisionRow.person_id.in_(ids)
            )
        )
        out: dict[int, set[int]] = {}
        for pid, uid in rows:
            out.setdefault(pid, set()).add(uid)
        return {k: frozenset(v) for k, v in out.items()}

    async def _many(self, rows: Sequence[PersonRow]) -> list[Person]:
        sup = await self._supervision(r.id for r in rows)
        return [self._person(r, sup.get(r.id, frozenset())) for r in rows]

    @staticmethod
    def _person(row: PersonRow, supervises: frozenset[int]) -> Person:
        return Person(
            id=row.id,
            telegram_id=row.telegram_id,
            name=row.name,
            role=Role(row.role),
            unit_id=row.unit_id,
            supervises=supervises,
            language=row.language,
            can_dm=row.can_dm,
            active=row.active,
            username=row.username,
        )

    async def get(self, person_id: int) -> Person | None:
        row = await self._s.get(PersonRow, person_id)
        return (await self._many([row]))[0] if row else None

    async def by_ids(self, ids: Iterable[int]) -> dict[int, Person]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = (await self._s.scalars(select(PersonRow).where(PersonRow.id.in_(wanted)))).all()
        return {p.id: p for p in await self._many(rows)}

    async def by_telegram_id(self, telegram_id: int, active_only: bool = True) -> Person | None:
        query = select(PersonRow).where(PersonRow.telegram_id == telegram_id)
        if active_only:
            query = query.where(PersonRow.active.is_(True))
        row = await self._s.scalar(query)
        return (await self._many([row]))[0] if row else None

    async def all(self, include_inactive: bool = False) -> list[Person]:
        query = select(PersonRow).order_by(PersonRow.id)
        if not include_inactive:
            query = query.where(PersonRow.active.is_(True))
        return await self._many((await self._s.scalars(query)).all())

    async def of_unit(self, unit_id: int, roles: Iterable[Role]) -> list[Person]:
        query = (
            select(PersonRow)
            .where(
                PersonRow.unit_id == unit_id,
                PersonRow.active.is_(True),
                PersonRow.role.in_([r.value for r in roles]),
            )
            .order_by(PersonRow.id)
        )
        return await self._many((await self._s.scalars(query)).all())

    async def with_roles(self, roles: Iterable[Role]) -> list[Person]:
        query = (
            select(PersonRow)
            .where(PersonRow.active.is_(True), PersonRow.role.in_([r.value for r in roles]))
            .order_by(PersonRow.id)
        )
        return await self._many((await self._s.scalars(query)).all())

    async def upsert(
        self,
        telegram_id: int,
        name: str,
        role: Role,
        unit_id: int | None,
        supervises: Iterable[int] = (),
        username: str | None = None,
        language: str | None = None,
        source: str = "file",
    ) -> tuple[Person, bool]:
        row = await self._s.scalar(select(PersonRow).where(PersonRow.telegram_id == telegram_id))
        wanted_sup = frozenset(supervises)
        changed = False
        if row is None:
            row = PersonRow(
                telegram_id=telegram_id,
                name=name,
                role=role.value,
                unit_id=unit_id,
                active=True,
                can_dm=False,
                username=username,
                language=language,
                source=source,
            )
            self._s.add(row)
            await self._s.flush()
            changed = True
        else:
            new = (name, role.value, unit_id, True)
            if (row.name, row.role, row.unit_id, row.active) != new:
                row.name, row.role, row.unit_id, row.active = new
                changed = True
            if username is not None and row.username != username:
                row.username = username
            if language is not None and row.language != language:
                row.language = language
                changed = True
            if row.source != source:
                row.source = source
        current = (await self._supervision([row.id])).get(row.id, frozenset())
        if current != wanted_sup:
            await self._s.execute(delete(SupervisionRow).where(SupervisionRow.person_id == row.id))
            self._s.add_all(SupervisionRow(person_id=row.id, unit_id=u) for u in wanted_sup)
            changed = True
        await self._s.flush()
        _roster_changed(self._s)  # the username or source may change without `changed`
        return self._person(row, wanted_sup), changed

    async def deactivate_missing(self, keep_telegram_ids: Iterable[int]) -> list[Person]:
        """People the roster file brought in and no longer lists. Those who joined by
        invitation are not the file's to remove (exporting the roster writes them in)."""
        keep = set(keep_telegram_ids)
        rows = (
            await self._s.scalars(
                select(PersonRow).where(PersonRow.active.is_(True), PersonRow.source == "file")
            )
        ).all()
        gone = [r for r in rows if r.telegram_id not in keep]
        for r in gone:
            r.active = False
        if gone:
            _roster_changed(self._s)
        await self._s.flush()
        return await self._many(gone)

    async def set_can_dm(self, person_id: int, value: bool) -> None:
        _roster_changed(self._s)
        await self._s.execute(
            update(PersonRow).where(PersonRow.id == person_id).values(can_dm=value)
        )

    async def set_language(self, person_id: int, language: str) -> None:
        _roster_changed(self._s)
        await self._s.execute(
            update(PersonRow).where(PersonRow.id == person_id).values(language=language)
        )


class SettingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session
        # What this transaction has read or written (None: no such setting): the due-scan's
        # steps each ask for their settings, read once in one statement (Core.load_org_settings).
        self._seen: dict[str, str | None] = {}

    async def get(self, key: str) -> str | None:
        if key in self._seen:
            return self._seen[key]
        row = await self._s.get(SettingRow, key)
        self._seen[key] = value = row.value if row else None
        return value

    async def get_many(self, keys: Sequence[str]) -> dict[str, str | None]:
        """The settings among `keys` that exist, in one query (none for those read before)."""
        unread = [key for key in keys if key not in self._seen]
        if unread:
            rows = await self._s.execute(
                select(SettingRow.key, SettingRow.value).where(SettingRow.key.in_(unread))
            )
            found: dict[str, str | None] = {key: value for key, value in rows}
            for key in unread:
                self._seen[key] = found.get(key)
        return {key: self._seen[key] for key in keys if self._seen[key] is not None}

    async def set(self, key: str, value: str | None) -> bool:
        self._seen[key] = value
        row = await self._s.get(SettingRow, key)
        # The leadership chat is part of the roster snapshot; the other settings change rarely
        # enough that telling them apart is not worth a list to keep in step.
        if row is None:
            self._s.add(SettingRow(key=key, value=value))
            await self._s.flush()
            _roster_changed(self._s)
            return value is not None
        if row.value == value:
            return False
        row.value = value
        await self._s.flush()
        _roster_changed(self._s)
        return True


_TASK = TaskRow.__table__.c
_EVENT = TaskEventRow.__table__.c
_TASK_COLUMNS = tuple(_TASK)
_N = len(_TASK_COLUMNS)


def _cooperating() -> Any:
    """The task's cooperating units as "3,7", a column of the task's own query."""
    return (
        select(func.aggregate_strings(cast(TaskUnitRow.unit_id, String), ","))
        .where(TaskUnitRow.task_id == _TASK.id)
        .scalar_subquery()
    )


def _history(dialect: str) -> Any:
    """The task's history as one JSON column, [[id, kind, actor_id, at, before, after, note],
    ...] in no particular order: the use case's chain is built from it without a statement
    of its own."""
    e = _EVENT
    if dialect == "sqlite":
        item = func.json_array(
            e.id, e.kind, e.actor_id, e.at, func.json(e.before), func.json(e.after), e.note
        )
        every = func.json_group_array(item)
    else:
        item = func.json_build_array(e.id, e.kind, e.actor_id, e.at, e.before, e.after, e.note)
        every = func.json_agg(item)
    return type_coerce(select(every).where(e.task_id == _TASK.id).scalar_subquery(), JSON)


def _messages_column(dialect: str) -> Any:
    """The task's sent messages (cards, notices) as one JSON column, [[id, chat_id, message_id,
    kind], ...] in no particular order: the cards a changing use case edits are found without
    a statement of their own."""
    m = _MESSAGE
    if dialect == "sqlite":
        every = func.json_group_array(func.json_array(m.id, m.chat_id, m.message_id, m.kind))
    else:
        every = func.json_agg(func.json_build_array(m.id, m.chat_id, m.message_id, m.kind))
    return type_coerce(select(every).where(m.task_id == _TASK.id).scalar_subquery(), JSON)


@cache
def _use_case_query(dialect: str, by_code: bool, lock: bool) -> Select[Any]:
    """One task (by id or code, the `ref` parameter) as a use case loads it: with its
    cooperating units, and what the use case would otherwise ask in statements of its own
    (bot.db.hints): the roster's stamp, whether an extension request is pending, (`lock`: a
    use case that changes the task) whether any sent reminder carries the task's buttons, and
    its history; and (`lock`) the messages sent about it, whose cards it edits. A look (/nv)
    does not search the reminders (that search grows with the messages sent since the task
    began) nor read the messages. Built once per shape (SQLAlchemy then finds its
    compiled form by a cache key it has already computed)."""
    stamp = select(CounterRow.value).where(CounterRow.name == ROSTER_STAMP).scalar_subquery()
    pending = exists().where(
        ExtensionRow.task_id == _TASK.id,
        ExtensionRow.status == ExtensionStatus.PENDING.value,
    )
    carried = reminders_exist(TaskRow.id, TaskRow.created_at) if lock else true()
    sent = _messages_column(dialect) if lock else null()
    key = _TASK.code if by_code else _TASK.id
    query = select(
        *_TASK_COLUMNS, _cooperating(), stamp, pending, carried, _history(dialect), sent
    ).where(key == bindparam("ref"))
    return query.with_for_update(of=TaskRow.__table__) if lock else query


@cache
def _open_tasks_query(of_unit: bool) -> Select[Any]:
    """Open tasks (`of_unit`: of the unit given as `unit`), the first `limit`; built once."""
    query = select(*_TASK_COLUMNS, _cooperating()).where(_TASK.status.in_(OPEN_STATUSES))
    if of_unit:
        # The unit's own tasks by key (two index searches), then their rows: an OR over
        # the open tasks would read every open task of every unit.
        unit = bindparam("unit", type_=Integer)
        lead = select(_TASK.id).where(_TASK.lead_unit_id == unit, _TASK.status.in_(OPEN_STATUSES))
        coop = select(TaskUnitRow.task_id).where(TaskUnitRow.unit_id == unit)
        query = query.where(_TASK.id.in_(union(lead, coop)))
    # Tasks without a deadline last, then the most urgent first.
    order = (_TASK.due.is_(None), _TASK.due, _TASK.id)
    return query.order_by(*order).limit(bindparam("limit", type_=Integer))


_EVENTS = select(*_EVENT).where(_EVENT.task_id == bindparam("task_id")).order_by(_EVENT.id)


def _event(task_id: int, item: Sequence[Any]) -> TaskEvent:
    """One event of the JSON history (_history)."""
    event_id, kind, actor_id, at, before, after, note = item
    return TaskEvent(
        id=event_id,
        task_id=task_id,
        kind=EventKind(kind),
        actor_id=actor_id,
        at=datetime.fromisoformat(at).replace(tzinfo=UTC),
        before=dict(before or {}),
        after=dict(after or {}),
        note=note,
    )


class TaskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session
        # Cooperating units as loaded in this unit of work: save() rewrites them only when
        # they changed.
        self._loaded: dict[int, tuple[int, ...]] = {}
        # Histories read with the task (`hints`) in this unit of work, until an event is added.
        self._history: dict[int, list[TaskEvent]] = {}
        # Messages read with the task (`hints`, `lock`), until one is added or retired.
        self._messages: dict[int, list[tuple[int, int, str]]] = {}

    async def next_number(self, name: str = "task") -> int:
        number = _next_number(self._dialect())
        found = await direct.execute(self._s, number, {"name": name, "value": 1})
        return int(found.scalar_one())

    @staticmethod
    def _task(row: Any, coop: tuple[int, ...]) -> Task:
        return Task(
            id=row.id,
            code=row.code,
            content=row.content,
            lead_unit_id=row.lead_unit_id,
            cooperating_unit_ids=coop,
            assigner_id=row.assigner_id,
            status=Status(row.status),
            created_at=row.created_at,
            original_due=row.original_due,
            due=row.due,
            extension_count=row.extension_count,
            source=row.source,
            origin_chat_id=row.origin_chat_id,
            attachment=_attachment(row.attachment),
            acknowledged_at=row.acknowledged_at,
            acknowledged_by=row.acknowledged_by,
            reported_at=row.reported_at,
            reported_by=row.reported_by,
            completed_at=row.completed_at,
            result=row.result,
            result_attachment=_attachment(row.result_attachment),
            document_id=row.document_id,
            series_id=row.series_id,
            series_period=row.series_period,
            led_since=row.led_since,
        )

    def _select(self) -> Select[Any]:
        """Tasks (as rows, not objects the session tracks) with their cooperating units in
        the same query, as "3,7" (one round trip)."""
        return select(*_TASK_COLUMNS, _cooperating())

    async def _load(
        self, query: Select[Any], params: dict[str, Any] | None = None, built_once: bool = False
    ) -> list[Task]:
        """`built_once`: the query is one of the cached shapes (bot.db.direct runs it)."""
        if built_once:
            rows = (await direct.execute(self._s, query, params)).rows
        else:
            rows = (await self._s.execute(query, params)).all()
        out = []
        for row in rows:
            task_id, coop_text = row[0], row[_N]
            coop = tuple(sorted(int(u) for u in coop_text.split(","))) if coop_text else ()
            self._loaded[task_id] = coop
            if len(row) > _N + 1:
                stamp, pending, reminders, history, sent = row[_N + 1 :]
                self._s.info[ROSTER_STAMP_SEEN] = int(stamp or 0)
                if not pending:
                    learn_none(self._s, NO_PENDING_EXTENSION, task_id)
                if not reminders:
                    learn_none(self._s, NO_REMINDERS, task_id)
                events = sorted(history or (), key=lambda item: item[0])
                self._history[task_id] = [_event(task_id, item) for item in events]
                if sent is not None:
                    ordered = sorted(sent, key=lambda item: item[0])
                    self._messages[task_id] = [(c, m, k) for _, c, m, k in ordered]
            out.append(self._task(row, coop))
        return out

    async def add(self, task: Task) -> Task:
        values = dict(
            code=task.code,
            content=task.content,
            source=task.source,
            origin_chat_id=task.origin_chat_id,
            attachment=_attachment_data(task.attachment),
            lead_unit_id=task.lead_unit_id,
            assigner_id=task.assigner_id,
            status=task.status.value,
            created_at=task.created_at,
            original_due=task.original_due,
            due=task.due,
            extension_count=0,
            updated_at=task.created_at,
            document_id=task.document_id,
            series_id=task.series_id,
            series_period=task.series_period,
        )
        task_id = int((await direct.execute(self._s, _ADD_TASK, values)).scalar_one())
        if task.cooperating_unit_ids:
            await self._s.execute(
                insert(TaskUnitRow),
                [{"task_id": task_id, "unit_id": u} for u in task.cooperating_unit_ids],
            )
        self._loaded[task_id] = task.cooperating_unit_ids
        return replace(task, id=task_id)

    async def get(self, task_id: int, lock: bool = False, hints: bool = False) -> Task | None:
        """`lock`: hold the row until the transaction ends (PostgreSQL; SQLite's BEGIN IMMEDIATE
        already serializes writers), so two people deciding at once are taken one at a time.
        `hints`: the use case's own load, which also learns what bot.db.hints keeps (whether
        reminders carry the task's buttons only with `lock`: a use case that changes it) and
        the task's history (`events` then needs no statement)."""
        if hints:
            query = _use_case_query(self._dialect(), False, lock)
            found = await self._load(query, {"ref": task_id}, built_once=True)
        else:
            plain = self._select().where(_TASK.id == task_id)
            found = await self._load(plain.with_for_update(of=TaskRow.__table__) if lock else plain)
        return found[0] if found else None

    async def any_before(self, moment: datetime) -> bool:
        """Whether any task had been assigned before `moment`."""
        found = await self._s.scalar(select(TaskRow.id).where(TaskRow.created_at < moment).limit(1))
        return found is not None

    async def by_ids(self, ids: Iterable[int]) -> dict[int, Task]:
        wanted = list(set(ids))
        out: dict[int, Task] = {}
        for start in range(0, len(wanted), 900):  # under SQLite's bound-parameter limit
            chunk = wanted[start : start + 900]
            out.update(
                {t.id: t for t in await self._load(self._select().where(TaskRow.id.in_(chunk)))}
            )
        return out

    async def by_code(self, code: str, lock: bool = False, hints: bool = False) -> Task | None:
        if hints:
            query = _use_case_query(self._dialect(), True, lock)
            found = await self._load(query, {"ref": code}, built_once=True)
        else:
            plain = self._select().where(_TASK.code == code)
            found = await self._load(plain.with_for_update(of=TaskRow.__table__) if lock else plain)
        return found[0] if found else None

    def _dialect(self) -> str:
        return self._s.get_bind().dialect.name

    async def save(self, task: Task, now: datetime) -> None:
        # One UPDATE, without loading the row again (the session holds loaded rows weakly).
        result = await direct.execute(
            self._s,
            _SAVE_TASK,
            dict(
                task_key=task.id,
                content=task.content,
                lead_unit_id=task.lead_unit_id,
                status=task.status.value,
                due=task.due,
                original_due=task.original_due,
                extension_count=task.extension_count,
                acknowledged_at=task.acknowledged_at,
                acknowledged_by=task.acknowledged_by,
                reported_at=task.reported_at,
                reported_by=task.reported_by,
                completed_at=task.completed_at,
                result=task.result,
                result_attachment=_attachment_data(task.result_attachment),
                led_since=task.led_since,
                updated_at=now,
            ),
        )
        if not result.rowcount:
            raise LookupError(task.code)
        if self._loaded.get(task.id) == task.cooperating_unit_ids:
            return
        await self._s.execute(delete(TaskUnitRow).where(TaskUnitRow.task_id == task.id))
        self._s.add_all(TaskUnitRow(task_id=task.id, unit_id=u) for u in task.cooperating_unit_ids)
        await self._s.flush()
        self._loaded[task.id] = task.cooperating_unit_ids

    async def of_series(self, series_ids: Iterable[int]) -> list[Task]:
        """The tasks made by these series, oldest period first."""
        ids = list(set(series_ids))
        if not ids:
            return []
        query = (
            self._select()
            .where(TaskRow.series_id.in_(ids))
            .order_by(TaskRow.series_id, TaskRow.series_period)
        )
        return await self._load(query)

    async def open_tasks(self, unit_id: int | None = None, limit: int = 200) -> list[Task]:
        query = _open_tasks_query(unit_id is not None)
        params = {"limit": limit} if unit_id is None else {"limit": limit, "unit": unit_id}
        return await self._load(query, params, built_once=True)

    async def awaiting_review(self) -> list[Task]:
        """Open tasks whose result awaits the leader's review, the oldest report first."""
        query = (
            self._select()
            .where(TaskRow.status == Status.REPORTED.value)
            .order_by(TaskRow.reported_at, TaskRow.id)
        )
        return await self._load(query)

    async def add_event(
        self,
        task_id: int,
        kind: EventKind,
        actor_id: int | None,
        at: datetime,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> None:
        # A Core insert: the history is append-only, so there is no object for the ORM to track
        # (its flush costs several times the statement).
        self._history.pop(task_id, None)
        await direct.execute(
            self._s,
            _ADD_EVENT,
            dict(
                task_id=task_id,
                kind=kind.value,
                actor_id=actor_id,
                at=at,
                before=before or {},
                after=after or {},
                note=note,
            ),
        )

    async def events(self, task_id: int) -> list[TaskEvent]:
        """The task's history, oldest first: as the use case's load read it (`hints`), or read
        now."""
        known = self._history.get(task_id)
        if known is not None:
            return list(known)
        rows = await self._s.execute(_EVENTS, {"task_id": task_id})
        return [
            TaskEvent(
                id=r.id,
                task_id=r.task_id,
                kind=EventKind(r.kind),
                actor_id=r.actor_id,
                at=r.at,
                before=dict(r.before or {}),
                after=dict(r.after or {}),
                note=r.note,
            )
            for r in rows
        ]

    async def add_message(self, task_id: int, chat_id: int, message_id: int, kind: str) -> None:
        self._messages.pop(task_id, None)
        await direct.execute(
            self._s,
            _add_message(self._dialect()),
            dict(task_id=task_id, chat_id=chat_id, message_id=message_id, kind=kind),
        )

    async def messages(self, task_id: int, kind: str | None = None) -> list[tuple[int, int, str]]:
        """The task's sent messages, oldest first: as the use case's load read them (`hints`),
        or read now."""
        known = self._messages.get(task_id)
        if known is not None:
            return [m for m in known if kind is None or m[2] == kind]
        if kind is None:
            rows = await direct.execute(self._s, _MESSAGES, {"task_id": task_id})
        else:
            wanted = {"task_id": task_id, "kind": kind}
            rows = await direct.execute(self._s, _MESSAGES_OF_KIND, wanted)
        return [(chat_id, message_id, kind) for chat_id, message_id, kind in rows]

    async def retire_messages(self, task_id: int) -> None:
        """After a reassignment the old unit's cards are history: stop refreshing them."""
        self._messages.pop(task_id, None)
        await self._s.execute(
            update(TaskMessageRow)
            .where(TaskMessageRow.task_id == task_id, TaskMessageRow.kind.like("card%"))
            .values(kind="old")
        )

    async def task_of_message(self, chat_id: int, message_id: int) -> int | None:
        return await self._s.scalar(
            select(TaskMessageRow.task_id).where(
                TaskMessageRow.chat_id == chat_id, TaskMessageRow.message_id == message_id
            )
        )


def _extension(row: ExtensionRow) -> ExtensionRequest:
    return ExtensionRequest(
        id=row.id,
        task_id=row.task_id,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        proposed_due=row.proposed_due,
        reason=row.reason,
        status=ExtensionStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        granted_due=row.granted_due,
    )


class ExtensionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self, task_id: int, requested_by: int, at: datetime, proposed_due: datetime, reason: str
    ) -> ExtensionRequest:
        row = ExtensionRow(
            task_id=task_id,
            requested_by=requested_by,
            requested_at=at,
            proposed_due=proposed_due,
            reason=reason,
            status=ExtensionStatus.PENDING.value,
        )
        self._s.add(row)
        await self._s.flush()
        forget(self._s, NO_PENDING_EXTENSION, task_id)
        return _extension(row)

    async def get(self, request_id: int) -> ExtensionRequest | None:
        row = await self._s.get(ExtensionRow, request_id, populate_existing=True)
        return _extension(row) if row else None

    async def pending_for(self, task_id: int) -> ExtensionRequest | None:
        if known_none(self._s, NO_PENDING_EXTENSION, task_id):
            return None  # the statement that loaded the task found none (bot.db.hints)
        row = await self._s.scalar(
            select(ExtensionRow)
            .where(
                ExtensionRow.task_id == task_id,
                ExtensionRow.status == ExtensionStatus.PENDING.value,
            )
            .order_by(ExtensionRow.id.desc())
        )
        return _extension(row) if row else None

    async def pending_all(self) -> list[ExtensionRequest]:
        """Every request still awaiting a decision, the oldest first."""
        rows = await self._s.scalars(
            select(ExtensionRow)
            .where(ExtensionRow.status == ExtensionStatus.PENDING.value)
            .order_by(ExtensionRow.requested_at, ExtensionRow.id)
        )
        return [_extension(r) for r in rows]

    async def pending_of(self, task_ids: Iterable[int]) -> list[ExtensionRequest]:
        """The requests of these tasks awaiting a decision, the oldest first."""
        ids = sorted(set(task_ids))
        out: list[ExtensionRequest] = []
        for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
            rows = await self._s.scalars(
                select(ExtensionRow).where(
                    ExtensionRow.status == ExtensionStatus.PENDING.value,
                    ExtensionRow.task_id.in_(ids[start : start + 900]),
                )
            )
            out.extend(_extension(r) for r in rows)
        out.sort(key=lambda r: (r.requested_at, r.id))
        return out

    async def decide(
        self,
        request_id: int,
        status: ExtensionStatus,
        by: int,
        at: datetime,
        granted_due: datetime | None,
    ) -> None:
        forget(self._s, NO_PENDING_EXTENSION)
        await self._s.execute(
            update(ExtensionRow)
            .where(ExtensionRow.id == request_id)
            .values(status=status.value, decided_by=by, decided_at=at, granted_due=granted_due)
        )

    async def close_pending(self, task_id: int, by: int, at: datetime) -> None:
        """A withdrawn or finished task has nothing left to extend."""
        forget(self._s, NO_PENDING_EXTENSION, task_id)
        await self._s.execute(
            update(ExtensionRow)
            .where(
                ExtensionRow.task_id == task_id,
                ExtensionRow.status == ExtensionStatus.PENDING.value,
            )
            .values(status=ExtensionStatus.REFUSED.value, decided_by=by, decided_at=at)
        )


@dataclass(frozen=True, slots=True)
class Prompt:
    chat_id: int
    message_id: int
    kind: str
    task_id: int | None
    extension_id: int | None
    person_id: int | None


def _prompt(row: PromptRow) -> Prompt:
    return Prompt(
        row.chat_id, row.message_id, row.kind, row.task_id, row.extension_id, row.person_id
    )


class PromptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(
        self,
        chat_id: int,
        message_id: int,
        kind: str,
        at: datetime,
        task_id: int | None = None,
        extension_id: int | None = None,
        person_id: int | None = None,
    ) -> None:
        await direct.execute(
            self._s,
            _ADD_PROMPT,
            dict(
                chat_id=chat_id,
                message_id=message_id,
                kind=kind,
                task_id=task_id,
                extension_id=extension_id,
                person_id=person_id,
                created_at=at,
            ),
        )

    async def for_extension(self, extension_id: int) -> list[Prompt]:
        rows = await self._s.scalars(
            select(PromptRow).where(PromptRow.extension_id == extension_id)
        )
        return [_prompt(r) for r in rows]

    async def for_task(self, task_id: int, kind: str) -> list[Prompt]:
        rows = await self._s.scalars(
            select(PromptRow).where(PromptRow.task_id == task_id, PromptRow.kind == kind)
        )
        return [_prompt(r) for r in rows]

    async def get(self, chat_id: int, message_id: int) -> Prompt | None:
        row = await self._s.scalar(
            select(PromptRow).where(
                PromptRow.chat_id == chat_id, PromptRow.message_id == message_id
            )
        )
        return _prompt(row) if row else None


class InviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, row: InviteRow) -> None:
        self._s.add(row)
        await self._s.flush()

    async def get(self, token: str) -> InviteRow | None:
        return await self._s.get(InviteRow, token)

    async def by_request(self, key: str) -> InviteRow | None:
        """The invitation a given /moi message made, if it made one."""
        found = await self._s.execute(select(InviteRow).where(InviteRow.request_key == key))
        return found.scalar_one_or_none()


class HandledRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def claim(self, key: str, at: datetime) -> bool:
        """True the first time a key is seen; False after. A concurrent claim of the same key
        (PostgreSQL) waits for the first transaction and then sees it."""
        dialect = self._s.get_bind().dialect.name
        claimed = await direct.execute(self._s, _claim(dialect), {"key": key, "at": at})
        return claimed.scalar() is not None

    async def seen(self, key: str) -> bool:
        return await self._s.scalar(select(HandledRow.key).where(HandledRow.key == key)) is not None

    async def release(self, *keys: str) -> None:
        """Forget keys, so that the next claim of each is a first one again."""
        await self._s.execute(delete(HandledRow).where(HandledRow.key.in_(keys)))


ROSTER_STAMP = "roster"  # the counters row every roster change bumps
_STAMP = select(table(CounterRow).c.value).where(table(CounterRow).c.name == ROSTER_STAMP)
IMPORTED = "roster_file_imported"  # settings key: "<file's fingerprint>:<stamp after import>"


class RosterRepository:
    """The roster as one snapshot, and the version stamp that says when to read it again: any
    process that changes units, people or the leadership chat bumps it in the same
    transaction, so every process sees the change at its next use case."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    @property
    def changed_here(self) -> bool:
        return bool(self._s.info.get(ROSTER_CHANGED))

    async def lock_for_import(self) -> None:
        """PostgreSQL: wait for any other roster import or migration to commit (the lock the
        migrations take, held to the end of this transaction). SQLite's BEGIN IMMEDIATE already
        puts writers one after the other."""
        if self._s.get_bind().dialect.name == "postgresql":
            await self._s.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK)))

    async def stamp(self) -> int:
        seen = self._s.info.get(ROSTER_STAMP_SEEN)
        if seen is not None:
            return int(seen)  # read with the task, in this same transaction (bot.db.hints)
        value = (await direct.execute(self._s, _STAMP)).scalar()
        return int(value or 0)

    async def imported(self) -> str | None:
        """What the last start's import of the roster file left (services.roster)."""
        value = await self._s.scalar(select(SettingRow.value).where(SettingRow.key == IMPORTED))
        return str(value) if value is not None else None

    async def set_imported(self, value: str) -> None:
        # Not through SettingRepository.set: this note is not part of the roster, and writing
        # it must not bump the stamp it records.
        insert = _insert_for(self._s)
        await self._s.execute(
            insert(SettingRow)
            .values(key=IMPORTED, value=value)
            .on_conflict_do_update(index_elements=[SettingRow.key], set_={"value": value})
        )

    async def bump(self) -> None:
        insert = _insert_for(self._s)
        statement = insert(CounterRow).values(name=ROSTER_STAMP, value=1)
        await self._s.execute(
            statement.on_conflict_do_update(
                index_elements=[CounterRow.name], set_={"value": CounterRow.value + 1}
            )
        )
        self._s.info.pop(ROSTER_CHANGED, None)
        self._s.info.pop(ROSTER_STAMP_SEEN, None)

    async def load(self, stamp: int) -> Roster:
        units = (await self._s.scalars(select(UnitRow))).all()
        people = await PersonRepository(self._s).all(include_inactive=True)
        chat = await SettingRepository(self._s).get(LEADERSHIP_CHAT_KEY)
        return Roster.build(
            stamp,
            [RosterUnit(_unit(r), bool(r.active)) for r in units],
            people,
            int(chat) if chat else None,
        )
