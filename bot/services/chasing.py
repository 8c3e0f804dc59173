"""Chasing: planning each task's next nudge, turning due nudges into messages, the leaders' daily
digest, manual urges and the schedule. Sending is the scheduler's job; this decides what to say."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot.db.nudges import Delivery, NewDelivery, Nudge, NudgeWrite, Recovered
from bot.db.uow import UnitOfWork
from bot.domain.model import EventKind, Person, Role, Status, Task, Unit
from bot.domain.nudging import (
    COUNTED_KINDS,
    DECISION_KINDS,
    PRIORITY,
    URGE_KINDS,
    NudgeKind,
    PlannedNudge,
    next_nudge,
    working_days_late,
)
from bot.domain.roster import Roster
from bot.domain.rules import Denied, can_decide
from bot.domain.unitnames import UnitDirectory
from bot.services.common import LEADERSHIP_CHAT, Actor, Core, Where
from bot.services.decisions import DecisionService, PendingDecision
from bot.services.outbox import Outcome
from bot.services.planning import replan
from bot.services.reminders import reminder_row
from bot.services.tasks import normalize_code
from bot.text import render
from bot.text.catalog import t
from bot.text.render import esc

MAX_TEXT = 4096  # Telegram's limits, in characters
MAX_CAPTION = 1024
BATCH = 8  # tasks per reminder message: keeps text and keyboard well inside Telegram's limits
# How long an old reminder waits for the newer one of the same tasks to go out first.
STALE_HOLD = timedelta(minutes=1)
SCAN_LIMIT = 5000
DIGEST_PAGE = 50  # late tasks whose text the digest reads at a time, until its message is full
SCAN_CHUNK = 200  # tasks per transaction of the due-scan: a fraction of a second of the lock
YIELD_EVERY = 2000  # late tasks handled between two turns of the event loop
SCAN_PAUSE = 0.1  # seconds between two chunks, for the transactions waiting on the lock
ACTIVE = frozenset({Status.ASSIGNED, Status.ACKNOWLEDGED})


def most_urgent_first(late: list[tuple[int, int, str, int]]) -> Iterator[tuple[int, int, str, int]]:
    """The digest's late tasks in order, the first two pages picked from all without sorting
    all: one message holds about 20 lines, and sorting the 27k late tasks of 1M held the event
    loop for one long turn; the rest is sorted only if read."""
    first = 2 * DIGEST_PAGE
    if len(late) <= first:
        yield from sorted(late)
        return
    yield from heapq.nsmallest(first, late)
    yield from sorted(late)[first:]


@dataclass(frozen=True, slots=True)
class Sent:
    """A queued message Telegram accepted, to be recorded."""

    delivery: Delivery
    message_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class DueItem:
    task: Task
    nudge: Nudge
    urge_no: int | None
    days_late: int
    actor: Person | None = None


@dataclass(frozen=True, slots=True)
class Outlook:
    """What a scan found before writing anything (`ChasingService.outlook`)."""

    now: datetime
    rules_changed: bool
    open_now: bool
    due: list[tuple[int, int]]  # (task, lead unit) of the tasks with a nudge due
    digest_out: bool  # no digest to make: not its time, or today's is queued
    # The roster as the scan's read transaction saw it, for its write transactions (Core.carry).
    roster: Roster | None = None


@dataclass
class ScanResult:
    nudges: int = 0
    cancelled: int = 0
    deliveries: int = 0
    digests: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class ChasingService:
    def __init__(
        self, core: Core, scan_chunk: int = SCAN_CHUNK, scan_pause: float = SCAN_PAUSE
    ) -> None:
        self.core = core
        self.scan_chunk = scan_chunk
        self.scan_pause = scan_pause
        self.decisions = DecisionService(core)

    # --- the scan: due nudges become messages --------------------------------------------------

    async def outlook(self, uow: UnitOfWork, now: datetime) -> Outlook:
        """What the scan needs to know first, read in the caller's read transaction (the
        due-scan's one for all its steps): the rules, what is due, whether today's digest is
        out (on most scans of the day: nothing more to write)."""
        changed = await self.core.load_org_settings(uow)
        open_now = self.core.calendar.is_office_time(now)
        if changed or not open_now:
            return Outlook(now, changed, open_now, [], True)
        due = await uow.nudges.due_by_unit(now, SCAN_LIMIT)
        return Outlook(now, changed, open_now, due, await self._digest_out(uow, now))

    async def scan(self, outlook: Outlook | None = None) -> ScanResult:
        """One pass: claim the nudges that are due, plan each task's next one, and queue the
        messages. Outside office hours nothing is claimed: what is due waits for the next
        opening and is never dropped. `outlook`: read by the caller as of the scan's moment
        (else read here).

        The work is done in chunks of whole units, each its own transaction: on SQLite every
        transaction holds the one write lock, and thousands of tasks falling due at 08:00 in one
        transaction kept every button press and command waiting (past busy_timeout, failing).
        Each chunk claims its rows again inside its transaction, so a crash between chunks
        leaves the rest pending for the next scan: nothing lost, nothing said twice."""
        core = self.core
        result = ScanResult()
        if outlook is None:
            async with core.uow(read_only=True) as uow:
                outlook = await self.outlook(uow, core.clock.now())
        now, due = outlook.now, outlook.due
        if outlook.rules_changed:
            await self.replan_all()  # the rules changed under us: plan by the new ones
            if not outlook.open_now:
                return result
            async with core.uow(read_only=True) as uow:
                due = await uow.nudges.due_by_unit(now, SCAN_LIMIT)
        if not outlook.open_now:
            return result
        for number, chunk in enumerate(_chunks(due, self.scan_chunk)):
            if number:
                await self.between_chunks()
            async with core.uow() as uow:
                core.carry(uow, outlook.roster)
                await self._scan_chunk(uow, chunk, now, result)
                await uow.commit()
        if outlook.digest_out:
            return result
        async with core.uow() as uow:
            core.carry(uow, outlook.roster)
            # After every chunk: the digest counts the urges this scan just made.
            result.digests = await self._digest(uow, now)
            await uow.commit()
        return result

    async def between_chunks(self) -> None:
        """The previous chunk has committed: transactions queued behind it get the lock now.
        SQLite's busy handler retries every 100 ms at most, so a shorter gap would be won by the
        scan again. (Tests replace this to act between two chunks.)"""
        await asyncio.sleep(self.scan_pause)

    async def _scan_chunk(
        self, uow: UnitOfWork, task_ids: list[int], now: datetime, result: ScanResult
    ) -> None:
        """Claim these tasks' due nudges, fold each task's into one line, plan its next nudge
        and queue the messages: a handful of statements for the whole chunk, not several per
        task (the per-task round trips were most of the 08:00 scan's time)."""
        core = self.core
        due = await uow.nudges.due_for(task_ids, now)
        # The leaders' reminders go to the person a decision waits on, on their own track.
        decisions = [n for n in due if n.kind in DECISION_KINDS]
        if decisions:
            reminded, cancelled = await self.decisions.remind(uow, decisions, now)
            result.nudges += reminded
            result.cancelled += cancelled
            if reminded:
                result.by_kind["decision"] = result.by_kind.get("decision", 0) + reminded
            due = [n for n in due if n.kind not in DECISION_KINDS]
        if not due:
            return
        # Messages are stamped as of this chunk, read once its transaction holds the lock: the
        # send-time check drops a message for a task moved or extended after its stamp, and a
        # /chuyen committed between two chunks came before this one, not after.
        stamp = max(now, core.clock.now())
        tasks = await uow.tasks.by_ids(n.task_id for n in due)
        writes: dict[int | tuple[int, NudgeKind, str], NudgeWrite] = {}
        wanted: dict[int, list[Nudge]] = defaultdict(list)
        for nudge in due:
            task = tasks.get(nudge.task_id)
            if task is None or not self._still_wanted(task, nudge):
                # Completed, withdrawn, reassigned or extended meanwhile: not sent.
                writes[nudge.id] = _write(nudge, "cancelled")
                result.cancelled += 1
            else:
                wanted[task.id].append(nudge)
        urges = await uow.nudges.urges(wanted)
        actors = await uow.people.by_ids(n.actor_id for n in due if n.actor_id)

        # What fell due while the bot was down or the office closed is said once, as things
        # stand now ("due today", not yesterday's "due tomorrow"): pure rules, no database.
        missed: dict[int, list[PlannedNudge]] = {}
        after: dict[int, datetime] = {}
        for task_id, group in wanted.items():
            scheduled = [n.due_at for n in group if n.kind is not NudgeKind.MANUAL]
            if not scheduled:
                continue
            moment, found = max(scheduled), []
            for _ in range(60):
                nxt = next_nudge(tasks[task_id], moment, core.policy, core.calendar)
                if nxt is None or nxt.at > now:
                    break
                moment = nxt.at
                found.append(nxt)
            missed[task_id], after[task_id] = found, max(moment, now)
        coming = {
            task_id: next_nudge(tasks[task_id], moment, core.policy, core.calendar)
            for task_id, moment in after.items()
        }
        asked = {(tid, m.kind, m.slot) for tid, found in missed.items() for m in found}
        asked.update((tid, p.kind, p.slot) for tid, p in coming.items() if p is not None)
        known = await uow.nudges.states(asked)

        said: list[tuple[Task, Nudge | PlannedNudge, int | None]] = []
        for task_id, group in wanted.items():
            task = tasks[task_id]
            members: list[Nudge | PlannedNudge] = list(group)
            ids = {n.id for n in group}
            for m in missed.get(task_id, []):
                existing = known.get((task_id, m.kind, m.slot))
                if existing is None:
                    members.append(m)
                elif existing[1] not in ("done", "merged") and existing[0] not in ids:
                    # Planned before and cancelled (or pending for a later moment): said now.
                    ids.add(existing[0])
                    members.append(Nudge(existing[0], task_id, m.kind, m.slot, m.at, ""))
            # One line per task however many fell due: a leader's own words first, else the
            # most pressing and freshest; the rest fold into it, not counted again.
            primary = min(
                members,
                key=lambda n: (
                    n.kind is not NudgeKind.MANUAL,
                    PRIORITY[n.kind],
                    -_due_at(n).timestamp(),
                ),
            )
            urge_no = None
            if any(n.kind in URGE_KINDS for n in members):
                urge_no = urges.get(task_id, 0) + 1
            for member in members:
                state = "done" if member is primary else "merged"
                number = urge_no if member is primary and member.kind in URGE_KINDS else None
                key = (task_id, member.kind, member.slot)
                if isinstance(member, Nudge):
                    writes[member.id] = _write(member, state, number)
                else:
                    writes[key] = NudgeWrite(
                        task_id, member.kind, member.slot, member.at, state, number
                    )
                known[key] = (-1, state)
            said.append((task, primary, urge_no))
            result.by_kind[primary.kind.value] = result.by_kind.get(primary.kind.value, 0) + 1

        # Each task's next nudge, as planning.plan_after decides it one task at a time: a
        # nudge that already went out is skipped and the one after it planned.
        for _ in range(20):
            # Only what was not asked about yet: a key asked and absent is a nudge to write.
            lookup = [
                (tid, p.kind, p.slot)
                for tid, p in coming.items()
                if p is not None
                and (tid, p.kind, p.slot) not in known
                and (tid, p.kind, p.slot) not in asked
            ]
            if lookup:
                asked.update(lookup)
                known.update(await uow.nudges.states(lookup))
            again: dict[int, PlannedNudge | None] = {}
            for task_id, planned in coming.items():
                if planned is None:
                    continue
                key = (task_id, planned.kind, planned.slot)
                existing = known.get(key)
                if existing is not None and existing[1] in ("done", "merged"):
                    again[task_id] = next_nudge(
                        tasks[task_id], planned.at, core.policy, core.calendar
                    )
                elif existing is not None and existing[0] > 0:
                    writes[existing[0]] = NudgeWrite(
                        task_id, planned.kind, planned.slot, planned.at, "pending", id=existing[0]
                    )
                else:
                    writes[key] = NudgeWrite(
                        task_id, planned.kind, planned.slot, planned.at, "pending"
                    )
            coming = again
            if not coming:
                break

        order = list(writes)
        new_ids = await uow.nudges.write([writes[k] for k in order], now)
        written = dict(zip(order, new_ids, strict=True))
        items: list[DueItem] = []
        for task, primary, urge_no in said:
            if not isinstance(primary, Nudge):
                # Written just now: the messages' keys are made from its new id.
                key = (task.id, primary.kind, primary.slot)
                primary = Nudge(written[key], task.id, primary.kind, primary.slot, primary.at, "")
            items.append(
                DueItem(
                    task,
                    primary,
                    urge_no,
                    working_days_late(task, now, core.calendar),
                    actors.get(primary.actor_id) if primary.actor_id else None,
                )
            )
        result.nudges += len(items)
        result.deliveries += await self._queue(uow, items, stamp)

    @staticmethod
    def _still_wanted(task: Task, nudge: Nudge) -> bool:
        if task.status not in ACTIVE:
            return False
        if nudge.kind is NudgeKind.UNACKNOWLEDGED:
            return task.status is Status.ASSIGNED
        if nudge.kind in (NudgeKind.DUE_SOON, NudgeKind.DUE_TODAY, NudgeKind.OVERDUE):
            return task.due is not None
        if nudge.kind is NudgeKind.CHECK_IN:
            return task.due is None
        return True

    def _what(self, item: DueItem, lang: str) -> str:
        kind = item.nudge.kind
        if kind is NudgeKind.OVERDUE:
            return t("nudge.overdue", lang, n=item.urge_no, days=item.days_late)
        if kind is NudgeKind.MANUAL:
            who = esc(item.actor.name) if item.actor else t("history.system", lang)
            if item.days_late:
                return t("nudge.manual_late", lang, n=item.urge_no, who=who, days=item.days_late)
            return t("nudge.manual", lang, n=item.urge_no, who=who)
        if kind is NudgeKind.DUE_SOON:
            days = item.nudge.slot.partition("wd:")[0]
            return t("nudge.due_soon", lang, days=days)
        return t(f"nudge.{kind.value}", lang)

    def _render(
        self, unit: Unit, items: list[DueItem], lang: str, mentions: list[Person]
    ) -> tuple[str, list[list[dict[str, str]]]]:
        tz = self.core.config.tz
        lines = [t("nudge.title", lang, unit=render.unit_name(unit))]
        buttons: list[list[dict[str, str]]] = []
        for item in items:
            task = item.task
            lines.append(
                t(
                    "nudge.item",
                    lang,
                    code=task.code,
                    content=esc(render.clip(task.content, 200)),
                    due=render.due_text(task.due, tz, lang),
                    what=self._what(item, lang),
                )
            )
            if item.nudge.note:
                lines.append(t("nudge.note", lang, note=esc(render.clip(item.nudge.note, 300))))
            buttons.append(reminder_row(task, lang))
        if mentions:
            # Everyone responsible is named for the group to see; only those without a
            # private copy are pinged (a tg://user link), the others already got the message.
            who = ", ".join(esc(p.name) if p.can_dm else render.mention(p) for p in mentions)
            lines.append(t("nudge.mention", lang, who=who))
        return "\n".join(lines), buttons

    async def _queue(self, uow: UnitOfWork, items: list[DueItem], now: datetime) -> int:
        """Group the due items by lead unit: one message per group chat (in batches), one per
        person who gets private copies, plus escalation notices to the leaders. Who gets what
        comes from the roster in memory, and the messages are written in one statement: a
        handful of statements for the whole chunk, however many units it holds."""
        if not items:
            return 0
        roster = await self.core.roster(uow)
        units = roster.units_by_ids(i.task.lead_unit_id for i in items)
        by_unit: dict[int, list[DueItem]] = defaultdict(list)
        for item in items:
            by_unit[item.task.lead_unit_id].append(item)
        overdue = await uow.nudges.urges_after_due(
            item.task.id
            for item in items
            if item.urge_no is not None and item.days_late > 0 and item.task.due is not None
        )
        rows: list[NewDelivery] = []
        group_lang = self.core.config.language
        for unit_id, unit_items in by_unit.items():
            unit = units[unit_id]
            recipients = self._recipients(roster, unit_id, unit_items, overdue)
            group = unit.chat_id
            if group is None and not any(p.can_dm for p in recipients):
                # Nobody in the unit can be reached: the leaders see it instead of nobody.
                group = roster.leadership_chat
            for start in range(0, len(unit_items), BATCH):
                chunk = unit_items[start : start + BATCH]
                first = chunk[0].nudge.id
                ids = tuple(i.nudge.id for i in chunk)
                if group is not None:
                    text, buttons = self._render(unit, chunk, group_lang, recipients)
                    rows.append(NewDelivery(f"nudge:{first}:{group}", group, text, buttons, ids))
                for person in recipients:
                    if not person.can_dm:
                        continue  # mentioned in the group instead
                    lang = self.core.person_lang(person)
                    text, buttons = self._render(unit, chunk, lang, [])
                    rows.append(
                        NewDelivery(
                            f"nudge:{first}:p{person.id}",
                            person.telegram_id,
                            text,
                            buttons,
                            ids,
                            person_id=person.id,
                        )
                    )
        rows += self._escalate(roster, items, units)
        return await uow.deliveries.add_many(rows, now)

    def _recipients(
        self, roster: Roster, unit_id: int, items: list[DueItem], overdue: dict[int, int]
    ) -> list[Person]:
        """Who a unit's reminder is for: the head, and the deputies once it is late enough."""
        heads = list(roster.of_unit(unit_id, [Role.HEAD]))
        if not self._deputies_due(items, overdue):
            return heads
        return heads + list(roster.of_unit(unit_id, [Role.DEPUTY]))

    def _deputies_due(self, items: list[DueItem], overdue: dict[int, int]) -> bool:
        """From the Nth overdue urge on: a /nhac before the deadline counts as an urge, but not
        towards bringing the deputies in (the issue: "from the first overdue urge").
        `overdue`: each late task's urges given after its deadline."""
        wanted = self.core.policy.deputies_from_urge
        for item in items:
            task = item.task
            if item.urge_no is None or item.days_late <= 0 or task.due is None:
                continue
            if min(item.urge_no, overdue.get(task.id, 0)) >= wanted:
                return True
        return False

    def _escalate(
        self, roster: Roster, items: list[DueItem], units: dict[int, Unit]
    ) -> list[NewDelivery]:
        threshold = self.core.policy.escalate_from_urge
        late = [
            i for i in items if i.urge_no is not None and i.urge_no >= threshold and i.days_late > 0
        ]
        if not late:
            return []
        vices = [p for p in roster.people.values() if p.active and p.role is Role.VICE_CHAIRMAN]
        out: list[NewDelivery] = []
        tz = self.core.config.tz
        for item in late:
            task = item.task
            people = {task.assigner_id: None}
            people.update({v.id: None for v in vices if task.lead_unit_id in v.supervises})
            for person_id in people:
                person = roster.people.get(person_id)
                if person is None or not person.can_dm:
                    continue  # the leadership group's daily digest carries it
                lang = self.core.person_lang(person)
                text = t(
                    "escalation",
                    lang,
                    code=task.code,
                    unit=render.unit_name(units[task.lead_unit_id]),
                    days=item.days_late,
                    n=item.urge_no,
                    content=esc(render.clip(task.content, 500)),
                    due=render.due_text(task.due, tz, lang),
                )
                out.append(
                    NewDelivery(
                        f"esc:{item.nudge.id}:p{person.id}",
                        person.telegram_id,
                        text,
                        [],
                        (item.nudge.id,),
                        person_id=person.id,
                    )
                )
        return out

    async def _digest_out(self, uow: UnitOfWork, now: datetime) -> bool:
        """Whether there is no digest to make now: not its time, or today's is out (read-only;
        `_digest` asks again inside its write transaction, another instance may be first)."""
        local = now.astimezone(self.core.config.tz)
        if local.time() < self.core.policy.digest_at:
            return True
        if not self.core.calendar.is_working_day(local.date()):
            return True
        chat = await self.core.leadership_chat(uow)
        return chat is not None and await uow.deliveries.exists(
            f"digest:{local.date().isoformat()}:{chat}"
        )

    async def _digest(self, uow: UnitOfWork, now: datetime) -> int:
        """The leadership group's daily "Nhiệm vụ quá hạn": once a working day, from digest_at."""
        core = self.core
        local = now.astimezone(core.config.tz)
        if local.time() < core.policy.digest_at or not core.calendar.is_working_day(local.date()):
            return 0
        chat = await core.leadership_chat(uow)
        key = f"digest:{local.date().isoformat()}:{chat}"
        if chat is not None and await uow.deliveries.exists(key):
            # Today's went out (with the office's, queued in the same transaction): every
            # later scan of the day stops here, before reading what waits on the leaders.
            return 0
        # Decisions reminded escalate_from_urge times or more: the leadership group hears of
        # them, except those waiting on the chairman, which the office hears of privately.
        waiting = await self.decisions.escalated(uow, now)
        to_office = [p for p in waiting if any(w.role is Role.CHAIRMAN for w in p.waiters)]
        to_group = [p for p in waiting if p not in to_office]
        count = 0
        if to_office:
            office = await uow.people.with_roles([Role.OFFICE])
            sent = await self._decision_digest(uow, office, to_office, local, now)
            if sent is None:
                to_group = waiting  # no one in the office can be reached: the group sees it
            else:
                count += sent
        if chat is None:
            if to_group:
                chairmen = await uow.people.with_roles([Role.CHAIRMAN])
                count += await self._decision_digest(uow, chairmen, to_group, local, now) or 0
            return count
        # The late tasks urged `threshold` times or more, counted in SQL (GROUP BY ... HAVING):
        # a few small tuples per such task, never every open task as an object.
        threshold = core.policy.escalate_from_urge
        found = await uow.nudges.escalated_late(now, [s.value for s in ACTIVE], threshold)
        if not found and not to_group:
            return count
        # Working days late depend only on the deadline's day: counted once per day.
        days_of: dict[date, int] = {}
        tz = core.config.tz
        today = local.date()
        # (-days late, -urges, code, task id): in order as they are, no key to call per item
        late: list[tuple[int, int, str, int]] = []
        for n, (task_id, code, due, urged) in enumerate(found, 1):
            if n % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # tens of thousands at 1M tasks: others get a turn
            day = due.astimezone(tz).date()
            days = days_of.get(day)
            if days is None:
                days = days_of[day] = max(1, core.calendar.working_days_between(day, today))
            late.append((-days, -urged, code, task_id))
        roster = await core.roster(uow)
        lang = core.config.language
        date_text = local.strftime("%d/%m/%Y")
        head = [t("digest.title", lang, date=date_text, n=threshold)] if late else []
        section: list[str] = []
        if to_group:
            section = [t("decide.digest.title", lang, date=date_text, n=threshold)]
            section += self.decisions.digest_lines(
                to_group, roster.units_by_ids(p.task.lead_unit_id for p in to_group), lang
            )
        # Only the lines that can fit are written (whole lines up to the budget, then "… and N
        # more", as render.fit does): the tasks' text is read for those, a page at a time.
        lines: list[str] = []
        size = sum(len(line) + 1 for line in head)
        budget = render.MESSAGE_BUDGET
        ordered = most_urgent_first(late)
        while page := list(itertools.islice(ordered, DIGEST_PAGE)):
            tasks = await uow.tasks.by_ids(task_id for _, _, _, task_id in page)
            units = roster.units_by_ids(task.lead_unit_id for task in tasks.values())
            for minus_days, minus_urged, _, task_id in page:
                days, urged = -minus_days, -minus_urged
                task = tasks[task_id]
                line = t(
                    "digest.item",
                    lang,
                    code=task.code,
                    unit=esc(units[task.lead_unit_id].code),
                    content=esc(render.clip(task.content, 120)),
                    days=days,
                    urges=urged,
                )
                lines.append(line)
                size += len(line) + 1
            if size > budget:
                break
        total = len(late)
        if section:
            if late:
                lines += ["", *section] if len(lines) == total else []
                total += 1 + len(section)
            else:
                head, lines, total = section[:1], section[1:], len(section) - 1
        text = render.fit(head, lines, lang, total=total)
        return count + int(await uow.deliveries.add(key, chat, text, [], now))

    async def _decision_digest(
        self,
        uow: UnitOfWork,
        people: list[Person],
        items: list[PendingDecision],
        local: datetime,
        now: datetime,
    ) -> int | None:
        """The decisions part of the digest, privately, once a day to each of these people;
        None when none of them can be written to."""
        reachable = [p for p in people if p.can_dm]
        if not reachable:
            return None
        units = await uow.units.by_ids(p.task.lead_unit_id for p in items)
        date_text = local.strftime("%d/%m/%Y")
        count = 0
        for person in reachable:
            key = f"digest-decide:{local.date().isoformat()}:p{person.id}"
            if await uow.deliveries.exists(key):
                continue
            lang = self.core.person_lang(person)
            title_key = (
                "decide.digest.office_title"
                if person.role is Role.OFFICE
                else "decide.digest.title"
            )
            title = t(title_key, lang, date=date_text, n=self.core.policy.escalate_from_urge)
            text = render.fit([title], self.decisions.digest_lines(items, units, lang), lang)
            count += await uow.deliveries.add(
                key, person.telegram_id, text, [], now, person_id=person.id
            )
        return count

    # --- manual urges and the schedule -------------------------------------------------------

    async def urge(self, actor: Actor, where: Where, ref: str, note: str) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            person = await self.core.person(uow, actor)
            lang = core.lang_of(person, actor)
            if person is None:
                return Outcome(t("not_registered", lang, telegram_id=actor.telegram_id))
            if not await core.chat_registered(uow, where):
                return Outcome(t("unregistered_chat", lang, **await core.examples(uow)))
            task = await uow.tasks.by_code(normalize_code(ref))
            if task is None:
                return Outcome(t("task_not_found", lang, code=render.echo(ref)))
            if can_decide(person, task) is Denied.NOT_DECIDER and person.role is not Role.OFFICE:
                return Outcome(t("denied.not_urger", lang))
            if task.status not in ACTIVE:
                status = t(f"status.{task.status.value}", lang).lower()
                return Outcome(t("denied.not_urgeable", lang, code=task.code, status=status))
            now = core.clock.now()
            if where.message_id is not None and not await uow.handled.claim(
                f"m:{where.chat_id}:{where.message_id}", now
            ):
                return Outcome()
            at = core.calendar.next_office_opening(now)
            slot = f"m:{where.chat_id}:{where.message_id or int(now.timestamp())}"
            await uow.nudges.plan(
                task.id,
                PlannedNudge(NudgeKind.MANUAL, slot, at),
                now,
                actor_id=person.id,
                note=note.strip() or None,
            )
            urges = (await uow.nudges.urges([task.id])).get(task.id, 0)
            await uow.commit()
        if at <= now:
            return Outcome(t("urge.sent", lang, code=task.code, n=urges + 1), changed=True)
        return Outcome(
            t("urge.queued", lang, code=task.code, when=render.when(at, core.config.tz)),
            changed=True,
        )

    async def schedule(self, actor: Actor, where: Where, arg: str) -> Outcome:
        core = self.core
        async with core.uow() as uow:
            person = await self.core.person(uow, actor)
            lang = core.lang_of(person, actor)
            if person is None:
                return Outcome(t("not_registered", lang, telegram_id=actor.telegram_id))
            units = await uow.units.all(include_inactive=True)
            by_id = {u.id: u for u in units}
            task_ids: list[int] | None = None
            scope = ""
            word = arg.strip()
            if word:
                task = await uow.tasks.by_code(normalize_code(word))
                if task is not None:
                    if not core.may_see(
                        person, actor, task.lead_unit_id, task.cooperating_unit_ids
                    ):
                        return Outcome(render.not_visible(person, units, lang, "/lich", task.code))
                    task_ids, scope = [task.id], task.code
                else:
                    directory = UnitDirectory(units)
                    unit = directory.find(word)
                    if unit is None and (shared := directory.ambiguous(word)):
                        return Outcome(render.ambiguous_unit(word, shared, lang))
                    if unit is None:
                        return Outcome(t("task_not_found", lang, code=render.echo(word)))
                    if not core.may_see(person, actor, unit.id):
                        return Outcome(render.not_visible(person, units, lang, "/lich"))
                    task_ids = [x.id for x in await uow.tasks.open_tasks(unit.id, limit=10_000)]
                    scope = render.unit_name(unit)
            elif person.unit_id is not None and person.role in (Role.HEAD, Role.DEPUTY, Role.STAFF):
                task_ids = [x.id for x in await uow.tasks.open_tasks(person.unit_id, limit=10_000)]
                scope = render.unit_name(by_id[person.unit_id])
            upcoming = await uow.nudges.upcoming(task_ids, limit=30)
            tasks = {x.id: x for x in [await uow.tasks.get(n.task_id) for n in upcoming] if x}
            urged = await uow.nudges.urges(tasks)
            actors = await uow.people.by_ids(n.actor_id for n in upcoming if n.actor_id)
            decisions = {
                n.id: await self.decisions.schedule_what(uow, tasks[n.task_id], n, lang)
                for n in upcoming
                if n.kind in DECISION_KINDS
            }
        scope_text = t("schedule.scope", lang, what=scope) if scope else ""
        if not upcoming:
            return Outcome(t("schedule.empty", lang, scope=scope_text))
        lines = []
        for nudge in upcoming:
            task = tasks[nudge.task_id]
            if nudge.id in decisions:
                lines.append(
                    t(
                        "schedule.item",
                        lang,
                        when=render.when(nudge.due_at, core.config.tz),
                        code=task.code,
                        unit=esc(by_id[task.lead_unit_id].code),
                        what=decisions[nudge.id],
                    )
                )
                continue
            # Said as it will be said then: the urge's number counts the urges listed before it.
            urge_no = None
            if nudge.kind in URGE_KINDS:
                urged[task.id] = urge_no = urged.get(task.id, 0) + 1
            days_late = working_days_late(task, nudge.due_at, core.calendar)
            urger = actors.get(nudge.actor_id) if nudge.actor_id else None
            what = self._what(DueItem(task, nudge, urge_no, days_late, urger), lang)
            lines.append(
                t(
                    "schedule.item",
                    lang,
                    when=render.when(nudge.due_at, core.config.tz),
                    code=task.code,
                    unit=esc(by_id[task.lead_unit_id].code),
                    what=what,
                )
            )
        return Outcome(render.fit([t("schedule.title", lang, scope=scope_text)], lines, lang))

    # --- bookkeeping for the sender ----------------------------------------------------------

    async def claim(self, limit: int) -> list[Delivery]:
        """Messages due to go out now. Nothing goes out while the office is closed: a retry
        that comes due at night waits for the morning, and is then sent, not dropped (see
        _fold_stale for the one exception). Each reminder is checked against its tasks as
        they stand now: a task acknowledged, reported, finished, withdrawn, extended or moved
        since the message was queued is taken out of it."""
        now = self.core.clock.now()
        if not self.core.calendar.is_office_time(now):
            return []
        today = self.core.calendar.start_of_office(now.astimezone(self.core.config.tz).date())
        async with self.core.uow() as uow:
            await self._fold_stale(uow, today, now)
            rows = await uow.deliveries.claim(now, limit, owner=self.core.config.instance)
            rows = await self._still_worth_sending(uow, rows, now)
            rows = [await self._marked(uow, row) if row.resent else row for row in rows]
            await uow.commit()
        return rows

    async def _marked(self, uow: UnitOfWork, row: Delivery) -> Delivery:
        """A message sent again because the first try was cut off in flight says so, in the
        reader's language, so that a second copy is understood. Marked as it goes out, not in
        the stored text, which the send-time check may write afresh."""
        lang = self.core.config.language
        if row.person_id is not None:
            person = (await uow.people.by_ids([row.person_id])).get(row.person_id)
            if person is not None:
                lang = self.core.person_lang(person)
        text = f"{row.text}\n\n{t('delivery.resent', lang)}"
        limit = MAX_CAPTION if row.document is not None else MAX_TEXT
        if len(text) > limit:
            return row  # better unmarked than refused by Telegram as too long
        return replace(row, text=text)

    async def _fold_stale(self, uow: UnitOfWork, today: datetime, now: datetime) -> None:
        """A scheduled reminder left over from an earlier day ("due soon", "not acknowledged")
        is dropped only once a newer reminder of each of its tasks has gone to the same chat:
        that one says it as things stand today. While the newer one is still on its way, the
        old one waits behind it; if the newer one fails, the old one goes out after all.
        An urge (overdue or a leader's /nhac) is counted, and an escalation tells a leader
        about one: those always go out, late rather than never."""
        stale = [
            row
            for row in await uow.deliveries.pending_since_before("nudge:", today)
            if row.nudge_ids and row.created_at is not None
        ]
        if not stale:
            return
        since = min(row.created_at for row in stale if row.created_at is not None)
        later = await uow.deliveries.queued_after("nudge:", {r.chat_id for r in stale}, since)
        nudges = await uow.nudges.by_ids([i for row in stale + later for i in row.nudge_ids])

        def tasks_of(row: Delivery) -> set[int]:
            return {nudges[i].task_id for i in row.nudge_ids if i in nudges}

        for row in stale:
            covered = [nudges[i] for i in row.nudge_ids if i in nudges]
            if not covered or any(n.kind in COUNTED_KINDS for n in covered):
                continue
            newer = [
                d
                for d in later
                if d.chat_id == row.chat_id
                and d.id != row.id
                and d.created_at is not None
                and row.created_at is not None
                and d.created_at > row.created_at
            ]
            # "unknown" counts as gone out: at-most-once treats it as sent.
            said = set().union(*(tasks_of(d) for d in newer if d.state in ("sent", "unknown")))
            coming = set().union(
                *(tasks_of(d) for d in newer if d.state in ("pending", "claimed", "sending"))
            )
            mine = tasks_of(row)
            if mine <= said:
                await uow.deliveries.set_state(row.id, "expired")
            elif mine <= said | coming:
                await uow.deliveries.set_state(row.id, "pending", next_attempt_at=now + STALE_HOLD)

    async def _still_worth_sending(
        self, uow: UnitOfWork, rows: list[Delivery], now: datetime
    ) -> list[Delivery]:
        """Take out of each claimed reminder the tasks that no longer need it; a reminder left
        with nothing is cancelled, one left with fewer tasks is written afresh for those."""
        chased = [row for row in rows if row.nudge_ids and row.created_at is not None]
        if not chased:
            return rows
        nudges = await uow.nudges.by_ids(i for row in chased for i in row.nudge_ids)
        tasks = await uow.tasks.by_ids({n.task_id for n in nudges.values()})
        since = min(row.created_at for row in chased if row.created_at is not None)
        moves = await uow.nudges.moves(tasks, since)
        waiting = {
            n.task_id: await uow.extensions.pending_for(n.task_id)
            for n in nudges.values()
            if n.kind is NudgeKind.EXTENSION
        }
        out: list[Delivery] = []
        for row in rows:
            if not row.nudge_ids or row.created_at is None:
                out.append(row)
                continue
            queued_at = row.created_at
            covered = [nudges[i] for i in row.nudge_ids if i in nudges]
            wanted = [
                n
                for n in covered
                if (
                    self.decisions.still_waiting(tasks.get(n.task_id), n, waiting.get(n.task_id))
                    if n.kind in DECISION_KINDS
                    else self._wanted_at_send(tasks.get(n.task_id), n, row, moves, queued_at)
                )
            ]
            if len(wanted) == len(covered):
                out.append(row)
                continue
            for nudge in covered:
                if nudge not in wanted:
                    await self._uncount_unsent(uow, row, nudge, now)
            if not wanted:
                await uow.deliveries.set_state(row.id, "cancelled", error="no longer needed")
                continue
            if row.key.startswith("decide:"):
                text, buttons = await self.decisions.rewrite(uow, row, wanted, queued_at)
            else:
                text, buttons = await self._rewrite(uow, row, wanted, tasks, queued_at)
            ids = [n.id for n in wanted]
            await uow.deliveries.set_state(
                row.id, "claimed", text=text, buttons=buttons, nudge_ids=ids
            )
            out.append(replace(row, text=text, buttons=buttons, nudge_ids=tuple(ids)))
        return out

    def _wanted_at_send(
        self,
        task: Task | None,
        nudge: Nudge,
        row: Delivery,
        moves: dict[int, list[tuple[str, datetime]]],
        queued_at: datetime,
    ) -> bool:
        if task is None or not self._still_wanted(task, nudge):
            return False
        for kind, at in moves.get(task.id, []):
            if at < queued_at:
                continue
            if kind == EventKind.REASSIGNED.value:
                return False  # the message names, and goes to, the unit no longer in charge
            # A new deadline makes "due soon", "overdue" and an escalation wrong; a leader's
            # own words to the unit still stand.
            if not (nudge.kind is NudgeKind.MANUAL and row.key.startswith("nudge:")):
                return False
        return True

    async def _uncount_unsent(
        self, uow: UnitOfWork, row: Delivery, nudge: Nudge, now: datetime
    ) -> None:
        """An urge that reached nobody is not counted ("đôn đốc lần N" counts what was said)."""
        if nudge.kind not in COUNTED_KINDS or not row.key.startswith(("nudge:", "decide:")):
            return
        prefix = row.key.rsplit(":", 1)[0] + ":"  # the group message and its private copies
        if not await uow.deliveries.went_out(prefix):
            await uow.nudges.mark_cancelled(nudge.id, now)

    async def _rewrite(
        self,
        uow: UnitOfWork,
        row: Delivery,
        wanted: list[Nudge],
        tasks: dict[int, Task],
        queued_at: datetime,
    ) -> tuple[str, list[list[dict[str, str]]]]:
        """The reminder as it would have been written for the tasks still wanting it."""
        cal = self.core.calendar
        actors = await uow.people.by_ids(n.actor_id for n in wanted if n.actor_id)
        items = [
            DueItem(
                tasks[n.task_id],
                n,
                n.urge_no,
                working_days_late(tasks[n.task_id], queued_at, cal),
                actors.get(n.actor_id) if n.actor_id else None,
            )
            for n in wanted
        ]
        unit_id = items[0].task.lead_unit_id
        unit = (await uow.units.by_ids([unit_id]))[unit_id]
        if row.person_id is not None:
            person = (await uow.people.by_ids([row.person_id])).get(row.person_id)
            lang = self.core.person_lang(person) if person else self.core.config.language
            return self._render(unit, items, lang, [])
        roster = await self.core.roster(uow)
        overdue = await uow.nudges.urges_after_due(
            i.task.id for i in items if i.urge_no is not None and i.days_late > 0 and i.task.due
        )
        recipients = self._recipients(roster, unit_id, items, overdue)
        return self._render(unit, items, self.core.config.language, recipients)

    async def chat_migrated(self, delivery_id: int, old: int, new: int) -> None:
        """A group upgraded to a supergroup: its units (or the leadership setting) follow it."""
        async with self.core.uow() as uow:
            await uow.units.move_chat(old, new)
            if await self.core.leadership_chat(uow) == old:
                await uow.settings.set(LEADERSHIP_CHAT, str(new))
            await uow.deliveries.set_state(delivery_id, "pending", chat_id=new)
            await uow.commit()

    async def mark(self, delivery_id: int, state: str, **values: object) -> None:
        async with self.core.uow() as uow:
            await uow.deliveries.set_state(delivery_id, state, **values)
            await uow.commit()

    async def recover(self) -> Recovered:
        """Take back what an instance that is gone left claimed or in flight."""
        async with self.core.uow() as uow:
            counts = await uow.deliveries.recover(self.core.config.instance)
            # Decisions waiting since before their reminders existed (an upgrade) get them.
            await self.decisions.plan_missing(uow, self.core.clock.now())
            await uow.commit()
        return counts

    @staticmethod
    def _refusal_key(chat_id: int, person_id: int | None) -> str:
        return f"refused:p{person_id}" if person_id is not None else f"refused:{chat_id}"

    async def first_refusal(self, chat_id: int, person_id: int | None = None) -> bool:
        """True the first time a chat (or a person) refuses the bot: the admins are told once,
        not per nudge. Once it works again (see sent), a later refusal is news again."""
        async with self.core.uow() as uow:
            first = await uow.handled.claim(
                self._refusal_key(chat_id, person_id), self.core.clock.now()
            )
            await uow.commit()
        return first

    async def sent(self, delivery: Delivery, **values: object) -> None:
        """Mark a message sent; the chat takes messages again, so a past refusal is forgotten
        (the bot was added back, the person unblocked it)."""
        message_id = values.pop("message_id", None)
        at = values.pop("sent_at", self.core.clock.now())
        assert isinstance(at, datetime) and (message_id is None or isinstance(message_id, int))
        await self.start_sending([], [Sent(delivery, message_id, at)])

    async def start_sending(self, ids: Sequence[int], done: Sequence[Sent] = ()) -> set[int]:
        """In one transaction: record the messages that went out (`done`), and mark the rows
        `ids` as leaving now, those still this instance's to send (see
        DeliveryRepository.start_sending). Returns the ids that may go."""
        async with self.core.uow() as uow:
            await uow.deliveries.mark_sent([(d.delivery.id, d.message_id, d.at) for d in done])
            for item in done:
                row = item.delivery
                if row.track is not None and item.message_id is not None:
                    task_id, kind = row.track
                    await uow.tasks.add_message(task_id, row.chat_id, item.message_id, kind)
            if done:
                await uow.handled.release(
                    *{self._refusal_key(d.delivery.chat_id, d.delivery.person_id) for d in done}
                )
            taken = await uow.deliveries.start_sending(ids, self.core.config.instance)
            await uow.commit()
        return taken

    async def defer(self, ids: Sequence[int], at: datetime) -> None:
        """Claimed rows whose chat has spent its budget for a while: back to the queue until
        `at`."""
        async with self.core.uow() as uow:
            await uow.deliveries.defer(ids, at)
            await uow.commit()

    async def release(self, ids: Sequence[int]) -> int:
        """Claimed rows this instance will not send (it lost the lead): back to the queue."""
        if not ids:
            return 0
        async with self.core.uow() as uow:
            count = await uow.deliveries.release(ids, self.core.config.instance)
            await uow.commit()
        return count

    async def next_delivery_at(self) -> datetime | None:
        async with self.core.uow() as uow:
            return await uow.deliveries.next_attempt_at()

    async def next_event(self) -> datetime | None:
        async with self.core.uow() as uow:
            nudge = await uow.nudges.next_due_at()
            delivery = await uow.deliveries.next_attempt_at()
            planned = await uow.programme.next_activation()  # a programme task's month
        now = self.core.clock.now()
        moments = [m for m in (nudge, delivery, planned) if m is not None]
        if not moments:
            return None
        moment = max(min(moments), now)
        return self.core.calendar.next_office_opening(moment)

    async def replan_all(self) -> int:
        """Plan every open task afresh (after a policy or calendar change)."""
        now = self.core.clock.now()
        async with self.core.uow() as uow:
            tasks = await uow.tasks.open_tasks(limit=1_000_000)
            for task in tasks:
                await replan(self.core, uow, task, now)
            await uow.commit()
        return len(tasks)


def _chunks(due: list[tuple[int, int]], size: int) -> list[list[int]]:
    """Tasks (with their lead unit) in chunks of about `size`, whole units together: a unit's
    reminders are batched into messages per chunk, so splitting a unit would send more, fuller
    messages fewer. A unit larger than a chunk is split at whole messages (BATCH tasks)."""
    by_unit: dict[int, list[int]] = defaultdict(list)
    for task_id, unit_id in due:
        by_unit[unit_id].append(task_id)
    size = max(1, size)
    step = max(BATCH, size - size % BATCH)
    chunks: list[list[int]] = []
    current: list[int] = []
    for tasks in by_unit.values():
        while len(tasks) > size:
            if current:
                chunks.append(current)
                current = []
            chunks.append(tasks[:step])
            tasks = tasks[step:]
        if current and len(current) + len(tasks) > size:
            chunks.append(current)
            current = []
        current.extend(tasks)
    if current:
        chunks.append(current)
    return chunks


def _write(nudge: Nudge, state: str, urge_no: int | None = None) -> NudgeWrite:
    return NudgeWrite(
        nudge.task_id, nudge.kind, nudge.slot, nudge.due_at, state, urge_no, id=nudge.id
    )


def _due_at(nudge: Nudge | PlannedNudge) -> datetime:
    return nudge.due_at if isinstance(nudge, Nudge) else nudge.at
