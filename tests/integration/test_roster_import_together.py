"""Several instances started together each import DONDOC_ORG_FILE: the imports take the lock the
migrations take, one after the other, so the first writes the roster and the others find it
already there (no unique-key error that would stop an instance from starting, no duplicate)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text as sql
from support import ROSTER, make_settings

from bot.app import open_runtime
from bot.db.engine import create_engine
from bot.db.migrate import upgrade
from bot.domain.orgfile import parse_org

INSTANCES = 3


async def test_instances_starting_together_import_the_roster_once(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url)
    spec = parse_org(ROSTER)
    runtimes = [open_runtime(make_settings(database_url)) for _ in range(INSTANCES)]
    try:
        reports = await asyncio.gather(
            *(r.services.roster.import_org(spec) for r in runtimes), return_exceptions=True
        )
    finally:
        for runtime in runtimes:
            await runtime.close()
    failed = [r for r in reports if isinstance(r, BaseException)]
    assert not failed, failed
    added = sorted(len(r.units_added) for r in reports if not isinstance(r, BaseException))
    # One import wrote the units; the others found them already there.
    assert added == [0] * (INSTANCES - 1) + [len(spec.units)]
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            units = (await conn.execute(sql("SELECT count(*) FROM units"))).scalar_one()
            people = (await conn.execute(sql("SELECT count(*) FROM people"))).scalar_one()
    finally:
        await engine.dispose()
    assert (units, people) == (len(spec.units), len(spec.people))
