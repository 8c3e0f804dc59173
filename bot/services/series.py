"""Recurring tasks (nhiệm vụ định kỳ): /giao with a recurring deadline opens a series and makes its
first task; the due-scan makes each later period's task at the start of the period; /dinhky lists
the series; /huy <series code> ends one. Every period's task is an ordinary task (its own code,
card, nudges and place in the tallies), made by TaskService.create as /giao makes one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.calendar import ParsedDeadline, WorkCalendar
from bot.calendar.recurrence import (
    Period,
    Recurrence,
    RecurrenceError,
    RecurrenceErrorCode,
    find_recurrence,
)
from bot.db.uow import UnitOfWork
from bot.domain.model import Person, Role, Status, Task, Unit
from bot.domain.rules import can_view_all, supervises_unit
from bot.domain.series import Series, SeriesState
from bot.domain.unitnames import UnitDirectory
from bot.services.common import Actor, Core, Where
from bot.services.outbox import Outcome, Outgoing, enqueue
from bot.services.tasks import NewTask, TaskService
from bot.text import render
from bot.text.catalog import t
from bot.text.render import esc
from bot.text.series import period_text, rule_text

SERIES_PREFIX = "DK-"


def series_code(number: int) -> str:
    return f"{SERIES_PREFIX}{number:04d}"


def is_series_code(text: str) -> bool:
    """ "DK-0001", "dk1", "DK 12" name a series (tasks are "NV-…")."""
    raw = text.strip().upper().replace(" ", "")
    return raw.startswith("DK") and raw[2:].lstrip("-_").isdigit()


def normalize_series_code(text: str) -> str:
    raw = text.strip().upper().replace(" ", "").removeprefix("DK").lstrip("-_")
    return series_code(int(raw)) if raw.isdigit() else text.strip().upper()


def may_end(person: Person, series: Series) -> bool:
    """As for withdrawing a task (rules.can_manage): the assigner, the chairman, the supervising
    vice-chairman, the office and the administrators."""
    return (
        person.role in (Role.OFFICE, Role.ADMIN)
        or person.id == series.assigner_id
        or supervises_unit(person, series.lead_unit_id)
    )


def _deadline(rule: Recurrence, period: Period, written: str) -> ParsedDeadline:
    return ParsedDeadline(
        due=period.due, has_time=rule.at is not None, rolled_from=period.rolled_from, text=written
    )


LATE_PERIOD_DAYS = 5


def late_period_due(period: Period, now: datetime, cal: WorkCalendar) -> datetime:
    """The deadline of a period's task made after the period's own deadline had passed (the bot
    was stopped, or a day off moved the deadline before the period began). The unit never had
    the task, so it cannot be late for it: it gets the working days the period normally gives
    (its first day to its deadline), at most LATE_PERIOD_DAYS and at least one, counted from
    today, at the close of office."""
    lead = cal.working_days_between(period.start - timedelta(days=1), period.due)
    days = max(1, min(lead, LATE_PERIOD_DAYS))
    return cal.close_of(cal.add_working_days(cal.to_local(now).date(), days))


def _late(task: Task, now: datetime) -> bool:
    """Finished after its deadline, or still open past it (to the minute, as the tallies count)."""
    if task.due is None or task.status is Status.WITHDRAWN:
        return False
    finished = task.completed_at if task.status is Status.DONE else None
    moment = (finished or now).replace(second=0, microsecond=0)
    return moment > task.due.replace(second=0, microsecond=0)


class SeriesStart:
    """A recurring deadline read from a /giao command, before anything is written."""

    def __init__(
        self, service: SeriesService, content: str, rule: Recurrence, written: str, period: Period
    ) -> None:
        self.service = service
        self.rule = rule
        self.written = written
        self.period = period
        self.code = ""
        self._content = content

    @property
    def content(self) -> str:
        return self._content

    @property
    def deadline(self) -> ParsedDeadline:
        return _deadline(self.rule, self.period, self.written)

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
        cal = self.service.core.calendar
        following = self.rule.following(self.period, cal)
        self.code = series_code(await uow.tasks.next_number("series"))
        series = await uow.series.add(
            Series(
                id=0,
                code=self.code,
                content=content,
                lead_unit_id=lead.id,
                cooperating_unit_ids=tuple(u.id for u in cooperating),
                assigner_id=person.id,
                rule=self.rule.spec(),
                rule_text=self.written,
                next_period=following.key,
                next_start=following.opens(cal),
                state=SeriesState.ACTIVE,
                created_at=now,
                origin_chat_id=where.chat_id,
            )
        )
        return series.id, self.period.key

    def confirmation(self, lang: str) -> str:
        core = self.service.core
        following = self.rule.following(self.period, core.calendar)
        return t(
            "series.confirm",
            lang,
            code=self.code,
            rule=rule_text(self.rule, lang),
            period=period_text(self.rule, self.period, lang),
            next_period=period_text(self.rule, following, lang),
            next_due=render.due_text(following.due, core.config.tz, lang),
            # The day its task is made and reaches the unit: the period's first working day.
            next_start=f"{following.opens(core.calendar).astimezone(core.config.tz):%d/%m/%Y}",
        )


class SeriesService:
    def __init__(self, core: Core, tasks: TaskService) -> None:
        self.core = core
        self.tasks = tasks

    # --- /giao with a recurring deadline (called by TaskService.assign) -------------------------

    def read(self, text: str, now: datetime, lang: str) -> SeriesStart | str | None:
        try:
            found = find_recurrence(text)
        except RecurrenceError as exc:
            if exc.code is RecurrenceErrorCode.NO_DAY:
                return t("series.no_day", lang)
            return t("series.invalid", lang, text=esc(exc.params.get("text", text)))
        if found is None:
            return None
        content, rule, written = found
        period = rule.next_due(now, self.core.calendar)
        return SeriesStart(self, content, rule, written, period)

    # --- the due-scan's step ----------------------------------------------------------------------

    async def create_due(self) -> int:
        """Make the task of every series whose next period has begun; the number made. Run by
        the repeating due-scan, at any hour (the cards wait for office hours in the delivery
        queue). A period missed while the bot was stopped is not made afterwards: only the
        current period's task is, once. The series row is locked and moved on in the same
        transaction, and (series, period) is unique on tasks: a second scan makes nothing."""
        core = self.core
        now = core.clock.now()
        made = 0
        async with core.uow() as uow:
            for series in await uow.series.due(now):
                rule = Recurrence.from_spec(series.rule)
                period = rule.period_at(now, core.calendar)
                if period.key < series.next_period:
                    continue  # the clock went back: nothing is due yet
                following = rule.following(period, core.calendar)
                existing = await uow.tasks.of_series([series.id])
                if all(task.series_period != period.key for task in existing):
                    await self._make(uow, series, rule, period, now)
                    made += 1
                await uow.series.save(
                    replace(
                        series, next_period=following.key, next_start=following.opens(core.calendar)
                    )
                )
            await uow.commit()
        return made

    async def _make(
        self, uow: UnitOfWork, series: Series, rule: Recurrence, period: Period, now: datetime
    ) -> None:
        units = await uow.units.by_ids({series.lead_unit_id, *series.cooperating_unit_ids})
        assigner = await uow.people.get(series.assigner_id)
        assert assigner is not None  # people are deactivated, never deleted
        due, note = period.due, None
        deadline = _deadline(rule, period, series.rule_text)
        if period.due < now:
            due = late_period_due(period, now, self.core.calendar)
            lang = self.core.config.language
            note = t(
                "series.late_period",
                lang,
                period=period_text(rule, period, lang),
                missed=render.due_text(period.due, self.core.config.tz, lang),
                due=render.due_text(due, self.core.config.tz, lang),
            )
            deadline = replace(deadline, due=due, rolled_from=None)
        new = NewTask(
            content=series.content,
            lead=units[series.lead_unit_id],
            cooperating=tuple(units[u] for u in series.cooperating_unit_ids if u in units),
            due=due,
            series=(series.id, period.key),
            # On the card ("Nguồn: …"), in /nv and in the register: why the deadline is not the
            # period's own.
            source=note,
        )
        view = await self.tasks.create(uow, assigner, new, series.origin_chat_id, now)
        outcome = self.tasks._assigned_outcome(view, deadline, self.core.config.language)
        # Queued, not sent: they go out with the other messages, within office hours and
        # Telegram's limits, and survive a restart. The cards are remembered once sent, so
        # later steps edit them in place as they do for /giao's cards. A replied file is not
        # carried over to later periods.
        queued = [
            out
            for out in outcome.messages
            if out.document is None and out.edit_message_id is None and out.prompt is None
        ]
        await enqueue(uow, f"series:{view.task.id}", queued, now)

    async def next_start(self) -> datetime | None:
        """When the next period of any running series begins (the sandbox's ⏩ stops there)."""
        async with self.core.uow() as uow:
            starts = [s.next_start for s in await uow.series.all() if s.active]
        return min(starts, default=None)

    # --- /dinhky ----------------------------------------------------------------------------------

    async def listing(self, actor: Actor, where: Where, unit_text: str = "") -> Outcome:
        core = self.core
        async with core.uow() as uow:
            person, lang, refusal = await self.tasks._gate(uow, actor, where)
            if person is None:
                return Outcome(refusal)
            units = await uow.units.all(include_inactive=True)
            directory = UnitDirectory(units)
            scope: Unit | None = None
            if unit_text.strip():
                scope = directory.find(unit_text)
                if scope is None:
                    return Outcome(render.unknown_unit(unit_text, directory, lang))
            elif not can_view_all(person) and person.unit_id is not None:
                scope = next((u for u in units if u.id == person.unit_id), None)
            elif not where.private and not can_view_all(person):
                scope = await uow.units.by_chat(where.chat_id)
            everything = await uow.series.all()
            tasks = await uow.tasks.of_series(s.id for s in everything)
            examples = await core.examples(uow)
        chosen = [
            s
            for s in everything
            if scope is None or scope.id in (s.lead_unit_id, *s.cooperating_unit_ids)
        ]
        scope_text = t("schedule.scope", lang, what=render.unit_name(scope)) if scope else ""
        if not chosen:
            return Outcome(t("series.list.empty", lang, scope=scope_text, **examples))
        by_unit = {u.id: u for u in units}
        now = core.clock.now()
        # Running series first, then the ended ones; each in the order they were created.
        chosen.sort(key=lambda s: (not s.active, s.id))
        lines = [t("series.list.title", lang, scope=scope_text)]
        items = []
        for series in chosen:
            rule = Recurrence.from_spec(series.rule)
            made = [x for x in tasks if x.series_id == series.id]
            if series.active:
                due = rule.next_due(now, core.calendar).due
                state = t("series.list.next", lang, due=render.due_text(due, core.config.tz, lang))
            else:
                ended = series.ended_at or now
                state = t("series.list.ended", lang, when=render.when(ended, core.config.tz))
            items.append(
                t(
                    "series.list.item",
                    lang,
                    code=series.code,
                    unit=esc(by_unit[series.lead_unit_id].code),
                    rule=rule_text(rule, lang),
                    content=esc(render.clip(series.content, 120)),
                    state=state,
                    made=len(made),
                    done=sum(1 for x in made if x.status is Status.DONE),
                    late=sum(1 for x in made if _late(x, now)),
                )
            )
        return Outcome(render.fit(lines, items, lang, more="series.list.more"))

    # --- /huy <series code> -----------------------------------------------------------------------

    async def end(self, actor: Actor, where: Where, ref: str, reason: str) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            person, lang, refusal = await self.tasks._gate(uow, actor, where)
            if person is None:
                return Outcome(refusal)
            code = normalize_series_code(ref)
            series = await uow.series.by_code(code, lock=True)
            if series is None:
                return Outcome(t("series.not_found", lang, code=esc(render.clip(ref, 40))))
            if not series.active:
                ended = render.when(series.ended_at or core.clock.now(), core.config.tz)
                return Outcome(t("series.already_ended", lang, code=series.code, when=ended))
            if not may_end(person, series):
                return Outcome(t("series.denied", lang))
            reason = reason.strip()
            if not reason:
                return Outcome(t("missing_reason", lang) + "\n" + t("series.usage_end", lang))
            now = core.clock.now()
            if not await TaskService._first_time(uow, where, now):
                return Outcome()
            series = replace(
                series,
                state=SeriesState.ENDED,
                ended_at=now,
                ended_by=person.id,
                end_reason=reason,
            )
            await uow.series.save(series)
            still_open = [x for x in await uow.tasks.of_series([series.id]) if x.is_open]
            lead = await uow.units.get(series.lead_unit_id)
            await uow.commit()
        tz = core.config.tz

        def open_text(language: str) -> str:
            if not still_open:
                return t("series.ended.none_open", language)
            listed = ", ".join(
                t(
                    "series.ended.task",
                    language,
                    code=x.code,
                    due=render.due_text(x.due, tz, language),
                )
                for x in still_open
            )
            return t("series.ended.open", language, tasks=listed)

        outcome = Outcome(
            t("series.ended", lang, code=series.code, open=open_text(lang)), changed=True
        )
        if lead is not None and lead.chat_id is not None and lead.chat_id != where.chat_id:
            group_lang = core.config.language
            outcome.send(
                Outgoing(
                    chat_id=lead.chat_id,
                    text=t(
                        "series.ended.notice",
                        group_lang,
                        code=series.code,
                        content=esc(render.clip(series.content, 200)),
                        who=esc(person.name),
                        reason=esc(render.clip(reason, 500)),
                        open=open_text(group_lang),
                    ),
                )
            )
        return outcome
