"""The unit of work: one transaction per use case. Only the service layer commits."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import READ_ONLY
from bot.db.nudges import DeliveryRepository, NudgeRepository
from bot.db.reports import ReportRepository
from bot.db.repositories import (
    ExtensionRepository,
    HandledRepository,
    InviteRepository,
    PersonRepository,
    PromptRepository,
    RosterRepository,
    SettingRepository,
    TaskRepository,
    UnitRepository,
)
from bot.domain.roster import Roster


class UnitOfWork:
    units: UnitRepository
    people: PersonRepository
    settings: SettingRepository
    tasks: TaskRepository
    extensions: ExtensionRepository
    prompts: PromptRepository
    invites: InviteRepository
    handled: HandledRepository
    nudges: NudgeRepository
    deliveries: DeliveryRepository
    reports: ReportRepository
    roster: RosterRepository

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], read_only: bool = False
    ) -> None:
        self._sessionmaker = sessionmaker
        self._session: AsyncSession | None = None
        self.read_only = read_only
        self.snapshot: Roster | None = None  # the roster as this use case saw it

    async def __aenter__(self) -> UnitOfWork:
        session = self._sessionmaker()
        self._session = session
        if self.read_only:
            # Begins the transaction now, with the option the SQLite "begin" hook reads: a
            # deferred BEGIN, so a reader never queues for the write lock (bot.db.engine).
            await session.connection(execution_options={READ_ONLY: True})
        self.units = UnitRepository(session)
        self.people = PersonRepository(session)
        self.settings = SettingRepository(session)
        self.tasks = TaskRepository(session)
        self.extensions = ExtensionRepository(session)
        self.prompts = PromptRepository(session)
        self.invites = InviteRepository(session)
        self.handled = HandledRepository(session)
        self.nudges = NudgeRepository(session)
        self.deliveries = DeliveryRepository(session)
        self.reports = ReportRepository(session)
        self.roster = RosterRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()  # no-op after commit; undoes a half-done use case
        finally:
            await self._session.close()
            self._session = None

    async def commit(self) -> None:
        assert self._session is not None
        if self.roster.changed_here:
            # In the same transaction as the change: every process's cached roster is stale
            # exactly when the change is visible.
            await self.roster.bump()
        await self._session.commit()


class UnitOfWorkFactory:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    def __call__(self, read_only: bool = False) -> UnitOfWork:
        """`read_only`: a use case that only looks (on SQLite it does not take the write lock;
        a write in it still works, but may fail with "database is locked" under contention)."""
        return UnitOfWork(self._sessionmaker, read_only)
