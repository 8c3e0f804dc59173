"""The chart and the workbook, re-read: bars counted, cells checked one by one."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from support import VN

from bot.calendar import WorkCalendar
from bot.db.reports import TaskDetails
from bot.domain.model import Person, Role, Status, Unit
from bot.domain.orgfile import OrgFileError, parse_org
from bot.domain.reportconfig import ReportSettings, report_settings_from
from bot.domain.tally import Period, TaskFacts, tally
from bot.reports.chart import figure
from bot.reports.workbook import WorkbookData, place_of, workbook_bytes

UNITS = {
    1: Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch"),
    2: Unit(2, "QLDT", "Phòng Quản lý đô thị"),
    3: Unit(3, "TNMT", "Phòng Tài nguyên và Môi trường"),
}
PEOPLE = {
    1: Person(1, 900001, "Nguyễn Văn An", Role.CHAIRMAN),
    10: Person(10, 900010, "Trần Thị Dung", Role.HEAD, unit_id=1),
    20: Person(20, 900020, "Vũ Văn Giang", Role.HEAD, unit_id=2),
}
NOVEMBER = Period(datetime(2026, 11, 1, tzinfo=VN), datetime(2026, 12, 1, tzinfo=VN))


def at(day: int, month: int = 11, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


FACTS = [
    TaskFacts(1, "NV-0001", 1, at(2), at(10, hour=17), at(10, hour=17), at(2, hour=10), 10,
              at(10, hour=17), 10, at(10, hour=17)),  # on time, at 17:00 sharp
    TaskFacts(2, "NV-0002", 1, at(3), at(12, hour=17), at(10, 12, 17), at(3, hour=10), 10,
              extensions=((at(11), at(10, 12, 17)),)),  # extended: open, in time at the end
    TaskFacts(3, "NV-0003", 2, at(4), None, None),  # no deadline
    TaskFacts(4, "NV-0004", 2, at(5), at(13, hour=17), at(13, hour=17), None, None,
              at(17, hour=11), 20, at(17, hour=11)),  # done 2 working days late
]  # fmt: skip
DETAILS = {
    1: TaskDetails("Báo cáo giải ngân", "3854/UBND-VP", "Đã gửi", 1, Status.DONE, (2,)),
    2: TaskDetails("Rà soát hộ nghèo", None, None, 1, Status.ACKNOWLEDGED, ()),
    3: TaskDetails("Trật tự vỉa hè", None, None, 1, Status.ASSIGNED, (1, 3)),
    4: TaskDetails("Lập kế hoạch", None, "Xong", 1, Status.DONE, ()),
}


def november() -> WorkbookData:
    result = tally(FACTS, NOVEMBER, WorkCalendar(), units=list(UNITS), keep_lines=True)
    return WorkbookData(
        result,
        UNITS,
        PEOPLE,
        DETAILS,
        "11/2026",
        org_name="UBND phường Hoàn Kiếm",
        made=date(2026, 12, 1),
    )


def printed_on_a4_landscape(sheet: Any, title_rows: str) -> None:
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # one page wide, as long as needed
    assert sheet.print_title_rows == title_rows
    assert sheet.oddFooter.center.text == "&P/&N"


def test_the_workbook_cell_by_cell() -> None:
    book = load_workbook(io.BytesIO(workbook_bytes(november(), "vi", VN)))
    assert book.sheetnames == ["Tổng hợp", "Danh sách nhiệm vụ", "Cán bộ", "Chờ quyết định"]

    summary = book["Tổng hợp"]
    # The heading of an administrative document: the committee on the left, the national
    # heading, the place and the date on the right; then the title and the period.
    assert summary["A1"].value == "UBND PHƯỜNG HOÀN KIẾM"
    assert summary["I1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert summary["I2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert summary["I3"].value == "Hoàn Kiếm, ngày 01 tháng 12 năm 2026"
    assert summary["A1"].font.b and summary["I2"].font.u == "single" and summary["I3"].font.i
    assert summary["A5"].value == "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG 11/2026"
    assert summary["A5"].alignment.horizontal == "center"
    assert summary["A6"].value == "Kỳ báo cáo: 01/11/2026 – 30/11/2026"
    assert summary["A7"].value.startswith("Tỷ lệ đúng hạn = đã hoàn thành đúng hạn / (")
    merged = {str(r) for r in summary.merged_cells.ranges}
    assert {"A1:D1", "I1:N1", "I2:N2", "I3:N3", "A5:N5", "A6:N6", "A7:N7"} <= merged
    assert [c.value for c in summary[8]] == [
        "STT", "Mã đơn vị", "Đơn vị chủ trì", "Tổng số nhiệm vụ", "Giao trong kỳ",
        "Đã hoàn thành đúng hạn", "Đã hoàn thành quá hạn", "Chưa hoàn thành – trong hạn",
        "Chưa hoàn thành – quá hạn", "Số ngày quá hạn lâu nhất", "Không có thời hạn",
        "Chưa tiếp nhận", "Đã gia hạn", "Tỷ lệ đúng hạn",
    ]  # fmt: skip
    # Worst first: QLDT (rate 0%) before TCKH (100%), TNMT (nothing) last.
    assert [c.value for c in summary[9]] == [
        1, "QLDT", "Phòng Quản lý đô thị", 2, 2, 0, 1, 0, 0, 0, 1, 1, 0, 0]  # fmt: skip
    assert [c.value for c in summary[10]] == [
        2, "TCKH", "Phòng Tài chính - Kế hoạch", 2, 2, 1, 0, 1, 0, 0, 0, 0, 1, 1]  # fmt: skip
    assert [c.value for c in summary[11]][:4] == [3, "TNMT", "Phòng Tài nguyên và Môi trường", 0]
    assert summary["N11"].value is None  # no rate: nothing was due
    assert [c.value for c in summary[12]] == [
        None, "Tổng cộng", None, 4, 4, 1, 1, 1, 0, 0, 1, 1, 1, 0.5]  # fmt: skip
    assert summary["N12"].number_format == "0.0%"
    assert summary.freeze_panes == "A9" and summary.auto_filter.ref == "A8:N11"
    # The signing block, with room to sign under it.
    assert [summary["A14"].value, summary["I14"].value] == ["NGƯỜI LẬP", "LÃNH ĐẠO DUYỆT"]
    assert summary["A15"].value == summary["I15"].value == "(Ký, ghi rõ họ tên)"
    assert {"A14:D14", "I14:N14"} <= merged
    assert summary.row_dimensions[16].height >= 60
    printed_on_a4_landscape(summary, "$8:$8")
    widths = [summary.column_dimensions[c].width for c in "ABCDEFGHIJKLMN"]
    assert sum(widths) < 170  # fits the page's width at about 90%

    register = book["Danh sách nhiệm vụ"]
    assert [c.value for c in register[1]] == [
        "STT", "Mã nhiệm vụ", "Nội dung", "Lãnh đạo giao", "Đơn vị chủ trì", "Đơn vị phối hợp",
        "Văn bản/nguồn", "Ngày giao", "Hạn xử lý", "Hạn ban đầu", "Số lần gia hạn",
        "Ngày hoàn thành", "Trạng thái", "Số ngày quá hạn", "Kết quả",
    ]  # fmt: skip
    assert register.freeze_panes == "A2"
    assert register.auto_filter.ref == "A1:O5"
    printed_on_a4_landscape(register, "$1:$1")
    assert register.oddHeader.center.text == (
        "UBND phường Hoàn Kiếm — DANH SÁCH NHIỆM VỤ THÁNG 11/2026"
    )
    assert register["C2"].alignment.wrap_text and register["A1"].alignment.wrap_text
    first = [c.value for c in register[2]]
    assert first == [
        1, "NV-0001", "Báo cáo giải ngân", "Nguyễn Văn An", "Phòng Tài chính - Kế hoạch", "QLDT",
        "3854/UBND-VP", datetime(2026, 11, 2, 9), datetime(2026, 11, 10, 17),
        datetime(2026, 11, 10, 17), 0, datetime(2026, 11, 10, 17), "Đã hoàn thành đúng hạn", 0,
        "Đã gửi",
    ]  # fmt: skip
    # Real Excel dates, shown the Vietnamese way.
    assert register["H2"].is_date and register["H2"].number_format == "DD/MM/YYYY"
    assert register["I2"].number_format == "DD/MM/YYYY HH:MM"
    second = [c.value for c in register[3]]
    assert second[1] == "NV-0002" and second[8:14] == [
        datetime(2026, 12, 10, 17), datetime(2026, 11, 12, 17), 1, None,
        "Chưa hoàn thành – trong hạn", 0,
    ]  # fmt: skip
    assert register["F4"].value == "TCKH, TNMT" and register["I4"].value is None
    assert register["M4"].value == "Không có thời hạn"
    assert [register["M5"].value, register["N5"].value] == ["Đã hoàn thành quá hạn", 2]
    # Widths fit the text (content column wider than the number column).
    assert register.column_dimensions["C"].width > register.column_dimensions["A"].width

    people = book["Cán bộ"]
    # By unit code, then name.
    assert [c.value for c in people[2]] == [
        1, "Vũ Văn Giang", "Trưởng đơn vị", "QLDT", 1, 0, 1, 0, 0, 0, 0]  # fmt: skip
    assert [c.value for c in people[3]] == [
        2, "Trần Thị Dung", "Trưởng đơn vị", "TCKH", 2, 1, 0, 1, 0, 0, 1]  # fmt: skip
    assert people.freeze_panes == "A2" and people.auto_filter.ref == "A1:K3"
    printed_on_a4_landscape(people, "$1:$1")


def test_the_heading_without_a_name_leaves_dots_to_fill_in_and_english_reads() -> None:
    data = replace(november(), org_name="", made=date(2027, 2, 5))
    summary = load_workbook(io.BytesIO(workbook_bytes(data, "vi", VN)))["Tổng hợp"]
    assert summary["A1"].value == "ỦY BAN NHÂN DÂN ……………"
    assert summary["I3"].value == "……………, ngày 05 tháng 02 năm 2027"
    data = replace(november(), org_name="UBND phường 1", made=date(2027, 3, 15))
    summary = load_workbook(io.BytesIO(workbook_bytes(data, "vi", VN)))["Tổng hợp"]
    assert summary["I3"].value == "Phường 1, ngày 15 tháng 3 năm 2027"
    data = replace(november(), place="Hà Nội")
    english = load_workbook(io.BytesIO(workbook_bytes(data, "en", VN)))["Summary"]
    assert english["I1"].value == "SOCIALIST REPUBLIC OF VIET NAM"
    assert english["I3"].value == "Hà Nội, 01/12/2026"
    assert [english["A14"].value, english["I14"].value] == ["PREPARED BY", "APPROVED BY"]


def test_place_of_a_committee() -> None:
    assert place_of("UBND phường Hoàn Kiếm") == "Hoàn Kiếm"
    assert place_of("Ủy ban nhân dân xã Kim Liên") == "Kim Liên"
    assert place_of("UBND Phường 12") == "Phường 12"
    assert place_of("Văn phòng HĐND và UBND") == ""


def test_the_chart_has_a_bar_per_unit_and_category() -> None:
    data = november()
    fig = figure(data.tally, UNITS, "vi", VN)
    [ax] = fig.axes
    # Five categories, each a row of bars, one per unit with tasks (TNMT has none).
    assert len(ax.containers) == 5
    assert [len(c) for c in ax.containers] == [2, 2, 2, 2, 2]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["QLDT", "TCKH"]
    legend = ax.get_legend()
    texts = [text.get_text() for text in legend.get_texts()]
    assert texts[0] == "Đã hoàn thành đúng hạn" and texts[3] == "Chưa hoàn thành – quá hạn"
    # The legend sits between the title and the bars, not in a band below them.
    fig.canvas.draw()
    box = legend.get_window_extent()
    bars = ax.get_window_extent()
    assert box.y0 >= bars.y1 - 1
    # The title, the legend and the axis take under two inches, whatever the number of units
    # (a band of legend and whitespace below the bars took 2.6 inches before).
    assert (fig.bbox.height - bars.height) / fig.dpi < 2.0
    # Drawn narrow and sharp: a phone shows it legibly, and it is at least 1,000 pixels wide.
    assert fig.get_figwidth() <= 5.5 and fig.get_figwidth() * fig.dpi >= 1000


def test_the_reports_section_of_the_roster() -> None:
    assert report_settings_from(None) == ReportSettings()
    settings = report_settings_from(
        {
            "all_units_chat": -100123,
            "weekly": "thứ 5 15:30",
            "monthly": "09:00",
            "count_against": "original",
        }
    )
    assert (settings.weekly_day, settings.weekly_at.hour, settings.weekly_at.minute) == (3, 15, 30)
    assert settings.monthly_at is not None and settings.monthly_at.hour == 9
    assert report_settings_from({"weekly": "thursday"}).weekly_day == 3
    assert report_settings_from({"weekly": False}).weekly_day is None
    with pytest.raises(OrgFileError) as caught:
        parse_org(
            "units: []\nreports:\n  weekly: sunday 9:00\n  count_against: later\n  colour: red\n",
            "ds.yaml",
        )
    assert caught.value.problems == [
        "ds.yaml:2: reports.weekly must be a weekday (Monday to Friday) and a time, like "
        "'fri 16:00' or 'thứ 6 16:00', or false",
        "ds.yaml:2: reports.count_against must be one of: in_force, original",
        "ds.yaml:2: unknown reports setting 'colour' (known: all_units_chat, weekly, monthly, "
        "count_against)",
    ]
