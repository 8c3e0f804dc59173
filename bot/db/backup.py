"""Backups: `dondoc backup`, `dondoc restore` and the nightly backup with retention.

- SQLite: the online backup API (sqlite3's `Connection.backup`), which copies a consistent
  snapshot while the bot keeps writing (WAL included); copying the file could catch a page
  half-written. Restore goes the other way through the same API, so the -wal and -shm files
  stay consistent with the restored pages.
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean --if-exists`.
  Without pg_dump on the PATH the backup is refused in one line rather than attempted another way.

Restore replaces everything: it refuses while a `dondoc run` holds the database (the
instance lock of bot/db/instance.py), and holds that lock itself meanwhile so that no bot
starts half-way through.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db.engine import is_sqlite
from bot.db.instance import Holder, InstanceLock, LockError, acquire, others
from bot.text.said import os_reason

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
PREFIX = "dondoc-"


class BackupError(Exception):
    """Why the backup or restore was not done: `key` names the catalog message (bot/text/
    catalog_ops.py), `params` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class Busy:
    """Restore refused: this instance holds the database."""

    holder: Holder


def suffix(database_url: str) -> str:
    return ".db" if is_sqlite(database_url) else ".dump"


def default_name(database_url: str, moment: datetime) -> str:
    return f"{PREFIX}{moment:%Y%m%d-%H%M%S}{suffix(database_url)}"


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("ops.backup.memory")
    return Path(database)


def _dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError("ops.backup.no_tool", tool=name)
    return found


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [s for s in (done.stderr or done.stdout).strip().splitlines() if s.strip()]
        raise BackupError(
            "ops.backup.tool_failed",
            tool=Path(command[0]).name,
            error=lines[-1] if lines else f"exit code {done.returncode}",
        )


def backup(database_url: str, target: Path) -> int:
    """Write a backup of the database to `target` (written beside it first, then renamed, so a
    failed backup never leaves a file that looks whole). Returns its size in bytes."""
    if target.is_dir():
        raise BackupError("ops.backup.is_folder", path=target)
    if not target.parent.is_dir():
        raise BackupError("ops.backup.no_folder", folder=target.parent)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if is_sqlite(database_url):
            source = _sqlite_path(database_url)
            if not source.is_file():
                raise BackupError("ops.backup.no_database", path=source)
            partial.unlink(missing_ok=True)
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                dst = sqlite3.connect(partial)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
        else:
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(partial),
                    _dsn(database_url),
                ]
            )
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError("ops.backup.failed", error=exc) from None
    except OSError as exc:
        raise BackupError("ops.backup.failed", error=os_reason(exc)) from None
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def check_file(database_url: str, source: Path) -> None:
    """Refuse, before asking anything, a file that is not a backup of this kind of database."""
    try:
        with source.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise BackupError("ops.restore.unreadable", path=source, error=os_reason(exc)) from None
    if is_sqlite(database_url):
        if head != SQLITE_MAGIC:
            raise BackupError("ops.restore.not_backup", path=source, kind="SQLite")
        try:
            conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                found = conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name IN ('alembic_version', 'tasks')"
                ).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            found = (0,)
        if found is None or found[0] != 2:
            raise BackupError("ops.restore.not_dondoc", path=source)
    elif not head.startswith(PG_MAGIC):
        raise BackupError("ops.restore.not_backup", path=source, kind="pg_dump (custom)")


def hold(database_url: str) -> InstanceLock | Busy:
    """The instance lock for the restore, or who holds it."""
    try:
        got = acquire(database_url)
    except LockError as exc:
        raise BackupError("ops.restore.lock_failed", error=exc) from None
    if isinstance(got, Holder):
        return Busy(got)
    try:
        running = others(database_url)
    except LockError as exc:
        got.release()
        raise BackupError("ops.restore.lock_failed", error=exc) from None
    if running:  # a follower of several instances on PostgreSQL holds no lock
        got.release()
        return Busy(running[0])
    return got


def restore(database_url: str, source: Path) -> None:
    """Replace the database with the backup in `source`. The caller holds the lock (`hold`)."""
    check_file(database_url, source)
    if is_sqlite(database_url):
        target = _sqlite_path(database_url)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                dst = sqlite3.connect(target)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
        except sqlite3.Error as exc:
            raise BackupError("ops.restore.failed", error=exc) from None
        return
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            _dsn(database_url),
            str(source),
        ]
    )


def nightly(
    database_url: str, folder: Path, keep: int, moment: datetime
) -> tuple[Path, list[Path]]:
    """One nightly backup into `folder`, then the oldest removed so that `keep` remain. Only
    files named as this writes them are counted or removed."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / default_name(database_url, moment)
    backup(database_url, target)
    ours = sorted(
        p
        for p in folder.glob(f"{PREFIX}*{suffix(database_url)}")
        if p.is_file() and _stamped(p.name)
    )
    removed = ours[: max(0, len(ours) - keep)]
    for old in removed:
        old.unlink(missing_ok=True)
    return target, removed


def _stamped(name: str) -> bool:
    stem = name.removeprefix(PREFIX).split(".", 1)[0]
    try:
        datetime.strptime(stem, "%Y%m%d-%H%M%S")
    except ValueError:
        return False
    return True
