"""Turning domain objects into Telegram-HTML text and neutral buttons, in the reader's language."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.calendar import format_deadline
from bot.domain.chain import Chain, ChainStep, Late, Wait
from bot.domain.model import EventKind, Person, SourceDocument, Status, Task, TaskEvent, Unit
from bot.domain.series import Series
from bot.domain.unitnames import UnitDirectory
from bot.services.outbox import Button
from bot.text.catalog import t
from bot.text.longtext import excerpt, split_text
from bot.text.series import series_line

CONTENT_LIMIT = 2500  # keeps a card well inside Telegram's 4096 characters
EXCERPT_LIMIT = 600  # a longer content: its beginning on the card, the whole in messages after it
SHORT_LIMIT = 120
MESSAGE_BUDGET = 3900  # Telegram takes 4096 characters of text; HTML tags only make it shorter


def fit(
    head: Sequence[str],
    items: Sequence[str],
    lang: str,
    budget: int = MESSAGE_BUDGET,
    more: str = "list.more",
    total: int | None = None,
) -> str:
    """Whole lines up to the budget, then "… and N more": cutting HTML mid-tag would make
    Telegram refuse the message, and a list of a busy unit's tasks easily runs past 4096.
    `total`: `items` are the first of this many lines (those not written out are counted in
    the "more"), so that a long list need not be written out to be fitted."""
    count = len(items) if total is None else total
    out = list(head)
    size = sum(len(line) + 1 for line in out)
    for index, item in enumerate(items):
        if size + len(item) + 1 > budget - 80:
            out.append(t(more, lang, count=count - index))
            break
        out.append(item)
        size += len(item) + 1
    else:
        if count > len(items):
            out.append(t(more, lang, count=count - len(items)))
    return "\n".join(out)


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


ECHO_LIMIT = 60


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """What someone typed, said back to them ("no task “…”"): clipped, then escaped, so a
    4,000-character word cannot push the reply past Telegram's 4,096."""
    return esc(clip(text, limit))


def mention(person: Person) -> str:
    return f'<a href="tg://user?id={person.telegram_id}">{esc(person.name)}</a>'


def unit_name(unit: Unit) -> str:
    return esc(unit.name)


def when(moment: datetime, tz: ZoneInfo) -> str:
    # strftime("%H:%M %d/%m/%Y") spelt out: cards and lists show a dozen of these each, and
    # strftime (a time tuple, the zone asked again, the C library) cost twice this.
    local = moment.astimezone(tz)
    return f"{local.hour:02d}:{local.minute:02d} {_day(local)}"


def _day(moment: date) -> str:
    """strftime("%d/%m/%Y"); the year unpadded, as glibc's %Y gives it."""
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year}"


def due_text(due: datetime | None, tz: ZoneInfo, lang: str) -> str:
    if due is None:
        return t("no_deadline", lang)
    return format_deadline(due.astimezone(tz), lang)


def examples(units: Iterable[Unit]) -> dict[str, str]:
    """Up to two unit codes of this roster for the usage lines' examples (see catalog.t);
    in roster order, units with a group chat first (a task led by one without reaches nobody).
    Nothing when the roster has no units: the catalog's stand-ins apply."""
    codes = [esc(u.code) for u in sorted(units, key=lambda u: (u.chat_id is None, u.id))][:2]
    if not codes:
        return {}
    return {"ex_unit": codes[0], "ex_unit2": codes[-1], "ex_units": ",".join(codes)}


def ambiguous_unit(word: str, units: Sequence[Unit], lang: str) -> str:
    """ "Có phải: KT (Phòng Kinh tế) hay BKT (Ban Kinh tế)?": a name several units share."""
    named = [f"{esc(u.code)} ({esc(u.name)})" for u in units]
    choices = ", ".join(named[:-1]) + f" {t('unit.or', lang)} " + named[-1]
    return t("unit.ambiguous", lang, choices=choices, word=echo(word), code=esc(units[0].code))


def not_visible(
    person: Person, units: Iterable[Unit], lang: str, command: str, code: str | None = None
) -> str:
    """Why DONDOC_VISIBILITY=unit keeps a unit's tasks (or task `code`) from this person, with
    what they may ask instead."""
    own = next((u for u in units if u.id == person.unit_id), None)
    if own is None:
        return t("visibility.no_unit", lang)
    if code is not None:
        return t("visibility.denied_task", lang, code=esc(code), unit=unit_name(own))
    example = f"{command} {own.code}"
    return t("visibility.denied_unit", lang, unit=unit_name(own), command=esc(example))


def unknown_unit(word: str, directory: UnitDirectory, lang: str, usage: str = "") -> str:
    """ "No unit called “X”. Did you mean: …?" with the closest codes, or every code when
    nothing is close; then the command's usage line, if given."""
    shared = directory.ambiguous(word)
    if shared:
        return ambiguous_unit(word, shared, lang)
    word = clip(word.strip(), 60)
    suggestions = directory.suggest(word) if word else ()
    if suggestions:
        text = t("unknown_unit", lang, word=esc(word), suggestions=", ".join(suggestions))
    else:
        codes = ", ".join(u.code for u in directory.units)
        text = t("unknown_unit_list", lang, word=esc(word), codes=codes)
    return text + ("\n\n" + t(usage, lang, **examples(directory.units)) if usage else "")


def role_name(person: Person, lang: str) -> str:
    return t(f"role.{person.role.value}", lang)


def person_label(person: Person, lang: str) -> str:
    return f"{esc(person.name)} ({role_name(person, lang)})"


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task with the names its texts need, loaded once by the service."""

    task: Task
    lead: Unit
    cooperating: tuple[Unit, ...]
    assigner: Person
    acknowledged_by: Person | None = None
    reported_by: Person | None = None
    heads: tuple[Person, ...] = ()
    document: SourceDocument | None = None
    approved_by: Person | None = None
    approved_at: datetime | None = None
    series: Series | None = None  # the recurring series that made the task
    # The history, when the use case loaded it, and the chain of responsibility built from it.
    events: tuple[TaskEvent, ...] | None = None
    chain: Chain | None = None
    # Everyone and every unit of the roster (in memory), for the names the chain shows.
    people: Mapping[int, Person] = field(default_factory=dict)
    units: Mapping[int, Unit] = field(default_factory=dict)
    office_day: timedelta = timedelta(hours=7)  # a working day's office time, for durations
    expected_hours: float = 4.0  # the policy's office hours before a step counts as slow


def document_label(document: SourceDocument, lang: str) -> str:
    """ "Số 45/TB-UBND ngày 20/11/2026 — Kết luận …", with what the document carries."""
    parts = []
    if document.number:
        parts.append(t("doc.number", lang, number=esc(document.number)))
    if document.issued:
        parts.append(t("doc.issued", lang, date=document.issued.strftime("%d/%m/%Y")))
    label = " ".join(parts)
    if document.title:
        title = esc(clip(document.title, 160))
        label = f"{label} — {title}" if label else title
    return label or t("doc.unnamed", lang, id=document.id)


def card_content(task: Task) -> str:
    """The content as the card shows it: whole when it fits, else its beginning (the rest
    follows in :func:`full_text` messages)."""
    if len(task.content) <= CONTENT_LIMIT:
        return task.content.strip()
    return excerpt(task.content, EXCERPT_LIMIT)


def full_text(task: Task, lang: str) -> list[str]:
    """A content too long for the card, whole, in messages Telegram takes (none if it fits)."""
    if len(task.content) <= CONTENT_LIMIT:
        return []
    pieces = split_text(task.content)
    return [
        t("card.full_text", lang, code=task.code, n=i, of=len(pieces), text=esc(piece))
        for i, piece in enumerate(pieces, 1)
    ]


def is_public_link(link: str) -> bool:
    """A t.me link anyone can open: a public chat's (t.me/name/123), not a private
    supergroup's (t.me/c/123/45), which only its members can follow."""
    return "/c/" not in link


def card(
    view: TaskView, lang: str, tz: ZoneInfo, shown_in: int | None = None, chain: bool = True
) -> str:
    """The task's card; ``shown_in`` is the chat it is shown in (a link to the message the task
    came from is shown only where the reader can open it). ``chain``: with the chain of
    responsibility, when the view has it (/nv shows it as its history instead)."""
    task = view.task
    lines = [
        t("card.title", lang, code=task.code),
        t("card.content", lang, text=esc(card_content(task))),
        t("card.lead", lang, unit=unit_name(view.lead)),
    ]
    if view.cooperating:
        lines.append(t("card.coop", lang, units=", ".join(unit_name(u) for u in view.cooperating)))
    lines.append(t("card.assigner", lang, who=person_label(view.assigner, lang)))
    lines.append(t("card.due", lang, due=due_text(task.due, tz, lang)))
    if task.extension_count and task.original_due is not None:
        lines.append(
            t(
                "card.original_due",
                lang,
                due=due_text(task.original_due, tz, lang),
                count=task.extension_count,
            )
        )
    lines += _asked_lines(view, lang, tz)
    if view.document is not None:
        lines.append(t("card.document", lang, document=document_label(view.document, lang)))
    if view.series is not None:
        lines.append(series_line(view.series, task.series_period, lang))
    if task.source and (shown_in == task.origin_chat_id or is_public_link(task.source)):
        lines.append(t("card.source", lang, source=esc(clip(task.source, 300))))
    if task.attachment is not None:
        lines.append(t("card.attachment", lang, name=esc(task.attachment.file_name or "—")))
    if len(task.content) > CONTENT_LIMIT:
        pieces = len(split_text(task.content))
        lines.append(
            t("card.full_text_note", lang, chars=len(task.content), n=pieces, code=task.code)
        )
    steps = _card_steps(view) if chain else None
    if steps is None:
        lines += _status_lines(view, lang, tz)
    else:
        lines.append(t("card.status", lang, status=t(f"status.{task.status.value}", lang)))
    after = []
    if task.result and task.status in (Status.REPORTED, Status.DONE):
        after.append(t("card.result", lang, text=esc(clip(task.result, 600))))
    if task.status is Status.ASSIGNED and view.heads:
        after.append(t("card.attention", lang, who=", ".join(mention(p) for p in view.heads)))
    if steps:
        room = MESSAGE_BUDGET - 80 - sum(len(line) + 1 for line in lines + after)
        lines += _fit_chain(view, steps, lang, tz, room)
    return "\n".join(lines + after)


def _card_steps(view: TaskView) -> list[ChainStep] | None:
    return None if view.chain is None else list(view.chain.steps)


def _iso_due(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _asked_lines(view: TaskView, lang: str, tz: ZoneInfo) -> list[str]:
    """The extension asked for and not yet decided: the unit and the leader see on the card
    that the deadline may move, as they see a granted extension."""
    if view.chain is None or not view.task.is_open:
        return []
    lines = []
    for event in view.chain.asked:
        due = _iso_due(event.after.get("due"))
        asker = view.people.get(event.actor_id) if event.actor_id is not None else None
        lines.append(
            t(
                "card.ext_pending",
                lang,
                due=due_text(due, tz, lang) if due is not None else "—",
                who=esc(asker.name) if asker else t("history.system", lang),
                when=when(event.at, tz),
                reason=esc(clip(event.note or "", 200)),
            )
        )
    return lines


def _fit_chain(
    view: TaskView, steps: Sequence[ChainStep], lang: str, tz: ZoneInfo, room: int
) -> list[str]:
    """The chain's title and lines within `room` characters: the assignment and the latest
    steps, with a line saying how many between them are left to /nv."""
    title = t("chain.title", lang)
    lines = [chain_line(view, step, lang, tz) for step in steps]
    room -= len(title) + 1
    if sum(len(line) + 1 for line in lines) <= room:
        return [title, *lines]
    more = t("chain.more", lang, count=len(lines), code=view.task.code)
    if room < len(more) + 1 + len(lines[0]) + 1:
        # A card already near Telegram's limit (a long content, result and source): the chain
        # is left to /nv, and the card says so if even that fits.
        return [more] if room + len(title) + 1 >= len(more) + 1 else []
    room -= len(more) + 1 + len(lines[0]) + 1
    kept: list[str] = []
    for line in reversed(lines[1:]):
        if len(line) + 1 > room:
            break
        kept.insert(0, line)
        room -= len(line) + 1
    skipped = len(lines) - 1 - len(kept)
    more = t("chain.more", lang, count=skipped, code=view.task.code)
    return [title, lines[0], more, *kept]


def span(took: timedelta, day: timedelta, lang: str) -> str:
    """Office time as a person says it: minutes, hours and minutes, or working days and hours
    (a working day being the office's hours in one day)."""
    minutes = int(took.total_seconds() // 60)
    per_day = max(1, int(day.total_seconds() // 60))
    if minutes < 60:
        return t("span.minutes", lang, m=max(minutes, 1))
    if minutes < per_day:
        h, m = divmod(minutes, 60)
        return t("span.hours_minutes", lang, h=h, m=m) if m else t("span.hours", lang, h=h)
    days, rest = divmod(minutes, per_day)
    hours = rest // 60
    return t("span.days_hours", lang, d=days, h=hours) if hours else t("span.days", lang, d=days)


def _hours(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _late(late: Late | None, days: int, view: TaskView, lang: str) -> str:
    if late is Late.SLOW:
        return t("chain.late.slow", lang, hours=_hours(view.expected_hours))
    if late is Late.OVERDUE:
        return t("chain.late.overdue", lang, days=days)
    return ""


def _took(took: timedelta | None, view: TaskView, lang: str) -> str:
    if took is None or took < timedelta(minutes=1):
        return ""
    return t("chain.took", lang, span=span(took, view.office_day, lang))


def _short_due(value: object, tz: ZoneInfo) -> str:
    if isinstance(value, str) and value:
        return _day(datetime.fromisoformat(value).astimezone(tz))
    return "—"


def step_label(view: TaskView, step: ChainStep, lang: str, tz: ZoneInfo) -> str:
    event = step.event
    kind = event.kind
    if kind is EventKind.REPORTED and step.finished:
        return t("chain.step.finished", lang)
    if kind is EventKind.REASSIGNED:
        unit = view.units.get(int(str(event.after.get("lead_unit_id", 0))))
        return t("chain.step.reassigned", lang, unit=unit_name(unit) if unit else "?")
    due = _short_due(event.after.get("due"), tz)
    return t(f"chain.step.{kind.value}", lang, due=due)


def chain_line(view: TaskView, step: ChainStep, lang: str, tz: ZoneInfo) -> str:
    """One step on one line: what, who, when, how long it took, whether it was late."""
    event = step.event
    actor = view.people.get(event.actor_id) if event.actor_id is not None else None
    return t(
        "chain.line",
        lang,
        mark="⚠️" if step.late else "•",
        label=step_label(view, step, lang, tz),
        who=esc(actor.name) if actor else t("history.system", lang),
        when=when(event.at, tz),
        took=_took(step.took, view, lang),
        late=_late(step.late, step.days_late, view, lang),
    )


def waits(view: TaskView, lang: str) -> list[str]:
    """What the task waits on now, and for how long (the chain built with a `now`)."""
    if view.chain is None:
        return []
    return [wait_line(view, w, lang) for w in view.chain.waits]


def wait_line(view: TaskView, wait: Wait, lang: str) -> str:
    who = esc(view.assigner.name)
    unit = unit_name(view.lead)
    return t(
        f"chain.wait.{wait.awaited.value}",
        lang,
        unit=unit,
        who=who,
        span=span(wait.took, view.office_day, lang) if wait.took >= timedelta(minutes=1) else "—",
        late=_late(wait.late, wait.days_late, view, lang),
    )


def _status_lines(view: TaskView, lang: str, tz: ZoneInfo) -> list[str]:
    """Where the task stands, with who took each step and when: in progress says who
    acknowledged; a reported or finished task says who reported and who approved."""
    task = view.task
    status = t(f"status.{task.status.value}", lang)
    ack = None
    if view.acknowledged_by and task.acknowledged_at:
        ack = {"who": esc(view.acknowledged_by.name), "when": when(task.acknowledged_at, tz)}
    if task.status is Status.ACKNOWLEDGED and ack:
        return [t("card.status", lang, status=status + t("card.ack_by", lang, **ack))]
    if task.status not in (Status.REPORTED, Status.DONE):
        return [t("card.status", lang, status=status)]
    lines = [t("card.acknowledged", lang, **ack)] if ack else []
    if view.reported_by and task.reported_at:
        reporter = esc(view.reported_by.name)
        status += t("card.reported_by", lang, who=reporter, when=when(task.reported_at, tz))
    if task.status is Status.DONE and view.approved_by and view.approved_at:
        approver = esc(view.approved_by.name)
        status += t("card.approved_by", lang, who=approver, when=when(view.approved_at, tz))
    return [*lines, t("card.status", lang, status=status)]


def card_buttons(task: Task, lang: str) -> tuple[tuple[Button, ...], ...]:
    if task.status is Status.ASSIGNED:
        return (
            (Button(t("btn.ack", lang), f"ack:{task.id}"),),
            (
                Button(t("btn.report", lang), f"rep:{task.id}"),
                Button(t("btn.extend", lang), f"ext:{task.id}"),
            ),
        )
    if task.status is Status.ACKNOWLEDGED:
        return (
            (
                Button(t("btn.report", lang), f"rep:{task.id}"),
                Button(t("btn.extend", lang), f"ext:{task.id}"),
            ),
        )
    return ()


def review_buttons(task: Task, lang: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(t("btn.approve", lang), f"apr:{task.id}"),
            Button(t("btn.return", lang), f"ret:{task.id}"),
        ),
    )


def extension_buttons(request_id: int, lang: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(t("btn.ext_yes", lang), f"exy:{request_id}"),
            Button(t("btn.ext_no", lang), f"exn:{request_id}"),
        ),
    )


def task_list(
    tasks: Sequence[Task],
    units: dict[int, Unit],
    lang: str,
    tz: ZoneInfo,
    now: datetime,
    scope: Unit | None,
    total: int | None = None,
    late: int | None = None,
    narrow: str = "",
    budget: int = MESSAGE_BUDGET,
) -> str:
    """The open tasks, the most urgent first. `tasks` may be the first of `total` (with
    `late` of them overdue): the title counts them all, "… and N more" the rest, and
    `narrow` says how to see another part; within `budget` characters."""
    scope_text = t("list.scope", lang, unit=unit_name(scope)) if scope else ""
    if not tasks:
        return t("list.empty", lang, scope=scope_text)
    count = len(tasks) if total is None else total
    head = [t("list.title", lang, scope=scope_text, count=count)]
    if late:
        head.append(t("list.late_count", lang, late=late))
    lines = []
    for task in tasks:
        item = t(
            "list.item",
            lang,
            code=task.code,
            lead=esc(units[task.lead_unit_id].code),
            content=esc(clip(task.content, SHORT_LIMIT)),
            due=due_text(task.due, tz, lang),
            status=t(f"status.{task.status.value}", lang),
        )
        if task.due is not None and task.due < now:
            item += t("list.overdue", lang)
        lines.append(item)
    if not narrow:
        return fit(head, lines, lang, budget=budget, total=count)
    # The hint keeps its room: the list gives up lines for it.
    listed = fit(head, lines, lang, budget=budget - len(narrow) - 1, total=count)
    return f"{listed}\n{narrow}"


def list_narrow(
    scope: Unit | None, examples: dict[str, str], lang: str, total: int, shown: int
) -> str:
    """How to see past the open tasks a list could hold: one unit's (from the whole), or the
    unit's figures (from a unit's own)."""
    if total <= shown:
        return ""
    if scope is None:
        return t("list.narrow.unit", lang, **examples)
    return t("list.narrow.report", lang, unit=esc(scope.code))


def history(
    events: Iterable[TaskEvent],
    people: dict[int, Person],
    units: dict[int, Unit],
    lang: str,
    tz: ZoneInfo,
    head: Sequence[str] = (),
    chain: Chain | None = None,
    view: TaskView | None = None,
) -> str:
    """Every step: when, who, what (with its note); given the chain, how long each step took
    and which were late."""
    steps = {id(s.event): s for s in chain.steps} if chain is not None else {}
    lines = []
    for event in events:
        actor = people.get(event.actor_id) if event.actor_id is not None else None
        who = esc(actor.name) if actor else t("history.system", lang)
        what = event_text(event, units, lang, tz)
        step = steps.get(id(event))
        if step is not None and view is not None:
            what += _took(step.took, view, lang) + _late(step.late, step.days_late, view, lang)
        lines.append(
            t(
                "history.item.late" if step is not None and step.late else "history.item",
                lang,
                when=when(event.at, tz),
                who=who,
                what=what,
            )
        )
    return fit([*head, t("history.title", lang)], lines, lang, more="history.more")


def _due_param(value: object, tz: ZoneInfo, lang: str) -> str:
    if isinstance(value, str) and value:
        return due_text(datetime.fromisoformat(value), tz, lang)
    return t("no_deadline", lang)


def event_text(event: TaskEvent, units: dict[int, Unit], lang: str, tz: ZoneInfo) -> str:
    note = esc(clip(event.note or "", 300))
    kind = event.kind
    key = f"event.{kind.value}"
    if kind is EventKind.ASSIGNED:
        unit = units.get(int(str(event.after.get("lead_unit_id", 0))))
        return t(
            key,
            lang,
            unit=unit_name(unit) if unit else "?",
            due=_due_param(event.after.get("due"), tz, lang),
        )
    if kind in (EventKind.EXTENSION_REQUESTED, EventKind.EXTENSION_APPROVED):
        return t(key, lang, due=_due_param(event.after.get("due"), tz, lang), note=note)
    if kind is EventKind.REASSIGNED:
        old = units.get(int(str(event.before.get("lead_unit_id", 0))))
        new = units.get(int(str(event.after.get("lead_unit_id", 0))))
        due = event.after.get("due")
        return t(
            key + ".due" if due else key,
            lang,
            old=unit_name(old) if old else "?",
            new=unit_name(new) if new else "?",
            due=_due_param(due, tz, lang),
        )
    if kind is EventKind.REPORTED and event.after.get("file"):
        attached = esc(clip(str(event.after["file"]), 100))
        if attached != note:
            note = f"{note} 📎 {attached}" if note else f"📎 {attached}"
    return t(key, lang, note=note) if "{note}" in t(key, lang) else t(key, lang)
