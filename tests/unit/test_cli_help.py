"""`dondoc --help` in DONDOC_LANGUAGE: Vietnamese unless English is asked for."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.__main__ import parser


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        parser().parse_args([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_is_vietnamese_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DONDOC_LANGUAGE", raising=False)
    top = help_of([], capsys)
    assert top.startswith("cách dùng: dondoc [-h]")
    assert "Đôn Đốc: giao và đôn đốc nhiệm vụ" in top
    assert "tùy chọn:" in top and "tham số:" in top
    assert "in phần hướng dẫn này rồi thoát" in top
    assert "ghi báo cáo tháng (.xlsx)" in top
    for english in ("usage", "options", "show this help", "positional", "write the"):
        assert english not in top, english
    sub = help_of(["program", "import"], capsys)
    assert sub.startswith("cách dùng: dondoc program import [-h]")
    assert "năm của chương trình (mặc định: theo tiêu đề tệp)" in sub


def test_help_follows_dondoc_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    top = help_of([], capsys)
    assert top.startswith("usage: dondoc [-h]")
    assert "options:" in top and "show this help and exit" in top
    assert "write the monthly report (.xlsx)" in top
    assert "cách dùng" not in top and "tùy chọn" not in top
    sub = help_of(["report"], capsys)
    assert "--month MONTH" in sub and "the month, like 2026-11" in sub


def error_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What a command line written wrong says: one line on standard error, exit code 2."""
    with pytest.raises(SystemExit) as exited:
        parser().parse_args(argv)
    assert exited.value.code == 2
    said = capsys.readouterr()
    assert said.out == ""
    lines = said.err.splitlines()
    assert len(lines) == 1, said.err
    return lines[0]


WRONG_VI = [
    (
        [],
        "dondoc: thiếu lệnh, chọn một trong: run, sandbox, db, org, backup, restore, report, "
        "tally, program. Ví dụ: dondoc run (hướng dẫn: dondoc --help)",
    ),
    (
        ["chay"],
        "dondoc: không có lệnh “chay”, chọn một trong: run, sandbox, db, org, backup, restore, "
        "report, tally, program. Ví dụ: dondoc run (hướng dẫn: dondoc --help)",
    ),
    (
        ["report"],
        "dondoc report: thiếu --month, tùy chọn này bắt buộc. Ví dụ: dondoc report --month "
        "2026-11 (hướng dẫn: dondoc report --help)",
    ),
    (
        ["report", "--month"],
        "dondoc report: --month cần một giá trị ngay sau nó. Ví dụ: dondoc report --month "
        "2026-11 (hướng dẫn: dondoc report --help)",
    ),
    (
        ["restore"],
        "dondoc restore: thiếu tên tệp. Ví dụ: dondoc restore dondoc-20261130-080000.db "
        "(hướng dẫn: dondoc restore --help)",
    ),
    (
        ["backup", "--quiet"],
        "dondoc backup: không có tùy chọn --quiet. Ví dụ: dondoc backup sao-luu.db "
        "(hướng dẫn: dondoc backup --help)",
    ),
    (
        ["run", "now"],
        "dondoc run: thừa “now”: lệnh này không nhận thêm. Ví dụ: dondoc run "
        "(hướng dẫn: dondoc run --help)",
    ),
    (
        ["sandbox", "--port", "tám"],
        "dondoc sandbox: --port cần một số, không phải “tám”. Ví dụ: dondoc sandbox --port 8080 "
        "(hướng dẫn: dondoc sandbox --help)",
    ),
    (
        ["sandbox", "--port", "99999"],
        "dondoc sandbox: --port: “99999” không phải một cổng (0 đến 65535). Ví dụ: dondoc "
        "sandbox --port 8080 (hướng dẫn: dondoc sandbox --help)",
    ),
    (
        ["sandbox", "--port", "-5"],
        "dondoc sandbox: --port: “-5” không phải một cổng (0 đến 65535). Ví dụ: dondoc "
        "sandbox --port 8080 (hướng dẫn: dondoc sandbox --help)",
    ),
    (
        ["restore", "--yes=1", "a.db"],
        "dondoc restore: --yes không nhận giá trị (“1”): chỉ ghi --yes. Ví dụ: dondoc restore "
        "dondoc-20261130-080000.db (hướng dẫn: dondoc restore --help)",
    ),
    (
        ["program", "import", "a.xlsx", "--year", "27"],
        "dondoc program import: --year: “27” không phải một năm (ví dụ 2027). Ví dụ: dondoc "
        "program import chuong-trinh-cong-tac.xlsx --year 2027 "
        "(hướng dẫn: dondoc program import --help)",
    ),
    (
        ["org"],
        "dondoc org: thiếu lệnh, chọn một trong: import, export. Ví dụ: dondoc org import "
        "danh-sach.yaml (hướng dẫn: dondoc org --help)",
    ),
]


@pytest.mark.parametrize(("argv", "line"), WRONG_VI)
def test_a_command_line_written_wrong_is_one_vietnamese_line_with_an_example(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    line: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DONDOC_LANGUAGE", raising=False)
    assert error_of(argv, capsys) == line


def test_a_command_line_written_wrong_follows_dondoc_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    assert error_of(["report", "--month"], capsys) == (
        "dondoc report: --month needs a value right after it. For example: dondoc report "
        "--month 2026-11 (help: dondoc report --help)"
    )
    assert error_of(["org", "import"], capsys) == (
        "dondoc org import: the file name is missing. For example: dondoc org import "
        "roster.yaml (help: dondoc org import --help)"
    )
    assert error_of(["tally", "--week", "2026-W47", "extra"], capsys) == (
        "dondoc tally: unexpected “extra”: the command takes nothing more. For example: "
        "dondoc tally --week 2026-W47 (help: dondoc tally --help)"
    )


def test_every_command_has_an_example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each (sub)command's error line names an example of its own, in both languages."""
    monkeypatch.chdir(tmp_path)
    commands: list[list[str]] = []

    def walk(found: argparse.ArgumentParser, path: list[str]) -> None:
        commands.append(path)
        for action in found._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*path, name])

    walk(parser(), [])
    assert len(commands) == 16
    for lang in ("vi", "en"):
        monkeypatch.setenv("DONDOC_LANGUAGE", lang)
        for path in commands:
            line = error_of([*path, "--no-such-option"], capsys)
            example = line.split(". Ví dụ: " if lang == "vi" else ". For example: ")[1]
            assert example.startswith(" ".join(["dondoc", *path[:1]])), line


ABBREVIATED = [
    (
        ["restore", "--y", "a.db"],
        "vi",
        "dondoc restore: không nhận tùy chọn viết tắt --y: ghi đầy đủ --yes. Ví dụ: dondoc "
        "restore dondoc-20261130-080000.db (hướng dẫn: dondoc restore --help)",
    ),
    (
        ["restore", "a.db", "--ye"],
        "en",
        "dondoc restore: options are not abbreviated: write --yes in full, not --ye. For "
        "example: dondoc restore dondoc-20261130-080000.db (help: dondoc restore --help)",
    ),
    (
        ["program", "import", "a.xlsx", "--y", "2027"],
        "vi",
        "dondoc program import: không nhận tùy chọn viết tắt --y: ghi đầy đủ --year hoặc --yes. "
        "Ví dụ: dondoc program import chuong-trinh-cong-tac.xlsx --year 2027 "
        "(hướng dẫn: dondoc program import --help)",
    ),
    (
        ["report", "--mon", "2026-11"],
        "vi",
        "dondoc report: không nhận tùy chọn viết tắt --mon: ghi đầy đủ --month. Ví dụ: dondoc "
        "report --month 2026-11 (hướng dẫn: dondoc report --help)",
    ),
    (
        ["sandbox", "--ke"],
        "en",
        "dondoc sandbox: options are not abbreviated: write --keep in full, not --ke. For "
        "example: dondoc sandbox --port 8080 (help: dondoc sandbox --help)",
    ),
]


@pytest.mark.parametrize(("argv", "lang", "line"), ABBREVIATED)
def test_a_shortened_option_is_refused_not_guessed(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    lang: str,
    line: str,
) -> None:
    """`dondoc restore --y FILE` replaced the database as `--yes` would: a command that destroys
    must be asked for in full. No (sub)command guesses an option from its first letters."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DONDOC_LANGUAGE", lang)
    assert error_of(argv, capsys) == line


def test_no_parser_allows_abbreviations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    seen = 0

    def walk(found: argparse.ArgumentParser) -> None:
        nonlocal seen
        seen += 1
        assert found.allow_abbrev is False, found.prog
        for action in found._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    walk(sub)

    walk(parser())
    assert seen == 16
