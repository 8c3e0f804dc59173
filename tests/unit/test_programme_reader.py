"""The annual programme reader, on workbooks made here with openpyxl."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory
from bot.intake.programme import (
    Column,
    FileProblem,
    Period,
    Problem,
    Programme,
    ProgrammeFileError,
    read_programme,
    read_time,
    template,
)

TCKH = Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch", ("TC-KH",))
QLDT = Unit(2, "QLDT", "Phòng Quản lý đô thị", ("QLĐT",))
TNMT = Unit(3, "TNMT", "Phòng Tài nguyên và Môi trường", ("TN&MT",))
KTHT = Unit(4, "KTHT", "Phòng Kinh tế, Hạ tầng và Đô thị", ("KT-HT",))
UNITS = UnitDirectory([TCKH, QLDT, TNMT, KTHT])
HEADERS: list[object] = ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"]


def workbook(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(
    rows: list[list[object]], year: int | None = 2027, merges: tuple[str, ...] = ()
) -> Programme:
    return read_programme(workbook(rows, merges), UNITS, year, 2026)


def test_a_plain_sheet() -> None:
    programme = read(
        [
            HEADERS,
            [1, "Báo cáo dự toán ngân sách", "TCKH", "QLDT, TN&MT", "Tháng 3"],
            [2, "Rà soát quy hoạch", "Phòng Quản lý đô thị", None, "Quý II"],
        ]
    )
    assert programme.problems == ()
    assert programme.header_row == 1
    first, second = programme.rows
    assert (first.row, first.number, first.content) == (2, "1", "Báo cáo dự toán ngân sách")
    assert first.lead == TCKH and first.cooperating == (QLDT, TNMT)
    assert first.periods == (Period(date(2027, 3, 1), date(2027, 3, 31)),)
    assert second.lead == QLDT and second.cooperating == ()
    assert second.periods == (Period(date(2027, 4, 1), date(2027, 6, 30)),)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("3", [(date(2027, 3, 1), date(2027, 3, 31))]),
        (3, [(date(2027, 3, 1), date(2027, 3, 31))]),
        (3.0, [(date(2027, 3, 1), date(2027, 3, 31))]),
        ("Tháng 3", [(date(2027, 3, 1), date(2027, 3, 31))]),
        ("tháng 02", [(date(2027, 2, 1), date(2027, 2, 28))]),
        ("T12", [(date(2027, 12, 1), date(2027, 12, 31))]),
        ("Trong tháng 6/2027", [(date(2027, 6, 1), date(2027, 6, 30))]),
        ("Tháng 6 năm 2028", [(date(2028, 6, 1), date(2028, 6, 30))]),
        ("Quý II", [(date(2027, 4, 1), date(2027, 6, 30))]),
        ("quý 4", [(date(2027, 10, 1), date(2027, 12, 31))]),
        ("Quý I/2027", [(date(2027, 1, 1), date(2027, 3, 31))]),
        ("6 tháng đầu năm", [(date(2027, 1, 1), date(2027, 6, 30))]),
        ("6 tháng cuối năm", [(date(2027, 7, 1), date(2027, 12, 31))]),
        ("Cả năm", [(date(2027, 1, 1), date(2027, 12, 31))]),
        ("Trong năm", [(date(2027, 1, 1), date(2027, 12, 31))]),
        ("Cuối năm", [(date(2027, 12, 1), date(2027, 12, 31))]),
        ("15/3", [(date(2027, 3, 1), date(2027, 3, 15))]),
        ("Trước ngày 15/3/2027", [(date(2027, 3, 1), date(2027, 3, 15))]),
        ("15.03.2027", [(date(2027, 3, 1), date(2027, 3, 15))]),
        ("ngày 20 tháng 5 năm 2027", [(date(2027, 5, 1), date(2027, 5, 20))]),
        (datetime(2027, 9, 10), [(date(2027, 9, 1), date(2027, 9, 10))]),
        (date(2027, 9, 10), [(date(2027, 9, 1), date(2027, 9, 10))]),
        (
            "Tháng 3, 9",
            [(date(2027, 3, 1), date(2027, 3, 31)), (date(2027, 9, 1), date(2027, 9, 30))],
        ),
        ("Tháng 3 - 5", [(date(2027, 3, 1), date(2027, 5, 31))]),
        (
            "Quý I, III",
            [(date(2027, 1, 1), date(2027, 3, 31)), (date(2027, 7, 1), date(2027, 9, 30))],
        ),
        ("Thường xuyên", [(date(2027, 1, 1), None)]),
    ],
)
def test_time_forms(written: object, expected: list[tuple[date, date | None]]) -> None:
    periods = read_time(written, 2027)
    assert periods is not None, written
    assert [(p.start, p.end) for p in periods] == expected


def test_every_month_and_every_quarter() -> None:
    monthly = read_time("Hàng tháng", 2027)
    assert monthly is not None and len(monthly) == 12
    assert monthly[1] == Period(date(2027, 2, 1), date(2027, 2, 28))
    assert monthly[11] == Period(date(2027, 12, 1), date(2027, 12, 31))
    assert read_time("Hằng tháng", 2027) == monthly
    by_20th = read_time("Hàng tháng, trước ngày 20", 2027)
    assert by_20th is not None and by_20th[0] == Period(date(2027, 1, 1), date(2027, 1, 20))
    quarterly = read_time("Hàng quý", 2027)
    assert quarterly is not None
    assert [p.end for p in quarterly] == [
        date(2027, 3, 31),
        date(2027, 6, 30),
        date(2027, 9, 30),
        date(2027, 12, 31),
    ]


@pytest.mark.parametrize("written", ["Tháng 13", "31/2", "sớm", "Quý V", "0", 14, "khi có chỉ đạo"])
def test_unreadable_times(written: object) -> None:
    assert read_time(written, 2027) is None


def test_a_messy_sheet() -> None:
    """Title rows, columns in another order with other words, a merged heading, group rows,
    a column-numbers row, merged unit cells, bad rows and a signature block."""
    rows: list[list[object]] = [
        ["ỦY BAN NHÂN DÂN QUẬN X", None, None, None, None, None, None],
        ["CHƯƠNG TRÌNH CÔNG TÁC NĂM 2027", None, None, None, None, None, None],
        [None, None, None, None, None, None, None],
        [
            "Thời hạn",
            "Ghi chú",
            "Tên nhiệm vụ",
            "Đơn vị thực hiện",
            None,
            "TT",
            "Lãnh đạo phụ trách",
        ],
        [None, None, None, "Chủ trì", "Phối hợp", None, None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["I. LĨNH VỰC KINH TẾ", None, None, None, None, None, None],
        [
            "Tháng 1",
            None,
            "Xây dựng kế hoạch thu ngân sách",
            "tc-kh",
            "Phòng QLĐT",
            1,
            "Đ/c Chủ tịch",
        ],
        ["Quý I", "trình HĐND", "Rà soát nợ đọng", None, None, 2, None],  # lead merged from above
        [
            "Hàng quý",
            None,
            "Báo cáo tình hình kinh tế",
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            "Các phòng, ban liên quan",
            3,
            None,
        ],
        [None, None, "LĨNH VỰC ĐÔ THỊ", None, None, "II", None],
        ["Tháng 13", None, "Chỉnh trang vỉa hè", "QLDT", None, 4, None],
        ["Tháng 5", None, "Trồng cây xanh", "Phòng Cây xanh", None, 5, None],
        ["Tháng 5", None, None, "QLDT", None, 6, None],
        [None, None, "Kiểm tra trật tự xây dựng", "QLDT", None, 7, None],
        ["Tháng 6", None, "Lập hồ sơ đất đai", None, None, 8, None],
        ["Tháng 7", None, "Đo đạc bản đồ", "TNMT, QLDT", None, 9, None],
        ["Tháng 8", None, "Cắm mốc giới", "TNMT", "Ban Quy hoạch", 10, None],
        [None, None, None, None, None, None, None],
        ["Nơi nhận:", None, None, None, None, None, None],
        ["- Như trên;", None, None, None, None, None, None],
    ]
    programme = read(
        rows,
        year=None,
        merges=("A1:G1", "A2:G2", "D4:E4", "A7:G7", "D8:D9", "C16:C16"),
    )
    assert programme.year == 2027 and programme.year_from == "title"
    assert programme.header_row == 4
    assert programme.columns[Column.LEAD] == 3 and programme.columns[Column.COOP] == 4
    assert programme.columns[Column.NUMBER] == 5 and programme.columns[Column.TIME] == 0
    read_rows = {r.row: r for r in programme.rows}
    assert sorted(read_rows) == [8, 9, 10, 18]
    first = read_rows[8]
    assert first.lead == TCKH and first.cooperating == (QLDT,)
    assert first.leader == "Đ/c Chủ tịch" and first.group == "I. LĨNH VỰC KINH TẾ"
    assert read_rows[9].lead == TCKH  # the merged cell gives its unit to the row below
    assert read_rows[9].note == "trình HĐND"
    assert read_rows[10].group == "I. LĨNH VỰC KINH TẾ"
    quarterly = read_rows[10]
    assert quarterly.lead == KTHT and quarterly.coop_text == "Các phòng, ban liên quan"
    assert len(quarterly.periods) == 4 and quarterly.repeating
    problems = {p.row: (p.problem, p.detail) for p in programme.problems}
    assert problems == {
        12: (Problem.UNREADABLE_TIME, "Tháng 13"),
        13: (Problem.UNKNOWN_LEAD, "Phòng Cây xanh"),
        14: (Problem.NO_CONTENT, ""),
        15: (Problem.NO_TIME, ""),
        16: (Problem.NO_LEAD, ""),
        17: (Problem.SEVERAL_LEADS, "TNMT, QLDT"),
    }
    # A cooperating body not on the roster is noted, not refused: the row is kept with the cell
    # as written (as a draft keeps such an item, ℹ️).
    outside = read_rows[18]
    assert outside.lead == TNMT and outside.cooperating == ()
    assert outside.coop_text == "Ban Quy hoạch"
    assert [(n.row, n.problem, n.detail) for n in programme.notes] == [
        (18, Problem.UNKNOWN_COOP, "Ban Quy hoạch")
    ]


def test_the_year_given_wins_and_a_default_applies() -> None:
    rows: list[list[object]] = [
        ["CHƯƠNG TRÌNH CÔNG TÁC NĂM 2027"],
        HEADERS,
        [1, "Việc", "TCKH", None, "Tháng 3"],
    ]
    given = read(rows, year=2028)
    assert (given.year, given.year_from) == (2028, "given")
    assert given.rows[0].periods[0].end == date(2028, 3, 31)
    plain = read(rows[1:], year=None)
    assert (plain.year, plain.year_from) == (2026, "default")


def test_a_numbered_row_without_unit_or_time_is_reported_not_a_heading() -> None:
    programme = read([HEADERS, [1, "Tổng kết công tác năm", None, None, None]])
    assert [(p.row, p.problem) for p in programme.problems] == [(2, Problem.NO_LEAD)]
    assert programme.rows == ()


def test_a_file_that_is_not_a_workbook() -> None:
    with pytest.raises(ProgrammeFileError) as caught:
        read_programme(b"%PDF-1.4 not a workbook", UNITS, 2027, 2026)
    assert caught.value.code is FileProblem.NOT_XLSX


def test_a_sheet_without_the_columns() -> None:
    with pytest.raises(ProgrammeFileError) as caught:
        read([["STT", "Nội dung", "Ghi chú"], [1, "Việc", ""]])
    assert caught.value.code is FileProblem.NO_HEADER
    assert set(caught.value.missing) == {Column.LEAD, Column.TIME}


def test_the_template_reads_back_empty() -> None:
    data = template(2027)
    sheet = load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    assert [c.value for c in sheet[3]][:5] == HEADERS
    programme = read_programme(data, UNITS, None, 2026)
    assert programme.year == 2027 and programme.rows == () and programme.problems == ()
    assert set(programme.columns) == set(Column)
