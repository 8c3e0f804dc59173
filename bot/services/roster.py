"""Roster use cases: importing the org file, binding group chats, invitations, languages."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from bot.db.tables import InviteRow
from bot.domain.model import UNIT_ROLES, Person, Role
from bot.domain.orgfile import TEXT_KEYS, OrgSpec, PersonSpec, UnitSpec
from bot.services.chasing import ChasingService
from bot.services.common import (
    CALENDAR,
    LEADERSHIP_CHAT,
    ORG_TEXT,
    POLICY,
    REPORTS,
    Actor,
    Core,
    Where,
)
from bot.services.outbox import Outcome
from bot.text import render
from bot.text.catalog import t

INVITE_DAYS = 7
LEADERSHIP_WORDS = ("lanhdao", "lanh dao", "lãnh đạo", "leadership")


@dataclass
class ImportReport:
    units_added: list[str] = field(default_factory=list)
    units_changed: list[str] = field(default_factory=list)
    people_added: list[str] = field(default_factory=list)
    people_changed: list[str] = field(default_factory=list)
    people_deactivated: list[str] = field(default_factory=list)
    leadership_changed: bool = False
    rules_changed: bool = False  # the policy: or calendar: section
    name_changed: bool = False  # the committee's name: or place:

    @property
    def changed(self) -> bool:
        return any(
            (
                self.units_added,
                self.units_changed,
                self.people_added,
                self.people_changed,
                self.people_deactivated,
                self.leadership_changed,
                self.rules_changed,
                self.name_changed,
            )
        )

    def summary(self, lang: str = "en") -> str:
        if not self.changed:
            return t("import.nothing", lang)
        parts = []
        for key, items in (
            ("import.units_added", self.units_added),
            ("import.units_changed", self.units_changed),
            ("import.people_added", self.people_added),
            ("import.people_changed", self.people_changed),
            ("import.people_deactivated", self.people_deactivated),
        ):
            if items:
                names = ", ".join(items[:10])
                parts.append(t(key, lang, count=len(items), names=names))
        if self.leadership_changed:
            parts.append(t("import.leadership", lang))
        if self.rules_changed:
            parts.append(t("import.rules", lang))
        if self.name_changed:
            parts.append(t("import.name", lang))
        return "; ".join(parts)


class RosterService:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def import_org(self, spec: OrgSpec, fingerprint: str | None = None) -> ImportReport:
        """Upsert units and people; deactivate people missing from the file. All or nothing.

        `fingerprint` (the file's, at every start): when the same file was imported last and
        the roster has not changed since (every change bumps its stamp), the import would
        change nothing, and is skipped."""
        report = ImportReport()
        async with self.core.uow() as uow:
            # Several instances started together each import the same file: one at a time, so
            # the later ones find the roster written (not a unique-key error at start-up).
            await uow.roster.lock_for_import()
            last = await uow.roster.imported() if fingerprint is not None else None
            if last is not None and last == f"{fingerprint}:{await uow.roster.stamp()}":
                return report
            before = {u.code.upper() for u in await uow.units.all(include_inactive=True)}
            ids: dict[str, int] = {}
            for spec_unit in spec.units:
                # A chat moving between units inside one import must not trip the unique index.
                if spec_unit.chat is not None:
                    holder = await uow.units.by_chat(spec_unit.chat)
                    if holder is not None and holder.code.upper() != spec_unit.code.upper():
                        await uow.units.clear_chat(spec_unit.chat)
                unit, changed = await uow.units.upsert(
                    spec_unit.code, spec_unit.name, spec_unit.aliases, spec_unit.chat
                )
                ids[unit.code.upper()] = unit.id
                if spec_unit.code.upper() not in before:
                    report.units_added.append(unit.code)
                elif changed:
                    report.units_changed.append(unit.code)
            known = {p.telegram_id for p in await uow.people.all(include_inactive=True)}
            for sp in spec.people:
                _, changed = await uow.people.upsert(
                    sp.telegram_id,
                    sp.name,
                    sp.role,
                    ids[sp.unit.upper()] if sp.unit else None,
                    [ids[c.upper()] for c in sp.supervises],
                    username=sp.username,
                    language=sp.language,
                )
                if sp.telegram_id not in known:
                    report.people_added.append(sp.name)
                elif changed:
                    report.people_changed.append(sp.name)
            gone = await uow.people.deactivate_missing(p.telegram_id for p in spec.people)
            report.people_deactivated = [p.name for p in gone]
            if spec.leadership_chat is not None:
                report.leadership_changed = await uow.settings.set(
                    LEADERSHIP_CHAT, str(spec.leadership_chat)
                )
            # The file is the source of truth for the chasing rules too: absent means defaults.
            rules_changed = False
            for key in (POLICY, CALENDAR):
                value = spec.extra.get(key)
                text = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
                rules_changed |= await uow.settings.set(key, text)
            report.rules_changed = rules_changed
            # The reports: section (weekly post, monthly report) is read when they are due.
            value = spec.extra.get(REPORTS)
            text = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
            report.rules_changed |= await uow.settings.set(REPORTS, text)
            # The committee's name and place, for the monthly report's heading.
            for key in TEXT_KEYS:
                report.name_changed |= await uow.settings.set(ORG_TEXT[key], spec.extra.get(key))
            if fingerprint is not None:
                # The stamp as the commit leaves it (it bumps it once if anything changed).
                stamp = await uow.roster.stamp() + (1 if uow.roster.changed_here else 0)
                await uow.roster.set_imported(f"{fingerprint}:{stamp}")
            await uow.commit()
        if rules_changed and await self.core.load_org_settings():
            await ChasingService(self.core).replan_all()
        return report

    async def export_org(self) -> OrgSpec:
        async with self.core.uow() as uow:
            units = await uow.units.all()
            people = await uow.people.all()
            leadership = await self.core.leadership_chat(uow)
            sections = {key: await uow.settings.get(key) for key in (POLICY, CALENDAR, REPORTS)}
            texts = {key: await uow.settings.get(ORG_TEXT[key]) for key in TEXT_KEYS}
        codes = {u.id: u.code for u in units}
        return OrgSpec(
            leadership_chat=leadership,
            units=tuple(UnitSpec(u.code, u.name, u.aliases, u.chat_id) for u in units),
            people=tuple(
                PersonSpec(
                    p.telegram_id,
                    p.name,
                    p.role,
                    codes.get(p.unit_id) if p.unit_id else None,
                    tuple(sorted(codes[s] for s in p.supervises if s in codes)),
                    p.username,
                    p.language,
                )
                for p in people
            ),
            extra={key: text for key, text in texts.items() if text}
            | {key: json.loads(text) for key, text in sections.items() if text},
        )

    def _is_admin(self, actor: Actor, person: Person | None) -> bool:
        return actor.telegram_id in self.core.config.admins or (
            person is not None and person.role is Role.ADMIN
        )

    async def register_chat(self, actor: Actor, where: Where, arg: str) -> Outcome:
        async with self.core.uow() as uow:
            person = await self.core.person(uow, actor)
            lang = self.core.lang_of(person, actor)
            if not self._is_admin(actor, person):
                if person is None:
                    return Outcome(t("not_registered", lang, telegram_id=actor.telegram_id))
                return Outcome(t("denied.not_admin", lang))
            if where.private:
                usage = t("usage.dangky", lang, **await self.core.examples(uow))
                return Outcome(t("registered.private", lang) + "\n" + usage)
            word = arg.strip()
            if not word:
                return Outcome(t("usage.dangky", lang, **await self.core.examples(uow)))
            if word.lower() in LEADERSHIP_WORDS:
                await uow.units.clear_chat(where.chat_id)
                await uow.settings.set(LEADERSHIP_CHAT, str(where.chat_id))
                await uow.commit()
                return Outcome(t("registered.leadership", lang), changed=True)
            directory = (await self.core.roster(uow)).directory
            unit = directory.find(word)
            if unit is None:
                return Outcome(render.unknown_unit(word, directory, lang, "usage.dangky"))
            if await self.core.leadership_chat(uow) == where.chat_id:
                await uow.settings.set(LEADERSHIP_CHAT, None)
            await uow.units.set_chat(unit.id, where.chat_id)
            # The bot is in the group again: if it is removed later, the admins hear of it anew.
            await uow.handled.release(f"refused:{where.chat_id}")
            await uow.commit()
        return Outcome(t("registered.unit", lang, unit=render.unit_name(unit)), changed=True)

    async def create_invite(self, actor: Actor, where: Where, args: str) -> Outcome:
        async with self.core.uow() as uow:
            person = await self.core.person(uow, actor)
            lang = self.core.lang_of(person, actor)
            allowed = self._is_admin(actor, person) or (
                person is not None and person.role is Role.OFFICE
            )
            if not allowed:
                if person is None:
                    return Outcome(t("not_registered", lang, telegram_id=actor.telegram_id))
                return Outcome(t("denied.not_inviter", lang))
            words = args.split()
            if not words:
                return Outcome(t("usage.moi", lang, **await self.core.examples(uow)))
            role_word = words[-1].lower() if len(words) > 1 else "staff"
            unit_text = " ".join(words[:-1]) if len(words) > 1 else words[0]
            try:
                role = Role(role_word)
            except ValueError:
                role = None
            if role is None or role not in UNIT_ROLES:
                return Outcome(
                    t("invite.bad_role", lang, role=render.echo(role_word))
                    + "\n"
                    + t("usage.moi", lang, **await self.core.examples(uow))
                )
            directory = (await self.core.roster(uow)).directory
            unit = directory.find(unit_text)
            if unit is None:
                return Outcome(render.unknown_unit(unit_text, directory, lang, "usage.moi"))
            now = self.core.clock.now()
            # Telegram delivers a message again when the bot died before confirming it: the
            # same /moi gets the same link back, not a second live invitation. The unit and role
            # are part of the key: the message edited to ask for another role is another ask.
            key = (
                f"m:{where.chat_id}:{where.message_id}:{unit.id}:{role.value}"
                if where.message_id
                else None
            )
            earlier = await uow.invites.by_request(key) if key else None
            if earlier is not None:
                token, expires = earlier.token, earlier.expires_at
            else:
                token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
                expires = now + timedelta(days=INVITE_DAYS)
                await uow.invites.add(
                    InviteRow(
                        token=token,
                        unit_id=unit.id,
                        role=role.value,
                        created_by=person.id if person else None,
                        created_at=now,
                        expires_at=expires,
                        request_key=key,
                    )
                )
                await uow.commit()
        link = f"https://t.me/{self.core.config.bot_username}?start={token}"
        return Outcome(
            t(
                "invite.link",
                lang,
                unit=render.unit_name(unit),
                role=t(f"role.{role.value}", lang),
                expires=render.when(expires, self.core.config.tz),
                link=link,
            ),
            changed=True,
        )

    async def start(self, actor: Actor, where: Where, payload: str) -> Outcome:
        """/start in a private chat: redeem an invitation, or note that the person can now be
        messaged privately."""
        now = self.core.clock.now()
        async with self.core.uow() as uow:
            person = await self.core.person(uow, actor)
            lang = self.core.lang_of(person, actor)
            if payload:
                invite = await uow.invites.get(payload)
                if invite is None or invite.used_at is not None or invite.expires_at < now:
                    return Outcome(t("start.invite_bad", lang))
                if person is not None:
                    # A link passed around a group must not turn a vice-chairman into staff:
                    # people already on the roster change role through the roster file.
                    if where.private and not person.can_dm:
                        await uow.people.set_can_dm(person.id, True)
                        await uow.commit()
                    return Outcome(
                        t(
                            "start.invite_known",
                            lang,
                            name=render.esc(person.name),
                            role=t(f"role.{person.role.value}", lang),
                        )
                    )
                invite.used_by = actor.telegram_id
                invite.used_at = now
                person, _ = await uow.people.upsert(
                    actor.telegram_id,
                    actor.name,
                    Role(invite.role),
                    invite.unit_id,
                    username=actor.username,
                    source="invite",
                )
                await uow.people.set_can_dm(person.id, where.private)
                unit = await uow.units.get(invite.unit_id) if invite.unit_id else None
                await uow.commit()
                return Outcome(
                    t(
                        "start.invite_ok",
                        lang,
                        name=render.esc(actor.name),
                        role=t(f"role.{person.role.value}", lang),
                        unit=t("unit_suffix", lang, unit=render.unit_name(unit)) if unit else "",
                    ),
                    changed=True,
                )
            if person is None:
                return Outcome(t("start.unknown", lang, telegram_id=actor.telegram_id))
            if where.private and not person.can_dm:
                await uow.people.set_can_dm(person.id, True)
                await uow.commit()
            unit = await uow.units.get(person.unit_id) if person.unit_id else None
        return Outcome(
            t(
                "start.known",
                lang,
                name=render.esc(person.name),
                role=t(f"role.{person.role.value}", lang),
                unit=t("unit_suffix", lang, unit=render.unit_name(unit)) if unit else "",
            )
        )

    async def cannot_message(self, person_id: int) -> None:
        """Telegram refused a private message (never started, or blocked): stop trying."""
        async with self.core.uow() as uow:
            await uow.people.set_can_dm(person_id, False)
            await uow.commit()

    async def person(self, person_id: int) -> Person | None:
        async with self.core.uow(read_only=True) as uow:
            return (await self.core.roster(uow)).people.get(person_id)

    async def admin_chats(self) -> list[int]:
        """Where to tell the administrators: DONDOC_ADMINS and the roster's admins."""
        async with self.core.uow(read_only=True) as uow:
            roster = await self.core.roster(uow)
        admins = {p.telegram_id for p in roster.by_telegram.values() if p.role is Role.ADMIN}
        return sorted(set(self.core.config.admins) | admins)

    async def set_language(self, actor: Actor, arg: str) -> Outcome:
        choice = arg.strip().lower()
        async with self.core.uow() as uow:
            person = await self.core.person(uow, actor)
            lang = self.core.lang_of(person, actor)
            if choice not in ("vi", "en"):
                return Outcome(t("usage.lang", lang))
            if person is None:
                return Outcome(t("not_registered", lang, telegram_id=actor.telegram_id))
            await uow.people.set_language(person.id, choice)
            await uow.commit()
        return Outcome(t("lang.set", choice), changed=True)

    async def usage(self, actor: Actor, key: str) -> str:
        """A command's usage line in the actor's language, its examples naming real units."""
        async with self.core.uow(read_only=True) as uow:
            person = (await self.core.roster(uow)).by_telegram.get(actor.telegram_id)
            examples = await self.core.examples(uow)
        return t(key, self.core.lang_of(person, actor), **examples)

    async def language_of(self, actor: Actor) -> str:
        async with self.core.uow(read_only=True) as uow:
            person = await self.core.person(uow, actor)
        return self.core.lang_of(person, actor)
