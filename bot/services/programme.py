"""The annual work programme: preview a workbook, import it in one transaction, and turn each
planned task into a real one (card, nudges) at the start of its month.

Planned tasks live in their own table until their moment comes; only then do they become rows
of `tasks`, through the same TaskService.create that /giao uses. So /viec, the tally and every
report, which read `tasks`, count a planned task only once it is active, with no filter to
forget."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.db.programme import NewItem, PlannedItem, ProgrammeImport
from bot.db.uow import UnitOfWork
from bot.domain.model import Person, Role, Unit
from bot.domain.unitnames import UnitDirectory
from bot.intake.programme import (
    FileProblem,
    Problem,
    Programme,
    ProgrammeFileError,
    read_programme,
)
from bot.services.common import Actor, Core, Where
from bot.services.outbox import Button, Outcome, Outgoing, enqueue
from bot.services.tasks import NewTask, TaskService
from bot.text import render
from bot.text.catalog import t
from bot.text.render import esc

IMPORTERS = frozenset({Role.OFFICE, Role.ADMIN})
# Who stands as the assigner of tasks imported from the command line, in this order.
CLI_ASSIGNERS = (Role.CHAIRMAN, Role.OFFICE, Role.ADMIN)
DRAFT_LIFETIME = timedelta(hours=24)
MAX_FILE = 20 * 1024 * 1024  # what a bot may fetch with getFile
ACTIVATE_CHUNK = 50  # planned tasks made real per transaction of the due-scan
CHAT_PROBLEMS = 25  # unreadable rows listed in a chat preview; the command line lists all


@dataclass(frozen=True, slots=True)
class SkippedRow:
    row: int
    due: datetime


@dataclass
class Preview:
    """What importing a file would do, as of now."""

    file_name: str
    sha256: str
    programme: Programme | None = None
    error: ProgrammeFileError | None = None
    items: list[NewItem] = field(default_factory=list)
    past: list[SkippedRow] = field(default_factory=list)  # rows whose every deadline has passed
    skipped_slots: int = 0  # past months of "Hàng tháng" rows, past quarters of "Hàng quý"
    already: ProgrammeImport | None = None
    units: dict[int, Unit] = field(default_factory=dict)
    directory: UnitDirectory | None = None
    # Tasks per month of their deadline as written (before a day off moves it), None: no deadline.
    months: Counter[tuple[int, int] | None] = field(default_factory=Counter)

    @property
    def can_import(self) -> bool:
        return self.already is None and self.error is None and bool(self.items)


@dataclass(frozen=True, slots=True)
class ImportResult:
    preview: Preview
    imported: int | None  # None: nothing imported (see preview.already / error / no items)
    refusal: str | None = None


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ProgrammeService:
    def __init__(self, core: Core, tasks: TaskService) -> None:
        self.core = core
        self.tasks = tasks

    # --- reading -------------------------------------------------------------------------------

    async def preview(self, data: bytes, file_name: str, year: int | None) -> Preview:
        async with self.core.uow() as uow:
            return await self._preview(uow, data, file_name, year)

    async def _preview(
        self, uow: UnitOfWork, data: bytes, file_name: str, year: int | None
    ) -> Preview:
        core = self.core
        now = core.clock.now()
        units = await uow.units.all()
        directory = UnitDirectory(units)
        preview = Preview(
            file_name=file_name,
            sha256=file_hash(data),
            units={u.id: u for u in units},
            directory=directory,
        )
        preview.already = await uow.programme.imported(preview.sha256)
        if preview.already is not None:
            return preview
        local_year = now.astimezone(core.config.tz).year
        try:
            programme = read_programme(data, directory, year, local_year)
        except ProgrammeFileError as exc:
            preview.error = exc
            return preview
        preview.programme = programme
        cal = core.calendar
        for row in programme.rows:
            kept = 0
            last_due: datetime | None = None
            for seq, period in enumerate(row.periods, start=1):
                due = cal.close_of(cal.roll(period.end)) if period.end is not None else None
                if due is not None and due < now:
                    last_due = due
                    continue
                active_from = cal.start_of_office(cal.next_working_day(period.start, True))
                if due is not None and active_from > due:
                    active_from = cal.start_of_office(due)
                kept += 1
                preview.months[(period.end.year, period.end.month) if period.end else None] += 1
                preview.items.append(
                    NewItem(
                        row_no=row.row,
                        seq=seq,
                        number=row.number[:32] or None,
                        content=row.content,
                        lead_unit_id=row.lead.id,
                        cooperating=tuple(u.id for u in row.cooperating),
                        coop_text=row.coop_text,
                        leader=row.leader,
                        note=row.note,
                        active_from=active_from,
                        due=due,
                    )
                )
            if kept == 0 and last_due is not None:
                preview.past.append(SkippedRow(row.row, last_due))
            elif kept < len(row.periods):
                preview.skipped_slots += len(row.periods) - kept
        return preview

    # --- importing -----------------------------------------------------------------------------

    async def import_file(
        self, data: bytes, file_name: str, year: int | None, expect: str | None = None
    ) -> ImportResult:
        """Import from the command line, in one transaction. The tasks are assigned in the
        chairman's name (else the office's, else an administrator's). `expect`: the hash of the
        file the preview was shown for."""
        async with self.core.uow() as uow:
            preview = await self._preview(uow, data, file_name, year)
            if not preview.can_import:
                return ImportResult(preview, None)
            assigner = await self._cli_assigner(uow)
            if assigner is None:
                lang = self.core.config.language
                return ImportResult(preview, None, t("programme.no_assigner", lang))
            now = self.core.clock.now()
            import_id = await uow.programme.add_import(
                preview.sha256, file_name, preview.programme.year if preview.programme else year,
                now, None,
            )  # fmt: skip
            count = await self._store(uow, import_id, preview, assigner.id, now)
            if count is None:
                return ImportResult(preview, None)
        return ImportResult(preview, count)

    async def _store(
        self, uow: UnitOfWork, import_id: int, preview: Preview, assigner_id: int, now: datetime
    ) -> int | None:
        """Record the import and its planned tasks and commit; None when the same file was
        imported meanwhile (the unique hash stops a second copy)."""
        await uow.programme.decide(
            import_id,
            "imported",
            now,
            imported_hash=preview.sha256,
            assigner_id=assigner_id,
            tasks=len(preview.items),
            year=preview.programme.year if preview.programme else None,
        )
        await uow.programme.add_items(import_id, preview.items)
        try:
            await uow.commit()
        except IntegrityError:
            return None
        return len(preview.items)

    @staticmethod
    async def _cli_assigner(uow: UnitOfWork) -> Person | None:
        for role in CLI_ASSIGNERS:
            people = [p for p in await uow.people.with_roles([role]) if p.active]
            if people:
                return min(people, key=lambda p: p.id)
        return None

    # --- rendering -----------------------------------------------------------------------------

    def render_preview(self, preview: Preview, lang: str, chat: bool) -> str:
        """The preview as HTML. In chat it fits one message (the unreadable rows cut short);
        on the command line every unreadable row is listed."""
        tz = self.core.config.tz
        name = esc(render.clip(preview.file_name, 80))
        if preview.already is not None:
            return t(
                "programme.already",
                lang,
                when=render.when(preview.already.decided_at or preview.already.created_at, tz),
                count=preview.already.tasks,
            )
        if preview.error is not None:
            return self.file_error(preview.error, name, lang)
        programme = preview.programme
        assert programme is not None
        lines = [t("programme.title", lang, year=programme.year, name=name)]
        how = t("programme.how.chat" if chat else "programme.how.cli", lang)
        lines.append(t(f"programme.year.{programme.year_from}", lang, year=programme.year, how=how))
        lines.append(
            t("programme.summary", lang, rows=len(programme.rows), tasks=len(preview.items))
        )
        if preview.items:
            per_unit = Counter(i.lead_unit_id for i in preview.items)
            units = preview.units
            ordered = sorted(per_unit.items(), key=lambda kv: (-kv[1], units[kv[0]].code))
            lines.append(
                t(
                    "programme.per_unit",
                    lang,
                    items=" · ".join(f"{esc(units[u].code)} {n}" for u, n in ordered),
                )
            )
            parts = [
                t("programme.month", lang, month=key[1], year=key[0], count=n)
                for key, n in sorted((k, n) for k, n in preview.months.items() if k is not None)
            ]
            no_deadline = preview.months.get(None, 0)
            if no_deadline:
                parts.append(t("programme.no_deadline", lang, count=no_deadline))
            lines.append(t("programme.per_month", lang, items=" · ".join(parts)))
            now = self.core.clock.now()
            ready = sum(1 for i in preview.items if i.active_from <= now)
            if ready:
                lines.append(t("programme.now_due", lang, count=ready))
        else:
            lines.append(t("programme.nothing", lang))
        if preview.skipped_slots:
            lines.append(t("programme.skipped_slots", lang, count=preview.skipped_slots))
        notes = self._note_lines(preview, lang)
        if notes:
            lines.append("")
            lines.append(t("programme.notes", lang, count=len(notes)))
            if chat and len(notes) > CHAT_PROBLEMS:
                rest = len(notes) - CHAT_PROBLEMS
                notes = [*notes[:CHAT_PROBLEMS], t("programme.notes.more", lang, count=rest)]
            lines += notes
        problems = self._problem_lines(preview, lang)
        if not problems:
            return "\n".join(lines)
        lines.append("")
        lines.append(t("programme.problems", lang, count=len(problems)))
        if not chat:
            return "\n".join(lines + problems)
        size = sum(len(line) + 1 for line in lines)
        for index, line in enumerate(problems):
            if index >= CHAT_PROBLEMS or size + len(line) > render.MESSAGE_BUDGET - 300:
                more = t("programme.problems.more", lang, count=len(problems) - index)
                lines.append(more)
                break
            lines.append(line)
            size += len(line) + 1
        return "\n".join(lines)

    def _note_lines(self, preview: Preview, lang: str) -> list[str]:
        """Rows kept with a cooperating body outside the roster, as a draft notes them (ℹ️)."""
        programme = preview.programme
        if programme is None:
            return []
        assert preview.directory is not None
        lines = []
        for note in programme.notes:
            codes = preview.directory.suggest(note.detail)
            suggest = t("programme.suggest", lang, codes=", ".join(codes)) if codes else ""
            detail = esc(render.clip(note.detail, 80))
            lines.append(t("programme.note", lang, row=note.row, detail=detail, suggest=suggest))
        return lines

    def _problem_lines(self, preview: Preview, lang: str) -> list[str]:
        programme = preview.programme
        if programme is None:
            return []
        tz = self.core.config.tz
        found: list[tuple[int, str]] = []
        for problem in programme.problems:
            suggest = ""
            if problem.problem is Problem.UNKNOWN_LEAD:
                assert preview.directory is not None
                codes = preview.directory.suggest(problem.detail)
                if codes:
                    suggest = t("programme.suggest", lang, codes=", ".join(codes))
            why = t(
                f"programme.why.{problem.problem.value}",
                lang,
                detail=esc(render.clip(problem.detail, 80)),
                suggest=suggest,
            )
            found.append((problem.row, why))
        for skipped in preview.past:
            day = skipped.due.astimezone(tz).strftime("%d/%m/%Y")
            found.append((skipped.row, t("programme.why.past", lang, date=day)))
        return [t("programme.problem", lang, row=row, why=why) for row, why in sorted(found)]

    @staticmethod
    def file_error(error: ProgrammeFileError, name: str, lang: str) -> str:
        if error.code is FileProblem.NOT_XLSX:
            return t("programme.not_xlsx", lang, name=name)
        missing = ", ".join(t(f"programme.column.{c.value}", lang) for c in error.missing)
        return t("programme.no_header", lang, name=name, missing=missing or "?")

    # --- the chat: /chuongtrinh with the workbook ----------------------------------------------

    async def _importer(
        self, uow: UnitOfWork, actor: Actor, where: Where
    ) -> tuple[Person | None, str, str | None]:
        core = self.core
        person = await core.person(uow, actor)
        lang = core.lang_of(person, actor)
        if person is None:
            key = "not_registered.short" if where.button else "not_registered"
            return None, lang, t(key, lang, telegram_id=actor.telegram_id)
        if not await core.chat_registered(uow, where):
            key = "unregistered_chat.short" if where.button else "unregistered_chat"
            return None, lang, t(key, lang, **await core.examples(uow))
        if person.role not in IMPORTERS:
            return None, lang, t("programme.denied", lang)
        return person, lang, None

    async def preview_chat(
        self,
        actor: Actor,
        where: Where,
        args: str,
        file_name: str | None,
        file_size: int | None,
        fetch: Callable[[], Awaitable[bytes]] | None,
    ) -> Outcome:
        """The office sent a workbook captioned /chuongtrinh: answer with the preview and the
        buttons to import it or not. Nothing is written but the draft the buttons point to."""
        async with self.core.uow() as uow:
            person, lang, refusal = await self._importer(uow, actor, where)
        if person is None:
            return Outcome(refusal)
        words = args.split()
        year: int | None = None
        if words:
            if len(words) > 1 or not words[0].isdigit() or not 2000 <= int(words[0]) <= 2100:
                return Outcome(t("programme.bad_year", lang, text=esc(render.clip(args, 40))))
            year = int(words[0])
        if fetch is None:
            return Outcome(t("programme.usage", lang))
        name = file_name or "?"
        if file_size is not None and file_size > MAX_FILE:
            return Outcome(t("programme.too_big", lang, size=file_size // (1024 * 1024)))
        if not name.lower().endswith((".xlsx", ".xlsm")):
            return Outcome(
                t("programme.not_xlsx", lang, name=esc(render.clip(name, 80)))
                + "\n\n"
                + t("programme.usage", lang)
            )
        try:
            data = await fetch()
        except Exception:  # the adapter's download failed: Telegram's error, not ours
            return Outcome(t("programme.download_failed", lang))
        now = self.core.clock.now()
        async with self.core.uow() as uow:
            preview = await self._preview(uow, data, name, year)
            text = self.render_preview(preview, lang, chat=True)
            if not preview.can_import:
                return Outcome(text)
            chosen = preview.programme.year if preview.programme else year
            draft = await uow.programme.add_import(
                preview.sha256, name, chosen, now, person.id, where.chat_id, data
            )
            await uow.commit()
        buttons = (
            (Button(t("programme.button.import", lang, count=len(preview.items)), f"pgy:{draft}"),),
            (Button(t("programme.button.cancel", lang), f"pgn:{draft}"),),
        )
        return Outcome(
            messages=[
                Outgoing(
                    chat_id=where.chat_id, text=text, buttons=buttons, reply_to=where.message_id
                )
            ]
        )

    async def decide(
        self, actor: Actor, where: Where, draft_id: int, message_id: int | None, confirm: bool
    ) -> Outcome:
        """A button under a preview: import it all (one transaction) or drop it."""
        core = self.core
        async with core.uow() as uow:
            person, lang, refusal = await self._importer(uow, actor, where)
            if person is None:
                return Outcome(refusal, alert=True)
            draft = await uow.programme.get(draft_id, lock=True)
            if draft is None:
                return Outcome(t("button.stale", lang), alert=True)
            if draft.state != "draft" or draft.content is None:
                return Outcome(t("programme.decided", lang), alert=True)
            now = core.clock.now()
            name = esc(render.clip(draft.file_name, 80))
            edit: list[Outgoing] = []
            if not confirm or now - draft.created_at > DRAFT_LIFETIME:
                await uow.programme.decide(draft.id, "cancelled", now)
                await uow.commit()
                key = "programme.cancelled" if not confirm else "programme.expired"
                if message_id is not None:
                    text = t(key, lang, name=name)
                    edit.append(
                        Outgoing(chat_id=where.chat_id, text=text, edit_message_id=message_id)
                    )
                short = "programme.cancelled.short" if not confirm else "programme.expired"
                return Outcome(t(short, lang), alert=confirm, messages=edit)
            preview = await self._preview(uow, draft.content, draft.file_name, draft.year)
            if not preview.can_import:
                await uow.programme.decide(draft.id, "cancelled", now)
                await uow.commit()
                text = self.render_preview(preview, lang, chat=True)
                return Outcome(
                    t("programme.not_confirmed", lang),
                    alert=True,
                    messages=self._edited(where, message_id, text),
                )
            count = await self._store(uow, draft.id, preview, person.id, now)
        if count is None:
            return Outcome(t("programme.decided", lang), alert=True)
        year = preview.programme.year if preview.programme else draft.year
        text = t("programme.imported.chat", lang, count=count, year=year)
        return Outcome(
            t("programme.imported.short", lang, count=count),
            messages=self._edited(where, message_id, text),
            changed=True,
        )

    @staticmethod
    def _edited(where: Where, message_id: int | None, text: str) -> list[Outgoing]:
        if message_id is None:
            return []
        return [Outgoing(chat_id=where.chat_id, text=text, edit_message_id=message_id)]

    # --- planned tasks becoming tasks ----------------------------------------------------------

    async def activate_due(self) -> int:
        """The due-scan's step: every planned task whose month has come becomes a task, with
        its card queued for the paced sender and its nudges planned, as /giao does. Idempotent:
        the item is marked in the transaction that creates its task, so a second scan, a crash
        or a restart never makes it twice. Only in office hours, like the nudges."""
        core = self.core
        now = core.clock.now()
        if not core.calendar.is_office_time(now):
            return 0
        lang = core.config.language
        total = 0
        while True:
            async with core.uow() as uow:
                items = await uow.programme.due(now, ACTIVATE_CHUNK)
                if not items:
                    return total
                units = await uow.units.by_ids(
                    {i.lead_unit_id for i in items} | {u for i in items for u in i.cooperating}
                )
                imports: dict[int, ProgrammeImport] = {}
                for import_id in {i.import_id for i in items}:
                    found = await uow.programme.get(import_id)
                    assert found is not None
                    imports[import_id] = found
                assigners = await uow.people.by_ids(
                    {s.assigner_id for s in imports.values() if s.assigner_id is not None}
                )
                for item in items:
                    source = imports[item.import_id]
                    assert source.assigner_id is not None
                    new = NewTask(
                        content=self._content(item, lang),
                        lead=units[item.lead_unit_id],
                        cooperating=tuple(units[u] for u in item.cooperating if u in units),
                        due=item.due,
                        source=self._source(item, source.year, lang),
                    )
                    view = await self.tasks.create(
                        uow, assigners[source.assigner_id], new, source.chat_id, now
                    )
                    if not await uow.programme.activated(item.id, view.task.id):
                        raise RuntimeError(f"planned task {item.id} was activated twice")
                    await enqueue(uow, f"programme:{item.id}", self.tasks.announce(view), now)
                await uow.commit()
            total += len(items)
            if len(items) < ACTIVATE_CHUNK:
                return total

    @staticmethod
    def _content(item: PlannedItem, lang: str) -> str:
        if item.coop_text:
            return f"{item.content}\n{t('programme.coop_class', lang, text=item.coop_text)}"
        return item.content

    @staticmethod
    def _source(item: PlannedItem, year: int | None, lang: str) -> str:
        text = t("programme.source", lang, year=year or "", row=item.row_no)
        if item.leader:
            text += t("programme.source.leader", lang, leader=item.leader)
        if item.note:
            text += t("programme.source.note", lang, note=item.note)
        return text

    # --- dondoc program show -------------------------------------------------------------------

    async def show(self, lang: str) -> str:
        """Planned tasks not yet assigned, per lead unit and month, each with its row."""
        tz = self.core.config.tz
        async with self.core.uow() as uow:
            items = await uow.programme.planned()
            counts = await uow.programme.counts()
            units = {u.id: u for u in await uow.units.all(include_inactive=True)}
        lines: list[str] = []
        if not items:
            lines.append(t("programme.show.none", lang))
        else:
            lines.append(t("programme.show.title", lang, count=len(items)))
            by_unit: dict[int, list[PlannedItem]] = defaultdict(list)
            for item in items:
                by_unit[item.lead_unit_id].append(item)
            for unit_id in sorted(by_unit, key=lambda u: units[u].code):
                unit = units[unit_id]
                group = by_unit[unit_id]
                lines.append("")
                lines.append(
                    t(
                        "programme.show.unit",
                        lang,
                        code=esc(unit.code),
                        name=esc(unit.name),
                        count=len(group),
                    )
                )
                by_month: dict[tuple[int, int], list[PlannedItem]] = defaultdict(list)
                for item in group:
                    start = item.active_from.astimezone(tz)
                    by_month[(start.year, start.month)].append(item)
                for (year, month), month_items in sorted(by_month.items()):
                    start = month_items[0].active_from
                    lines.append(
                        t(
                            "programme.show.month",
                            lang,
                            month=month,
                            year=year,
                            start=render.when(start, tz),
                            count=len(month_items),
                        )
                    )
                    for item in month_items:
                        due = (
                            item.due.astimezone(tz).strftime("%d/%m/%Y")
                            if item.due
                            else t("programme.show.no_due", lang)
                        )
                        lines.append(
                            t(
                                "programme.show.item",
                                lang,
                                row=item.row_no,
                                due=due,
                                content=esc(render.clip(" ".join(item.content.split()), 90)),
                            )
                        )
        if counts.get("active"):
            lines.append("")
            lines.append(t("programme.show.active", lang, count=counts["active"]))
        return "\n".join(lines)
