"""`dondoc backup` and `dondoc restore` as real processes on a real database (a SQLite file;
PostgreSQL with pg_dump when TEST_DATABASE_URL is set), and the nightly backup's retention."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from support import ROSTER, START, TOKEN, make_settings

from bot.app import open_runtime
from bot.db import backup
from bot.db.engine import create_engine
from bot.db.instance import Holder, acquire
from bot.db.migrate import upgrade
from bot.domain.orgfile import parse_org


def dondoc(
    database_url: str, *args: str, cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DONDOC_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean | {"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": database_url, **env},
        timeout=120,
        check=False,
    )


async def _units(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return sorted(str(c) for (c,) in await conn.execute(sql("SELECT code FROM units")))
    finally:
        await engine.dispose()


async def _seed(database_url: str) -> None:
    await asyncio.to_thread(upgrade, database_url)
    runtime = open_runtime(make_settings(database_url))
    try:
        await runtime.services.roster.import_org(parse_org(ROSTER))
    finally:
        await runtime.close()


async def _drop_a_unit(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sql("UPDATE units SET code = 'CHANGED' WHERE code = 'TCKH'"))
    finally:
        await engine.dispose()


async def test_backup_then_restore_asks_and_brings_the_data_back(
    tmp_path: Path, database_url: str
) -> None:
    await _seed(database_url)
    before = await _units(database_url)
    assert "TCKH" in before
    out = tmp_path / "saved"
    out.mkdir()
    name = "dondoc-backup.db" if "sqlite" in database_url else "dondoc-backup.dump"
    done = dondoc(database_url, "backup", str(out / name), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Đã sao lưu cơ sở dữ liệu vào {out / name} ("), done.stdout
    assert (out / name).stat().st_size > 0
    assert not list(out.glob(".*partial"))

    await _drop_a_unit(database_url)
    assert "TCKH" not in await _units(database_url)
    # Asked, and not answered yes: nothing changes.
    no = dondoc(database_url, "restore", str(out / name), cwd=tmp_path, stdin="không\n")
    assert no.returncode == 1
    assert "Gõ “có” để tiếp tục" in no.stdout and "Chưa xác nhận" in no.stdout, no.stdout
    assert "TCKH" not in await _units(database_url)
    # Answered yes.
    yes = dondoc(database_url, "restore", str(out / name), cwd=tmp_path, stdin="có\n")
    assert yes.returncode == 0, yes.stdout + yes.stderr
    assert await _units(database_url) == before
    await _drop_a_unit(database_url)
    # --yes, for scripts, in English.
    script = dondoc(
        database_url, "restore", "--yes", str(out / name), cwd=tmp_path, DONDOC_LANGUAGE="en"
    )
    assert script.returncode == 0, script.stderr
    assert script.stdout.startswith("Restored "), script.stdout
    assert await _units(database_url) == before
    for result in (done, no, yes, script):
        assert "Traceback" not in result.stdout + result.stderr


async def test_restore_refuses_while_a_bot_holds_the_database(
    tmp_path: Path, database_url: str
) -> None:
    await _seed(database_url)
    saved = tmp_path / ("b.db" if "sqlite" in database_url else "b.dump")
    assert dondoc(database_url, "backup", str(saved), cwd=tmp_path).returncode == 0
    await _drop_a_unit(database_url)
    lock = acquire(database_url)  # what `dondoc run` holds for its life
    assert not isinstance(lock, Holder)
    try:
        refused = dondoc(
            database_url, "restore", "--yes", str(saved), cwd=tmp_path, DONDOC_LANGUAGE="en"
        )
    finally:
        lock.release()
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Đôn Đốc is running on this database (host ")
    assert f"pid {os.getpid()}, " in lines[0] and "not restoring" in lines[0]
    assert "TCKH" not in await _units(database_url)


async def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, sqlite_url: str) -> None:
    await _seed(sqlite_url)
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database", encoding="utf-8")
    refused = dondoc(sqlite_url, "restore", "--yes", str(junk), cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"{junk} không phải bản sao lưu SQLite: không khôi phục gì."
    other = tmp_path / "other.db"
    import sqlite3

    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    refused = dondoc(sqlite_url, "restore", "--yes", str(other), cwd=tmp_path, DONDOC_LANGUAGE="en")
    assert refused.returncode == 1
    assert "is a SQLite file but not a Đôn Đốc database" in refused.stderr
    assert "TCKH" in await _units(sqlite_url)


async def test_backup_names_what_is_wrong_in_one_line(tmp_path: Path, sqlite_url: str) -> None:
    await _seed(sqlite_url)
    into_folder = dondoc(sqlite_url, "backup", str(tmp_path), cwd=tmp_path, DONDOC_LANGUAGE="en")
    assert into_folder.returncode == 1
    assert into_folder.stderr.strip().startswith(f"Cannot write {tmp_path}: it is a folder.")
    nowhere = dondoc(sqlite_url, "backup", str(tmp_path / "no" / "x.db"), cwd=tmp_path)
    assert nowhere.returncode == 1
    assert nowhere.stderr.strip() == f"Không ghi được: thư mục {tmp_path / 'no'} không tồn tại."
    # No file given: a dated name in the current folder.
    dated = dondoc(sqlite_url, "backup", cwd=tmp_path)
    assert dated.returncode == 0, dated.stderr
    [made] = tmp_path.glob("dondoc-*.db")
    assert backup._stamped(made.name)


def test_postgresql_without_pg_dump_is_refused_in_one_line(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:5432/nothing"
    empty = tmp_path / "bin"
    empty.mkdir()
    refused = dondoc(url, "backup", "x.dump", cwd=tmp_path, PATH=str(empty), DONDOC_LANGUAGE="en")
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert lines[0].startswith("Cannot back up or restore PostgreSQL: the pg_dump command is not")
    assert not (tmp_path / "x.dump").exists()


async def test_nightly_backup_keeps_the_newest(tmp_path: Path, database_url: str) -> None:
    await _seed(database_url)
    folder = tmp_path / "nightly"
    folder.mkdir()
    mine = folder / "keep-me.db"
    mine.write_bytes(b"a file of the operator's")
    made = []
    for night in range(4):
        moment = START + timedelta(days=night, hours=17)
        target, removed = await asyncio.to_thread(backup.nightly, database_url, folder, 2, moment)
        made.append(target)
        assert removed == made[: max(0, len(made) - 2)][-1:]
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted([made[2].name, made[3].name, "keep-me.db"])
    assert mine.read_bytes() == b"a file of the operator's"
    suffix = ".db" if "sqlite" in database_url else ".dump"
    assert made[3].name == f"dondoc-{START + timedelta(days=3, hours=17):%Y%m%d-%H%M%S}{suffix}"


async def test_the_nightly_job_runs_on_the_leader_only(tmp_path: Path, sqlite_url: str) -> None:
    from bot.app import build_application
    from scheduler.jobs import nightly_backup

    await _seed(sqlite_url)
    runtime = open_runtime(make_settings(sqlite_url))
    app = build_application(runtime, TOKEN, "http://127.0.0.1:9", schedule=False)
    try:
        app.bot_data.leader = False
        assert await nightly_backup(app, sqlite_url, tmp_path / "n", 3) is None
        assert not (tmp_path / "n").exists()
        app.bot_data.leader = True
        made = await nightly_backup(app, sqlite_url, tmp_path / "n", 3)
        assert made is not None and made.is_file()
    finally:
        await runtime.close()


@pytest.mark.parametrize("moment", [datetime(2026, 12, 4, 2, 0)])
def test_default_names_sort_by_time(moment: datetime) -> None:
    earlier = backup.default_name("sqlite+aiosqlite:///x.db", moment - timedelta(seconds=1))
    later = backup.default_name("sqlite+aiosqlite:///x.db", moment)
    assert earlier < later and later == "dondoc-20261204-020000.db"


async def test_restore_refuses_while_a_follower_of_several_instances_runs(
    tmp_path: Path, database_url: str
) -> None:
    """A follower holds no lock, but its session names it (as bot/db/instance.py's election
    does): a restore must not pull the tables from under it."""
    if "sqlite" in database_url:
        pytest.skip("several instances run on PostgreSQL only")
    import asyncpg  # type: ignore[import-untyped]
    from sqlalchemy.engine import make_url

    await _seed(database_url)
    saved = tmp_path / "b.dump"
    assert dondoc(database_url, "backup", str(saved), cwd=tmp_path).returncode == 0
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    follower = await asyncpg.connect(
        dsn, server_settings={"application_name": "dondoc 4242 1780000000 other-host"}
    )
    try:
        refused = await asyncio.to_thread(
            dondoc, database_url, "restore", "--yes", str(saved), cwd=tmp_path, DONDOC_LANGUAGE="en"
        )
    finally:
        await follower.close()
    assert refused.returncode == 1
    assert refused.stderr.strip().startswith(
        "Đôn Đốc is running on this database (host other-host, pid 4242, since "
    ), refused.stderr
