"""What every use case needs: who acts, where, in which language, and the deployment's choices."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.calendar import WorkCalendar
from bot.clock import Clock
from bot.db.instance import instance_id
from bot.db.uow import UnitOfWork, UnitOfWorkFactory
from bot.domain.model import Person, Role
from bot.domain.policy import Policy, calendar_overrides, policy_from
from bot.domain.roster import Roster
from bot.domain.rules import Visibility, may_see
from bot.text import render


@dataclass(frozen=True, slots=True)
class CoreConfig:
    language: str = "vi"
    review: bool = True
    admins: frozenset[int] = frozenset()  # Telegram ids from DONDOC_ADMINS
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    bot_username: str = "dondoc_bot"
    # The committee's name and place for the reports' heading when the roster has none
    # (DONDOC_ORG_NAME, DONDOC_ORG_PLACE).
    org_name: str = ""
    org_place: str = ""
    # This running instance, recorded on the messages it claims (start-up recovery).
    instance: str = field(default_factory=instance_id)
    visibility: Visibility = Visibility.PUBLIC


@dataclass(frozen=True, slots=True)
class Actor:
    """The Telegram user behind an update, as the adapter saw them."""

    telegram_id: int
    name: str
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class Where:
    chat_id: int
    private: bool
    message_id: int | None = None  # the message that triggered the use case
    button: bool = False  # a button press: answers must fit an alert (200 characters)


LEADERSHIP_CHAT = "leadership_chat"
POLICY = "policy"
CALENDAR = "calendar"
REPORTS = "reports"
# The roster's name: and place: (bot.domain.orgfile.TEXT_KEYS), under these settings.
ORG_TEXT = {"name": "org_name", "place": "org_place"}


@dataclass
class Core:
    """Shared plumbing for the services."""

    uow: UnitOfWorkFactory
    clock: Clock
    calendar: WorkCalendar
    config: CoreConfig
    policy: Policy = field(default_factory=Policy)
    _rules: tuple[str | None, str | None] = ("?", "?")
    _roster: Roster | None = None
    # The usage examples of the roster last asked for: every /giao's usage line names them.
    _examples: tuple[Roster | None, dict[str, str]] = (None, {})

    async def roster(self, uow: UnitOfWork) -> Roster:
        """The roster, from memory unless it changed since it was read (one cheap query for the
        version stamp, once per use case; any process's change bumps it)."""
        if uow.snapshot is not None and not uow.roster.changed_here:
            return uow.snapshot
        stamp = await uow.roster.stamp()
        if uow.roster.changed_here:
            # This very transaction changed it: read what it sees, and keep it to itself.
            return await uow.roster.load(stamp)
        roster = self._roster
        if roster is None or roster.stamp != stamp:
            roster = self._roster = await uow.roster.load(stamp)
        uow.snapshot = roster
        return roster

    def carry(self, uow: UnitOfWork, roster: Roster | None) -> None:
        """Let `uow` use the roster an earlier transaction of the same due-scan read, moments
        before: its stamp is read once per scan, not again by each write transaction. A roster
        changed in between is seen by the next scan, as if it had changed just after this one."""
        if roster is not None and uow.snapshot is None:
            uow.snapshot = roster

    async def load_org_settings(self, uow: UnitOfWork | None = None) -> bool:
        """Apply the roster file's `policy:` and `calendar:` sections stored at import. True
        when they differ from what this process had (an import may come from another process,
        such as `dondoc org import` while the bot runs). Read in `uow` when given (the
        due-scan's first transaction), else in a transaction of its own."""
        if uow is None:
            async with self.uow(read_only=True) as own:
                return await self.load_org_settings(own)
        # The reports' settings too: the due-scan's next step reads them in this transaction.
        found = await uow.settings.get_many((POLICY, CALENDAR, REPORTS))
        policy, calendar = found.get(POLICY), found.get(CALENDAR)
        if (policy, calendar) == self._rules:
            return False
        first_load = self._rules == ("?", "?")
        self._rules = (policy, calendar)
        self.policy = policy_from(json.loads(policy)) if policy else Policy()
        overrides = calendar_overrides(json.loads(calendar) if calendar else None)
        self.calendar = dataclasses.replace(
            self.calendar,
            days_off=overrides.days_off,
            working_days=overrides.working_days,
            roll_forward=overrides.roll_forward,
        )
        return not first_load

    async def person(self, uow: UnitOfWork, actor: Actor) -> Person | None:
        """Who acts, from the roster. Someone listed in DONDOC_ADMINS but not on the roster (the
        installer, on day one) is enrolled as an administrator the first time they act, so the
        tasks and history they create have a person behind them."""
        person = (await self.roster(uow)).by_telegram.get(actor.telegram_id)
        if person is None and actor.telegram_id in self.config.admins:
            if uow.read_only:
                # A reader must not write: enrol in a transaction of its own.
                async with self.uow() as writer:
                    person = await self._enrol(writer, actor)
                    await writer.commit()
            else:
                person = await self._enrol(uow, actor)
        return person

    @staticmethod
    async def _enrol(uow: UnitOfWork, actor: Actor) -> Person:
        person, _ = await uow.people.upsert(
            actor.telegram_id,
            actor.name or str(actor.telegram_id),
            Role.ADMIN,
            None,
            username=actor.username,
            source="settings",
        )
        return person

    def may_see(
        self, person: Person, actor: Actor, unit_id: int | None, cooperating: tuple[int, ...] = ()
    ) -> bool:
        """The visibility rule (rules.may_see) with this deployment's setting."""
        admin = actor.telegram_id in self.config.admins
        return may_see(person, self.config.visibility, unit_id, cooperating, admin)

    def lang_of(self, person: Person | None, actor: Actor | None = None) -> str:
        if person is not None and person.language:
            return person.language
        if actor is not None and actor.language_code:
            return "en" if actor.language_code.lower().startswith("en") else "vi"
        return self.config.language

    def person_lang(self, person: Person) -> str:
        return person.language or self.config.language

    async def leadership_chat(self, uow: UnitOfWork) -> int | None:
        return (await self.roster(uow)).leadership_chat

    async def examples(self, uow: UnitOfWork) -> dict[str, str]:
        """The roster's unit codes for the usage examples (catalog.t's ex_unit params)."""
        roster = await self.roster(uow)
        kept, found = self._examples
        if kept is not roster:
            found = render.examples(roster.units)
            self._examples = (roster, found)
        return dict(found)

    async def chat_registered(self, uow: UnitOfWork, where: Where) -> bool:
        if where.private:
            return True
        roster = await self.roster(uow)
        return where.chat_id in roster.by_chat or roster.leadership_chat == where.chat_id
