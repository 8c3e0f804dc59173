"""Configuration and file errors (issue 12, point 7): one line naming the setting, file or line,
exit code 1 or 2, no traceback, nothing written. Run as a person would: `dondoc` in a subprocess.

The read-only and full file systems are real: a tmpfs mounted in a private mount namespace
(`unshare -m`, so nothing shows outside the one command); skipped where that is not allowed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest
from cli import COMMAND, Cli
from support import PG_URL, ROSTER

from bot.domain.orgfile import OrgFileError, parse_org


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    # The lines checked here are the English ones (DONDOC_LANGUAGE=vi is the default).
    return Cli(tmp_path, language="en")


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("sqlite+aiosqlite:///", "expected a file after sqlite+aiosqlite:///"),
        ("sqlite+aiosqlite:///:memory:", "a database in memory would be lost"),
        ("sqlite+aiosqlite://relative.db", "an SQLite path takes three slashes"),
        ("postgresql+asyncpg://user@host:port/db", "not a readable URL"),
        ("postgresql+asyncpg://user@[::1/db", "not a readable URL"),
        ("postgresql+asyncpg://", "expected a database name"),
    ],
)
def test_a_malformed_database_url(cli: Cli, url: str, says: str) -> None:
    before = cli.files()
    for command in (("db", "upgrade"), ("org", "export"), ("run",)):
        line = one_line(cli(*command, DATABASE_URL=url, TELEGRAM_BOT_TOKEN="1:A"), 2)
        assert line.startswith("Bad setting DATABASE_URL: ") and says in line, line
    assert cli.files() == before


def test_an_sqlite_path_under_a_file(cli: Cli) -> None:
    cli.write("afile", "")
    url = f"sqlite+aiosqlite:///{cli.cwd}/afile/sub/dondoc.db"
    line = one_line(cli("db", "upgrade", DATABASE_URL=url), 1)
    assert line == (
        f"Bad setting DATABASE_URL ({url}): cannot create the SQLite file "
        f"{cli.cwd}/afile/sub/dondoc.db: {cli.cwd}/afile is a file, not a folder"
    )
    assert cli.files() == ["afile"]


def test_postgresql_unreachable(cli: Cli) -> None:
    url = "postgresql+asyncpg://dondoc:secret@127.0.0.1:9/dondoc"  # the discard port: closed
    for command in (("db", "upgrade"), ("org", "export"), ("run",)):
        line = one_line(cli(*command, DATABASE_URL=url, TELEGRAM_BOT_TOKEN="1:A"), 1)
        assert line.startswith(
            "Bad setting DATABASE_URL (postgresql+asyncpg://dondoc:***@127.0.0.1:9/dondoc): "
            "cannot reach PostgreSQL at 127.0.0.1:9"
        ), line
        assert "secret" not in line


@pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (a PostgreSQL server)")
def test_postgresql_database_missing_or_user_wrong(cli: Cli) -> None:
    from sqlalchemy.engine import make_url

    server = make_url(PG_URL)
    missing = server.set(database="dondoc_no_such_database")
    line = one_line(cli("db", "upgrade", DATABASE_URL=missing.render_as_string(False)), 1)
    assert "has no database “dondoc_no_such_database”" in line
    assert "createdb dondoc_no_such_database" in line
    stranger = server.set(username="dondoc_no_such_user")
    line = one_line(cli("org", "export", DATABASE_URL=stranger.render_as_string(False)), 1)
    assert line.startswith("Bad setting DATABASE_URL (")
    assert "refused user “dondoc_no_such_user”" in line


def _namespaces() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not _namespaces(), reason="needs root and unshare -m")


def in_tmpfs(cli: Cli, options: str, script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` (sh; "$D" is dondoc, "$M" the mount point) with a fresh tmpfs mounted at
    $M in a mount namespace of its own: the mount ends with the script."""
    mount = cli.cwd / "mnt"
    mount.mkdir()
    body = f'mount -t tmpfs -o {options} tmpfs "$M" || exit 99\n{script}'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", body, "sh"],
        cwd=cli.cwd,
        env={**cli.env, "D": " ".join(COMMAND), "M": str(mount)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )


@needs_mount
def test_a_read_only_file_system(cli: Cli) -> None:
    url = f"sqlite+aiosqlite:///{cli.cwd}/mnt/dondoc.db"
    result = in_tmpfs(cli, "size=1m,ro", f'DATABASE_URL="{url}" $D db upgrade')
    line = one_line(result, 1)
    assert line == (
        f"Cannot write the SQLite database {cli.cwd}/mnt/dondoc.db (DATABASE_URL): the file "
        "system is read-only"
    )


@needs_mount
def test_a_full_disk_on_the_first_start_leaves_nothing(cli: Cli) -> None:
    url = f"sqlite+aiosqlite:///{cli.cwd}/mnt/dondoc.db"
    # The schema takes more than 160 KB with its write-ahead log.
    result = in_tmpfs(
        cli, "size=96k", f'DATABASE_URL="{url}" $D db upgrade; e=$?; ls -A "$M"; exit $e'
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""  # ls: the half-made database was removed
    line = one_line(result, 1)
    assert line == (
        f"Cannot write the SQLite database {cli.cwd}/mnt/dondoc.db (DATABASE_URL): the disk is full"
    )


@needs_mount
def test_a_disk_that_fills_up_refuses_the_import_whole(cli: Cli) -> None:
    roster = cli.write("org.yaml", ROSTER)
    url = f"sqlite+aiosqlite:///{cli.cwd}/mnt/dondoc.db"
    script = f"""
export DATABASE_URL="{url}"
$D db upgrade >/dev/null || exit 98
dd if=/dev/zero of="$M/filler" bs=4k 2>/dev/null
$D org import {roster}
e=$?
rm "$M/filler"
$D org export > {cli.cwd}/after.yaml || exit 97
exit $e
"""
    result = in_tmpfs(cli, "size=2m", script)
    line = one_line(result, 1)
    assert line.endswith("(DATABASE_URL): the disk is full"), line
    assert (cli.cwd / "after.yaml").read_text() == "units: []\npeople: []\n"


def test_roster_limits_are_checked_at_import(cli: Cli, database_url: str) -> None:
    """On PostgreSQL the long name and username used to fail mid-import with a traceback."""
    cli.env["DATABASE_URL"] = database_url
    before = cli.files()
    bad = (
        ROSTER.replace("telegram_id: 900001", "telegram_id: -900001")
        .replace("telegram_id: 900002", "telegram_id: 9223372036854775808")
        .replace("name: Phạm Văn Cường", "name: " + "Cường" * 60)
        .replace("    role: office\n", "    role: office\n    username: " + "u" * 65 + "\n")
        + "calendar:\n  days_off: [2027-02-12, 2027-02-30]\n"
    )
    path = cli.write("org.yaml", bad)
    lines = bad.splitlines()
    result = cli("org", "import", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "The roster file was refused; nothing was written:",
        f"  {path}:{lines.index('  - telegram_id: -900001') + 1}: telegram_id -900001 must be "
        "positive (a Telegram user id, like 900001)",
        f"  {path}:{lines.index('  - telegram_id: 9223372036854775808') + 1}: telegram_id "
        "9223372036854775808 is not a Telegram id (like 900001)",
        f"  {path}:{lines.index('    name: ' + 'Cường' * 60) + 1}: name is 300 characters long;"
        " at most 255",
        f"  {path}:{lines.index('    username: ' + 'u' * 65) + 1}: username is 65 characters "
        "long; at most 64",
        f"  {path}:{len(lines)}: '2027-02-30' is not a real date or value",
    ]
    assert cli.files() == [*before, "org.yaml"]  # not even a new database
    exported = cli("org", "export")
    assert exported.stdout == "units: []\npeople: []\n", exported.stderr


BOMB = "units: []\npolicy:\n" + "".join(
    f"  {name}: &{name} [{', '.join([f'*{prev}' if prev else repr('lol' * 30)] * 10)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


def test_an_alias_bomb_fails_fast_within_a_few_megabytes() -> None:
    """10 aliases of 10 aliases, 9 deep: 10**9 values once expanded, from 1.4 KB. The old reader
    built them (2.9 GB, 34 s); counted over the graph, it is refused at once."""
    assert 1300 <= len(BOMB.encode()) <= 1500
    tracemalloc.start()
    try:
        with pytest.raises(OrgFileError) as caught:
            parse_org(BOMB, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.problems == [
        "bomb.yaml:8: the file holds more than 200,000 values once its aliases (*name) are "
        "expanded; write the values out instead"
    ]
    assert peak < 5_000_000, peak


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("units: &u [*u]\n", "org.yaml:1: an alias (*name) refers to itself"),
        ("units: " + "[" * 3000 + "]" * 3000 + "\n", "org.yaml:1: the file is nested too deeply"),
    ],
)
def test_self_referring_and_deeply_nested_files(text: str, problem: str) -> None:
    with pytest.raises(OrgFileError) as caught:
        parse_org(text, "org.yaml")
    assert caught.value.problems[0].startswith(problem)


def test_an_export_into_a_missing_folder_is_one_line(cli: Cli) -> None:
    line = one_line(cli("org", "export", "--out", "nowhere/org.yaml"), 2)
    assert line.startswith("cannot write nowhere/org.yaml: ")


def test_roster_and_database_lines_follow_dondoc_language(tmp_path: Path) -> None:
    """Vietnamese unless DONDOC_LANGUAGE says otherwise, as the other lines of the command
    line (the English ones are checked above)."""
    vi = Cli(tmp_path)  # DONDOC_LANGUAGE not set
    roster = vi.write(
        "org.yaml",
        "units:\n  - code: A\n    name: A\npeople:\n  - telegram_id: 2\n    name: Y\n"
        "    role: head\n",
    )
    result = vi("org", "import", str(roster))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "Tệp danh sách bị từ chối; chưa ghi gì:",
        f"  {roster}:5: cán bộ có vai trò head cần ghi đơn vị, ví dụ “unit: KTHT”",
    ]
    vi.write("afile", "")
    url = f"sqlite+aiosqlite:///{vi.cwd}/afile/sub/dondoc.db"
    line = one_line(vi("db", "upgrade", DATABASE_URL=url), 1)
    assert line == (
        f"Cấu hình sai DATABASE_URL ({url}): không tạo được tệp SQLite "
        f"{vi.cwd}/afile/sub/dondoc.db: {vi.cwd}/afile là một tệp, không phải thư mục"
    )
    en = vi("org", "import", str(roster), DONDOC_LANGUAGE="en")
    assert en.stderr.splitlines()[1] == (
        f"  {roster}:5: a person with role head needs a unit, like 'unit: KTHT'"
    )


def test_a_missing_file_is_said_in_vietnamese(tmp_path: Path) -> None:
    """Python's reason for a missing file ("No such file or directory") is English whatever the
    locale; in the Vietnamese default the whole line is Vietnamese."""
    vi = Cli(tmp_path)
    assert vi("db", "upgrade").returncode == 0
    lines = {
        ("org", "import", "khong-co.yaml"): "  khong-co.yaml: không đọc được tệp (không có tệp "
        "hoặc thư mục này)",
        ("program", "import", "khong-co.xlsx"): "Không đọc được tệp khong-co.xlsx: không có tệp "
        "hoặc thư mục này",
        ("restore", "khong-co.db", "--yes"): "Không đọc được khong-co.db: không có tệp hoặc "
        "thư mục này",
    }
    for argv, line in lines.items():
        said = vi(*argv)
        assert said.returncode in (1, 2), said
        assert "Traceback" not in said.stderr
        assert line in said.stderr.splitlines(), said.stderr
        assert "No such file" not in said.stderr
