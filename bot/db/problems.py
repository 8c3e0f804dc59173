"""Database failures a person can fix, told in one line that names DATABASE_URL.

The drivers raise them deep inside SQLAlchemy and Alembic, wrapped once or twice; a traceback of
200 lines says less than "PostgreSQL has no database dondoc". Anything not recognised here is a
bug, and keeps its traceback. The line is a Said (catalog keys db.*): English as a string,
``line.said(lang)`` in DONDOC_LANGUAGE.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.text.said import Said

# The database's own answers, by the class names asyncpg gives them (read from the error, so the
# core needs no driver import) and by the words SQLite uses.
_NO_DATABASE = "InvalidCatalogNameError"
_BAD_USER = ("InvalidAuthorizationSpecificationError", "InvalidPasswordError")
_UNREACHABLE = (errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (SQLAlchemy's .orig) and what caused it, each once."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for inner in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(inner, BaseException):
                todo.append(inner)


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def describe(exc: BaseException, database_url: str) -> Said | None:
    """One line for a database failure a person can fix, or None for anything else."""
    url = make_url(database_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        return _sqlite(exc, Path(url.database or ""), shown)
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    for error in _chain(exc):
        names = _names(error)
        if _NO_DATABASE in names:
            return Said("db.no_database", url=shown, host=where, name=url.database)
        if names & set(_BAD_USER):
            return Said(
                "db.bad_user", url=shown, host=where, user=url.username, error=_first_line(error)
            )
        if isinstance(error, OSError) and (
            error.errno in _UNREACHABLE
            or "gaierror" in names
            or "Connect call failed" in str(error)
        ):
            reason = error.strerror or _first_line(error)
            return Said("db.unreachable", url=shown, host=where, error=reason)
        if isinstance(error, TimeoutError):
            return Said("db.no_answer", url=shown, host=where)
    return None


def _sqlite(exc: BaseException, path: Path, shown: str) -> Said | None:
    for error in _chain(exc):
        text = str(error).lower()
        code = error.errno if isinstance(error, OSError) else None
        if isinstance(error, (FileExistsError, NotADirectoryError)) or code == errno.ENOTDIR:
            blocker = next((p for p in path.parents if p.is_file()), path.parent)
            return Said("db.not_a_folder", url=shown, path=path, blocker=blocker)
        if code == errno.ENOSPC or "disk is full" in text or "disk i/o error" in text:
            return Said("db.disk_full", path=path)
        if code == errno.EROFS or "readonly" in text or "read-only" in text:
            return Said("db.read_only", path=path)
        if isinstance(error, PermissionError) or code == errno.EACCES:
            return Said("db.permission", path=path)
        if "unable to open database file" in text:
            return Said("db.cannot_open", path=path)
    return None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
