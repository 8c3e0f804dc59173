"""The unit of work: one transaction per use case. Only the service layer commits."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import direct
from bot.db.drafts import DocumentRepository, DraftRepository
from bot.db.due import DueRepository
from bot.db.engine import READ_ONLY
from bot.db.lists import ListRepository
from bot.db.nudges import DeliveryRepository, NudgeRepository
from bot.db.once import CURRENT, AlreadyHandled
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
    RosterRepository,
    SettingRepository,
    TaskRepository,
    UnitRepository,
)
from bot.db.series import SeriesRepository
from bot.domain.roster import Roster

# PostgreSQL's autocommit, on the session's connection until it goes back to the pool (which
# sets the engine's isolation level again, without a round trip: asyncpg's adapter keeps it).
_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}

_REPOSITORIES: dict[str, Any] = {
    "units": UnitRepository,
    "people": PersonRepository,
    "settings": SettingRepository,
    "tasks": TaskRepository,
    "extensions": ExtensionRepository,
    "prompts": PromptRepository,
    "invites": InviteRepository,
    "handled": HandledRepository,
    "nudges": NudgeRepository,
    "deliveries": DeliveryRepository,
    "reports": ReportRepository,
    "programme": ProgrammeRepository,
    "drafts": DraftRepository,
    "documents": DocumentRepository,
    "series": SeriesRepository,
    "published": PublishedRepository,
    "reminders": ReminderRepository,
    "roster": RosterRepository,
    "due": DueRepository,
    "lists": ListRepository,
}


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
    roster: RosterRepository
    due: DueRepository
    lists: ListRepository

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        read_only: bool = False,
        writers: WriterQueue | None = None,
        one_statement: bool = False,
        postgres: bool = False,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._session: AsyncSession | None = None
        self.read_only = read_only
        self._writers = None if read_only else writers
        self._one_statement = one_statement
        self._postgres = postgres
        self.snapshot: Roster | None = None  # the roster as this use case saw it

    async def __aenter__(self) -> UnitOfWork:
        if self._writers is not None:
            await self._writers.acquire()
        session = self._sessionmaker()
        self._session = session
        for name in _REPOSITORIES.keys() & self.__dict__.keys():  # entered again: a new session
            del self.__dict__[name]
        if self._postgres and (self.read_only or self._single_write()):
            # No transaction: each statement commits by itself, in one round trip where BEGIN,
            # the statement and COMMIT (or ROLLBACK) made three. A reader loses nothing by it:
            # at READ COMMITTED, PostgreSQL's default and the engine's, every statement reads a
            # snapshot of its own inside a transaction too, so a reader's statements never
            # agreed with each other more than they do now (the roster's stamp is read before
            # the roster, so a roster read newer than its stamp is only read again). A reader
            # takes no lock to hold (no FOR UPDATE, no advisory lock) and writes nothing (a
            # person enrolled on first contact is written in a unit of work of its own,
            # bot.services.common). A single write is atomic by itself.
            await direct.begin(session, _AUTOCOMMIT)
        elif self.read_only:
            # Begins the transaction now, with the option the SQLite "begin" hook reads: a
            # deferred BEGIN, so a reader never queues for the write lock (bot.db.engine).
            await direct.begin(session, {READ_ONLY: True})
        return self

    def _single_write(self) -> bool:
        """A use case of one statement that need not carry the update's key (bot.db.once):
        a commit that claims the key runs a second statement, in the same transaction."""
        if not self._one_statement:
            return False
        current = CURRENT.get()
        return current is None or not current.carries()

    def __getattr__(self, name: str) -> Any:
        # A repository is made when the use case first reaches for it: most use a handful
        # of the twenty, and making them all cost more than some of their statements.
        make = _REPOSITORIES.get(name)
        if make is None or self._session is None:
            raise AttributeError(name)
        repository = make(self._session)
        setattr(self, name, repository)
        return repository

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        direct.forget(self._session)
        try:
            # Rolls back a half-done use case (nothing, after the commit) and gives the
            # connection back: one step, where a rollback first cost a second.
            await self._session.close()
        finally:
            self._session = None
            if self._writers is not None:
                self._writers.release()

    async def commit(self) -> None:
        assert self._session is not None
        if self.roster.changed_here:
            # In the same transaction as the change: every process's cached roster is stale
            # exactly when the change is visible.
            await self.roster.bump()
        current = CURRENT.get()
        if current is None or self.read_only or not current.carries():
            direct.forget(self._session)
            await self._session.commit()
            return
        # The update's key goes with its change (bot.db.once).
        if not await self.handled.claim(current.key, current.at):
            raise AlreadyHandled(current.key)
        direct.forget(self._session)
        await self._session.commit()
        current.claimed = True


class WriterQueue:
    """SQLite has one writer at a time. Writers of this process wait their turn here, handed
    over at once, rather than in SQLite's busy handler, which sleeps and retries with growing
    pauses (up to 100 ms): with updates handled concurrently, that was most of the tail
    latency. Other processes still meet SQLite's lock (bot.db.inline waits for them with
    the loop running; it also queues this process's writers that come without a unit of
    work, at their BEGIN IMMEDIATE). Re-entrant for the task that holds it, so a unit of
    work opened inside another one does not wait for itself (SQLite would then decide, as
    before)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self._depth = 0

    async def acquire(self) -> None:
        task = asyncio.current_task()
        if task is not None and task is self._owner:
            self._depth += 1
            return
        await self._lock.acquire()
        self._owner, self._depth = task, 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


class UnitOfWorkFactory:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], single_writer: bool = False
    ) -> None:
        """`single_writer`: the database takes one writer at a time (SQLite)."""
        self._sessionmaker = sessionmaker
        self._writers = WriterQueue() if single_writer else None
        bind = sessionmaker.kw.get("bind")
        self._postgres = bind is not None and bind.dialect.name == "postgresql"

    def __call__(self, read_only: bool = False, one_statement: bool = False) -> UnitOfWork:
        """`read_only`: a use case that only looks (on SQLite it does not take the write lock;
        on PostgreSQL it runs without a transaction; it must not write).
        `one_statement`: a use case that writes in a single statement (on PostgreSQL it runs
        without a transaction, committed by the statement itself)."""
        return UnitOfWork(
            self._sessionmaker, read_only, self._writers, one_statement, self._postgres
        )
