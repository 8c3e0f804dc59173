"""Recognising units as officials write them (bot/domain/unitnames.py); naming them in examples."""

from __future__ import annotations

import pytest

from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory, fold
from bot.text.catalog import t
from bot.text.render import examples

UNITS = [
    Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch", ("TC-KH", "Tài chính")),
    Unit(2, "QLDT", "Phòng Quản lý đô thị", ("QLĐT",)),
    Unit(3, "TNMT", "Phòng Tài nguyên và Môi trường", ("TN&MT",)),
    Unit(4, "LDTBXH", "Phòng Lao động - Thương binh và Xã hội", ("LĐTB&XH",)),
    Unit(5, "VP", "Văn phòng HĐND-UBND", ("Văn phòng",)),
    Unit(6, "KT", "Phòng Kinh tế", ()),
    Unit(7, "CA", "Công an phường", ()),
]


@pytest.fixture
def directory() -> UnitDirectory:
    return UnitDirectory(UNITS)


def codes(units: tuple[Unit, ...]) -> list[str]:
    return [u.code for u in units]


def test_fold() -> None:
    assert fold("Phòng Tài chính - Kế hoạch") == "phong tai chinh ke hoach"
    assert fold("LĐTB&XH") == "ldtb xh"
    assert fold("  TC-KH  ") == "tc kh"
    assert fold("ĐÔ THỊ") == "do thi"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("TCKH", "TCKH"),
        ("tckh", "TCKH"),
        ("TC-KH", "TCKH"),
        ("tc kh", "TCKH"),
        ("Phòng TC-KH", "TCKH"),
        ("Phòng Tài chính", "TCKH"),
        ("Tài chính", "TCKH"),
        ("Phòng Tài chính - Kế hoạch", "TCKH"),
        ("phong tai chinh - ke hoach", "TCKH"),
        ("PHÒNG TÀI CHÍNH – KẾ HOẠCH", "TCKH"),  # en dash, upper case
        ("Tài chính - Kế hoạch", "TCKH"),  # without "Phòng"
        ("QLĐT", "QLDT"),
        ("qldt", "QLDT"),
        ("Phòng Quản lý đô thị", "QLDT"),
        ("phong quan ly do thi", "QLDT"),
        ("TN&MT", "TNMT"),
        ("tn&mt", "TNMT"),
        ("Tài nguyên và Môi trường", "TNMT"),
        ("LĐTB&XH", "LDTBXH"),
        ("ldtb&xh", "LDTBXH"),
        ("LDTBXH", "LDTBXH"),
        ("Văn phòng HĐND-UBND", "VP"),
        ("van phong hdnd ubnd", "VP"),
        ("Văn phòng", "VP"),
        ("Kinh tế", "KT"),
        ("Công an phường", "CA"),
    ],
)
def test_find(directory: UnitDirectory, text: str, code: str) -> None:
    unit = directory.find(text)
    assert unit is not None, text
    assert unit.code == code


@pytest.mark.parametrize("text", ["", "XYZ", "TCHK", "Phòng", "báo cáo", "Tài chính Kế hoạch XYZ"])
def test_find_unknown(directory: UnitDirectory, text: str) -> None:
    assert directory.find(text) is None


def test_find_returns_the_unit_itself(directory: UnitDirectory) -> None:
    assert directory.find("tc-kh") is UNITS[0]
    assert directory.units == UNITS


def test_suggest_a_misspelt_code(directory: UnitDirectory) -> None:
    assert directory.suggest("TCHK") == ("TCKH",)
    assert directory.suggest("TNTM")[0] == "TNMT"
    assert directory.suggest("QLDDT")[0] == "QLDT"


def test_suggest_nothing_for_nonsense(directory: UnitDirectory) -> None:
    assert directory.suggest("xyz") == ()


def test_suggest_is_cut_at_the_limit_without_repeating_a_unit(directory: UnitDirectory) -> None:
    assert directory.suggest("Phòng Tài nguyên") == ("TCKH", "TNMT", "VP")
    assert directory.suggest("Phòng Tài nguyên", limit=2) == ("TCKH", "TNMT")
    assert directory.suggest("Phòng Tài nguyên", limit=5) == ("TCKH", "TNMT", "VP", "KT")
    assert directory.suggest("tnmt moi truong") == ("TNMT",)


# --- parse_list -------------------------------------------------------------------------------


def test_single_unit_then_content(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH báo cáo tình hình giải ngân trước 15/12")
    assert codes(match.units) == ["TCKH"]
    assert match.rest == "báo cáo tình hình giải ngân trước 15/12"
    assert match.unknown is None
    assert match.suggestions == ()


def test_commas_without_spaces(directory: UnitDirectory) -> None:
    match = directory.parse_list("tckh,qldt,tnmt báo cáo")
    assert codes(match.units) == ["TCKH", "QLDT", "TNMT"]
    assert match.rest == "báo cáo"


def test_commas_with_abbreviations_and_punctuation(directory: UnitDirectory) -> None:
    match = directory.parse_list("TC-KH, QLĐT, TN&MT tổng hợp số liệu")
    assert codes(match.units) == ["TCKH", "QLDT", "TNMT"]
    assert match.rest == "tổng hợp số liệu"


def test_semicolon_and_plus(directory: UnitDirectory) -> None:
    assert codes(directory.parse_list("TCKH; QLDT báo cáo").units) == ["TCKH", "QLDT"]
    assert codes(directory.parse_list("TCKH + QLDT báo cáo").units) == ["TCKH", "QLDT"]


def test_va_joins_units(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH và TNMT kiểm tra hiện trạng")
    assert codes(match.units) == ["TCKH", "TNMT"]
    assert match.rest == "kiểm tra hiện trạng"


def test_va_followed_by_content_is_content(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH và các đơn vị liên quan báo cáo")
    assert codes(match.units) == ["TCKH"]
    assert match.rest == "và các đơn vị liên quan báo cáo"
    assert match.unknown is None


def test_full_names_with_chu_tri_phoi_hop(directory: UnitDirectory) -> None:
    match = directory.parse_list(
        "Phòng Tài chính - Kế hoạch chủ trì, phối hợp QLĐT: rà soát, tổng hợp"
    )
    assert codes(match.units) == ["TCKH", "QLDT"]
    assert match.rest == "rà soát, tổng hợp"


def test_chu_tri_phoi_hop_several_units(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH chủ trì, phối hợp QLDT và TNMT: lập kế hoạch, dự toán")
    assert codes(match.units) == ["TCKH", "QLDT", "TNMT"]
    assert match.rest == "lập kế hoạch, dự toán"


def test_phoi_hop_without_comma(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH chủ trì phối hợp Công an phường rà soát lấn chiếm")
    assert codes(match.units) == ["TCKH", "CA"]
    assert match.rest == "rà soát lấn chiếm"


def test_phoi_hop_followed_by_content_is_content(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH phối hợp các phòng liên quan, báo cáo")
    assert codes(match.units) == ["TCKH"]
    assert match.rest == "phối hợp các phòng liên quan, báo cáo"


def test_conclusion_item_as_officials_write_it(directory: UnitDirectory) -> None:
    text = (
        "Phòng Kinh tế chủ trì, phối hợp Công an phường rà soát các trường hợp lấn chiếm vỉa hè "
        "trên tuyến phố Trần Nhân Tông, báo cáo UBND phường trước ngày 05/12/2026."
    )
    match = directory.parse_list(text)
    assert codes(match.units) == ["KT", "CA"]
    assert match.rest == (
        "rà soát các trường hợp lấn chiếm vỉa hè trên tuyến phố Trần Nhân Tông, "
        "báo cáo UBND phường trước ngày 05/12/2026."
    )


def test_leading_giao_is_skipped(directory: UnitDirectory) -> None:
    match = directory.parse_list("Giao Phòng TC-KH báo cáo")
    assert codes(match.units) == ["TCKH"]
    assert match.rest == "báo cáo"


def test_content_with_commas_is_left_intact(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH: báo cáo giải ngân, tiến độ, khó khăn; trước 15/12")
    assert codes(match.units) == ["TCKH"]
    assert match.rest == "báo cáo giải ngân, tiến độ, khó khăn; trước 15/12"
    assert match.unknown is None


def test_content_after_several_units_keeps_its_commas(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH,QLDT báo cáo giải ngân, tiến độ, trước 15/12")
    assert codes(match.units) == ["TCKH", "QLDT"]
    assert match.rest == "báo cáo giải ngân, tiến độ, trước 15/12"


def test_a_unit_named_twice_counts_once(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH, TC-KH báo cáo")
    assert codes(match.units) == ["TCKH"]
    assert match.rest == "báo cáo"


def test_unit_list_only(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH, QLDT")
    assert codes(match.units) == ["TCKH", "QLDT"]
    assert match.rest == ""
    assert match.unknown is None


def test_unknown_unit_after_comma(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCKH, XYZ báo cáo")
    assert codes(match.units) == ["TCKH"]
    assert match.unknown == "XYZ"
    assert match.suggestions == ()


def test_misspelt_unit_after_comma_gets_a_suggestion(directory: UnitDirectory) -> None:
    match = directory.parse_list("QLDT, TCHK báo cáo")
    assert codes(match.units) == ["QLDT"]
    assert match.unknown == "TCHK"
    assert match.suggestions == ("TCKH",)


def test_unknown_first_unit_with_suggestion(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCHK báo cáo tình hình")
    assert match.units == ()
    assert match.unknown == "TCHK"
    assert match.suggestions == ("TCKH",)
    assert match.rest == "TCHK báo cáo tình hình"


def test_unknown_word_drops_trailing_colon(directory: UnitDirectory) -> None:
    match = directory.parse_list("TCHK: báo cáo")
    assert match.units == ()
    assert match.unknown == "TCHK"


def test_empty_text(directory: UnitDirectory) -> None:
    match = directory.parse_list("")
    assert match.units == ()
    assert match.rest == ""
    assert match.unknown == ""
    assert match.suggestions == ()


def test_first_matching_key_wins_on_collision() -> None:
    a = Unit(1, "KT", "Phòng Kinh tế")
    b = Unit(2, "KTHT", "Phòng Kinh tế, Hạ tầng và Đô thị", ("KT",))
    directory = UnitDirectory([a, b])
    assert directory.find("KT") is a
    assert directory.find("Phòng Kinh tế, Hạ tầng và Đô thị") is b


def test_a_name_with_a_comma_is_one_unit_written_in_full() -> None:
    kt = Unit(1, "KT", "Phòng Kinh tế")
    ktht = Unit(2, "KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị", ("Kinh tế hạ tầng",))
    ca = Unit(3, "CA", "Công an phường")
    directory = UnitDirectory([kt, ktht, ca])
    match = directory.parse_list(
        "Phòng Kinh tế, Hạ tầng và Đô thị chủ trì, phối hợp Công an phường rà soát vỉa hè"
    )
    assert codes(match.units) == ["KTHTDT", "CA"]
    assert match.rest == "rà soát vỉa hè"
    assert directory.find("Phòng Kinh tế Hạ tầng và Đô thị") is ktht
    # A comma between two units still lists them.
    assert codes(directory.parse_list("KT, CA kiểm tra").units) == ["KT", "CA"]
    assert codes(directory.parse_list("KT,CA kiểm tra").units) == ["KT", "CA"]


def test_what_a_unit_is_written_as_wins_over_what_is_derived() -> None:
    kt = Unit(1, "KT", "Phòng Kinh tế")
    ktht = Unit(2, "KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị", ("Kinh tế",))
    for order in ([ktht, kt], [kt, ktht]):
        directory = UnitDirectory(order)
        assert directory.find("Phòng Kinh tế") is kt  # kt's name, not "Phòng " + ktht's alias
        assert directory.find("Kinh tế") is ktht  # ktht's alias, not kt's name minus "Phòng"


def test_usage_examples_name_the_rosters_units_or_fall_back() -> None:
    units = [
        Unit(1, "VP", "Văn phòng"),  # no group chat: a task it leads reaches nobody
        Unit(2, "KTHT", "Phòng Kinh tế", chat_id=-20),
        Unit(3, "CA", "Công an phường", chat_id=-50),
    ]
    assert examples(units) == {"ex_unit": "KTHT", "ex_unit2": "CA", "ex_units": "KTHT,CA"}
    assert "Example: <code>/chuyen NV-0042 VP</code>" in t(
        "usage.chuyen", "en", **examples(units[:1])
    )
    assert examples([]) == {}
    assert "/giao KTHT,VHXH " in t("usage.giao", "vi", **examples([]))
    assert "/dangky KTHT</code>" in t("unregistered_chat", "en")


def test_a_derived_name_two_units_share_names_neither() -> None:
    kt = Unit(1, "KT", "Phòng Kinh tế")
    bkt = Unit(2, "BKT", "Ban Kinh tế")
    directory = UnitDirectory([bkt, kt][::-1])
    assert directory.find("Kinh tế") is None and directory.find("kinhte") is None
    assert directory.ambiguous("Kinh tế") == (kt, bkt)
    assert directory.find("Ban Kinh tế") is bkt and directory.find("Phòng Kinh tế") is kt
    assert directory.ambiguous("KT") == ()
    match = directory.parse_list("Kinh tế báo cáo số liệu")
    assert match.unknown == "Kinh tế" and match.ambiguous == (kt, bkt) and match.units == ()
    # A name written for a unit (an alias) is that unit's, not shared.
    owned = UnitDirectory([kt, Unit(2, "BKT", "Ban Kinh tế", ("Kinh tế",))])
    assert owned.find("Kinh tế") is not None and owned.find("Kinh tế").code == "BKT"
