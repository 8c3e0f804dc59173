"""Intake use cases: a conclusion or directive becomes a draft task list, corrected by replies and
confirmed with one press into tasks (through the same path as /giao); /vanban follows the
documents' tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.calendar import DeadlineError, DeadlineErrorCode
from bot.db.uow import UnitOfWork
from bot.domain.model import Attachment, Person, Role, SourceDocument, Task, Unit
from bot.domain.rules import Denied, can_assign, can_view_all
from bot.domain.unitnames import UnitDirectory
from bot.intake.drafting import (
    DRAFT_HOURS,
    CorrectionError,
    CorrectionErrorCode,
    Draft,
    DraftState,
    apply_corrections,
    blockers,
    items_from,
    parse_corrections,
    problems,
)
from bot.intake.extract import ExtractError, extract_text, precheck
from bot.intake.reading import ItemFlag, read_document
from bot.services.common import Actor, Core, Where
from bot.services.outbox import Outcome, Outgoing
from bot.services.tasks import NewTask, TaskService
from bot.text import drafts as show
from bot.text import render
from bot.text.catalog import t
from bot.text.render import esc

DOCUMENTS_LISTED = 30


class DownloadError(Exception):
    """The file could not be fetched (the adapter's own errors, translated)."""


@dataclass(frozen=True, slots=True)
class Upload:
    """A file to read, fetched only once the person may draft and the file looks readable."""

    file_id: str
    file_name: str | None
    size: int | None
    fetch: Callable[[], Awaitable[bytes]]


@dataclass(frozen=True, slots=True)
class Source:
    """What /giao answered: a message's text, or a file, and a link back to it."""

    text: str = ""
    upload: Upload | None = None
    link: str | None = None


class DraftService:
    def __init__(self, core: Core, tasks: TaskService) -> None:
        self.core = core
        self.tasks = tasks

    # --- making a draft ------------------------------------------------------------------------

    async def make(self, actor: Actor, where: Where, source: Source) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            person, lang, refusal = await self.tasks.gate(uow, actor, where)
            if person is None:
                return Outcome(refusal)
            if can_assign(person, 0) is Denied.NOT_ASSIGNER_ROLE:
                return Outcome(t("denied.not_assigner_role", lang))
            units = await uow.units.all()
            examples = render.examples(units)
        # Downloading and reading happen outside any transaction: they may take seconds.
        text = source.text
        attachment = None
        upload = source.upload
        if upload is not None:
            name = esc(upload.file_name or "")
            try:
                precheck(upload.file_name, upload.size)
                data = await upload.fetch()
                # A 20 MB PDF takes a while to read: not on the loop that serves everyone.
                text = await asyncio.to_thread(extract_text, data, upload.file_name)
            except ExtractError as error:
                return Outcome(t(f"extract.{error.code.value}", lang, name=name))
            except DownloadError:
                return Outcome(t("extract.download_failed", lang, name=name))
            attachment = Attachment(file_id=upload.file_id, file_name=upload.file_name)
        if not text.strip():
            return Outcome(t("draft.no_text", lang, **examples))
        now = core.clock.now()
        document = read_document(text, UnitDirectory(units), now, core.calendar)
        items = items_from(document)
        if not items:
            return Outcome(t("draft.no_items", lang, **examples))
        async with core.uow() as uow:
            if where.message_id is not None and not await uow.handled.claim(
                f"m:{where.chat_id}:{where.message_id}", now
            ):
                return Outcome()
            draft = await uow.drafts.add(
                author_id=person.id,
                chat_id=where.chat_id,
                header=document.header,
                items=items,
                created_at=now,
                expires_at=now + timedelta(hours=DRAFT_HOURS),
                attachment=attachment,
                source=source.link,
            )
            await uow.commit()
        message = Outgoing(
            chat_id=where.chat_id,
            text=self._text(draft, units, lang),
            buttons=show.draft_buttons(draft, lang),
            reply_to=where.message_id,
            draft=draft.id,
        )
        return Outcome(messages=[message], changed=True)

    async def record_message(self, draft_id: int, chat_id: int, message_id: int) -> None:
        async with self.core.uow() as uow:
            await uow.drafts.set_message(draft_id, message_id)
            await uow.commit()

    def _text(
        self, draft: Draft, units: Sequence[Unit], lang: str, footer: str | None = None
    ) -> str:
        by_id = {u.id: u for u in units}
        now = self.core.clock.now()
        known = frozenset(by_id)
        found = {item.n: problems(item, now, known) for item in draft.items}
        examples = render.examples(units)
        return show.draft_text(draft, found, by_id, self.core.config.tz, lang, footer, examples)

    def _edit(
        self, draft: Draft, units: Sequence[Unit], lang: str, footer: str | None = None
    ) -> list[Outgoing]:
        if draft.message_id is None:
            return []
        return [
            Outgoing(
                chat_id=draft.chat_id,
                text=self._text(draft, units, lang, footer),
                buttons=show.draft_buttons(draft, lang) if footer is None else (),
                edit_message_id=draft.message_id,
            )
        ]

    # --- the common start of a step on a draft -------------------------------------------------

    async def _open(
        self, uow: UnitOfWork, actor: Actor, where: Where, draft_id: int
    ) -> Outcome | tuple[Person, str, Draft, Person, list[Unit]]:
        """Who acts on which draft (locked), in the author's language, or the answer that stops
        it: not on the roster, not the author nor the office, the draft closed or expired."""
        person, lang, refusal = await self.tasks.gate(uow, actor, where)
        if person is None:
            return Outcome(refusal, alert=where.button)
        draft = await uow.drafts.get(draft_id, lock=True)
        author = await uow.people.get(draft.author_id) if draft else None
        if draft is None or author is None:
            return Outcome(t("button.stale", lang), alert=where.button)
        units = await uow.units.all()
        draft_lang = self.core.person_lang(author)
        if person.id != author.id and person.role is not Role.OFFICE:
            return Outcome(t("draft.denied", lang, who=esc(author.name)), alert=where.button)
        if draft.state is DraftState.EXPIRED:
            return Outcome(t("draft.expired", lang), alert=where.button)
        if draft.state is not DraftState.OPEN:
            return Outcome(t(f"draft.closed.{draft.state.value}", lang), alert=where.button)
        if draft.expired(self.core.clock.now()):
            footer = t("draft.footer.expired", draft_lang)
            outcome = Outcome(t("draft.expired", lang), alert=where.button)
            return outcome.send(*self._edit(draft, units, draft_lang, footer))
        return person, lang, draft, author, units

    # --- expiry ----------------------------------------------------------------------------------

    async def expired_edits(self) -> list[tuple[int, Outgoing | None]]:
        """Open drafts past their expiry, each with the edit that says so and removes its buttons
        (None when the draft's message was never recorded). The due-scan sends each edit, then
        calls `mark_expired`: a draft whose edit did not go out stays open and is tried again."""
        core = self.core
        async with core.uow() as uow:
            drafts = await uow.drafts.expired_open(core.clock.now())
            if not drafts:
                return []
            units = await uow.units.all()
            authors = {d.author_id: await uow.people.get(d.author_id) for d in drafts}
        out: list[tuple[int, Outgoing | None]] = []
        for draft in drafts:
            author = authors[draft.author_id]
            lang = core.person_lang(author) if author else core.config.language
            edits = self._edit(draft, units, lang, t("draft.footer.expired", lang))
            out.append((draft.id, edits[0] if edits else None))
        return out

    async def mark_expired(self, draft_id: int) -> bool:
        async with self.core.uow() as uow:
            done = await uow.drafts.expire(draft_id, self.core.clock.now())
            await uow.commit()
        return done

    # --- corrections ---------------------------------------------------------------------------

    async def on_reply(
        self, actor: Actor, where: Where, replied_to: int, text: str
    ) -> Outcome | None:
        """A reply to a draft corrects it. None when the replied message is not a draft."""
        async with self.core.uow() as uow:
            draft_id = await uow.drafts.by_message(where.chat_id, replied_to)
        if draft_id is None:
            return None
        return await self.correct(actor, where, draft_id, text)

    async def correct(self, actor: Actor, where: Where, draft_id: int, text: str) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, draft_id)
            if isinstance(opened, Outcome):
                return opened
            _, lang, draft, author, units = opened
            now = core.clock.now()
            local_now = now.astimezone(core.config.tz)
            try:
                corrections = parse_corrections(
                    text, UnitDirectory(units), local_now, core.calendar
                )
                items = apply_corrections(draft.items, corrections)
            except CorrectionError as error:
                return Outcome(self._bad_correction(error, draft, lang, units))
            if not await uow.handled.claim(f"m:{where.chat_id}:{where.message_id}", now):
                return Outcome()
            await uow.drafts.save_items(draft.id, items)
            await uow.commit()
        draft = replace(draft, items=items)
        lang_draft = core.person_lang(author)
        reply = t("draft.corrected", lang, count=len(corrections))
        return Outcome(reply, messages=self._edit(draft, units, lang_draft), changed=True)

    def _bad_correction(
        self, error: CorrectionError, draft: Draft, lang: str, units: Sequence[Unit]
    ) -> str:
        params: dict[str, object] = {
            "line": esc(render.clip(error.line, 120)),
            "line_no": error.line_no,
            **render.examples(units),
        }
        code = error.code
        if code is CorrectionErrorCode.UNKNOWN_UNIT:
            word = error.params.get("word", "")
            codes = error.params.get("suggestions", "")
            params["word"] = esc(render.clip(word, 60))
            params["suggest"] = t("draft.bad.suggest", lang, codes=esc(codes)) if codes else ""
        elif code is CorrectionErrorCode.DEADLINE:
            deadline = error.deadline or DeadlineError(DeadlineErrorCode.UNREADABLE)
            params["error"] = self.tasks.deadline_message(deadline, lang, error.line)
        elif code is CorrectionErrorCode.NO_ITEM:
            params["n"] = error.params.get("n", "")
            params["numbers"] = ", ".join(str(i.n) for i in draft.items) or "—"
        return t(f"draft.bad.{code.value}", lang, **params)

    # --- confirm and cancel ----------------------------------------------------------------------

    async def confirm(self, actor: Actor, where: Where, draft_id: int) -> Outcome:
        core = self.core
        tz = core.config.tz
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, draft_id)
            if isinstance(opened, Outcome):
                return opened
            person, lang, draft, author, units = opened
            now = core.clock.now()
            by_id = {u.id: u for u in units}
            if not draft.items:
                return Outcome(t("draft.blocked.empty", lang, **render.examples(units)))
            blocked: list[tuple[int, Sequence[ItemFlag]]] = []
            for item in draft.items:
                found = blockers(problems(item, now, frozenset(by_id)))
                if found:
                    blocked.append((item.n, found))
            if blocked:
                day = core.calendar.add_working_days(now.astimezone(tz).date(), 10)
                text = show.blocked_text(
                    blocked, lang, day.strftime("%d/%m"), render.examples(units)
                )
                return Outcome(text, alert=True)
            for item in draft.items:
                lead = by_id[item.lead_id or 0]
                if can_assign(author, lead.id) is not None:
                    return Outcome(
                        t(
                            "draft.denied.unit",
                            lang,
                            n=item.n,
                            unit=render.unit_name(lead),
                            who=esc(author.name),
                        ),
                        alert=True,
                    )
            document = await uow.documents.add(draft.header, draft.attachment, person.id, now)
            views = []
            for item in draft.items:
                new = NewTask(
                    content=item.content,
                    lead=by_id[item.lead_id or 0],
                    cooperating=tuple(
                        by_id[u] for u in item.cooperating_ids if u in by_id and u != item.lead_id
                    ),
                    due=item.due,
                    source=draft.source,
                    attachment=draft.attachment,
                    document_id=document.id,
                )
                views.append(
                    await self.tasks.create(uow, author, new, draft.chat_id, now, actor=person)
                )
            await uow.drafts.close(draft.id, DraftState.CONFIRMED, person.id, now, document.id)
            await uow.commit()
        codes = ", ".join(v.task.code for v in views)
        draft_lang = core.person_lang(author)
        footer = t(
            "draft.footer.confirmed",
            draft_lang,
            count=len(views),
            codes=codes,
            who=esc(person.name),
            when=render.when(now, tz),
        )
        messages = self._edit(draft, units, draft_lang, footer)
        summary = t("draft.confirmed", draft_lang, count=len(views), codes=codes)
        summary += t(
            "draft.confirmed.document",
            draft_lang,
            document=render.document_label(document, draft_lang),
            ref=show.document_ref(document),
        )
        without_group = sorted({v.lead.code for v in views if v.lead.chat_id is None})
        if without_group:
            summary += t(
                "draft.confirmed.no_group", draft_lang, units=esc(", ".join(without_group))
            )
        messages.append(Outgoing(chat_id=draft.chat_id, text=summary, reply_to=draft.message_id))
        # The document goes once to each lead unit's group, not once per task.
        sent_file: set[int] = set()
        for view in views:
            chat = view.lead.chat_id
            messages += self.tasks.announce(view, with_file=chat not in sent_file)
            if chat is not None:
                sent_file.add(chat)
        reply = t("draft.confirmed.short", lang, count=len(views))
        return Outcome(reply, messages=messages, changed=True)

    async def cancel(self, actor: Actor, where: Where, draft_id: int) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, draft_id)
            if isinstance(opened, Outcome):
                return opened
            person, lang, draft, author, units = opened
            now = core.clock.now()
            await uow.drafts.close(draft.id, DraftState.CANCELLED, person.id, now)
            await uow.commit()
        draft_lang = core.person_lang(author)
        footer = t(
            "draft.footer.cancelled",
            draft_lang,
            who=esc(person.name),
            when=render.when(now, core.config.tz),
        )
        messages = self._edit(draft, units, draft_lang, footer)
        return Outcome(t("draft.cancelled", lang), messages=messages, changed=True)

    # --- /vanban -------------------------------------------------------------------------------

    async def documents(self, actor: Actor, where: Where, ref: str) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            person, lang, refusal = await self.tasks.gate(uow, actor, where)
            if person is None:
                return Outcome(refusal)
            ref = ref.strip()
            if ref:
                found = await uow.documents.by_number(ref)
                if not found and ref.isdigit() and len(ref) < 10:
                    one = await uow.documents.get(int(ref))
                    found = [one] if one else []
            else:
                found = await uow.documents.recent(DOCUMENTS_LISTED)
            tasks = await uow.documents.tasks(d.id for d in found)
            units = {u.id: u for u in await uow.units.all(include_inactive=True)}
        # Everyone sees the documents; a unit's people see their own unit's tasks in them.
        if not can_view_all(person):
            tasks = {
                d: [task for task in ts if task.lead_unit_id == person.unit_id]
                for d, ts in tasks.items()
            }
            found = [d for d in found if tasks.get(d.id)]
        now = core.clock.now()
        if ref and not found:
            return Outcome(t("vanban.not_found", lang, ref=esc(render.clip(ref, 60))))
        if not found:
            return Outcome(t("vanban.empty", lang))
        if ref and len(found) == 1:
            return Outcome(self._one(found[0], tasks[found[0].id], units, lang, now))
        lines = [
            t(
                "vanban.item",
                lang,
                label=render.document_label(d, lang),
                summary=show.progress(tasks[d.id], now, lang),
            )
            for d in found
        ]
        head = [t("vanban.title", lang, count=len(found))]
        hint = t("vanban.hint", lang, ref=show.document_ref(found[0]))
        return Outcome(render.fit(head, lines, lang) + "\n\n" + hint)

    def _one(
        self,
        document: SourceDocument,
        tasks: list[Task],
        units: dict[int, Unit],
        lang: str,
        now: datetime,
    ) -> str:
        tz = self.core.config.tz
        head = [
            t(
                "vanban.one",
                lang,
                label=render.document_label(document, lang),
                summary=show.progress(tasks, now, lang),
            )
        ]
        if document.attachment is not None:
            name = esc(document.attachment.file_name or "—")
            head.append(t("vanban.attachment", lang, name=name))
        lines = []
        for task in tasks:
            lead = units.get(task.lead_unit_id)
            line = t(
                "list.item",
                lang,
                code=task.code,
                lead=esc(lead.code if lead else "?"),
                content=esc(render.clip(task.content, render.SHORT_LIMIT)),
                due=render.due_text(task.due, tz, lang),
                status=t(f"status.{task.status.value}", lang),
            )
            if task.is_open and task.due is not None and task.due < now:
                line += t("list.overdue", lang)
            lines.append(line)
        return render.fit(head, lines, lang)
