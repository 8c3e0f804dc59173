"""The leaders' own steps, chased like the units': a result awaiting review and an extension
request awaiting a decision remind the person they wait on (after `unacknowledged_after_hours`
office hours, then each working morning, counted), reach the 08:00 digest from the
`escalate_from_urge`-th reminder, and open that person's /viec.

The reminders are nudges of their own kinds (NudgeKind.REVIEW, NudgeKind.EXTENSION) in the same
table, planned by planning.replan, claimed by the same due-scan and sent through the same outbox;
this module decides what they say and to whom."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from bot.db.lists import Awaiting
from bot.db.nudges import Delivery, Nudge
from bot.db.uow import UnitOfWork
from bot.domain.model import (
    DecisionSummary,
    ExtensionRequest,
    Person,
    Role,
    Status,
    Task,
    Unit,
)
from bot.domain.nudging import (
    DECISION_KINDS,
    NudgeKind,
    Waiting,
    anchor_of,
    decision_waits,
    next_decision_nudge,
)
from bot.domain.rules import waiting_on, waiting_on_unit
from bot.services.common import Core
from bot.services.planning import plan_decisions
from bot.text import render
from bot.text.catalog import t
from bot.text.render import esc

BATCH = 8  # decisions per reminder message, as for the units' reminders
SECTION_SHOWN = 20  # decisions /viec reads in full: more than its part of the message holds


@dataclass(frozen=True, slots=True)
class PendingDecision:
    task: Task
    wait: Waiting
    waiters: tuple[Person, ...]
    reminders: int  # said so far (or, in a reminder, the number this one carries)
    age: int  # working days waited, as of now
    request: ExtensionRequest | None = None
    nudge_id: int | None = None  # the reminder that speaks for it


class DecisionService:
    def __init__(self, core: Core) -> None:
        self.core = core

    # --- what waits, on whom ------------------------------------------------------------------

    def age(self, since: datetime, now: datetime) -> int:
        tz = self.core.config.tz
        return self.core.calendar.working_days_between(
            since.astimezone(tz).date(), now.astimezone(tz).date()
        )

    async def waiters(self, uow: UnitOfWork, tasks: list[Task]) -> dict[int, tuple[Person, ...]]:
        if not tasks:
            return {}
        # From the roster in memory: /viec asks on every call, mostly with nothing waiting.
        roster = await self.core.roster(uow)
        assigners = roster.people_by_ids(task.assigner_id for task in tasks)
        chairs = (Role.CHAIRMAN, Role.VICE_CHAIRMAN)
        leaders = [p for p in roster.people.values() if p.active and p.role in chairs]
        return {
            task.id: waiting_on(task, assigners.get(task.assigner_id), leaders) for task in tasks
        }

    async def pending(
        self, uow: UnitOfWork, now: datetime, only: set[int] | None = None
    ) -> list[PendingDecision]:
        """Every decision a leader owes now, the longest waiting first (`only`: of these
        tasks)."""
        found: dict[int, Task] = {}
        if only is None:
            reported = await uow.tasks.awaiting_review()
            requests = await uow.extensions.pending_all()
        else:
            found = await uow.tasks.by_ids(only)
            reported = [task for task in found.values() if task.status is Status.REPORTED]
            requests = await uow.extensions.pending_of(only)
        by_task = {r.task_id: r for r in requests}
        tasks = {task.id: task for task in reported}
        tasks.update({i: found[i] for i in by_task if i in found})  # read once, not twice
        tasks.update(await uow.tasks.by_ids(set(by_task) - set(tasks)))
        open_tasks = [task for task in tasks.values() if task.is_open]
        waiters = await self.waiters(uow, open_tasks)
        counts = await uow.nudges.decision_counts(task.id for task in open_tasks)
        out: list[PendingDecision] = []
        for task in open_tasks:
            request = by_task.get(task.id)
            for wait in decision_waits(task, request):
                out.append(
                    PendingDecision(
                        task,
                        wait,
                        waiters[task.id],
                        counts.get((task.id, wait.kind, wait.anchor), 0),
                        self.age(wait.since, now),
                        request if wait.kind is NudgeKind.EXTENSION else None,
                    )
                )
        out.sort(key=lambda p: (p.wait.since, p.task.code))
        return out

    async def plan_missing(self, uow: UnitOfWork, now: datetime) -> int:
        """Plan the reminders of the waits that have none pending: those that began before
        this kind of reminder existed. Returns how many tasks were planned."""
        waits = await self.pending(uow, now)
        if not waits:
            return 0
        planned = await uow.nudges.upcoming([p.task.id for p in waits], limit=1_000_000)
        have = {(n.task_id, n.kind, anchor_of(n.slot)) for n in planned}
        missing = {
            p.task.id: p.task for p in waits if (p.task.id, p.wait.kind, p.wait.anchor) not in have
        }
        for task in missing.values():
            await plan_decisions(self.core, uow, task, now, now)
        return len(missing)

    @staticmethod
    def still_waiting(task: Task | None, nudge: Nudge, pending: ExtensionRequest | None) -> bool:
        """Whether the wait a reminder speaks for is still open (no decision, no new report)."""
        if task is None:
            return False
        return any(
            w.kind is nudge.kind and w.anchor == anchor_of(nudge.slot)
            for w in decision_waits(task, pending)
        )

    # --- the due-scan's part ------------------------------------------------------------------

    async def remind(self, uow: UnitOfWork, due: list[Nudge], now: datetime) -> tuple[int, int]:
        """Turn the due decision reminders into messages and plan each wait's next one.
        Returns (reminders said, reminders cancelled); the messages are queued in `uow`."""
        core = self.core
        tasks = await uow.tasks.by_ids({n.task_id for n in due})
        pending = {tid: await uow.extensions.pending_for(tid) for tid in tasks}
        counts = await uow.nudges.decision_counts(tasks)
        groups: dict[tuple[int, NudgeKind, str], list[Nudge]] = defaultdict(list)
        for nudge in due:
            groups[(nudge.task_id, nudge.kind, anchor_of(nudge.slot))].append(nudge)
        said: list[tuple[Task, Waiting, Nudge, int]] = []
        cancelled = 0
        for key, group in groups.items():
            task = tasks.get(key[0])
            request = pending.get(key[0])
            wait = next(
                (
                    w
                    for w in (decision_waits(task, request) if task else [])
                    if w.kind is key[1] and w.anchor == key[2]
                ),
                None,
            )
            if task is None or wait is None:
                for nudge in group:  # decided, withdrawn or moved meanwhile
                    await uow.nudges.mark_cancelled(nudge.id, now)
                cancelled += len(group)
                continue
            # Missed mornings (the bot was down) are said once, counted once.
            group.sort(key=lambda n: n.due_at)
            primary = group[-1]
            number = counts.get(key, 0) + 1
            await uow.nudges.mark_done(primary.id, now, number)
            for other in group[:-1]:
                await uow.nudges.mark_merged(other.id, now)
            moment = max(now, primary.due_at)
            for _ in range(20):
                planned = next_decision_nudge(wait, moment, core.policy, core.calendar)
                if await uow.nudges.plan(task.id, planned, now) is not None:
                    break
                moment = planned.at
            said.append((task, wait, primary, number))
        if not said:
            return 0, cancelled
        waiters = await self.waiters(uow, [task for task, _, _, _ in said])
        items = [
            PendingDecision(
                task,
                wait,
                waiters[task.id],
                number,
                self.age(wait.since, now),
                pending.get(task.id) if wait.kind is NudgeKind.EXTENSION else None,
                nudge.id,
            )
            for task, wait, nudge, number in said
        ]
        await self._queue(uow, items, now)
        return len(items), cancelled

    async def _queue(self, uow: UnitOfWork, items: list[PendingDecision], now: datetime) -> int:
        """One message per person waited on (in batches): privately when they opened a chat
        with the bot, otherwise in the leadership group with a mention, like the result or
        the request itself (TaskService._tell)."""
        units = await uow.units.by_ids(i.task.lead_unit_id for i in items)
        by_person: dict[int, list[PendingDecision]] = defaultdict(list)
        people: dict[int, Person] = {}
        for item in items:
            for person in item.waiters:
                by_person[person.id].append(item)
                people[person.id] = person
        count = 0
        leadership = await self.core.leadership_chat(uow)
        for person_id, mine in by_person.items():
            person = people[person_id]
            for start in range(0, len(mine), BATCH):
                chunk = mine[start : start + BATCH]
                ids = [i.nudge_id for i in chunk if i.nudge_id is not None]
                if person.can_dm:
                    lang = self.core.person_lang(person)
                    text, buttons = self.render(chunk, units, lang)
                    chat = person.telegram_id
                else:
                    found = leadership or chunk[0].task.origin_chat_id
                    if found is None:
                        continue
                    chat = found
                    lang = self.core.config.language
                    text, buttons = self.render(chunk, units, lang)
                    text = render.mention(person) + " " + text
                count += await uow.deliveries.add(
                    f"decide:{ids[0]}:p{person.id}",
                    chat,
                    text,
                    buttons,
                    now,
                    person_id=person.id if person.can_dm else None,
                    nudge_ids=ids,
                )
        return count

    def what(self, item: PendingDecision, lang: str) -> str:
        tz = self.core.config.tz
        since = render.when(item.wait.since, tz)
        if item.wait.kind is NudgeKind.EXTENSION and item.request is not None:
            proposed = render.due_text(item.request.proposed_due, tz, lang)
            return t("decide.extension", lang, since=since, proposed=proposed)
        return t("decide.review", lang, since=since)

    @staticmethod
    def age_text(age: int, lang: str) -> str:
        return t("decide.age", lang, age=age) if age else t("decide.age0", lang)

    def render(
        self, items: list[PendingDecision], units: dict[int, Unit], lang: str
    ) -> tuple[str, list[list[dict[str, str]]]]:
        lines = [t("decide.title", lang)]
        buttons: list[list[dict[str, str]]] = []
        for item in items:
            task = item.task
            lines.append(
                t(
                    "decide.item",
                    lang,
                    code=task.code,
                    unit=esc(units[task.lead_unit_id].code),
                    content=esc(render.clip(task.content, 200)),
                    what=self.what(item, lang),
                    n=item.reminders,
                    age=self.age_text(item.age, lang),
                )
            )
            if item.wait.kind is NudgeKind.EXTENSION and item.request is not None:
                choices = render.extension_buttons(item.request.id, lang)
            else:
                choices = render.review_buttons(task, lang)
            flat = [b for row in choices for b in row]
            buttons.append(
                [
                    {"text": f"{task.code} · {b.label}" if i == 0 else b.label, "data": b.data}
                    for i, b in enumerate(flat)
                ]
            )
        return "\n".join(lines), buttons

    async def rewrite(
        self, uow: UnitOfWork, row: Delivery, wanted: list[Nudge], now: datetime
    ) -> tuple[str, list[list[dict[str, str]]]]:
        """A reminder as it would have been written for the decisions still waiting."""
        tasks = await uow.tasks.by_ids(n.task_id for n in wanted)
        waiters = await self.waiters(uow, list(tasks.values()))
        items: list[PendingDecision] = []
        for nudge in wanted:
            task = tasks[nudge.task_id]
            request = await uow.extensions.pending_for(task.id)
            wait = next(
                w
                for w in decision_waits(task, request)
                if w.kind is nudge.kind and w.anchor == anchor_of(nudge.slot)
            )
            items.append(
                PendingDecision(
                    task,
                    wait,
                    waiters[task.id],
                    nudge.urge_no or 1,
                    self.age(wait.since, now),
                    request if wait.kind is NudgeKind.EXTENSION else None,
                    nudge.id,
                )
            )
        units = await uow.units.by_ids(task.lead_unit_id for task in tasks.values())
        person = None
        if row.person_id is not None:
            person = (await uow.people.by_ids([row.person_id])).get(row.person_id)
        lang = self.core.person_lang(person) if person else self.core.config.language
        text, buttons = self.render(items, units, lang)
        if row.person_id is None:
            named = {p.id: p for i in items for p in i.waiters}
            if named:
                text = render.mention(next(iter(named.values()))) + " " + text
        return text, buttons

    # --- the 08:00 digest, /lich and /viec ----------------------------------------------------

    async def escalated(self, uow: UnitOfWork, now: datetime) -> list[PendingDecision]:
        """The decisions reminded `escalate_from_urge` times or more. Only the tasks awaiting a
        decision that were reminded that often in all are read (a count by task in SQL), not
        every result and request awaiting one: the daily digest of a province."""
        threshold = self.core.policy.escalate_from_urge
        candidates = await uow.nudges.decisions_reminded(threshold)
        if not candidates:
            return []
        return [p for p in await self.pending(uow, now, candidates) if p.reminders >= threshold]

    def digest_lines(
        self, items: list[PendingDecision], units: dict[int, Unit], lang: str
    ) -> list[str]:
        return [
            t(
                "decide.digest.item",
                lang,
                code=item.task.code,
                unit=esc(units[item.task.lead_unit_id].code),
                content=esc(render.clip(item.task.content, 120)),
                who=", ".join(esc(p.name) for p in item.waiters) or "—",
                what=t(f"decide.what.{_word(item.wait.kind)}", lang),
                days=item.age,
                count=item.reminders,
            )
            for item in items
        ]

    async def schedule_what(self, uow: UnitOfWork, task: Task, nudge: Nudge, lang: str) -> str:
        waiters = (await self.waiters(uow, [task]))[task.id]
        who = ", ".join(esc(p.name) for p in waiters) or "—"
        what = t(f"decide.what.{_word(nudge.kind)}", lang)
        return t("decide.schedule", lang, who=who, what=what)

    async def section_for(self, uow: UnitOfWork, person: Person, lang: str, now: datetime) -> str:
        """/viec's opening: what waits on this person, the longest waiting first. Whose each
        decision is is told from a few small columns; only the first SECTION_SHOWN of this
        person's are read in full (a province has thousands awaiting someone), the rest
        counted in the "… and N more"."""
        theirs = [
            a.task_id
            for a, waiters in await self._awaiting(uow)
            if any(w.id == person.id for w in waiters)
        ]
        if not theirs:
            return ""
        shown = set(list(dict.fromkeys(theirs))[:SECTION_SHOWN])
        mine = [
            p for p in await self.pending(uow, now, shown) if person.id in {w.id for w in p.waiters}
        ]
        if not mine:
            return ""
        units = await uow.units.by_ids(p.task.lead_unit_id for p in mine)
        lines = [
            t(
                "decide.list.item",
                lang,
                code=item.task.code,
                unit=esc(units[item.task.lead_unit_id].code),
                content=esc(render.clip(item.task.content, render.SHORT_LIMIT)),
                what=self.what(item, lang),
                age=self.age_text(item.age, lang),
            )
            for item in mine
        ]
        total = len(theirs) - sum(1 for i in theirs if i in shown) + len(mine)
        head = [t("decide.list.title", lang, count=total)]
        return render.fit(head, lines, lang, budget=1800, more="decide.list.more", total=total)

    # --- the weekly post and the monthly workbook -------------------------------------------

    async def _awaiting(self, uow: UnitOfWork) -> list[tuple[Awaiting, tuple[Person, ...]]]:
        """Every decision owed, with whom it waits on, from a few columns per decision (not
        the tasks in full: thousands in a province)."""
        roster = await self.core.roster(uow)
        chairs = (Role.CHAIRMAN, Role.VICE_CHAIRMAN)
        leaders = [p for p in roster.people.values() if p.active and p.role in chairs]
        return [
            (a, waiting_on_unit(a.lead_unit_id, roster.people.get(a.assigner_id), leaders))
            for a in await uow.lists.awaiting()
        ]

    async def summary(self, uow: UnitOfWork, now: datetime) -> list[DecisionSummary]:
        """Per person waited on: how many decisions, of which kind, the oldest; the longest
        waiting first."""
        rows: dict[int, list[Awaiting]] = defaultdict(list)
        names: dict[int, str] = {}
        for item, waiters in await self._awaiting(uow):
            for person in waiters:
                rows[person.id].append(item)
                names[person.id] = person.name
        # Each person's oldest wait: the working days counted once, not once per decision.
        out = [
            DecisionSummary(
                names[pid],
                sum(1 for i in items if i.review),
                sum(1 for i in items if not i.review),
                self.age(min(i.since for i in items), now),
                tuple(dict.fromkeys(i.code for i in items)),
            )
            for pid, items in rows.items()
        ]
        out.sort(key=lambda r: (-r.oldest, -r.count, r.name))
        return out

    @staticmethod
    def summary_text(rows: list[DecisionSummary], lang: str, budget: int = 800) -> str:
        if not rows:
            return t("decide.report.none", lang)
        lines = [
            t("decide.report.item", lang, who=esc(r.name), count=r.count, days=r.oldest)
            for r in rows
        ]
        return render.fit([t("decide.report.title", lang)], lines, lang, budget=budget)


def _word(kind: NudgeKind) -> str:
    return "extension" if kind is NudgeKind.EXTENSION else "review"


def is_decision(nudge: Nudge) -> bool:
    return nudge.kind in DECISION_KINDS
