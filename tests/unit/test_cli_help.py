"""`dondoc --help` in DONDOC_LANGUAGE: Vietnamese unless English is asked for."""

from __future__ import annotations

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
