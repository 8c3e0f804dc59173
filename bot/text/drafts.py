"""A draft task list as the chat shows it: header, one line per item, problems under their item."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.model import SourceDocument, Task, Unit
from bot.domain.unitnames import UnitDirectory
from bot.intake.drafting import Draft, DraftItem
from bot.intake.reading import DocumentHeader, ItemFlag
from bot.intake.roles import action_text
from bot.services.outbox import Button
from bot.text.catalog import t
from bot.text.render import MESSAGE_BUDGET, clip, due_text, esc, fit, when

# Content on an item's line: long enough to recognise the item, short enough for 20 items.
LINE_CONTENT = 110
MIN_LINE_CONTENT = 40


def header_line(header: DocumentHeader, lang: str) -> str:
    parts = []
    if header.number:
        parts.append(t("doc.number", lang, number=esc(header.number)))
    if header.issued:
        parts.append(t("doc.issued", lang, date=header.issued.strftime("%d/%m/%Y")))
    label = " ".join(parts)
    if header.title:
        title = esc(clip(header.title, 200))
        label = f"{label} — {title}" if label else title
    return label or t("draft.no_header", lang)


def problem_text(flag: ItemFlag, lang: str) -> str:
    return t(f"draft.flag.{flag.code.value}", lang, detail=esc(clip(flag.detail, 80)))


def _item_lines(
    item: DraftItem,
    problems: Sequence[ItemFlag],
    units: Mapping[int, Unit],
    tz: ZoneInfo,
    lang: str,
    limit: int,
    directory: UnitDirectory,
) -> str:
    lead = units.get(item.lead_id) if item.lead_id is not None else None
    coop = [units[u] for u in item.cooperating_ids if u in units]
    if item.no_deadline:
        due = t("draft.ongoing", lang)
    elif item.due is not None:
        due = due_text(item.due, tz, lang)
        written = item.rolled_from(tz)
        if written is not None:
            kind = "previous" if item.due.astimezone(tz).date() < written else "next"
            due += t(f"draft.rolled.{kind}", lang, day=written.strftime("%d/%m/%Y"))
    else:
        due = t("draft.no_due", lang)
    line = t(
        "draft.item",
        lang,
        n=item.n,
        lead=f"<b>{esc(lead.code)}</b>" if lead else t("draft.no_lead", lang),
        coop=t("draft.coop", lang, units=", ".join(esc(u.code) for u in coop)) if coop else "",
        due=due,
        # The line names the units already: its content starts at the action ("rà soát …"),
        # not at "Giao Phòng … chủ trì, phối hợp …" (the task keeps the whole text).
        content=esc(clip(action_text(item.content, directory), limit)),
    )
    if item.urgent:
        line += t("draft.urgent", lang)
    return "\n".join([line, *("    " + problem_text(p, lang) for p in problems)])


def draft_text(
    draft: Draft,
    problems: Mapping[int, Sequence[ItemFlag]],
    units: Mapping[int, Unit],
    tz: ZoneInfo,
    lang: str,
    footer: str | None = None,
    examples: Mapping[str, str] | None = None,
) -> str:
    """The draft; `footer` (confirmed, cancelled, expired) replaces the help once it is closed.
    `examples`: the roster's unit codes for the help's examples (render.examples)."""
    head = [t("draft.title", lang), header_line(draft.header, lang), ""]
    if footer is None:
        tail = [
            "",
            t("draft.help", lang, **(examples or {})),
            t("draft.expires", lang, when=when(draft.expires_at, tz)),
        ]
    else:
        tail = ["", footer]
    fixed = sum(len(line) + 1 for line in (*head, *tail))
    count = max(len(draft.items), 1)
    # Shorten every line's content just enough for the whole list to fit in one message.
    per_item = (MESSAGE_BUDGET - fixed) // count - 90
    limit = max(MIN_LINE_CONTENT, min(LINE_CONTENT, per_item))
    directory = UnitDirectory(list(units.values()))
    lines = [
        _item_lines(item, problems.get(item.n, ()), units, tz, lang, limit, directory)
        for item in draft.items
    ]
    budget = MESSAGE_BUDGET - sum(len(line) + 1 for line in tail)
    return fit(head, lines, lang, budget=budget, more="draft.more") + "\n" + "\n".join(tail)


def draft_buttons(draft: Draft, lang: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(t("draft.btn.confirm", lang, count=len(draft.items)), f"dgo:{draft.id}"),
            Button(t("draft.btn.cancel", lang), f"dhy:{draft.id}"),
        ),
    )


def blocked_text(
    blocked: Sequence[tuple[int, Sequence[ItemFlag]]],
    lang: str,
    example_day: str,
    examples: Mapping[str, str],
) -> str:
    lines = [
        t(
            "draft.blocked.line",
            lang,
            n=n,
            problems="; ".join(problem_text(p, lang).removeprefix("⚠️ ") for p in flags),
        )
        for n, flags in blocked
    ]
    return t(
        "draft.blocked",
        lang,
        count=len(blocked),
        lines="\n".join(lines),
        n=blocked[0][0],
        example=example_day,
        **examples,
    )


def progress(tasks: Sequence[Task], now: datetime, lang: str) -> str:
    done = sum(1 for task in tasks if task.status.value == "done")
    withdrawn = sum(1 for task in tasks if task.status.value == "withdrawn")
    open_tasks = [task for task in tasks if task.is_open]
    overdue = sum(1 for task in open_tasks if task.due is not None and task.due < now)
    text = t(
        "vanban.summary",
        lang,
        total=len(tasks) - withdrawn,
        done=done,
        open=len(open_tasks) - overdue,
        overdue=overdue,
    )
    if withdrawn:
        text += t("vanban.withdrawn", lang, count=withdrawn)
    return text


def document_ref(document: SourceDocument) -> str:
    """What to type after /vanban to see this document."""
    return esc(document.number) if document.number else str(document.id)
