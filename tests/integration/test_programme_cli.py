"""`dondoc program import | show | template`, run as a person would: in a subprocess, on a real
SQLite file. The programme's year is far ahead (2099), so no deadline depends on today's date."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from cli import Cli
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from support import ROSTER


class ProgrammeCli(Cli):
    def planned(self) -> list[tuple[int, int, str]]:
        with sqlite3.connect(self.db) as conn:
            return list(
                conn.execute("SELECT row_no, seq, state FROM programme_items ORDER BY row_no, seq")
            )


@pytest.fixture
def cli(tmp_path: Path) -> ProgrammeCli:
    assert not (tmp_path / ".env").exists()
    cli = ProgrammeCli(tmp_path)
    (tmp_path / "org.yaml").write_text(ROSTER, encoding="utf-8")
    assert cli("org", "import", "org.yaml").returncode == 0
    return cli


def fill(template: Path, rows: list[list[object]], out: Path) -> None:
    book = load_workbook(template)
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(row)
    book.save(out)


ROWS: list[list[object]] = [
    [1, "Xây dựng dự toán ngân sách", "TCKH", "QLDT", "Tháng 3"],
    [2, "Báo cáo tình hình trật tự đô thị", "Phòng Quản lý đô thị", None, "Hàng quý"],
    [3, "Rà soát đất công", "Phòng Cây xanh", None, "Quý II"],
    [4, "Kiểm kê tài sản", "TCKH", None, "khi có chỉ đạo"],
]


def test_template_then_import_show_and_import_again(cli: ProgrammeCli) -> None:
    made = cli("program", "template", "mau.xlsx", "--year", "2099")
    assert made.returncode == 0, made.stderr
    assert "mau.xlsx" in made.stdout and "dondoc program import mau.xlsx" in made.stdout
    sheet = load_workbook(cli.cwd / "mau.xlsx").active
    assert isinstance(sheet, Worksheet)
    assert sheet["A1"].value == "CHƯƠNG TRÌNH CÔNG TÁC NĂM 2099"
    assert [c.value for c in sheet[3]] == [
        "STT",
        "Nội dung",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian",
        "Lãnh đạo phụ trách",
        "Ghi chú",
    ]
    fill(cli.cwd / "mau.xlsx", ROWS, cli.cwd / "ct.xlsx")

    # The preview, then "no": nothing written.
    declined = cli("program", "import", "ct.xlsx", answer="k\n")
    assert declined.returncode == 1
    out = declined.stdout
    assert "Chương trình công tác năm 2099" in out and "Năm 2099 lấy theo tiêu đề" in out
    assert "Đọc được 2 dòng → 5 nhiệm vụ" in out
    assert "Theo đơn vị chủ trì: QLDT 4 · TCKH 1" in out
    assert "T3/2099: 2" in out and "T6/2099: 1" in out
    assert "2 dòng không nhập" in out
    assert "Dòng 6: không có đơn vị chủ trì “Phòng Cây xanh” trong danh sách" in out
    assert "Dòng 7: không đọc được thời gian “khi có chỉ đạo”" in out
    assert "Nhập 5 nhiệm vụ? [c/K]" in out and "Chưa nhập gì." in out
    assert "<b>" not in out and "&" not in out  # terminal text, not Telegram HTML
    assert cli.planned() == []

    # "có": imported.
    accepted = cli("program", "import", "ct.xlsx", answer="c\n")
    assert accepted.returncode == 0, accepted.stderr
    assert "Đã nhập 5 nhiệm vụ của chương trình công tác năm 2099" in accepted.stdout
    assert cli.planned() == [(4, 1, "planned"), (5, 1, "planned"), (5, 2, "planned"),
                             (5, 3, "planned"), (5, 4, "planned")]  # fmt: skip

    # The same file again, even with --yes: nothing changes, and it says so.
    again = cli("program", "import", "ct.xlsx", "--yes")
    assert again.returncode == 0, again.stderr
    assert "đã được nhập" in again.stdout and "không có gì thay đổi" in again.stdout
    assert len(cli.planned()) == 5

    shown = cli("program", "show")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "Nhiệm vụ theo chương trình chưa đến lượt giao: 5"
    assert "QLDT — Phòng Quản lý đô thị: 4" in lines
    assert "TCKH — Phòng Tài chính - Kế hoạch: 1" in lines
    assert "  Tháng 3/2099 — giao 08:00 02/03/2099: 1" in lines  # 1 March 2099 is a Sunday
    assert "    • dòng 4 · hạn 31/03/2099 · Xây dựng dự toán ngân sách" in lines
    assert "    • dòng 5 · hạn 30/06/2099 · Báo cáo tình hình trật tự đô thị" in lines


def test_yes_imports_without_asking_and_english_follows_the_setting(cli: ProgrammeCli) -> None:
    assert cli("program", "template", "mau.xlsx", "--year", "2099").returncode == 0
    fill(cli.cwd / "mau.xlsx", ROWS[:1], cli.cwd / "ct.xlsx")
    done = cli("program", "import", "ct.xlsx", "--yes", DONDOC_LANGUAGE="en")
    assert done.returncode == 0, done.stderr
    assert "Work programme 2099" in done.stdout
    assert "Import 1 tasks?" not in done.stdout
    assert "Imported 1 task of the 2099 work programme" in done.stdout
    assert cli.planned() == [(4, 1, "planned")]
    shown = cli("program", "show", DONDOC_LANGUAGE="en")
    assert "Programme tasks not yet assigned: 1" in shown.stdout


def test_files_that_cannot_be_imported(cli: ProgrammeCli) -> None:
    (cli.cwd / "ct.docx").write_bytes(b"PK\x03\x04 not really")
    bad = cli("program", "import", "ct.docx", "--yes")
    assert bad.returncode == 1
    assert "không phải bảng tính Excel .xlsx" in bad.stdout
    missing = cli("program", "import", "khong-co.xlsx")
    assert missing.returncode == 2
    assert "Không đọc được tệp khong-co.xlsx" in missing.stderr

    book_bytes = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["STT", "Nội dung", "Ghi chú"])
    sheet.append([1, "Việc", None])
    book.save(book_bytes)
    (cli.cwd / "thieu.xlsx").write_bytes(book_bytes.getvalue())
    headerless = cli("program", "import", "thieu.xlsx", "--yes")
    assert headerless.returncode == 1
    assert "thiếu cột “Đơn vị chủ trì”, “Thời gian”" in headerless.stdout
    assert cli.planned() == []

    year = cli("program", "import", "thieu.xlsx", "--year", "27")
    assert year.returncode == 2 and "“27” không phải một năm (ví dụ 2027)" in year.stderr
