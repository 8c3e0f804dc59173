"""The `dondoc` console command, run as a person would run it: in a subprocess."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest
from cli import COMMAND, Cli
from support import ROSTER

from bot.domain.orgfile import parse_org

# Each command reads the real clock (the sandbox, `report`, `tally`).
pytestmark = pytest.mark.time_sensitive

FIRST_IMPORT = (
    "thêm đơn vị: 3 (TCKH, QLDT, TNMT); thêm cán bộ: 7 (Nguyễn Văn An, Lê Thị Bình, "
    "Phạm Văn Cường, Trần Thị Dung, Hoàng Văn Em, Vũ Văn Giang, Đỗ Quản Trị); "
    "đã đặt nhóm lãnh đạo\n"
)
NOTHING = "Không có gì thay đổi: cơ sở dữ liệu đã khớp với tệp.\n"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    # A .env in the working directory would be read; there must not be one.
    assert not (tmp_path / ".env").exists()
    return Cli(tmp_path)


def test_db_upgrade(cli: Cli) -> None:
    result = cli("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Cơ sở dữ liệu đã được cập nhật: sqlite+aiosqlite:///{cli.db}\n"
    assert cli.db.exists()
    again = cli("db", "upgrade")
    assert again.returncode == 0, again.stderr


def test_org_import_twice(cli: Cli) -> None:
    path = cli.write("org.yaml", ROSTER)
    first = cli("org", "import", str(path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == FIRST_IMPORT
    second = cli("org", "import", "org.yaml")  # relative to the working directory
    assert second.returncode == 0, second.stderr
    assert second.stdout == NOTHING


def test_invalid_file_is_refused_and_nothing_is_written(cli: Cli) -> None:
    bad = ROSTER.replace("    role: staff\n", "    role: intern\n")
    path = cli.write("org.yaml", bad)
    line = bad.splitlines().index("    role: intern") + 1
    result = cli("org", "import", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Tệp danh sách bị từ chối; chưa ghi gì:\n"
        f"  {path}:{line}: vai trò “intern” không thuộc: "
        "chairman, vice_chairman, office, head, deputy, staff, admin\n"
    )
    exported = cli("org", "export")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == "units: []\npeople: []\n"


def test_missing_file(cli: Cli) -> None:
    result = cli("org", "import", "missing.yaml")
    assert result.returncode == 1
    assert "missing.yaml: không đọc được tệp (không có tệp hoặc thư mục này)" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_out_reimports_with_no_change(cli: Cli) -> None:
    path = cli.write("org.yaml", ROSTER)
    assert cli("org", "import", str(path)).returncode == 0
    out = cli.cwd / "exported.yaml"
    result = cli("org", "export", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "name: Phòng Tài chính - Kế hoạch" in text
    spec = parse_org(text)
    original = parse_org(ROSTER)
    assert spec.leadership_chat == original.leadership_chat
    assert set(spec.units) == set(original.units)
    assert set(spec.people) == set(original.people)
    again = cli("org", "import", str(out))
    assert again.returncode == 0, again.stderr
    assert again.stdout == NOTHING
    # To standard output, the same text.
    printed = cli("org", "export")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == text


def first_line_of_run(cli: Cli, **env: str) -> tuple[str, int | None]:
    """Start `dondoc run`, read the first line it writes to stderr, then stop it.

    Without a token the command may exit at once or go on to serve the local sandbox; either
    way its first words must say what is missing and where a token comes from.
    """
    process = subprocess.Popen(
        [*COMMAND, "run"],
        cwd=cli.cwd,
        env={**cli.env, "DONDOC_SANDBOX_PORT": "0", **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
    finally:
        watchdog.cancel()
        code = process.poll()
        if code is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr is not None:
            process.stderr.close()
    return line, code


def test_run_without_a_token_explains_botfather(cli: Cli) -> None:
    line, _ = first_line_of_run(cli)
    assert line.startswith("Chưa có TELEGRAM_BOT_TOKEN: mở sandbox")
    assert "@BotFather" in line
    assert "/newbot" in line
    assert not cli.db.exists()  # the configured database is not touched without a token


def test_run_with_an_empty_token_explains_botfather(cli: Cli) -> None:
    line, _ = first_line_of_run(cli, TELEGRAM_BOT_TOKEN="", DONDOC_LANGUAGE="en")
    assert line.startswith("TELEGRAM_BOT_TOKEN is not set: starting the sandbox")
    assert "@BotFather" in line


def test_run_with_an_invalid_org_file_does_not_start(cli: Cli) -> None:
    path = cli.write("org.yaml", "units: []\nfoo: 1\n")
    result = cli("run", TELEGRAM_BOT_TOKEN="123:ABC", DONDOC_ORG_FILE=str(path))
    assert result.returncode == 1
    assert f"{path}:2: khóa “foo” không có trong tệp danh sách" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("command", "name", "value"),
    [
        (("run",), "DONDOC_TIMEZONE", "Mars/Base"),
        (("db", "upgrade"), "DATABASE_URL", "mysql://localhost/dondoc"),
        (("org", "export"), "DONDOC_LOG_LEVEL", "LOUD"),
        (("org", "import", "org.yaml"), "DONDOC_OFFICE_END", "07:00"),
    ],
)
def test_bad_setting_exits_2_with_one_line(
    cli: Cli, command: tuple[str, ...], name: str, value: str
) -> None:
    result = cli(*command, **{name: value})
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Cấu hình sai {name}: ")
    assert not cli.db.exists()


def test_bad_timezone_message(cli: Cli) -> None:
    result = cli("db", "upgrade", DONDOC_TIMEZONE="Mars/Base")
    assert result.returncode == 2
    assert result.stderr == (
        "Cấu hình sai DONDOC_TIMEZONE: cần tên múi giờ IANA, ví dụ Asia/Ho_Chi_Minh\n"
    )
    assert not cli.db.exists()
    # In English when DONDOC_LANGUAGE says so, from the environment or from .env.
    result = cli("db", "upgrade", DONDOC_TIMEZONE="Mars/Base", DONDOC_LANGUAGE="en")
    assert result.stderr == (
        "Bad setting DONDOC_TIMEZONE: expected an IANA time zone like Asia/Ho_Chi_Minh\n"
    )
    (cli.cwd / ".env").write_text("DONDOC_LANGUAGE=en\n", encoding="utf-8")
    result = cli("db", "upgrade", DONDOC_TIMEZONE="Mars/Base")
    assert result.stderr.startswith("Bad setting DONDOC_TIMEZONE: expected")


def test_env_file_in_the_working_directory_is_read(cli: Cli) -> None:
    (cli.cwd / ".env").write_text("DONDOC_TIMEZONE=Mars/Base\n", encoding="utf-8")
    result = cli("db", "upgrade")
    assert result.returncode == 2
    assert "DONDOC_TIMEZONE" in result.stderr


def test_usage_error(cli: Cli) -> None:
    result = cli("org")
    assert (result.returncode, result.stdout) == (2, "")
    # One line in DONDOC_LANGUAGE with an example, not argparse's usage and English error.
    assert result.stderr == (
        "dondoc org: thiếu lệnh, chọn một trong: import, export. Ví dụ: dondoc org import "
        "danh-sach.yaml (hướng dẫn: dondoc org --help)\n"
    )
    en = cli("report", "--month", DONDOC_LANGUAGE="en")
    assert (en.returncode, en.stdout) == (2, "")
    assert en.stderr == (
        "dondoc report: --month needs a value right after it. For example: dondoc report "
        "--month 2026-11 (help: dondoc report --help)\n"
    )


def test_report_for_a_month_not_begun_is_refused_in_one_line(cli: Cli) -> None:
    result = cli("report", "--month", "2999-01")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "tháng 01/2999 chưa bắt đầu\n"


def test_report_into_a_missing_folder_is_refused_before_the_work(cli: Cli) -> None:
    result = cli("report", "--month", "2026-10", "--out", "missing/dir/x.xlsx")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "không ghi được missing/dir/x.xlsx: thư mục missing/dir không tồn tại\n"
    )
    assert not cli.db.exists()  # refused before the database was opened


def test_tally_for_a_week_the_year_has_not_is_refused_in_words(cli: Cli) -> None:
    result = cli("tally", "--week", "2026-W99")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "năm 2026 không có tuần 99: các tuần ISO của năm là W01 đến W53\n"
    result = cli("tally", "--week", "2027-W53", DONDOC_LANGUAGE="en")
    assert result.stderr == "2027 has no week 53: its ISO weeks run from W01 to W52\n"
    result = cli("tally", "--week", "2999-W01")
    assert (result.returncode, result.stderr) == (2, "tuần 2999-W01 chưa bắt đầu\n")
    result = cli("tally", "--week", "tuần 47")
    assert (result.returncode, result.stderr) == (
        2,
        "tuần ghi dạng 2026-W47, không phải 'tuần 47'\n",
    )


def test_tally_chart_into_a_missing_folder_is_refused(cli: Cli) -> None:
    result = cli("tally", "--week", "2026-W40", "--chart", "nowhere/w.png")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "không ghi được nowhere/w.png: thư mục nowhere không tồn tại\n"


@pytest.mark.parametrize(
    ("args", "example"),
    [
        (("tally", "--chart", "a.xlsx"), "dondoc tally --chart a.png"),
        (("tally", "--week", "2026-W40", "--chart", "w"),
         "dondoc tally --week 2026-W40 --chart w.png"),
        (("report", "--month", "2026-10", "--out", "bc.png"),
         "dondoc report --month 2026-10 --out bc.xlsx"),
        (("org", "export", "--out", "ds.txt"), "dondoc org export --out ds.yaml"),
        (("program", "template", "ct.yaml"), "dondoc program template ct.xlsx"),
        (("backup", "sao-luu.xlsx"), "dondoc backup sao-luu.db"),
    ],
)  # fmt: skip
def test_a_file_named_for_another_kind_is_refused_with_the_right_name(
    cli: Cli, args: tuple[str, ...], example: str
) -> None:
    """`tally --chart a.xlsx` wrote a PNG that a spreadsheet program then could not open."""
    result = cli(*args)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    name = args[-1]
    suffix = example.rsplit(".", 1)[1]
    assert result.stderr == (
        f"không ghi {name}: lệnh này ghi tệp .{suffix}, tên tệp cần có đuôi .{suffix}."
        f" Ví dụ: {example}\n"
    )
    assert cli.files() == []  # refused before anything was written, the database included


@pytest.mark.parametrize(
    "args",
    [
        ("tally", "--week", "2026-W40", "--chart", "old.png"),
        ("report", "--month", "2026-10", "--out", "old.xlsx"),
        ("org", "export", "--out", "old.yaml"),
        ("program", "template", "old.xlsx"),
        ("backup", "old.db"),
    ],
)
def test_a_file_already_there_is_replaced_only_when_asked_to(
    cli: Cli, args: tuple[str, ...]
) -> None:
    """Every command that writes a file wrote over one already there without a word: a report
    edited since, or the only good backup, was gone."""
    assert cli("db", "upgrade").returncode == 0  # a database to back up
    old = cli.write(args[-1], "kept")
    refused = cli(*args)  # no answer: as from a script
    assert refused.returncode == 1, refused.stderr
    assert refused.stdout == f"Tệp {args[-1]} đã có. Ghi đè lên tệp đó? [c/K] "
    assert refused.stderr == (
        f"Chưa xác nhận: giữ nguyên {args[-1]}, không ghi gì. Để ghi đè không cần hỏi, thêm"
        " --yes; hoặc ghi vào tên tệp khác.\n"
    )
    assert old.read_text() == "kept"
    said_no = cli(*args, answer="không\n")
    assert said_no.returncode == 1 and old.read_text() == "kept"
    if args[0] == "tally":  # nothing to draw in an empty database: only the question is tested
        return
    said_yes = cli(*args, answer="có\n")
    assert said_yes.returncode == 0, said_yes.stderr
    assert old.read_bytes() != b"kept"
    old.write_text("kept")
    script = cli(*args, "--yes")
    assert script.returncode == 0, script.stderr
    assert "Ghi đè" not in script.stdout
    assert old.read_bytes() != b"kept"
