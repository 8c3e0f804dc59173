"""Apply the schema with Alembic. Synchronous on purpose: Alembic's async env runs its own loop.

A start on a database already at the newest revision (every restart) does not load Alembic: one
query compares the database's revision with the newest of the migration files."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation: URL-encoded passwords would break without this.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema up to date. A SQLite file this call created is removed again if the
    upgrade fails (a full disk, say), so a failed first start leaves nothing behind."""
    fresh = _new_sqlite_files(url)
    if revision == "head" and not fresh and at_head(url):
        return
    _quiet_plugins()
    from alembic import command

    try:
        command.upgrade(alembic_config(url), revision)
    except BaseException:
        for path in fresh:
            path.unlink(missing_ok=True)
        raise


def _new_sqlite_files(url: str) -> list[Path]:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return []
    base = Path(parsed.database)
    if base.exists():
        return []
    return [base, base.with_name(base.name + "-wal"), base.with_name(base.name + "-shm")]


def _quiet_plugins() -> None:
    """Alembic lists its plugins at INFO when first imported; imported before logging was set
    up (as it was at every start), those lines went nowhere, and nobody needs them now."""
    plugins = logging.getLogger("alembic.runtime.plugins")
    if plugins.level == logging.NOTSET:
        plugins.setLevel(logging.WARNING)


def heads() -> set[str] | None:
    """The newest revisions of the migration files (one, unless the history branches), read
    from their `revision =` and `down_revision =` lines; None if a file does not say."""
    revisions: set[str] = set()
    replaced: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found, down = _REVISION.search(text), _DOWN.search(text)
        if found is None or down is None:
            return None
        revisions.add(found.group(1))
        replaced.update(_QUOTED.findall(down.group(1)))
    return (revisions - replaced) or None


def at_head(url: str) -> bool:
    """Whether the database's schema is at the newest revision: one query. Any doubt (no
    version table, an unreadable database, a branched history) says no, and Alembic decides."""
    wanted = heads()
    if wanted is None:
        return False
    try:
        found = _sqlite_revisions(url)
        return (found if found is not None else asyncio.run(_revisions(url))) == wanted
    except Exception:
        return False


def _sqlite_revisions(url: str) -> set[str] | None:
    """A SQLite file's revisions read with the standard library's driver, read-only: the
    question without an engine and its event loop (issue 13: they were a tenth of the check).
    None for any other database, or a SQLite URL with options of its own."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.query:
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    uri = Path(parsed.database).absolute().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=30)) as conn:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return {str(r[0]) for r in rows}


async def _revisions(url: str) -> set[str]:
    from sqlalchemy import text

    from bot.db.engine import READ_ONLY, create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(**{READ_ONLY: True})
            rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
            return {str(r[0]) for r in rows}
    finally:
        await engine.dispose()


def downgrade(url: str, revision: str) -> None:
    _quiet_plugins()
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def current(url: str) -> None:
    _quiet_plugins()
    from alembic import command

    command.current(alembic_config(url), verbose=False)
