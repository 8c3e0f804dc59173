"""What a task's use case learned about the task in the statement that loaded it, so that it
does not ask again: the roster's version stamp, and that no extension request is pending and no
sent reminder carries the task's buttons (the common case, which then costs no query).

Kept in the session's `info`, so it lives exactly as long as the unit of work's transaction,
and every repository that could make a fact untrue in that transaction forgets it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

ROSTER_STAMP_SEEN = "roster_stamp_seen"
NO_PENDING_EXTENSION = "no_pending_extension"  # task ids
NO_REMINDERS = "no_reminders"  # task ids


def known_none(session: AsyncSession, fact: str, task_id: int) -> bool:
    """True when this transaction already knows the task has none of `fact`."""
    known = session.info.get(fact)
    return known is not None and task_id in known


def learn_none(session: AsyncSession, fact: str, task_id: int) -> None:
    session.info.setdefault(fact, set()).add(task_id)


def forget(session: AsyncSession, fact: str, task_id: int | None = None) -> None:
    """`task_id` None: for every task."""
    known = session.info.get(fact)
    if known is None:
        return
    if task_id is None:
        known.clear()
    else:
        known.discard(task_id)
