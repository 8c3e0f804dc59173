"""Reading officials' writing (bot/intake/reading.py): one behaviour per test, fixed clock."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.workdays import WorkCalendar
from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory
from bot.intake.reading import Flag, ReadDocument, ReadItem, read_document

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar()
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=VN)  # Friday
UNITS = UnitDirectory(
    [
        Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch", ("TC-KH",)),
        Unit(2, "KTHT", "Phòng Kinh tế - Hạ tầng", ("KT-HT",)),
        Unit(3, "TNMT", "Phòng Tài nguyên và Môi trường", ("TN&MT",)),
        Unit(4, "VHXH", "Phòng Văn hóa - Xã hội", ("VH-XH",)),
        Unit(5, "VHTT", "Phòng Văn hóa và Thông tin", ("VH&TT",)),
        Unit(6, "QLDT", "Phòng Quản lý đô thị", ("QLĐT",)),
        Unit(7, "TP", "Phòng Tư pháp"),
        Unit(8, "VP", "Văn phòng HĐND và UBND phường", ("Văn phòng HĐND-UBND",)),
        Unit(9, "CAP", "Công an phường"),
        Unit(10, "PTQD", "Trung tâm Phát triển quỹ đất", ("TT PTQĐ",)),
        Unit(11, "QLDA", "Ban Quản lý dự án đầu tư xây dựng quận", ("Ban QLDA",)),
        Unit(12, "PAL", "UBND phường An Lạc", ("phường An Lạc",)),
        Unit(13, "GDDT", "Phòng Giáo dục và Đào tạo", ("GD&ĐT",)),
    ]
)
DATED = "Số: 45/KL-UBND\nAn Lạc, ngày 25 tháng 11 năm 2026\n\n"


def ascii_id(value: object) -> str:
    if isinstance(value, list):
        value = ",".join(value)
    text = str(value)
    stripped = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in stripped if not unicodedata.combining(ch))


def read(text: str) -> ReadDocument:
    return read_document(text, UNITS, NOW, CAL)


def one(text: str) -> ReadItem:
    items = read(DATED + text).items
    assert len(items) == 1, items
    return items[0]


def lead(item: ReadItem) -> str | None:
    return item.lead.code if item.lead else None


def coop(item: ReadItem) -> list[str]:
    return [u.code for u in item.cooperating]


def flags(item: ReadItem) -> set[Flag]:
    return {f.code for f in item.flags}


def due(item: ReadItem) -> date | None:
    return item.due.date() if item.due else None


# -- header -------------------------------------------------------------------------------------


def test_header_number_from_so_line() -> None:
    assert read(DATED + "1. Giao Phòng TC-KH rà soát.").header.number == "45/KL-UBND"


def test_header_date_from_place_and_date_line() -> None:
    assert read(DATED + "1. Giao Phòng TC-KH rà soát.").header.issued == date(2026, 11, 25)


def test_header_number_and_date_written_inline() -> None:
    doc = read("Thông báo số 123/TB-UBND ngày 25/11/2026 của UBND phường.\n\n1. Giao TCKH rà soát.")
    assert (doc.header.number, doc.header.issued) == ("123/TB-UBND", date(2026, 11, 25))


def test_header_title_under_thong_bao() -> None:
    text = "THÔNG BÁO\nKết luận của Chủ tịch UBND phường tại cuộc họp giao ban\n\n1. Giao TCKH."
    assert read(text).header.title == "Kết luận của Chủ tịch UBND phường tại cuộc họp giao ban"


def test_header_title_on_the_thong_bao_line() -> None:
    text = "THÔNG BÁO Kết luận của Chủ tịch UBND phường tại cuộc họp\n\n1. Giao TCKH rà soát."
    assert read(text).header.title == "Kết luận của Chủ tịch UBND phường tại cuộc họp"


def test_header_title_in_two_lines_ket_luan() -> None:
    text = "KẾT LUẬN\ncủa Chủ tịch UBND phường tại cuộc họp\n\n1. Giao TCKH rà soát."
    assert read(text).header.title == "Kết luận của Chủ tịch UBND phường tại cuộc họp"


def test_no_header_gives_nones() -> None:
    doc = read("1. Giao TCKH rà soát.")
    assert (doc.header.number, doc.header.issued, doc.header.title) == (None, None, None)


# -- items --------------------------------------------------------------------------------------

TWO = "Giao TCKH rà soát hồ sơ, trước 10/12/2026.", "Giao TNMT kiểm tra, trước 15/12/2026."


@pytest.mark.parametrize(
    "text",
    [
        f"1. {TWO[0]}\n2. {TWO[1]}",
        f"1) {TWO[0]}\n2) {TWO[1]}",
        f"a) {TWO[0]}\nb) {TWO[1]}",
        f"I. {TWO[0]}\nII. {TWO[1]}",
        f"- {TWO[0]}\n- {TWO[1]}",
        f"+ {TWO[0]}\n+ {TWO[1]}",
        f"• {TWO[0]}\n• {TWO[1]}",
        f"{TWO[0]}\n\n{TWO[1]}",
        f"{TWO[0]} {TWO[1]}",
    ],
    ids=["1.", "1)", "a)", "I.", "-", "+", "•", "paragraphs", "sentences"],
)
def test_item_forms(text: str) -> None:
    assert [lead(i) for i in read(DATED + text).items] == ["TCKH", "TNMT"]


def test_numbers_as_written_nested() -> None:
    text = "I. Về đất đai\n1. Giao TNMT kiểm tra, trước 10/12.\n2. Giao TP thẩm định, trước 11/12."
    assert [i.number for i in read(DATED + text).items] == ["I.1", "I.2"]


def test_item_text_spans_its_lines_without_the_marker() -> None:
    item = one("1. Giao TCKH rà soát hồ sơ,\nhoàn thành trước 10/12/2026.")
    assert item.content == "Giao TCKH rà soát hồ sơ, hoàn thành trước 10/12/2026."


def test_sentences_beginning_with_yeu_cau_and_de_nghi_are_items() -> None:
    text = "Yêu cầu TCKH rà soát trước 10/12. Đề nghị TP thẩm định trước 11/12."
    assert [lead(i) for i in read(DATED + text).items] == ["TCKH", "TP"]


def test_a_later_sentence_without_a_trigger_stays_in_the_item() -> None:
    item = one("1. Giao TCKH rà soát hồ sơ. Toàn bộ nội dung báo cáo UBND phường trước 31/12.")
    assert due(item) == date(2026, 12, 31)


def test_semicolon_actions_with_their_own_deadlines_become_items() -> None:
    text = "3. Giao TNMT kiểm tra trước 10/12/2026; lập hồ sơ trước 20/01/2027."
    items = read(DATED + text).items
    assert [(i.number, lead(i), due(i)) for i in items] == [
        ("3.1", "TNMT", date(2026, 12, 10)),
        ("3.2", "TNMT", date(2027, 1, 20)),
    ]


def test_semicolon_with_one_deadline_stays_one_item() -> None:
    assert len(read(DATED + "1. TCKH chủ trì rà soát; báo cáo trước 10/12/2026.").items) == 1


def test_a_semicolon_piece_may_name_its_own_lead() -> None:
    text = "1. Giao TCKH lập dự toán trước 10/12/2026; Phòng Tư pháp thẩm định trước 15/12/2026."
    assert [lead(i) for i in read(DATED + text).items] == ["TCKH", "TP"]


def test_children_inherit_the_lead_of_their_heading() -> None:
    text = "1. Giao Phòng TN&MT:\na) kiểm tra hiện trạng, trước 10/12;\nb) lập hồ sơ, trước 18/12."
    assert [(lead(i), due(i)) for i in read(DATED + text).items] == [
        ("TNMT", date(2026, 12, 10)),
        ("TNMT", date(2026, 12, 18)),
    ]


def test_distribution_list_and_closing_are_not_items() -> None:
    text = (
        "1. Giao TCKH rà soát, trước 10/12.\n\nVăn phòng HĐND và UBND phường thông báo để các"
        " đơn vị biết, thực hiện./.\n\nNơi nhận:\n- Phòng Tư pháp;\n- Lưu: VT."
    )
    assert len(read(DATED + text).items) == 1


def test_addressees_are_not_items() -> None:
    text = "Kính gửi:\n- Phòng Tư pháp;\n- Công an phường.\n\nGiao TCKH rà soát, trước 10/12."
    assert [lead(i) for i in read(DATED + text).items] == ["TCKH"]


# -- units --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lead_code", "coop_codes"),
    [
        ("Giao TCKH chủ trì, phối hợp với TNMT, TP rà soát", "TCKH", ["TNMT", "TP"]),
        ("Giao TCKH chủ trì, phối hợp TNMT và Công an phường rà soát", "TCKH", ["TNMT", "CAP"]),
        ("TCKH chủ trì phối hợp với TNMT rà soát", "TCKH", ["TNMT"]),
        ("Phòng TC-KH có trách nhiệm chủ trì rà soát", "TCKH", []),
        ("Phòng TC-KH có trách nhiệm rà soát", "TCKH", []),
        ("Yêu cầu Phòng Tư pháp thẩm định", "TP", []),
        ("Đề nghị Công an phường phối hợp với Phòng TN&MT kiểm tra", "CAP", ["TNMT"]),
        ("TNMT phối hợp với TCKH kiểm tra", "TNMT", ["TCKH"]),
        ("Giao Phòng Tư pháp, Phòng TN&MT thẩm định", "TP", ["TNMT"]),
        ("Trưởng phòng Văn hóa - Xã hội chỉ đạo rà soát", "VHXH", []),
        ("Giám đốc Trung tâm Phát triển quỹ đất chịu trách nhiệm bàn giao", "PTQD", []),
        ("Đồng chí Trưởng phòng Tài chính - Kế hoạch bố trí kinh phí", "TCKH", []),
        ("Chủ tịch UBND phường An Lạc có trách nhiệm kiểm tra", "PAL", []),
        ("UBND phường giao Công an phường tuần tra", "CAP", []),
        ("Chủ tịch UBND quận giao Phòng KT-HT sửa chữa hẻm", "KTHT", []),
        ("Chủ tịch UBND phường An Lạc giao Công an phường tuần tra", "CAP", []),
        ("Đối với đơn của bà Lan (phường An Lạc): Giao TNMT xác minh", "TNMT", []),
        ("Giao TCKH rà soát, báo cáo UBND phường", "TCKH", []),
        ("Giao TCKH rà soát, gửi về Phòng Tư pháp để tổng hợp", "TCKH", []),
        ("Giao PAL vận động, báo cáo UBND quận (thông qua Phòng TN&MT)", "PAL", []),
        ("TNMT tổng hợp ý kiến của các phòng: Tư pháp, Quản lý đô thị về dự thảo", "TNMT", []),
        ("TNMT phối hợp ý kiến của các phòng: Tư pháp", "TNMT", []),
        ("VP phối hợp với Ủy ban Mặt trận Tổ quốc quận và Công an phường", "VP", ["CAP"]),
        ("Giao Kinh tế - Hạ tầng sửa chữa", "KTHT", []),
        ("Giao KT-HT sửa chữa", "KTHT", []),
        ("Giao TNMT kiểm tra", "TNMT", []),
        ("Giao VH-XH rà soát", "VHXH", []),
        ("giao phong tai nguyen va moi truong kiem tra", "TNMT", []),
        ("Giao Trung tâm PTQĐ chi trả", "PTQD", []),
        ("Giao Ban Quản lý dự án đẩy nhanh tiến độ", "QLDA", []),
        ("Giao Phòng Giáo dục phối hợp Ban QLDA rà soát", "GDDT", ["QLDA"]),
        ("Giao TCKH rà soát hồ sơ tại phường An Lạc", "TCKH", []),
    ],
    ids=ascii_id,
)
def test_units(text: str, lead_code: str, coop_codes: list[str]) -> None:
    item = one(f"1. {text}, hoàn thành trước 10/12/2026.")
    assert (lead(item), coop(item)) == (lead_code, coop_codes)


def test_a_name_two_units_share_is_flagged_not_picked() -> None:
    item = one("1. Đề nghị Phòng Văn hóa hướng dẫn, trước 10/12/2026.")
    assert (lead(item), flags(item)) == (None, {Flag.AMBIGUOUS_UNIT})


@pytest.mark.parametrize(
    "text",
    [
        "Giao các phòng, ban liên quan rà soát",
        "Yêu cầu các đơn vị rà soát",
        "Yêu cầu Thủ trưởng các cơ quan, đơn vị rà soát",
        "Giao UBND các phường rà soát",
    ],
    ids=ascii_id,
)
def test_a_class_of_units_as_lead_is_flagged(text: str) -> None:
    item = one(f"1. {text}, trước 10/12/2026.")
    assert flags(item) == {Flag.NO_LEAD, Flag.UNIT_CLASS}


def test_a_class_of_units_cooperating_is_flagged() -> None:
    item = one("1. TCKH chủ trì, phối hợp các đơn vị liên quan rà soát, trước 10/12/2026.")
    assert (lead(item), flags(item)) == ("TCKH", {Flag.UNIT_CLASS})


def test_a_class_named_as_object_is_not_flagged() -> None:
    item = one("1. Giao VP đôn đốc các đơn vị cập nhật phần mềm, trước 10/12/2026.")
    assert flags(item) == set()


def test_no_unit_is_flagged() -> None:
    assert flags(one("1. Tổ chức tổng kết năm, trước 10/12/2026.")) == {Flag.NO_LEAD}


# -- deadlines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("hoàn thành trước ngày 10/12/2026", date(2026, 12, 10)),
        ("chậm nhất trước ngày 10/12/2026", date(2026, 12, 10)),
        ("trước 30/7", date(2027, 7, 30)),
        ("trước ngày 25.5.2027", date(2027, 5, 25)),
        ("trước ngày 15-12", date(2026, 12, 15)),
        ("hoàn thành trong tháng 6/2027", date(2027, 6, 30)),
        ("hoàn thành tháng 6-2027", date(2027, 6, 30)),
        ("hoàn thành cuối tháng 3", date(2027, 3, 31)),
        ("trình trong quý I", date(2027, 3, 31)),
        ("trước ngày 15 tháng 12 năm 2026", date(2026, 12, 15)),
        ("thời hạn: trong tháng 12/2026", date(2026, 12, 31)),
        ("thời gian thực hiện: tháng 3/2027", date(2027, 3, 31)),
        ("từ nay đến hết tháng 12/2026", date(2026, 12, 31)),
        ("trước 16 giờ ngày 04/12/2026", date(2026, 12, 4)),
        # counted from the document's date (25/11/2026), not from now (27/11)
        ("không quá 10 ngày làm việc kể từ ngày ban hành văn bản này", date(2026, 12, 9)),
        ("không quá 15 ngày kể từ ngày ban hành Thông báo này", date(2026, 12, 10)),
        ("không quá 2 tháng kể từ ngày ban hành văn bản này", date(2027, 1, 25)),
        ("thời hạn: 10 ngày làm việc", date(2026, 12, 9)),
        # words after the date never hide it
        ("gửi về TCKH trước 25/12/2026 để tổng hợp, báo cáo UBND phường", date(2026, 12, 25)),
        ("giải quyết trước ngày 17/12/2026 theo quy định", date(2026, 12, 17)),
        ("báo cáo trước ngày 15/12/2026./.", date(2026, 12, 15)),
    ],
    ids=ascii_id,
)
def test_deadline_forms(phrase: str, day: date) -> None:
    item = one(f"1. Giao TCKH rà soát hồ sơ, {phrase}")
    assert (due(item), item.no_deadline, flags(item)) == (day, False, set())


def test_deadline_keeps_the_phrase_as_written() -> None:
    item = one("1. Giao TCKH rà soát, hoàn thành trước ngày 10/12/2026 để tổng hợp.")
    assert item.deadline_text == "hoàn thành trước ngày 10/12/2026"


def test_deadline_on_a_day_off_rolls_to_the_next_working_day() -> None:
    assert due(one("1. Giao TCKH rà soát, trước ngày 05/12/2026.")) == date(2026, 12, 7)


def test_relative_deadline_without_a_document_date_counts_from_now() -> None:
    item = read("1. Giao TCKH rà soát; thời hạn: 10 ngày làm việc.").items[0]
    assert due(item) == date(2026, 12, 11)


def test_the_last_deadline_of_an_item_wins() -> None:
    item = one("1. Giao TCKH tổ chức hội nghị trong tháng 12/2026, báo cáo trước 15/01/2027.")
    assert due(item) == date(2027, 1, 15)


def test_thuong_xuyen_is_a_deadline() -> None:
    item = one("1. Giao Công an phường tuần tra, kiểm soát (thường xuyên).")
    assert (item.due, item.no_deadline, flags(item)) == (None, True, set())


def test_khan_truong_marks_urgency_without_a_date() -> None:
    item = one("1. Giao TNMT khẩn trương kiểm tra các điểm tập kết rác.")
    assert (item.urgent, item.due, flags(item)) == (True, None, {Flag.NO_DEADLINE})


def test_ngay_marks_urgency_without_a_date() -> None:
    item = one("1. Giao TNMT kiểm tra các điểm tập kết rác. Thực hiện ngay.")
    assert (item.urgent, item.due) == (True, None)


def test_urgent_item_keeps_its_date() -> None:
    item = one("1. Yêu cầu QLĐT khẩn trương thẩm định hồ sơ, trình trước ngày 15/12/2026.")
    assert (item.urgent, due(item)) == (True, date(2026, 12, 15))


def test_no_deadline_is_flagged() -> None:
    assert flags(one("1. Giao TCKH rà soát hồ sơ.")) == {Flag.NO_DEADLINE}


def test_counted_from_an_event_is_flagged_unreadable() -> None:
    item = one("1. Giao TP thẩm định; thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ.")
    assert (item.due, flags(item)) == (None, {Flag.UNREADABLE_DEADLINE})


def test_a_past_deadline_is_kept_and_flagged() -> None:
    item = one("1. Giao TCKH rà soát, trước ngày 26/11/2026.")
    assert (due(item), flags(item)) == (date(2026, 11, 26), {Flag.PAST_DEADLINE})


def test_a_deadline_before_the_document_is_flagged_too() -> None:
    item = one("1. Giao TCKH rà soát, trước ngày 20/11/2026.")
    assert flags(item) == {Flag.PAST_DEADLINE, Flag.BEFORE_DOCUMENT}


def test_a_yearless_date_just_before_the_document_is_that_date_flagged() -> None:
    item = one("1. Giao TCKH rà soát, trước ngày 20/11.")
    assert (due(item), flags(item)) == (
        date(2026, 11, 20),
        {Flag.PAST_DEADLINE, Flag.BEFORE_DOCUMENT},
    )


def test_the_past_flag_names_the_date() -> None:
    item = one("1. Giao TCKH rà soát, trước ngày 26/11/2026.")
    assert item.flags[0].detail == "26/11/2026"


def test_a_date_inside_a_document_reference_is_not_a_deadline() -> None:
    item = one("1. Giao TCKH thực hiện Công văn số 12/UBND ngày 15/11/2026 của UBND quận.")
    assert (item.due, flags(item)) == (None, {Flag.NO_DEADLINE})


def test_trong_followed_by_a_noun_is_not_a_deadline() -> None:
    item = one("1. Giao Công an phường bảo đảm an ninh trong năm học mới.")
    assert (item.due, flags(item)) == (None, {Flag.NO_DEADLINE})


# -- never a crash --------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "1.",
        "a)",
        "I.",
        "-",
        "+",
        "•",
        "Giao",
        "Yêu cầu",
        "Đề nghị",
        "TCKH",
        "Phòng",
        "Văn hóa",
        "phối hợp",
        "chủ trì",
        ",",
        ";",
        ":",
        ".",
        "./.",
        "(",
        ")",
        "trước",
        "ngày",
        "15/12",
        "32/13",
        "29/02",
        "trong",
        "tháng",
        "quý",
        "IV",
        "không quá",
        "999999",
        "ngày làm việc",
        "kể từ",
        "ban hành",
        "thường xuyên",
        "khẩn trương",
        "ngay",
        "các đơn vị",
        "Số:",
        "\n",
        "\n\n",
        "Nơi nhận:",
        "Kính gửi:",
        "THÔNG BÁO",
        "hạn",
        "thứ Sáu",
        "-3 ngày",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map(" ".join) | st.text(max_size=200))
def test_any_text_reads_without_an_exception(text: str) -> None:
    doc = read(text)
    for item in doc.items:
        assert item.lead is not None or {Flag.NO_LEAD, Flag.AMBIGUOUS_UNIT} & flags(item)


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        (
            "1. Giao TCKH chủ trì, phối hợp Đội QLTTXD rà soát vỉa hè, trước 10/12/2026.",
            ["Đội QLTTXD"],
        ),
        (
            "1. Đề nghị VP phối hợp Trung tâm VH-TT&TT tổ chức giải chạy việt dã trong quý I.",
            ["Trung tâm VH-TT&TT"],
        ),
        (
            "1. Giao TCKH chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc quận và QLDT thăm hộ"
            " nghèo, trước 10/12/2026.",
            ["Ủy ban Mặt trận Tổ quốc quận"],
        ),
    ],
    ids=ascii_id,
)
def test_a_cooperating_body_outside_the_roster_is_noted_by_name(
    text: str, outside: list[str]
) -> None:
    item = one(text)
    notes = [f.detail for f in item.flags if f.code is Flag.OUTSIDE_UNIT]
    assert notes == outside
    assert item.lead is not None and Flag.NO_LEAD not in flags(item)
