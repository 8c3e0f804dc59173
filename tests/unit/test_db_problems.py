"""bot/db/problems.py: a database failure a person can fix, in one line, in either language."""

from __future__ import annotations

import errno

from sqlalchemy.exc import OperationalError

from bot.db.problems import describe

SQLITE = "sqlite+aiosqlite:////srv/dondoc/data/dondoc.db"
PG = "postgresql+asyncpg://dondoc:secret@db.example:5433/dondoc"


def wrapped(error: BaseException) -> OperationalError:
    """As SQLAlchemy hands it over: the driver's error in .orig."""
    return OperationalError("connect", {}, error)


def test_sqlite_lines_in_vietnamese_and_english() -> None:
    line = describe(wrapped(OSError(errno.EROFS, "Read-only file system")), SQLITE)
    assert line is not None
    assert line.said("vi") == (
        "Không ghi được cơ sở dữ liệu SQLite /srv/dondoc/data/dondoc.db (DATABASE_URL): hệ thống"
        " tệp chỉ cho đọc"
    )
    assert (
        line.said("en")
        == line
        == (
            "Cannot write the SQLite database /srv/dondoc/data/dondoc.db (DATABASE_URL): the file"
            " system is read-only"
        )
    )
    full = describe(wrapped(OSError(errno.ENOSPC, "No space left on device")), SQLITE)
    assert full is not None and full.said("vi").endswith("(DATABASE_URL): ổ đĩa đã đầy")


def test_postgresql_lines_in_vietnamese_and_english_without_the_password() -> None:
    line = describe(wrapped(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")), PG)
    assert line is not None
    shown = "postgresql+asyncpg://dondoc:***@db.example:5433/dondoc"
    assert line.said("vi") == (
        f"Cấu hình sai DATABASE_URL ({shown}): không kết nối được PostgreSQL tại db.example:5433"
        " (Connection refused); máy chủ có đang chạy và địa chỉ có đúng không?"
    )
    assert line.said("en").startswith(f"Bad setting DATABASE_URL ({shown}): cannot reach")
    assert "secret" not in line.said("vi") + line.said("en")


def test_anything_else_is_not_described() -> None:
    assert describe(RuntimeError("a bug"), SQLITE) is None
    assert describe(wrapped(ValueError("a bug")), PG) is None
