"""The questions the bot puts to a leader (review a result, decide on an extension) and how they
end: once decided, every copy of the question is edited to keep what was asked and to say what
was decided, by whom and when, with no buttons left to press."""

from __future__ import annotations

from datetime import datetime

from bot.db.repositories import Prompt
from bot.db.uow import UnitOfWork
from bot.domain.model import Person
from bot.services.common import Core
from bot.services.outbox import Outgoing
from bot.text import render
from bot.text.catalog import LANGUAGES, t
from bot.text.render import TaskView, esc


def review_texts(core: Core, view: TaskView) -> dict[str, str]:
    """The review question about the task's reported result, in each language."""
    task = view.task
    result = esc(render.clip(task.result or "", 1500))
    attached = task.result_attachment
    if attached is not None and task.result != attached.file_name:
        result += "\n📎 " + esc(attached.file_name or "")
    reporter = view.reported_by
    reported_at = task.reported_at or core.clock.now()
    return {
        lang: t(
            "report.to_reviewer",
            lang,
            unit=render.unit_name(view.lead),
            code=task.code,
            who=esc(reporter.name) if reporter else "—",
            when=render.when(reported_at, core.config.tz),
            result=result,
            content=esc(render.clip(task.content, 500)),
        )
        for lang in LANGUAGES
    }


def extension_texts(
    core: Core,
    view: TaskView,
    requester: Person | None,
    current: datetime | None,
    proposed: datetime,
    reason: str,
) -> dict[str, str]:
    """The extension question, with the task's content so the leader can judge it."""
    tz = core.config.tz
    task = view.task
    return {
        lang: t(
            "ext.to_decider.with_task",
            lang,
            unit=render.unit_name(view.lead),
            code=task.code,
            who=esc(requester.name) if requester else "—",
            content=esc(render.clip(task.content, 1500)),
            current=render.due_text(current, tz, lang),
            proposed=render.due_text(proposed, tz, lang),
            reason=esc(render.clip(reason, 1000)),
        )
        for lang in LANGUAGES
    }


async def close_prompts(
    core: Core,
    uow: UnitOfWork,
    prompts: list[Prompt],
    texts: dict[str, str],
    decision: dict[str, str],
) -> list[Outgoing]:
    """Edit each copy of a decided question: as it was sent (private copy in the person's
    language; in a group with their mention, in the office's language), plus the decision."""
    people = await uow.people.by_ids({p.person_id for p in prompts if p.person_id is not None})
    out = []
    for prompt in prompts:
        person = people.get(prompt.person_id) if prompt.person_id is not None else None
        private = person is not None and prompt.chat_id == person.telegram_id
        lang = core.person_lang(person) if person is not None and private else core.config.language
        prefix = render.mention(person) + " " if person is not None and not private else ""
        out.append(
            Outgoing(
                chat_id=prompt.chat_id,
                text=f"{prefix}{texts[lang]}\n\n{decision[lang]}",
                edit_message_id=prompt.message_id,
            )
        )
    return out


def decision(
    core: Core,
    key: str,
    who: Person,
    moment: datetime,
    due: datetime | None = None,
    **params: object,
) -> dict[str, str]:
    """The line that ends a decided question, in each language (``due``: a granted deadline)."""
    tz = core.config.tz
    when = render.when(moment, tz)
    return {
        lang: t(
            key, lang, who=esc(who.name), when=when, due=render.due_text(due, tz, lang), **params
        )
        for lang in LANGUAGES
    }
