"""bot/db/direct.py puts on the wire what SQLAlchemy's own execution would: every parameter
through its type's bind processor (an aware time made UTC text), also in a statement with an
expanding constant such as `NOT IN ('done', 'merged')`."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.db import direct
from bot.db.inline import InlineDialect
from bot.db.nudges import _plan

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_an_upsert_with_an_expanding_constant_keeps_its_times_bind_processors() -> None:
    dialect = InlineDialect()
    statement = _plan("sqlite")
    given = dict(
        task_id=1,
        kind="manual",
        slot="m:1:3",
        due_at=datetime(2026, 11, 23, 9, 0, tzinfo=HANOI),
        state="pending",
        created_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        actor_id=1,
        note=None,
    )
    plan = direct.plan_for(statement, dialect, tuple(given))
    assert plan is not None
    compiled = statement.compile(dialect=dialect, column_keys=list(given))
    expanded = compiled.construct_expanded_state(given)
    processors = {**compiled._bind_processors, **expanded.processors}
    expected = tuple(
        processors[name](expanded.parameters[name])
        if name in processors
        else expanded.parameters[name]
        for name in expanded.positiontup or ()
    )
    assert plan.parameters(given) == expected
    # 09:00 in Hà Nội is 02:00 UTC, as the column keeps it.
    assert "2026-11-23 02:00:00" in str(plan.parameters(given)[3])
