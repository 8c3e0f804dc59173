"""Storage on a real database (SQLite file, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine
from support import QLDT_CHAT, START, TCKH_CHAT, TCKH_HEAD

import bot.db.migrate
from bot.db.engine import create_engine, make_sessionmaker
from bot.db.tables import Base, CounterRow, HandledRow, UnitRow
from bot.db.uow import UnitOfWork, UnitOfWorkFactory
from bot.domain.model import EventKind, Role, Status, Task

BIG_CHAT = -1001000000010
BIG_USER = 7_000_000_001  # Telegram user ids no longer fit in 32 bits


@pytest.fixture
def uow(engine: AsyncEngine) -> UnitOfWorkFactory:
    return UnitOfWorkFactory(make_sessionmaker(engine))


async def test_migrations_create_every_table_from_empty(database_url: str) -> None:
    await asyncio.to_thread(bot.db.migrate.upgrade, database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
            version = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    finally:
        await engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    head = ScriptDirectory.from_config(
        bot.db.migrate.alembic_config(database_url)
    ).get_current_head()
    assert version == head


async def test_migrations_are_idempotent(database_url: str) -> None:
    await asyncio.to_thread(bot.db.migrate.upgrade, database_url)
    await asyncio.to_thread(bot.db.migrate.upgrade, database_url)


async def test_a_start_on_sqlite_checks_the_revision_without_an_engine(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the question is asked with the standard library's driver (issue 13: an engine
    and an event loop for one query were a tenth of the check)."""
    await asyncio.to_thread(bot.db.migrate.upgrade, sqlite_url)

    async def no_engine(url: str) -> set[str]:
        raise AssertionError("an engine was made")

    monkeypatch.setattr(bot.db.migrate, "_revisions", no_engine)
    assert await asyncio.to_thread(bot.db.migrate.at_head, sqlite_url)


async def test_a_start_at_head_checks_the_revision_without_alembic(database_url: str) -> None:
    """Every restart asks one question (bot.db.migrate.at_head) instead of loading Alembic: the
    newest revision read from the migration files must be Alembic's own, and a database one
    revision behind must still be upgraded."""
    script = ScriptDirectory.from_config(bot.db.migrate.alembic_config(database_url))
    assert bot.db.migrate.heads() == set(script.get_heads())
    assert not await asyncio.to_thread(bot.db.migrate.at_head, database_url)  # no schema yet
    await asyncio.to_thread(bot.db.migrate.upgrade, database_url)
    assert await asyncio.to_thread(bot.db.migrate.at_head, database_url)
    head = script.get_current_head()
    assert head is not None
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)
    await asyncio.to_thread(bot.db.migrate.downgrade, database_url, previous)
    assert not await asyncio.to_thread(bot.db.migrate.at_head, database_url)
    await asyncio.to_thread(bot.db.migrate.upgrade, database_url)
    assert await asyncio.to_thread(bot.db.migrate.at_head, database_url)


async def test_migrations_match_the_models(database_url: str) -> None:
    """A model changed without a migration would make autogenerate find differences."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    await asyncio.to_thread(bot.db.migrate.upgrade, database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata
                )
            )
    finally:
        await engine.dispose()
    assert diff == []


async def assign_like(uow: UnitOfWorkFactory) -> int:
    """Like the assign use case: read first (who acts, which units), then take a number and write.

    On SQLite a transaction that reads before it writes cannot upgrade its lock while another
    writes (SQLITE_BUSY at once, busy_timeout does not help): only BEGIN IMMEDIATE queues them.
    """
    async with uow() as work:
        await work.units.all()
        await work.people.by_telegram_id(TCKH_HEAD)
        await asyncio.sleep(0)  # let the others start their transactions too
        number = await work.tasks.next_number()
        await asyncio.sleep(0)  # and run while this one holds the number
        await work.handled.claim(f"assign:{number}", START)
        await work.commit()
        return number


async def test_concurrent_transactions_get_distinct_sequential_numbers(
    uow: UnitOfWorkFactory,
) -> None:
    numbers = await asyncio.gather(*(assign_like(uow) for _ in range(20)))
    assert sorted(numbers) == list(range(1, 21))
    async with uow() as work:
        assert await work.tasks.next_number() == 21  # not committed: given back


async def test_concurrent_numbers_after_the_counter_exists(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        assert await work.tasks.next_number() == 1
        await work.commit()

    numbers = await asyncio.gather(*(assign_like(uow) for _ in range(20)))
    assert sorted(numbers) == list(range(2, 22))


async def test_a_rolled_back_number_is_given_back(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        assert await work.tasks.next_number() == 1
        await work.commit()
    async with uow() as work:
        assert await work.tasks.next_number() == 2
        # no commit: the use case failed
    async with uow() as work:
        assert await work.tasks.next_number() == 2
        assert await work.tasks.next_number("other") == 1
        await work.commit()


async def test_datetimes_come_back_aware_utc(uow: UnitOfWorkFactory) -> None:
    hanoi = timezone(timedelta(hours=7))
    at = datetime(2026, 11, 23, 9, 0, 0, 123456, tzinfo=hanoi)
    async with uow() as work:
        assert await work.handled.claim("tz", at) is True
        await work.commit()
    async with uow() as work:
        row = await work.handled._s.get(HandledRow, "tz")
        assert row is not None
        assert row.at.tzinfo is UTC
        assert row.at == at
        assert row.at == datetime(2026, 11, 23, 2, 0, 0, 123456, tzinfo=UTC)
        # Stored as naive UTC, whatever the server's zone.
        raw = (await work.handled._s.execute(text("SELECT at FROM handled_updates"))).scalar_one()
    assert str(raw).startswith("2026-11-23 02:00:00")


async def test_naive_datetime_is_refused(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        work.handled._s.add(HandledRow(key="naive", at=datetime(2026, 11, 23, 9, 0)))
        with pytest.raises(StatementError) as caught:
            await work.handled._s.flush()
    assert isinstance(caught.value.orig, ValueError)
    assert "naive datetime" in str(caught.value.orig)
    async with uow() as work:
        assert await work.handled._s.get(HandledRow, "naive") is None


async def test_big_telegram_ids_round_trip(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        unit, _ = await work.units.upsert("TCKH", "Phòng Tài chính - Kế hoạch", ["TC-KH"], BIG_CHAT)
        await work.units.upsert("QLDT", "Phòng Quản lý đô thị", [], QLDT_CHAT)
        person, _ = await work.people.upsert(BIG_USER, "Người dùng mới", Role.HEAD, unit.id)
        await work.commit()
    assert BIG_CHAT == TCKH_CHAT
    async with uow() as work:
        found = await work.units.by_chat(BIG_CHAT)
        assert found is not None
        assert (found.code, found.chat_id, found.aliases) == ("TCKH", BIG_CHAT, ("TC-KH",))
        assert (await work.units.by_chat(QLDT_CHAT)).code == "QLDT"  # type: ignore[union-attr]
        who = await work.people.by_telegram_id(BIG_USER)
        assert who is not None
        assert (who.id, who.telegram_id, who.unit_id) == (person.id, BIG_USER, unit.id)
        raw = await work.units._s.scalar(select(UnitRow.chat_id).where(UnitRow.code == "TCKH"))
        assert raw == BIG_CHAT


async def test_claim_is_true_once_per_key(uow: UnitOfWorkFactory) -> None:
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    async with uow() as work:
        assert await work.handled.claim("update:1", at) is True
        assert await work.handled.claim("update:1", at) is False
        assert await work.handled.claim("update:2", at) is True
        await work.commit()
    async with uow() as work:
        assert await work.handled.claim("update:1", at) is False
        assert await work.handled.claim("update:2", at) is False
        assert await work.handled.claim("update:3", at) is True
        await work.commit()


async def test_claim_from_concurrent_transactions_succeeds_once(uow: UnitOfWorkFactory) -> None:
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

    async def handle() -> bool:
        async with uow() as work:
            claimed = await work.handled.claim("update:42", at)
            await asyncio.sleep(0)
            await work.commit()
            return claimed

    results = await asyncio.gather(*(handle() for _ in range(5)), return_exceptions=True)
    assert sorted(results, key=repr) == [False, False, False, False, True]


async def test_unit_of_work_rolls_back_without_commit(uow: UnitOfWorkFactory) -> None:
    async with uow() as work:
        await work.units.upsert("TCKH", "Phòng Tài chính - Kế hoạch", [], None)
    async with uow() as work:
        assert await work.units.all() == []


async def test_unit_of_work_rolls_back_on_error(uow: UnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError):
        async with uow() as work:
            await work.units.upsert("TCKH", "Phòng Tài chính - Kế hoạch", [], None)
            raise RuntimeError("use case failed")
    work2: UnitOfWork
    async with uow() as work2:
        assert await work2.units.by_code("tckh") is None


async def test_sqlite_transactions_begin_immediate(sqlite_url: str) -> None:
    """A read-modify-write done in Python is safe on SQLite only because every transaction takes
    the write lock at BEGIN; the driver's own deferred BEGIN would lose updates here."""
    await asyncio.to_thread(bot.db.migrate.upgrade, sqlite_url)
    engine = create_engine(sqlite_url)
    sessions = make_sessionmaker(engine)
    try:
        async with sessions() as session:
            session.add(CounterRow(name="rmw", value=0))
            await session.commit()

        async def increment() -> None:
            async with sessions() as session:
                row = await session.get(CounterRow, "rmw")
                assert row is not None
                value = row.value
                await asyncio.sleep(0)  # the others read now, unless they wait at BEGIN
                row.value = value + 1
                await session.commit()

        await asyncio.gather(*(increment() for _ in range(20)))
        async with sessions() as session:
            assert await session.scalar(select(CounterRow.value)) == 20
    finally:
        await engine.dispose()


async def test_the_history_read_with_the_task_is_the_history(uow: UnitOfWorkFactory) -> None:
    """The use case's load brings the task's history in its own statement (a JSON column, built
    differently on each database); it must be what the history's own statement reads: times
    to the microsecond and aware, dictionaries, missing actors and notes, in order."""
    hanoi = timezone(timedelta(hours=7))
    at = datetime(2026, 11, 23, 9, 0, 0, 123456, tzinfo=hanoi)
    async with uow() as work:
        unit, _ = await work.units.upsert("TCKH", "Phòng Tài chính - Kế hoạch", [], TCKH_CHAT)
        person, _ = await work.people.upsert(TCKH_HEAD, "Trưởng phòng", Role.HEAD, unit.id)
        task = await work.tasks.add(
            Task(
                id=0,
                code="NV-0001",
                content="Báo cáo",
                lead_unit_id=unit.id,
                cooperating_unit_ids=(),
                assigner_id=person.id,
                status=Status.ASSIGNED,
                created_at=at,
                original_due=None,
                due=None,
            )
        )
        steps: list[tuple[EventKind, int | None, datetime, dict[str, object], str | None]] = [
            (EventKind.ASSIGNED, person.id, at, {"due": None, "cooperating": []}, "Báo cáo"),
            (EventKind.ACKNOWLEDGED, person.id, at + timedelta(seconds=1), {}, None),
            (EventKind.PROGRESS, None, at + timedelta(hours=1, microseconds=7), {"n": 1}, "“x”"),
            (EventKind.REPORTED, person.id, at.replace(microsecond=0), {"status": "done"}, "80%"),
        ]
        for kind, actor, when, after, note in steps:
            await work.tasks.add_event(task.id, kind, actor, when, {"s": "a"}, after, note)
        await work.commit()
    async with uow() as work:
        await work.tasks.by_code("NV-0001")
        read = await work.tasks.events(task.id)  # by its own statement
    async with uow() as work:
        statements: list[str] = []

        def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            statements.append(statement)

        await work.tasks.by_code("NV-0001", lock=True, hints=True)
        bind = work.tasks._s.get_bind()
        event.listen(bind, "before_cursor_execute", count)
        try:
            brought = await work.tasks.events(task.id)
        finally:
            event.remove(bind, "before_cursor_execute", count)
    assert statements == []
    assert brought == read
    assert [(e.kind, e.actor_id, e.at, e.after, e.note) for e in read] == steps
    assert all(e.at.tzinfo is UTC for e in brought)
