"""Task use cases: assign, acknowledge, report, review, extend, withdraw, reassign, look up."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from bot.calendar import (
    DeadlineError,
    DeadlineErrorCode,
    ParsedDeadline,
    WorkCalendar,
    extract_deadline,
    parse_deadline,
    roll_kind,
    weekday_name,
)
from bot.db.uow import UnitOfWork
from bot.domain.chain import build_chain
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
from bot.domain.rules import (
    Denied,
    ack_allowed,
    can_act_for_unit,
    can_assign,
    can_decide,
    can_manage,
    can_view_all,
    report_allowed,
    review_allowed,
)
from bot.domain.unitnames import UnitDirectory
from bot.services import prompts, reminders
from bot.services.common import Actor, Core, Where
from bot.services.decisions import DecisionService
from bot.services.outbox import Button, Outcome, Outgoing, PromptSpec
from bot.services.planning import plan_first, replan
from bot.text import render
from bot.text.catalog import t
from bot.text.render import TaskView, esc

TASK_PREFIX = "NV-"

LIST_SHOWN = 40  # open tasks /viec reads: more than one message holds


@dataclass(frozen=True, slots=True)
class Replied:
    """The message a /giao command answered: its text becomes the task's content."""

    text: str
    attachment: Attachment | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class NewTask:
    """What a task is made of before it has a code."""

    content: str
    lead: Unit
    cooperating: tuple[Unit, ...]
    due: datetime | None
    source: str | None = None
    attachment: Attachment | None = None
    document_id: int | None = None
    note: str | None = None  # the history's note, when not the content itself
    series: tuple[int, str] | None = None  # a recurring series' id and period (series.py)


def _bare_deadline(text: str, now: datetime, calendar: WorkCalendar) -> ParsedDeadline | None:
    if not text.strip():
        return None
    try:
        return parse_deadline(text, now, calendar)
    except DeadlineError:
        return None


_CODE_NUMBER = re.compile(r"[0-9]{1,12}")


def task_code(number: int) -> str:
    return f"{TASK_PREFIX}{number:04d}"


def normalize_code(text: str) -> str:
    """ "nv42", "NV-0042", "42" all name NV-0042."""
    raw = text.strip().upper().replace(" ", "")
    raw = raw.removeprefix("NV").lstrip("-_")
    # ASCII digits, and few: "²³" passes str.isdigit() but not int(), and a 5,000-digit number
    # is past what int() reads. Anything else is looked up as written, and not found.
    if _CODE_NUMBER.fullmatch(raw):
        return task_code(int(raw))
    return text.strip().upper()


def _attachment_title(replied: Replied | None) -> str:
    if replied is None or replied.attachment is None:
        return ""
    return replied.attachment.file_name or ""


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class RecurringStart(Protocol):
    """A recurring deadline read from /giao (bot/services/series.py): the first period's task is
    made by /giao itself, linked to the series this opens."""

    @property
    def content(self) -> str: ...

    @property
    def deadline(self) -> ParsedDeadline: ...

    async def open(
        self,
        uow: UnitOfWork,
        person: Person,
        lead: Unit,
        cooperating: Sequence[Unit],
        content: str,
        where: Where,
        now: datetime,
    ) -> tuple[int, str]:
        """Write the series; its id and the first task's period."""
        ...

    def confirmation(self, lang: str) -> str: ...


class Recurring(Protocol):
    def read(self, text: str, now: datetime, lang: str) -> RecurringStart | str | None:
        """The recurring deadline the text ends with, the answer that refuses it, or None."""
        ...


class TaskService:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.recurring: Recurring | None = None  # set by the container (bot/services/series.py)
        self.decisions = DecisionService(core)

    # --- shared lookups ----------------------------------------------------------------------

    async def _person(self, uow: UnitOfWork, actor: Actor) -> Person | None:
        return await self.core.person(uow, actor)

    async def _view(
        self,
        uow: UnitOfWork,
        task: Task,
        events: Sequence[TaskEvent] | None = None,
        now: datetime | None = None,
    ) -> TaskView:
        """The task with the names its texts need; with its history (`events`, already loaded
        by the caller), its chain of responsibility too (and, with `now`, what it waits on)."""
        roster = await self.core.roster(uow)
        units = roster.units_by_ids({task.lead_unit_id, *task.cooperating_unit_ids})
        people = roster.people
        if events is None and task.status is Status.DONE:
            events = await uow.tasks.events(task.id)
        approvals = [e for e in events or () if e.kind is EventKind.APPROVED]
        approval = approvals[-1] if approvals and task.status is Status.DONE else None
        chain = None
        if events is not None:
            hours = self.core.policy.unacknowledged_after_hours
            chain = build_chain(events, self.core.calendar, hours, task, now)
        document = await uow.documents.get(task.document_id) if task.document_id else None
        series = await uow.series.get(task.series_id) if task.series_id else None
        return TaskView(
            document=document,
            series=series,
            task=task,
            lead=units[task.lead_unit_id],
            cooperating=tuple(units[u] for u in task.cooperating_unit_ids if u in units),
            assigner=people[task.assigner_id],
            acknowledged_by=people.get(task.acknowledged_by) if task.acknowledged_by else None,
            reported_by=people.get(task.reported_by) if task.reported_by else None,
            heads=roster.of_unit(task.lead_unit_id, [Role.HEAD]),
            approved_by=people.get(approval.actor_id or 0) if approval else None,
            approved_at=approval.at if approval else None,
            events=tuple(events) if events is not None else None,
            chain=chain,
            people=people,
            units=roster.all_units,
            office_day=self.core.calendar.office_day(),
            expected_hours=self.core.policy.unacknowledged_after_hours,
        )

    async def _record(
        self,
        uow: UnitOfWork,
        events: list[TaskEvent],
        task_id: int,
        kind: EventKind,
        actor_id: int | None,
        at: datetime,
        before: Mapping[str, object] | None = None,
        after: Mapping[str, object] | None = None,
        note: str | None = None,
    ) -> None:
        """A step into the history, and into the events already loaded (the chain the cards
        show is built from them without reading the history again)."""
        old, new = dict(before or {}), dict(after or {})
        await uow.tasks.add_event(task_id, kind, actor_id, at, before=old, after=new, note=note)
        events.append(TaskEvent(0, task_id, kind, actor_id, at, old, new, note))

    async def _find_task(self, uow: UnitOfWork, ref: str | int) -> Task | None:
        """The task, locked for the rest of the use case (unless it only reads): its checks and
        its change are one."""
        lock = not uow.read_only
        # The same statement reads what the use case asks next (bot.db.hints): the roster's
        # stamp, a pending extension, reminders carrying the task's buttons.
        if isinstance(ref, int):
            return await uow.tasks.get(ref, lock=lock, hints=True)
        return await uow.tasks.by_code(normalize_code(ref), lock=lock, hints=True)

    def _local_now(self) -> datetime:
        return self.core.clock.now().astimezone(self.core.config.tz)

    def _denied(self, denied: Denied, lang: str, task: Task | None, view: TaskView | None) -> str:
        params: dict[str, object] = {}
        if task is not None:
            params["code"] = task.code
            params["status"] = t(f"status.{task.status.value}", lang).lower()
        if view is not None:
            params["unit"] = render.unit_name(view.lead)
            if view.acknowledged_by and task and task.acknowledged_at:
                params["who"] = esc(view.acknowledged_by.name)
                params["when"] = render.when(task.acknowledged_at, self.core.config.tz)
        return t(f"denied.{denied.value}", lang, **params)

    def _deadline_error(self, exc: DeadlineError, lang: str, text: str) -> str:
        """The parser's own finding (which date passed, which weekday disagrees) quoted back,
        rather than the whole command: "“20/11/2026” vừa qua" says what to fix."""
        params = exc.params
        day = self.core.calendar.add_working_days(self._local_now().date(), 5)
        key = f"deadline.{exc.code.value}"
        if exc.code is DeadlineErrorCode.AMBIGUOUS and "next" in params:
            key += ".recent"
        elif exc.code is DeadlineErrorCode.AMBIGUOUS and "weekday" in params:
            key += ".weekday"
        elif exc.code is DeadlineErrorCode.INVALID_DATE and "date" not in params:
            key = "deadline.invalid_time" if "time" in params else key
        quoted = params.get("date") or params.get("offset") or params.get("text") or text
        if "time" in params:
            quoted = f"{params['time']} {params['date']}" if "date" in params else params["time"]
        return t(
            key,
            lang,
            text=esc(render.clip(quoted, 200)),
            example=day.strftime("%d/%m/%Y"),
            next=params.get("next", ""),
            written=weekday_name(int(params.get("weekday", "1")), lang),
            actual=weekday_name(int(params.get("date_weekday", "1")), lang),
        )

    def deadline_message(self, exc: DeadlineError, lang: str, text: str) -> str:
        """The answer to a deadline that could not be taken, for the other services."""
        return self._deadline_error(exc, lang, text)

    async def _refresh_cards(self, uow: UnitOfWork, view: TaskView) -> list[Outgoing]:
        """Every card of the task, edited in place to show where it stands now; and the
        reminders about it, whose buttons follow."""
        out = []
        for chat_id, message_id, kind in await uow.tasks.messages(view.task.id):
            if not kind.startswith("card"):
                continue
            lang = kind.partition(":")[2] or self.core.config.language
            out.append(
                Outgoing(
                    chat_id=chat_id,
                    text=render.card(view, lang, self.core.config.tz, shown_in=chat_id),
                    buttons=render.card_buttons(view.task, lang),
                    edit_message_id=message_id,
                )
            )
        return out + await reminders.follow(self.core, uow, view.task)

    async def _clear_prompt_buttons(
        self, uow: UnitOfWork, task_id: int | None = None, extension_id: int | None = None
    ) -> list[Outgoing]:
        rows = (
            await uow.prompts.for_extension(extension_id)
            if extension_id is not None
            else await uow.prompts.for_task(task_id or 0, "review")
        )
        return [
            Outgoing(chat_id=r.chat_id, text="", edit_message_id=r.message_id, markup_only=True)
            for r in rows
        ]

    async def _tell(
        self,
        uow: UnitOfWork,
        person: Person,
        task: Task,
        text_for: dict[str, str] | None = None,
        key: str = "",
        prompt: PromptSpec | None = None,
        buttons_for: dict[str, tuple[tuple[Button, ...], ...]] | None = None,
        **params: object,
    ) -> list[Outgoing]:
        """A message for one person: privately when they can receive it, otherwise in the
        leadership group (with a mention), otherwise where the task was assigned."""
        if person.can_dm:
            lang = self.core.person_lang(person)
            chat_id = person.telegram_id
            prefix = ""
        else:
            lang = self.core.config.language
            chat = await self.core.leadership_chat(uow) or task.origin_chat_id
            if chat is None:
                return []
            chat_id = chat
            prefix = render.mention(person) + " "
        text = text_for[lang] if text_for else t(key, lang, **params)
        buttons = buttons_for[lang] if buttons_for else ()
        return [
            Outgoing(
                chat_id=chat_id,
                text=prefix + text,
                buttons=buttons,
                prompt=prompt,
                private_to=person.id if person.can_dm else None,
            )
        ]

    async def _to_lead_group(self, view: TaskView, key: str, **params: object) -> list[Outgoing]:
        if view.lead.chat_id is None:
            return []
        lang = self.core.config.language
        return [Outgoing(chat_id=view.lead.chat_id, text=t(key, lang, **params))]

    async def _gate(
        self, uow: UnitOfWork, actor: Actor, where: Where
    ) -> tuple[Person | None, str, str | None]:
        """Who is acting, in which language, or why they may not."""
        person = await self._person(uow, actor)
        lang = self.core.lang_of(person, actor)
        if person is None:
            key = "not_registered.short" if where.button else "not_registered"
            return None, lang, t(key, lang, telegram_id=actor.telegram_id)
        if not await self.core.chat_registered(uow, where):
            key = "unregistered_chat.short" if where.button else "unregistered_chat"
            return None, lang, t(key, lang, **await self.core.examples(uow))
        return person, lang, None

    async def gate(
        self, uow: UnitOfWork, actor: Actor, where: Where
    ) -> tuple[Person | None, str, str | None]:
        """The same check for the other services' use cases."""
        return await self._gate(uow, actor, where)

    async def _open(
        self, uow: UnitOfWork, actor: Actor, where: Where, ref: str | int
    ) -> Outcome | tuple[Person, str, Task, TaskView]:
        """The common start of a task's use case: who acts, in which language, on which task
        (locked), or the answer that stops it."""
        # The task first: its statement also reads the roster's stamp, which the gate needs.
        # The gate's refusal still comes first.
        task = await self._find_task(uow, ref)
        person, lang, refusal = await self._gate(uow, actor, where)
        if person is None:
            return Outcome(refusal, alert=where.button)
        if task is None:
            code = esc(render.clip(str(ref), 40))
            return Outcome(t("task_not_found", lang, code=code), alert=where.button)
        # The history, read once: the chain on the cards the use case refreshes is built from it.
        return person, lang, task, await self._view(uow, task, await uow.tasks.events(task.id))

    @staticmethod
    async def _first_time(uow: UnitOfWork, where: Where, now: datetime) -> bool:
        """False when this very message was handled before (Telegram delivered it twice)."""
        if where.message_id is None:
            return True
        return await uow.handled.claim(f"m:{where.chat_id}:{where.message_id}", now)

    # --- assign ------------------------------------------------------------------------------

    async def assign(
        self, actor: Actor, where: Where, args: str, replied: Replied | None = None
    ) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            person, lang, refusal = await self._gate(uow, actor, where)
            if person is None:
                return Outcome(refusal)
            if (denied := can_assign(person, 0)) is Denied.NOT_ASSIGNER_ROLE:
                return Outcome(self._denied(denied, lang, None, None))
            examples = await core.examples(uow)
            if not args.strip():
                return Outcome(t("usage.giao", lang, **examples))
            directory = (await core.roster(uow)).directory
            match = directory.parse_list(args)
            if match.unknown is not None or not match.units:
                word = match.unknown or args.split()[0]
                return Outcome(render.unknown_unit(word, directory, lang, "usage.giao"))
            lead, cooperating = match.units[0], match.units[1:]
            if (denied := can_assign(person, lead.id)) is not None:
                return Outcome(t(f"denied.{denied.value}", lang, unit=render.unit_name(lead)))
            now = core.clock.now()
            local_now = now.astimezone(core.config.tz)
            # "hạn ngày 20 hàng tháng": a recurring series, whose first task is made here.
            start = self.recurring.read(match.rest, local_now, lang) if self.recurring else None
            if isinstance(start, str):
                return Outcome(start)
            try:
                content, deadline = (
                    (start.content, start.deadline)
                    if start
                    else extract_deadline(
                        match.rest,
                        local_now,
                        core.calendar,
                        strict=True,
                        content_elsewhere=replied is not None,
                    )
                )
                if deadline is None and replied is not None:
                    # "/giao TCKH 15/12" as a reply: the arguments may be the deadline alone.
                    deadline = _bare_deadline(content, local_now, core.calendar)
                    if deadline is not None:
                        content = ""
                if deadline is None and replied is not None:
                    _, deadline = extract_deadline(replied.text, local_now, core.calendar)
            except DeadlineError as exc:
                return Outcome(self._deadline_error(exc, lang, match.rest))
            if replied is not None:
                content = "\n".join(p for p in (content.strip(), replied.text.strip()) if p)
            content = content.strip()
            if not content and not (replied and replied.attachment):
                usage = t("usage.giao", lang, **examples)
                return Outcome(t("missing_content", lang) + "\n\n" + usage)
            if deadline is None:
                usage = t("usage.giao", lang, **examples)
                return Outcome(t("missing_deadline", lang) + "\n\n" + usage)
            if not await self._first_time(uow, where, now):
                return Outcome()
            content_or_file = content or _attachment_title(replied)
            series = (
                await start.open(uow, person, lead, cooperating, content_or_file, where, now)
                if start
                else None
            )
            new = NewTask(
                content=content_or_file,
                lead=lead,
                cooperating=tuple(cooperating),
                due=deadline.due,
                source=replied.link if replied else None,
                attachment=replied.attachment if replied else None,
                note=content,
                series=series,
            )
            view = await self.create(uow, person, new, where.chat_id, now)
            await uow.commit()
        outcome = self._assigned_outcome(view, deadline, lang)
        if start is not None and outcome.reply is not None:
            outcome.reply += start.confirmation(lang)
        return outcome

    async def create(
        self,
        uow: UnitOfWork,
        assigner: Person,
        new: NewTask,
        origin_chat_id: int | None,
        now: datetime,
        actor: Person | None = None,
    ) -> TaskView:
        """One task inside the caller's transaction: its code, its history, its nudges. /giao
        and a confirmed draft both come through here; `announce` says it afterwards. `actor` is
        who pressed the button when that is not the assigner (the office confirming a draft)."""
        code = task_code(await uow.tasks.next_number())
        task = await uow.tasks.add(
            Task(
                id=0,
                code=code,
                content=new.content,
                lead_unit_id=new.lead.id,
                cooperating_unit_ids=tuple(u.id for u in new.cooperating),
                assigner_id=assigner.id,
                status=Status.ASSIGNED,
                created_at=now,
                original_due=new.due,
                due=new.due,
                source=new.source,
                origin_chat_id=origin_chat_id,
                attachment=new.attachment,
                document_id=new.document_id,
                series_id=new.series[0] if new.series else None,
                series_period=new.series[1] if new.series else None,
            )
        )
        events: list[TaskEvent] = []
        await self._record(
            uow,
            events,
            task.id,
            EventKind.ASSIGNED,
            (actor or assigner).id,
            now,
            after={
                "lead_unit_id": new.lead.id,
                "cooperating": [u.id for u in new.cooperating],
                "due": _iso(new.due),
            },
            note=(new.content if new.note is None else new.note)[:500],
        )
        view = await self._view(uow, task, events)
        await plan_first(self.core, uow, task, now)
        return view

    def _assigned_outcome(self, view: TaskView, deadline: ParsedDeadline, lang: str) -> Outcome:
        tz = self.core.config.tz
        task = view.task
        coop = (
            t("assigned.coop", lang, units=", ".join(render.unit_name(u) for u in view.cooperating))
            if view.cooperating
            else ""
        )
        reply = t(
            "assigned",
            lang,
            code=task.code,
            lead=render.unit_name(view.lead),
            coop=coop,
            due=render.due_text(task.due, tz, lang),
        )
        if deadline.rolled_from is not None and task.due is not None:
            cal = self.core.calendar
            kind = roll_kind(deadline.rolled_from, cal.to_local(task.due).date(), cal.day_off_rule)
            reply += t(f"rolled.{kind}", lang, day=deadline.rolled_from.strftime("%d/%m/%Y"))
        if view.lead.chat_id is None:
            reply += "\n" + t(
                "assigned.no_group", lang, unit=render.unit_name(view.lead), code=view.lead.code
            )
        return Outcome(reply, changed=True).send(*self.announce(view))

    def announce(self, view: TaskView, with_file: bool = True) -> list[Outgoing]:
        """What a new task sends: the card to the lead unit (and its heads), the attached file,
        a notice to each cooperating unit."""
        task = view.task
        tz = self.core.config.tz
        out = self._card_messages_sync(view)
        if with_file and task.attachment is not None and view.lead.chat_id is not None:
            out.append(
                Outgoing(
                    chat_id=view.lead.chat_id,
                    text=f"📎 <b>{task.code}</b>",
                    document=task.attachment,
                )
            )
        group_lang = self.core.config.language
        for unit in view.cooperating:
            if unit.chat_id is not None:
                out.append(
                    Outgoing(
                        chat_id=unit.chat_id,
                        text=t(
                            "coop_notice",
                            group_lang,
                            code=task.code,
                            lead=render.unit_name(view.lead),
                            content=esc(render.card_content(task)),
                            due=render.due_text(task.due, tz, group_lang),
                        ),
                    )
                )
                out.extend(self._full_text(task, unit.chat_id, group_lang))
        return out

    def _card_messages_sync(self, view: TaskView) -> list[Outgoing]:
        out = []
        group_lang = self.core.config.language
        tz = self.core.config.tz
        if view.lead.chat_id is not None:
            out.append(
                Outgoing(
                    chat_id=view.lead.chat_id,
                    text=render.card(view, group_lang, tz, shown_in=view.lead.chat_id),
                    buttons=render.card_buttons(view.task, group_lang),
                    track=(view.task.id, f"card:{group_lang}"),
                )
            )
            out += self._full_text(view.task, view.lead.chat_id, group_lang)
        for head in view.heads:
            if head.can_dm:
                lang = self.core.person_lang(head)
                out.append(
                    Outgoing(
                        chat_id=head.telegram_id,
                        text=render.card(view, lang, tz, shown_in=head.telegram_id),
                        buttons=render.card_buttons(view.task, lang),
                        track=(view.task.id, f"card:{lang}"),
                        private_to=head.id,
                    )
                )
                out += self._full_text(view.task, head.telegram_id, lang, private_to=head.id)
        return out

    @staticmethod
    def _full_text(
        task: Task, chat_id: int, lang: str, private_to: int | None = None
    ) -> list[Outgoing]:
        """A content too long for the card, whole, in the messages that follow it."""
        return [
            Outgoing(chat_id=chat_id, text=piece, private_to=private_to)
            for piece in render.full_text(task, lang)
        ]

    async def record_message(self, task_id: int, chat_id: int, message_id: int, kind: str) -> None:
        async with self.core.uow(one_statement=True) as uow:
            await uow.tasks.add_message(task_id, chat_id, message_id, kind)
            await uow.commit()

    async def record_prompt(self, spec: PromptSpec, chat_id: int, message_id: int) -> None:
        async with self.core.uow(one_statement=True) as uow:
            await uow.prompts.add(
                chat_id,
                message_id,
                spec.kind,
                self.core.clock.now(),
                task_id=spec.task_id,
                extension_id=spec.extension_id,
                person_id=spec.person_id,
            )
            await uow.commit()

    # --- acknowledge -------------------------------------------------------------------------

    async def acknowledge(self, actor: Actor, where: Where, ref: str | int) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, ref)
            if isinstance(opened, Outcome):
                return opened
            person, lang, task, view = opened
            denied = can_act_for_unit(person, task) or ack_allowed(task)
            if denied is not None:
                return Outcome(self._denied(denied, lang, task, view), alert=True)
            now = core.clock.now()
            task = replace(
                task, status=Status.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=person.id
            )
            await uow.tasks.save(task, now)
            events = list(view.events or ())
            await self._record(
                uow,
                events,
                task.id,
                EventKind.ACKNOWLEDGED,
                person.id,
                now,
                before={"status": Status.ASSIGNED.value},
                after={"status": Status.ACKNOWLEDGED.value},
            )
            view = await self._view(uow, task, events)
            messages = await self._refresh_cards(uow, view)
            messages += await self._tell(
                uow,
                view.assigner,
                task,
                key="ack.notice",
                who=esc(person.name),
                unit=render.unit_name(view.lead),
                code=task.code,
                when=render.when(now, core.config.tz),
            )
            await replan(self.core, uow, task, now, events)
            await uow.commit()
        return Outcome(
            t("ack.done", lang, unit=render.unit_name(view.lead), code=task.code),
            messages=messages,
            changed=True,
        )

    # --- report ------------------------------------------------------------------------------

    async def ask_report(self, actor: Actor, where: Where, task_id: int) -> Outcome:
        """The "Báo cáo kết quả" button: ask for the result with a ForceReply prompt."""
        return await self._ask(actor, where, task_id, "report", "report.prompt", unit_side=True)

    async def _ask(
        self, actor: Actor, where: Where, task_id: int, kind: str, key: str, unit_side: bool
    ) -> Outcome:
        async with self.core.uow(read_only=True) as uow:
            person, lang, refusal = await self._gate(uow, actor, where)
            if person is None:
                return Outcome(refusal, alert=True)
            task = await uow.tasks.get(task_id)
            if task is None:
                return Outcome(t("button.stale", lang), alert=True)
            view = await self._view(uow, task)
            if unit_side:
                denied = can_act_for_unit(person, task)
                if denied is None and kind == "report":
                    denied = report_allowed(task)
                if denied is None and kind == "extension":
                    if task.due is None:
                        return Outcome(
                            t("denied.no_deadline_to_extend", lang, code=task.code), True
                        )
                    if await uow.extensions.pending_for(task.id) is not None:
                        return Outcome(t("denied.extension_pending", lang, code=task.code), True)
            else:
                denied = can_decide(person, task) or review_allowed(task)
            if denied is not None:
                return Outcome(self._denied(denied, lang, task, view), alert=True)
        prompt = Outgoing(
            chat_id=where.chat_id,
            text=t(key, lang, who=render.mention(person), code=task.code),
            force_reply=True,
            prompt=PromptSpec(kind, person.id, task.id),
        )
        return Outcome(None, messages=[prompt])

    async def report(
        self,
        actor: Actor,
        where: Where,
        ref: str | int,
        text: str,
        attachment: Attachment | None = None,
    ) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, ref)
            if isinstance(opened, Outcome):
                return opened
            person, lang, task, view = opened
            denied = can_act_for_unit(person, task) or report_allowed(task)
            if denied is not None:
                return Outcome(self._denied(denied, lang, task, view))
            text = text.strip()
            if not text and attachment is None:
                return Outcome(t("empty_report", lang) + "\n" + t("usage.xong", lang))
            now = core.clock.now()
            if not await self._first_time(uow, where, now):
                return Outcome()
            before = {"status": task.status.value}
            task = replace(
                task,
                status=Status.REPORTED if core.config.review else Status.DONE,
                reported_at=now,
                reported_by=person.id,
                result=text or (attachment.file_name if attachment else None),
                result_attachment=attachment,
                # An unacknowledged task that reports has, in practice, been taken on.
                acknowledged_at=task.acknowledged_at or now,
                acknowledged_by=task.acknowledged_by or person.id,
                completed_at=None if core.config.review else now,
            )
            await uow.tasks.save(task, now)
            events = list(view.events or ())
            if before["status"] == Status.ASSIGNED.value:
                await self._record(
                    uow,
                    events,
                    task.id,
                    EventKind.ACKNOWLEDGED,
                    person.id,
                    now,
                    before={"status": Status.ASSIGNED.value},
                    after={"status": Status.ACKNOWLEDGED.value},
                )
            await self._record(
                uow,
                events,
                task.id,
                EventKind.REPORTED,
                person.id,
                now,
                before=before,
                after={
                    "status": task.status.value,
                    "file": attachment.file_name if attachment else None,
                },
                note=text or (attachment.file_name if attachment else None),
            )
            view = await self._view(uow, task, events)
            messages = await self._refresh_cards(uow, view)
            result_html = esc(render.clip(task.result or "", 1500))
            if attachment is not None and text:
                result_html += "\n📎 " + esc(attachment.file_name or "")
            tz = core.config.tz
            if core.config.review:
                review = await self._tell(
                    uow,
                    view.assigner,
                    task,
                    text_for=prompts.review_texts(core, view),
                    prompt=PromptSpec("review", view.assigner.id, task.id),
                    buttons_for={lg: render.review_buttons(task, lg) for lg in ("vi", "en")},
                )
                messages += review
                reply = t("report.received", lang, code=task.code)
            else:
                review = await self._tell(
                    uow,
                    view.assigner,
                    task,
                    key="report.done_notice",
                    code=task.code,
                    unit=render.unit_name(view.lead),
                    when=render.when(now, tz),
                    result=result_html,
                )
                messages += review
                reply = t("report.completed", lang, code=task.code)
            if attachment is not None:
                messages += [
                    Outgoing(chat_id=m.chat_id, text=f"📎 <b>{task.code}</b>", document=attachment)
                    for m in review
                ]
            await replan(self.core, uow, task, now, events)
            await uow.commit()
        return Outcome(reply, messages=messages, changed=True)

    # --- review ------------------------------------------------------------------------------

    async def approve(self, actor: Actor, where: Where, ref: str | int) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, ref)
            if isinstance(opened, Outcome):
                return opened
            person, lang, task, view = opened
            denied = can_decide(person, task) or review_allowed(task)
            if denied is not None:
                return Outcome(self._denied(denied, lang, task, view), alert=True)
            now = core.clock.now()
            reviewed = prompts.review_texts(core, view)
            # The completion time is when the unit reported, not when the leader got round to it.
            task = replace(task, status=Status.DONE, completed_at=task.reported_at or now)
            await uow.tasks.save(task, now)
            events = list(view.events or ())
            await self._record(
                uow,
                events,
                task.id,
                EventKind.APPROVED,
                person.id,
                now,
                before={"status": Status.REPORTED.value},
                after={"status": Status.DONE.value, "completed_at": _iso(task.completed_at)},
            )
            view = await self._view(uow, task, events)
            messages = await self._refresh_cards(uow, view)
            messages += await prompts.close_prompts(
                core,
                uow,
                await uow.prompts.for_task(task.id, "review"),
                reviewed,
                prompts.decision(core, "decision.approved", person, now),
            )
            messages += await self._to_lead_group(
                view,
                "review.approved_notice",
                who=esc(person.name),
                code=task.code,
                when=render.when(task.completed_at or now, core.config.tz),
            )
            await replan(self.core, uow, task, now)
            await uow.commit()
        return Outcome(t("review.approved", lang, code=task.code), messages=messages, changed=True)

    async def ask_return(self, actor: Actor, where: Where, task_id: int) -> Outcome:
        return await self._ask(
            actor, where, task_id, "return", "review.return_prompt", unit_side=False
        )

    async def return_task(self, actor: Actor, where: Where, ref: str | int, reason: str) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, ref)
            if isinstance(opened, Outcome):
                return opened
            person, lang, task, view = opened
            denied = can_decide(person, task) or review_allowed(task)
            if denied is not None:
                return Outcome(self._denied(denied, lang, task, view))
            reason = reason.strip()
            if not reason:
                return Outcome(t("missing_reason", lang))
            now = core.clock.now()
            if not await self._first_time(uow, where, now):
                return Outcome()
            reviewed = prompts.review_texts(core, view)
            task = replace(
                task,
                status=Status.ACKNOWLEDGED,
                reported_at=None,
                reported_by=None,
                result=None,
                result_attachment=None,
            )
            await uow.tasks.save(task, now)
            events = list(view.events or ())
            await self._record(
                uow,
                events,
                task.id,
                EventKind.RETURNED,
                person.id,
                now,
                before={"status": Status.REPORTED.value},
                after={"status": Status.ACKNOWLEDGED.value},
                note=reason,
            )
            view = await self._view(uow, task, events)
            messages = await self._refresh_cards(uow, view)
            messages += await prompts.close_prompts(
                core,
                uow,
                await uow.prompts.for_task(task.id, "review"),
                reviewed,
                prompts.decision(
                    core, "decision.returned", person, now, reason=esc(render.clip(reason, 1000))
                ),
            )
            messages += await self._to_lead_group(
                view,
                "review.returned_notice",
                who=esc(person.name),
                code=task.code,
                reason=esc(render.clip(reason, 1000)),
                due=render.due_text(task.due, core.config.tz, core.config.language),
            )
            await replan(self.core, uow, task, now, events)
            await uow.commit()
        return Outcome(
            t("review.returned", lang, code=task.code, unit=render.unit_name(view.lead)),
            messages=messages,
            changed=True,
        )

    # --- extensions --------------------------------------------------------------------------

    async def ask_extension(self, actor: Actor, where: Where, task_id: int) -> Outcome:
        return await self._ask(actor, where, task_id, "extension", "ext.prompt", unit_side=True)

    def _leading_deadline(
        self, text: str
    ) -> tuple[ParsedDeadline | None, str, DeadlineError | None]:
        """Split "25/12 chờ số liệu" into a deadline and the reason: the longest leading run of
        words that reads as a deadline wins."""
        words = text.split()
        local_now = self._local_now()
        first_error: DeadlineError | None = None
        for n in range(min(len(words), 8), 0, -1):
            try:
                parsed = parse_deadline(" ".join(words[:n]), local_now, self.core.calendar)
            except DeadlineError as exc:
                unreadable = exc.code is DeadlineErrorCode.UNREADABLE
                if not unreadable and (first_error is None or n == 1):
                    first_error = exc
                continue
            return parsed, " ".join(words[n:]), None
        return None, text, first_error

    async def request_extension(
        self, actor: Actor, where: Where, ref: str | int, text: str
    ) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, ref)
            if isinstance(opened, Outcome):
                return opened
            person, lang, task, view = opened
            denied = can_act_for_unit(person, task)
            if denied is not None:
                return Outcome(self._denied(denied, lang, task, view))
            if task.due is None:
                return Outcome(t("denied.no_deadline_to_extend", lang, code=task.code))
            if await uow.extensions.pending_for(task.id) is not None:
                return Outcome(t("denied.extension_pending", lang, code=task.code))
            parsed, reason, error = self._leading_deadline(text)
            if parsed is None:
                if error is not None:
                    return Outcome(
                        self._deadline_error(error, lang, text.split()[0] if text else "")
                    )
                return Outcome(
                    t("deadline.unreadable", lang, text=esc(render.clip(text, 200)))
                    + "\n\n"
                    + t("usage.giahan", lang)
                )
            if parsed.due is None or parsed.due <= task.due:
                return Outcome(
                    t(
                        "denied.extension_not_later",
                        lang,
                        due=render.due_text(parsed.due, core.config.tz, lang),
                        current=render.due_text(task.due, core.config.tz, lang),
                    )
                )
            reason = reason.strip(" :-–,")
            if not reason:
                return Outcome(t("missing_reason", lang) + "\n" + t("usage.giahan", lang))
            now = core.clock.now()
            if not await self._first_time(uow, where, now):
                return Outcome()
            request = await uow.extensions.add(task.id, person.id, now, parsed.due, reason)
            events = list(view.events or ())
            await self._record(
                uow,
                events,
                task.id,
                EventKind.EXTENSION_REQUESTED,
                person.id,
                now,
                before={"due": _iso(task.due)},
                after={"due": _iso(parsed.due), "request_id": request.id},
                note=reason,
            )
            tz = core.config.tz
            texts = prompts.extension_texts(core, view, person, task.due, parsed.due, reason)
            # The cards show the request while it waits, as they show a granted extension.
            cards = await self._refresh_cards(uow, await self._view(uow, task, events))
            messages = (
                await self._tell(
                    uow,
                    view.assigner,
                    task,
                    text_for=texts,
                    prompt=PromptSpec("ext_decide", view.assigner.id, task.id, request.id),
                    buttons_for={
                        lg: render.extension_buttons(request.id, lg) for lg in ("vi", "en")
                    },
                )
                + cards
            )
            # The decision now waits on the leader: their reminders start (planning.replan).
            await replan(self.core, uow, task, now, events)
            await uow.commit()
        return Outcome(
            t("ext.requested", lang, code=task.code, due=render.due_text(parsed.due, tz, lang)),
            messages=messages,
            changed=True,
        )

    async def decide_extension(
        self,
        actor: Actor,
        where: Where,
        request_id: int,
        approve: bool,
        granted_text: str | None = None,
    ) -> Outcome:
        core = self.core
        tz = core.config.tz
        async with core.uow() as uow:
            person, lang, refusal = await self._gate(uow, actor, where)
            if person is None:
                return Outcome(refusal, alert=True)
            request = await uow.extensions.get(request_id)
            task = await uow.tasks.get(request.task_id, lock=True) if request else None
            # Read again under the task's lock: a decision taken meanwhile is seen.
            request = await uow.extensions.get(request_id)
            if request is None or task is None:
                return Outcome(t("button.stale", lang), alert=True)
            events = await uow.tasks.events(task.id)
            view = await self._view(uow, task, events)
            denied = can_decide(person, task)
            if denied is not None:
                return Outcome(self._denied(denied, lang, task, view), alert=True)
            if request.status is not ExtensionStatus.PENDING:
                status = t(f"ext.status.{request.status.value}", lang)
                return Outcome(t("ext.decided_already", lang, status=status), alert=True)
            granted = request.proposed_due
            if approve and granted_text:
                parsed, _, error = self._leading_deadline(granted_text)
                if parsed is None or parsed.due is None:
                    if error is not None:
                        return Outcome(self._deadline_error(error, lang, granted_text))
                    return Outcome(
                        t("deadline.unreadable", lang, text=esc(render.clip(granted_text, 200)))
                    )
                granted = parsed.due
            if approve and task.due is not None and granted <= task.due:
                # "Granting" an earlier date would shorten the deadline under an extension's name.
                return Outcome(
                    t(
                        "denied.extension_not_later",
                        lang,
                        due=render.due_text(granted, core.config.tz, lang),
                        current=render.due_text(task.due, core.config.tz, lang),
                    )
                )
            now = core.clock.now()
            requester = (await uow.people.by_ids([request.requested_by])).get(request.requested_by)
            asked = prompts.extension_texts(
                core, view, requester, task.due, request.proposed_due, request.reason
            )
            messages = await self._decide(uow, view, person, request, approve, granted, now, events)
            view = await self._view(uow, await uow.tasks.get(task.id) or task, events)
            # Granted: the new deadline; refused: the request gives way to the refusal.
            messages += await self._refresh_cards(uow, view)
            messages += await prompts.close_prompts(
                core,
                uow,
                await uow.prompts.for_extension(request.id),
                asked,
                prompts.decision(core, "decision.ext_approved", person, now, due=granted)
                if approve
                else prompts.decision(core, "decision.ext_refused", person, now),
            )
            await replan(self.core, uow, view.task, now, events)
            await uow.commit()
        if approve:
            reply = t("ext.approved", lang, code=task.code, due=render.due_text(granted, tz, lang))
        else:
            reply = t("ext.refused", lang, code=task.code)
        return Outcome(reply, messages=messages, changed=True)

    async def _decide(
        self,
        uow: UnitOfWork,
        view: TaskView,
        person: Person,
        request: ExtensionRequest,
        approve: bool,
        granted: datetime,
        now: datetime,
        events: list[TaskEvent],
    ) -> list[Outgoing]:
        tz = self.core.config.tz
        task = view.task
        if approve:
            await uow.extensions.decide(
                request.id, ExtensionStatus.APPROVED, person.id, now, granted
            )
            new = replace(task, due=granted, extension_count=task.extension_count + 1)
            await uow.tasks.save(new, now)
            await self._record(
                uow,
                events,
                task.id,
                EventKind.EXTENSION_APPROVED,
                person.id,
                now,
                before={"due": _iso(task.due)},
                after={"due": _iso(granted), "request_id": request.id},
            )
            return await self._to_lead_group(
                view,
                "ext.approved_notice",
                who=esc(person.name),
                code=task.code,
                due=render.due_text(granted, tz, self.core.config.language),
                count=new.extension_count,
            )
        await uow.extensions.decide(request.id, ExtensionStatus.REFUSED, person.id, now, None)
        await self._record(
            uow,
            events,
            task.id,
            EventKind.EXTENSION_REFUSED,
            person.id,
            now,
            after={"request_id": request.id},
        )
        return await self._to_lead_group(
            view,
            "ext.refused_notice",
            who=esc(person.name),
            code=task.code,
            due=render.due_text(task.due, tz, self.core.config.language),
        )

    # --- withdraw and reassign ----------------------------------------------------------------

    async def withdraw(self, actor: Actor, where: Where, ref: str, reason: str) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, ref)
            if isinstance(opened, Outcome):
                return opened
            person, lang, task, view = opened
            if (denied := can_manage(person, task)) is not None:
                return Outcome(self._denied(denied, lang, task, view))
            reason = reason.strip()
            if not reason:
                return Outcome(t("missing_reason", lang) + "\n" + t("usage.huy", lang))
            now = core.clock.now()
            if not await self._first_time(uow, where, now):
                return Outcome()
            before = task.status.value
            task = replace(task, status=Status.WITHDRAWN)
            await uow.tasks.save(task, now)
            await uow.extensions.close_pending(task.id, person.id, now)
            events = list(view.events or ())
            await self._record(
                uow,
                events,
                task.id,
                EventKind.WITHDRAWN,
                person.id,
                now,
                before={"status": before},
                after={"status": Status.WITHDRAWN.value},
                note=reason,
            )
            view = await self._view(uow, task, events)
            messages = await self._refresh_cards(uow, view)
            messages += await self._clear_prompt_buttons(uow, task_id=task.id)
            messages += await self._to_lead_group(
                view,
                "withdrawn.notice",
                who=esc(person.name),
                code=task.code,
                reason=esc(render.clip(reason, 1000)),
            )
            await replan(self.core, uow, task, now)
            await uow.commit()
        return Outcome(t("withdrawn", lang, code=task.code), messages=messages, changed=True)

    def _move_target(
        self, directory: UnitDirectory, text: str, lang: str, code: str
    ) -> tuple[Unit, str] | str:
        """ "QLDT", "Phòng Quản lý đô thị", "QLDT hạn 20/12": the unit, and the new deadline's
        words (may be empty); or the answer that refuses it."""
        unit = directory.find(text)
        if unit is not None:
            return unit, ""
        match = directory.parse_list(text)
        if match.unknown is not None or not match.units:
            word = match.unknown or text.split()[0]
            return render.unknown_unit(word, directory, lang, "usage.chuyen")
        if len(match.units) > 1:
            return t("reassign.one_unit", lang, code=code, unit_code=esc(match.units[0].code))
        return match.units[0], match.rest.strip()

    async def reassign(self, actor: Actor, where: Where, ref: str, unit_text: str) -> Outcome:
        core = self.core
        tz = core.config.tz
        async with core.uow() as uow:
            opened = await self._open(uow, actor, where, ref)
            if isinstance(opened, Outcome):
                return opened
            person, lang, task, old_view = opened
            if (denied := can_manage(person, task)) is not None:
                return Outcome(self._denied(denied, lang, task, old_view))
            directory = (await core.roster(uow)).directory
            target = self._move_target(directory, unit_text, lang, task.code)
            if isinstance(target, str):
                return Outcome(target)
            unit, due_text = target
            if unit.id == task.lead_unit_id:
                return Outcome(
                    t("denied.same_unit", lang, unit=render.unit_name(unit), code=task.code)
                )
            if person.role is Role.VICE_CHAIRMAN and can_assign(person, unit.id) is not None:
                return Outcome(t("denied.not_supervisor", lang, unit=render.unit_name(unit)))
            now = core.clock.now()
            local_now = now.astimezone(tz)
            example = core.calendar.add_working_days(local_now.date(), 5).strftime("%d/%m/%Y")
            refuse = {"code": task.code, "unit_code": esc(unit.code), "example": example}
            new_due: ParsedDeadline | None = None
            if due_text:
                try:
                    new_due = parse_deadline(due_text, local_now, core.calendar)
                except DeadlineError as exc:
                    return Outcome(
                        self._deadline_error(exc, lang, due_text)
                        + "\n\n"
                        + t("usage.chuyen", lang, **await core.examples(uow))
                    )
                if new_due.due is None:
                    return Outcome(
                        t("reassign.no_deadline", lang, text=render.echo(due_text), **refuse)
                    )
            elif task.due is not None and task.due < now:
                # The days already late are the old unit's: the new one starts on a new date.
                return Outcome(
                    t(
                        "reassign.needs_deadline",
                        lang,
                        due=render.due_text(task.due, tz, lang),
                        unit=render.unit_name(unit),
                        **refuse,
                    )
                )
            if not await self._first_time(uow, where, now):
                return Outcome()
            old_lead = task.lead_unit_id
            before: dict[str, object] = {"lead_unit_id": old_lead}
            after: dict[str, object] = {"lead_unit_id": unit.id}
            if new_due is not None:
                before["due"] = _iso(task.due)
                after["due"] = _iso(new_due.due)
            # The new lead answers from now on, so it must acknowledge afresh.
            task = replace(
                task,
                lead_unit_id=unit.id,
                cooperating_unit_ids=tuple(u for u in task.cooperating_unit_ids if u != unit.id),
                status=Status.ASSIGNED,
                due=new_due.due if new_due is not None else task.due,
                acknowledged_at=None,
                acknowledged_by=None,
                reported_at=None,
                reported_by=None,
                result=None,
                result_attachment=None,
                led_since=now,
            )
            await uow.tasks.save(task, now)
            await uow.extensions.close_pending(task.id, person.id, now)
            events = list(old_view.events or ())
            await self._record(
                uow, events, task.id, EventKind.REASSIGNED, person.id, now, before, after
            )
            messages = [
                Outgoing(chat_id=c, text="", edit_message_id=m, markup_only=True)
                for c, m, kind in await uow.tasks.messages(task.id)
                if kind.startswith("card")
            ]
            messages += await self._clear_prompt_buttons(uow, task_id=task.id)
            messages += await reminders.follow(self.core, uow, task, gone=True)
            await uow.tasks.retire_messages(task.id)
            view = await self._view(uow, task, events)
            messages += await self._to_lead_group(
                old_view,
                "reassigned.old_notice",
                who=esc(person.name),
                code=task.code,
                new=render.unit_name(unit),
            )
            messages += self._card_messages_sync(view)
            await replan(self.core, uow, task, now)
            await uow.commit()
        reply = t(
            "reassigned",
            lang,
            code=task.code,
            old=render.unit_name(old_view.lead),
            new=render.unit_name(unit),
        )
        if new_due is not None:
            reply += t("reassigned.due", lang, due=render.due_text(task.due, tz, lang))
            if new_due.rolled_from is not None and task.due is not None:
                cal = core.calendar
                kind = roll_kind(
                    new_due.rolled_from, cal.to_local(task.due).date(), cal.day_off_rule
                )
                reply += t(f"rolled.{kind}", lang, day=new_due.rolled_from.strftime("%d/%m/%Y"))
        if unit.chat_id is None:
            reply += "\n" + t(
                "assigned.no_group", lang, unit=render.unit_name(unit), code=unit.code
            )
        return Outcome(reply, messages=messages, changed=True)

    # --- replies to the bot's messages --------------------------------------------------------

    async def on_reply(
        self,
        actor: Actor,
        where: Where,
        replied_to: int,
        text: str,
        attachment: Attachment | None,
    ) -> Outcome | None:
        """A reply to a prompt or to a task card. None when the reply is not to anything ours."""
        async with self.core.uow(read_only=True) as uow:
            prompt = await uow.prompts.get(where.chat_id, replied_to)
            card_task = (
                None if prompt else await uow.tasks.task_of_message(where.chat_id, replied_to)
            )
        if prompt is not None:
            kind, task_id = prompt.kind, prompt.task_id
            if kind == "report" and task_id is not None:
                return await self.report(actor, where, task_id, text, attachment)
            if kind == "return" and task_id is not None:
                return await self.return_task(actor, where, task_id, text)
            if kind == "extension" and task_id is not None:
                return await self.request_extension(actor, where, task_id, text)
            if kind == "ext_decide" and prompt.extension_id is not None:
                return await self.decide_extension(
                    actor, where, prompt.extension_id, approve=True, granted_text=text
                )
            return None
        if card_task is not None:
            stands = await self._where_it_stands(actor, where, card_task)
            return stands or await self.report(actor, where, card_task, text, attachment)
        return None

    async def _where_it_stands(self, actor: Actor, where: Where, task_id: int) -> Outcome | None:
        """For a reply to a card of a task that takes no more reports: its state and what can be
        done (None while a report is still possible)."""
        async with self.core.uow() as uow:
            person, lang, refusal = await self._gate(uow, actor, where)
            if person is None:
                return Outcome(refusal)
            task = await uow.tasks.get(task_id)
            if task is None or task.status not in (Status.REPORTED, Status.DONE, Status.WITHDRAWN):
                return None
            view = await self._view(uow, task)
        reporter = esc(view.reported_by.name) if view.reported_by else "—"
        reported = render.when(task.reported_at, self.core.config.tz) if task.reported_at else "—"
        key = f"reply.{task.status.value}"
        return Outcome(t(key, lang, code=task.code, who=reporter, when=reported))

    # --- looking things up --------------------------------------------------------------------

    async def open_tasks(self, actor: Actor, where: Where, unit_text: str = "") -> Outcome:
        core = self.core
        async with core.uow(read_only=True) as uow:
            person, lang, refusal = await self._gate(uow, actor, where)
            if person is None:
                return Outcome(refusal)
            roster = await core.roster(uow)
            directory = roster.directory_all
            scope = None
            if unit_text.strip():
                scope = directory.find(unit_text)
                if scope is None:
                    return Outcome(render.unknown_unit(unit_text, directory, lang))
                if not core.may_see(person, actor, scope.id):
                    return Outcome(
                        render.not_visible(person, roster.all_units.values(), lang, "/viec")
                    )
            elif not can_view_all(person):
                if person.unit_id is None:
                    return Outcome(t("list.no_unit", lang, **await core.examples(uow)))
                scope = roster.all_units.get(person.unit_id)
            if not where.private and scope is None and not unit_text.strip():
                scope = roster.by_chat.get(where.chat_id) or scope
            # The most urgent few, what one message holds (a province has tens of thousands
            # open), and how many there are in all: read that, not every open task.
            now = core.clock.now()
            tasks = await uow.tasks.open_tasks(scope.id if scope else None, limit=LIST_SHOWN)
            total, late = await uow.lists.open_counts(scope.id if scope else None, now)
            # What waits on this person's own decision comes first, whatever the scope.
            waiting = await self.decisions.section_for(uow, person, lang, now)
            narrow = render.list_narrow(scope, await core.examples(uow), lang, total, len(tasks))
        # One message: the decisions' section (at most 1800 characters) leaves the rest.
        budget = render.MESSAGE_BUDGET - (len(waiting) + 2 if waiting else 0)
        text = render.task_list(
            tasks, roster.all_units, lang, core.config.tz, now, scope, total, late, narrow, budget
        )
        return Outcome(f"{waiting}\n\n{text}" if waiting else text)

    async def show(self, actor: Actor, where: Where, ref: str) -> Outcome:
        core = self.core
        async with core.uow(read_only=True) as uow:
            # The task first: its statement also reads the roster's stamp, which the gate needs.
            task = await self._find_task(uow, ref.split()[0]) if ref.strip() else None
            person, lang, refusal = await self._gate(uow, actor, where)
            if person is None:
                return Outcome(refusal)
            if not ref.strip():
                return Outcome(t("usage.nv", lang))
            if task is None:
                return Outcome(t("task_not_found", lang, code=render.echo(ref.split()[0])))
            if not core.may_see(person, actor, task.lead_unit_id, task.cooperating_unit_ids):
                units_all = await uow.units.all(include_inactive=True)
                return Outcome(render.not_visible(person, units_all, lang, "/viec", task.code))
            events = await uow.tasks.events(task.id)
            now = core.clock.now()
            view = await self._view(uow, task, events, now)
            roster = await core.roster(uow)
            people = roster.people_by_ids(e.actor_id for e in events if e.actor_id)
            units = roster.all_units
        tz = core.config.tz
        # The card without its chain: the history below is the chain, step by step, with what
        # each step said, how long it took and whether it was late; then what it waits on now.
        head = [render.card(view, lang, tz, shown_in=where.chat_id, chain=False)]
        head += [*render.waits(view, lang), ""]
        return Outcome(
            render.history(events, people, units, lang, tz, head, view.chain, view),
            messages=self._full_text(task, where.chat_id, lang),
        )
