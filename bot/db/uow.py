"""The unit of work: one transaction per use case. Only the service layer commits."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.drafts import DocumentRepository, DraftRepository
from bot.db.nudges import DeliveryRepository, NudgeRepository
from bot.db.programme import ProgrammeRepository
from bot.db.published import PublishedRepository
from bot.db.reminders import ReminderRepository
from bot.db.reports import ReportRepository
from bot.db.repositories import (
    ExtensionRepository,
    HandledRepository,
    InviteRepository,
    PersonRepository,
    PromptRepository,
    SettingRepository,
    TaskRepository,
    UnitRepository,
)
from bot.db.series import SeriesRepository


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
    programme: ProgrammeRepository
    drafts: DraftRepository
    documents: DocumentRepository
    series: SeriesRepository
    published: PublishedRepository
    reminders: ReminderRepository

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        session = self._sessionmaker()
        self._session = session
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
        self.programme = ProgrammeRepository(session)
        self.drafts = DraftRepository(session)
        self.documents = DocumentRepository(session)
        self.series = SeriesRepository(session)
        self.published = PublishedRepository(session)
        self.reminders = ReminderRepository(session)
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
        await self._session.commit()


class UnitOfWorkFactory:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self._sessionmaker)
