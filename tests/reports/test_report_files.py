"""The chart and the workbook, re-read: bars counted, cells checked one by one."""

from __future__ import annotations

import io
from datetime import datetime

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
from bot.reports.workbook import WorkbookData, workbook_bytes

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
    return WorkbookData(result, UNITS, PEOPLE, DETAILS, "11/2026")


def test_the_workbook_cell_by_cell() -> None:
    book = load_workbook(io.BytesIO(workbook_bytes(november(), "vi", VN)))
    assert book.sheetnames == ["Tổng hợp", "Danh sách nhiệm vụ", "Cán bộ"]

    summary = book["Tổng hợp"]
    assert summary["A1"].value == "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG 11/2026"
    assert summary["A2"].value == "Kỳ báo cáo: 01/11/2026 – 30/11/2026"
    assert summary["A3"].value.startswith("Tỷ lệ đúng hạn = đã hoàn thành đúng hạn / (")
    assert [c.value for c in summary[4]] == [
        "STT", "Mã đơn vị", "Đơn vị chủ trì", "Tổng số nhiệm vụ", "Giao trong kỳ",
        "Đã hoàn thành đúng hạn", "Đã hoàn thành quá hạn", "Chưa hoàn thành – trong hạn",
        "Chưa hoàn thành – quá hạn", "Số ngày quá hạn lâu nhất", "Không có thời hạn",
        "Chưa tiếp nhận", "Đã gia hạn", "Tỷ lệ đúng hạn",
    ]  # fmt: skip
    # Worst first: QLDT (rate 0%) before TCKH (100%), TNMT (nothing) last.
    assert [c.value for c in summary[5]] == [
        1, "QLDT", "Phòng Quản lý đô thị", 2, 2, 0, 1, 0, 0, 0, 1, 1, 0, 0]  # fmt: skip
    assert [c.value for c in summary[6]] == [
        2, "TCKH", "Phòng Tài chính - Kế hoạch", 2, 2, 1, 0, 1, 0, 0, 0, 0, 1, 1]  # fmt: skip
    assert [c.value for c in summary[7]][:4] == [3, "TNMT", "Phòng Tài nguyên và Môi trường", 0]
    assert summary["N7"].value is None  # no rate: nothing was due
    assert [c.value for c in summary[8]] == [
        None, "Tổng cộng", None, 4, 4, 1, 1, 1, 0, 0, 1, 1, 1, 0.5]  # fmt: skip
    assert summary["N8"].number_format == "0.0%"
    assert summary.freeze_panes == "A5"

    register = book["Danh sách nhiệm vụ"]
    assert [c.value for c in register[1]] == [
        "STT", "Mã nhiệm vụ", "Nội dung", "Lãnh đạo giao", "Đơn vị chủ trì", "Đơn vị phối hợp",
        "Văn bản/nguồn", "Ngày giao", "Hạn xử lý", "Hạn ban đầu", "Số lần gia hạn",
        "Ngày hoàn thành", "Trạng thái", "Số ngày quá hạn", "Kết quả",
    ]  # fmt: skip
    assert register.freeze_panes == "A2"
    assert register.auto_filter.ref == "A1:O5"
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
    # The title, the legend and the axis take less than half the picture for two units.
    assert bars.height > 0.45 * fig.bbox.height


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
