"""Apply the schema with Alembic. Synchronous on purpose: Alembic's async env runs its own loop."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation: URL-encoded passwords would break without this.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the schema up to date. A SQLite file this call created is removed again if the
    upgrade fails (a full disk, say), so a failed first start leaves nothing behind."""
    fresh = _new_sqlite_files(url)
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


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def current(url: str) -> None:
    command.current(alembic_config(url), verbose=False)
