"""bot/intake/drafting.py: the corrections people reply to a draft with, and what blocks it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.calendar import DeadlineErrorCode, WorkCalendar
from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory
from bot.intake.drafting import (
    Add,
    CorrectionError,
    CorrectionErrorCode,
    DraftItem,
    Remove,
    SetContent,
    SetDeadline,
    SetUnits,
    apply_corrections,
    item_from_json,
    item_to_json,
    parse_corrections,
    problems,
)
from bot.intake.reading import Flag, ItemFlag

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VN)  # a Monday
CAL = WorkCalendar(tz=VN)
TCKH = Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch", ("TC-KH",))
QLDT = Unit(2, "QLDT", "Phòng Quản lý đô thị", ("QLĐT",))
TNMT = Unit(3, "TNMT", "Phòng Tài nguyên và Môi trường", ("TN&MT",))
UNITS = UnitDirectory([TCKH, QLDT, TNMT])
KNOWN = frozenset({1, 2, 3})


def parse(text: str) -> list[object]:
    return list(parse_corrections(text, UNITS, NOW, CAL))


def error_of(text: str) -> CorrectionError:
    with pytest.raises(CorrectionError) as caught:
        parse_corrections(text, UNITS, NOW, CAL)
    return caught.value


def at(day: int, month: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 17, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2 đơn vị QLDT,TCKH", SetUnits(2, 2, (1,))),
        ("2 đơn vị QLĐT, TC-KH, TNMT", SetUnits(2, 2, (1, 3))),
        ("2 don vi qldt", SetUnits(2, 2, ())),
        ("2. đơn vị: Phòng Tài chính - Kế hoạch", SetUnits(2, 1, ())),
        ("2 đơn vị TCKH chủ trì, phối hợp QLDT", SetUnits(2, 1, (2,))),
        ("2 đv TNMT", SetUnits(2, 3, ())),
        ("3 hạn 18/12", SetDeadline(3, at(18, 12), False, "18/12")),
        ("3 han 18/12/2026", SetDeadline(3, at(18, 12), False, "18/12/2026")),
        ("3 thời hạn: trong tháng 12", SetDeadline(3, at(31, 12), False, "trong tháng 12")),
        ("3 hạn thường xuyên", SetDeadline(3, None, True, "thường xuyên")),
        ("bỏ 4", Remove((4,))),
        ("Bỏ mục 4, 6", Remove((4, 6))),
        ("xoá 4 5", Remove((4, 5))),
        ("5 nội dung Rà soát lại, báo cáo UBND", SetContent(5, "Rà soát lại, báo cáo UBND")),
        ("5 nd Rà soát", SetContent(5, "Rà soát")),
        (
            "thêm TCKH Báo cáo tình hình giải ngân hạn 18/12",
            Add(1, (), "Báo cáo tình hình giải ngân", at(18, 12), False, "hạn 18/12"),
        ),
        (
            "Thêm TCKH,QLDT Rà soát hồ sơ, hoàn thành trước ngày 18/12/2026",
            Add(1, (2,), "Rà soát hồ sơ", at(18, 12), False, "hoàn thành trước ngày 18/12/2026"),
        ),
        ("thêm TNMT Kiểm tra bãi rác", Add(3, (), "Kiểm tra bãi rác", None, False, None)),
    ],
)
def test_each_form(line: str, expected: object) -> None:
    assert parse(line) == [expected]


def test_several_lines_in_order_blank_lines_skipped() -> None:
    text = "2 đơn vị QLDT\n\n  3 hạn 18/12  \nbỏ 4\n"
    assert parse(text) == [
        SetUnits(2, 2, ()),
        SetDeadline(3, at(18, 12), False, "18/12"),
        Remove((4,)),
    ]


@pytest.mark.parametrize(
    ("text", "code", "line_no"),
    [
        ("cảm ơn", CorrectionErrorCode.UNKNOWN_FORM, 1),
        ("2 đơn vị QLDT\nok", CorrectionErrorCode.UNKNOWN_FORM, 2),
        ("2 hạn", CorrectionErrorCode.UNKNOWN_FORM, 1),
        ("2 đơn vị XYZ", CorrectionErrorCode.UNKNOWN_UNIT, 1),
        ("bỏ 4\n2 đơn vị QLDT abc", CorrectionErrorCode.UNKNOWN_UNIT, 2),
        ("thêm XYZ Rà soát hạn 18/12", CorrectionErrorCode.UNKNOWN_UNIT, 1),
        ("3 hạn 31/02/2027", CorrectionErrorCode.DEADLINE, 1),
        ("3 hạn 10/11/2026", CorrectionErrorCode.DEADLINE, 1),
        ("3 hạn sớm nhất có thể", CorrectionErrorCode.DEADLINE, 1),
        ("thêm TCKH hạn 18/12", CorrectionErrorCode.NO_CONTENT, 1),
        ("thêm TCKH Rà soát hạn 40/12", CorrectionErrorCode.DEADLINE, 1),
        ("   \n", CorrectionErrorCode.EMPTY, 0),
    ],
)
def test_a_bad_line_says_which_and_why(text: str, code: CorrectionErrorCode, line_no: int) -> None:
    error = error_of(text)
    assert (error.code, error.line_no) == (code, line_no)


def test_unknown_unit_suggests_close_codes() -> None:
    error = error_of("2 đơn vị TCHK")
    assert error.params["word"] == "TCHK" and "TCKH" in error.params["suggestions"]


def test_a_past_deadline_keeps_the_parsers_finding() -> None:
    error = error_of("3 hạn 10/11/2026")
    assert error.deadline is not None and error.deadline.code is DeadlineErrorCode.PAST


ITEMS = (
    DraftItem(1, "Rà soát", 1, (2,), at(15, 12), flags=(ItemFlag(Flag.UNIT_CLASS, "các đơn vị"),)),
    DraftItem(2, "Tham mưu", None, (), at(31, 12), flags=(ItemFlag(Flag.NO_LEAD),)),
    DraftItem(3, "Tổng hợp", 2, (), None, flags=(ItemFlag(Flag.NO_DEADLINE),)),
    DraftItem(4, "Báo cáo", 3, (), at(10, 11), flags=(ItemFlag(Flag.PAST_DEADLINE, "10/11/2026"),)),
)


def test_corrections_clear_the_flags_of_what_they_fix() -> None:
    after = apply_corrections(
        ITEMS,
        [
            SetUnits(1, 1, (2,)),
            SetUnits(2, 2, ()),
            SetDeadline(3, at(18, 12), False, "18/12"),
            SetDeadline(4, None, True, "thường xuyên"),
        ],
    )
    assert [i.flags for i in after] == [(), (), (), ()]
    assert [problems(i, NOW, KNOWN) for i in after] == [(), (), (), ()]
    assert after[3].no_deadline and after[3].due is None


def test_a_unit_correction_leaves_a_deadline_flag_and_the_other_way_round() -> None:
    item = DraftItem(
        1, "x", None, (), None, flags=(ItemFlag(Flag.NO_LEAD), ItemFlag(Flag.NO_DEADLINE))
    )
    units_fixed = apply_corrections((item,), [SetUnits(1, 1, ())])[0]
    assert [f.code for f in units_fixed.flags] == [Flag.NO_DEADLINE]
    due_fixed = apply_corrections((item,), [SetDeadline(1, at(18, 12), False, "18/12")])[0]
    assert [f.code for f in due_fixed.flags] == [Flag.NO_LEAD]


def test_numbers_stay_put_when_items_are_removed_and_added() -> None:
    after = apply_corrections(
        ITEMS,
        [
            Remove((2, 4)),
            Add(3, (), "Kiểm tra", at(18, 12), False, "18/12"),
            SetContent(5, "Kiểm tra bãi rác"),
        ],
    )
    assert [i.n for i in after] == [1, 3, 5]
    assert after[2].content == "Kiểm tra bãi rác" and after[2].lead_id == 3


def test_a_number_not_on_the_draft_is_an_error() -> None:
    for corrections in ([SetContent(9, "x")], [Remove((2,)), SetUnits(2, 1, ())]):
        with pytest.raises(CorrectionError) as caught:
            apply_corrections(ITEMS, corrections)
        assert caught.value.code is CorrectionErrorCode.NO_ITEM


def test_problems_see_what_the_item_shows_now() -> None:
    bare = DraftItem(1, "x", None, (), None)
    assert [f.code for f in problems(bare, NOW, KNOWN)] == [Flag.NO_LEAD, Flag.NO_DEADLINE]
    ongoing = DraftItem(1, "x", 1, (), None, no_deadline=True)
    assert problems(ongoing, NOW, KNOWN) == ()
    # A deadline that was ahead when read and has passed since.
    later = datetime(2026, 12, 16, 9, 0, tzinfo=VN)
    stale = DraftItem(1, "x", 1, (), at(15, 12))
    assert problems(stale, later, KNOWN) == (ItemFlag(Flag.PAST_DEADLINE, "15/12/2026"),)
    # A lead unit deactivated since the draft was read.
    assert [f.code for f in problems(stale, NOW, frozenset({2}))] == [Flag.NO_LEAD]


def test_items_survive_storage() -> None:
    for item in ITEMS:
        assert item_from_json(item_to_json(item)) == item


def test_a_long_draft_fits_one_message_with_its_help_and_problems() -> None:
    from bot.intake.drafting import Draft
    from bot.intake.reading import DocumentHeader
    from bot.text.drafts import draft_text

    long = "Rà soát, tổng hợp và báo cáo kết quả thực hiện nhiệm vụ " * 6
    for count in (12, 25, 60):
        items = tuple(
            DraftItem(n, f"{n}: {long}", None if n % 5 == 0 else 1, (2, 3), at(15, 12))
            for n in range(1, count + 1)
        )
        draft = Draft(
            1, 1, -100, 7, DocumentHeader("45/TB-UBND", None, "Kết luận " * 40), items, NOW, NOW
        )
        found = {i.n: problems(i, NOW, KNOWN) for i in items}
        text = draft_text(draft, found, {1: TCKH, 2: QLDT, 3: TNMT}, VN, "vi")
        assert len(text) <= 4096
        assert text.startswith("📝 <b>Dự thảo giao việc</b>\nSố 45/TB-UBND — Kết luận")
        assert "<code>bỏ 4</code>" in text and "Dự thảo có hiệu lực đến" in text
        assert "<b>1.</b> <b>TCKH</b> (phối hợp: QLDT, TNMT) · hạn Thứ Ba, 15/12/2026 17:00" in text
        assert "<b>5.</b> <b>❓</b>" in text
        assert "\n    ⚠️ Chưa xác định được đơn vị chủ trì" in text
        if count > 25:
            assert "mục khác." in text
        else:
            assert f"<b>{count}.</b>" in text


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (
            "Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp Phòng Quản lý đô thị rà soát hồ sơ"
            " giải ngân, hoàn thành trước ngày 15/12/2026.",
            "rà soát hồ sơ giải ngân, hoàn thành trước ngày 15/12/2026.",
        ),
        ("Giao TC-KH, QLĐT tổng hợp số liệu", "tổng hợp số liệu"),
        ("Phòng Tài nguyên và Môi trường kiểm tra bãi rác", "kiểm tra bãi rác"),
        ("UBND phường giao Phòng TC-KH chủ trì: lập dự toán", "lập dự toán"),
        # A body outside the roster is not among the line's units: "phối hợp …" stays.
        (
            "Giao TCKH chủ trì, phối hợp với Chi cục Thuế và QLDT đôn đốc thu nợ thuế",
            "phối hợp với Chi cục Thuế và QLDT đôn đốc thu nợ thuế",
        ),
        ("Giao TCKH chủ trì, phối hợp QLDT và TNMT đôn đốc", "đôn đốc"),
        (
            "Giao TCKH chủ trì, phối hợp các phòng, ban liên quan rà soát đất công",
            "rà soát đất công",
        ),
        ("Yêu cầu Trưởng phòng TN&MT báo cáo", "báo cáo"),
        # Kept whole: context before the roles, an unknown unit, nothing left, no roles at all.
        ("Đối với đơn của bà A: Giao TCKH xác minh", "Đối với đơn của bà A: Giao TCKH xác minh"),
        ("Giao Phòng Cây xanh chủ trì rà soát", "Giao Phòng Cây xanh chủ trì rà soát"),
        ("Giao TCKH.", "Giao TCKH."),
        ("Rà soát, báo cáo kết quả", "Rà soát, báo cáo kết quả"),
    ],
)
def test_a_draft_line_shows_the_action_without_its_roles(content: str, shown: str) -> None:
    from bot.intake.roles import action_text

    assert action_text(content, UNITS) == shown


def test_the_draft_line_strips_the_roles_and_the_task_keeps_them() -> None:
    from bot.intake.drafting import Draft
    from bot.intake.reading import DocumentHeader
    from bot.text.drafts import draft_text

    content = (
        "Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp Phòng Quản lý đô thị rà soát hồ sơ"
        " giải ngân vốn đầu tư công"
    )
    item = DraftItem(1, content, 1, (2,), at(15, 12))
    draft = Draft(1, 1, -100, 7, DocumentHeader("45/TB-UBND", None, None), (item,), NOW, NOW)
    text = draft_text(draft, {}, {1: TCKH, 2: QLDT, 3: TNMT}, VN, "vi")
    assert (
        "<b>1.</b> <b>TCKH</b> (phối hợp: QLDT) · hạn Thứ Ba, 15/12/2026 17:00 · rà soát hồ sơ"
        " giải ngân vốn đầu tư công\n" in text
    )
    assert item.content == content  # the task is made from the whole text
