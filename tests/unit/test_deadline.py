"""Deadline phrases as officials write them, against a fixed clock."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.calendar import (
    DeadlineError,
    DeadlineErrorCode,
    ParsedDeadline,
    WorkCalendar,
    extract_deadline,
    format_deadline,
    parse_deadline,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar()
# Sunday. Tuesday 24/11/2026 is Vietnam Culture Day, a public holiday in the holidays package.
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=VN)


def ascii_id(text: str) -> str:
    """pytest escapes non-ASCII ids; folded Vietnamese stays readable ("truoc ngay 15/12")."""
    stripped = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in stripped if not unicodedata.combining(ch)) or "<empty>"


def at(y: int, m: int, d: int, hh: int = 17, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


# (written, expected due, has_time, rolled_from)
CASES: list[tuple[str, datetime | None, bool, date | None]] = [
    # plain dates; no year = the next such date
    ("15/12", at(2026, 12, 15), False, None),
    ("15/12/2026", at(2026, 12, 15), False, None),
    ("15.12.2026", at(2026, 12, 15), False, None),
    ("15-12", at(2026, 12, 15), False, None),
    ("15/12/26", at(2026, 12, 15), False, None),
    ("15/01", at(2027, 1, 15), False, None),
    ("29/02", at(2028, 2, 29), False, None),
    ("22/11", at(2026, 11, 23), False, date(2026, 11, 22)),
    # markers
    ("trước ngày 15/12", at(2026, 12, 15), False, None),
    ("trước 15/12", at(2026, 12, 15), False, None),
    ("truoc 15/12", at(2026, 12, 15), False, None),
    ("chậm nhất ngày 15/12", at(2026, 12, 15), False, None),
    ("chậm nhất 15/12", at(2026, 12, 15), False, None),
    ("hoàn thành trước 15/12", at(2026, 12, 15), False, None),
    ("hạn 15/12", at(2026, 12, 15), False, None),
    ("thời hạn: 15/12", at(2026, 12, 15), False, None),
    ("ngày 15/12", at(2026, 12, 15), False, None),
    ("  TRƯỚC   ngày 15/12 .", at(2026, 12, 15), False, None),
    ("thứ Ba, 15/12/2026", at(2026, 12, 15), False, None),
    ("chậm nhất ngày 15/12/2026 (thứ Ba)", at(2026, 12, 15), False, None),
    # long form
    ("ngày 15 tháng 12 năm 2026", at(2026, 12, 15), False, None),
    ("ngày 15 tháng 12", at(2026, 12, 15), False, None),
    # months
    ("trong tháng 12", at(2026, 12, 31), False, None),
    ("tháng 12/2026", at(2026, 12, 31), False, None),
    ("12/2026", at(2026, 12, 31), False, None),
    ("cuối tháng 12", at(2026, 12, 31), False, None),
    ("trong tháng này", at(2026, 11, 30), False, None),
    ("cuối tháng", at(2026, 11, 30), False, None),
    ("giữa tháng", at(2026, 12, 15), False, None),
    ("đầu tháng sau", at(2026, 12, 1), False, None),
    ("cuối tháng sau", at(2026, 12, 31), False, None),
    ("giữa tháng 12", at(2026, 12, 15), False, None),
    ("đầu tháng 1/2027", at(2027, 1, 4), False, date(2027, 1, 1)),
    ("ngày 20", at(2026, 12, 21), False, date(2026, 12, 20)),
    # quarters, halves, years
    ("trong quý IV", at(2026, 12, 31), False, None),
    ("quý 4/2026", at(2026, 12, 31), False, None),
    ("quý IV năm 2026", at(2026, 12, 31), False, None),
    ("quý 1/2027", at(2027, 3, 31), False, None),
    ("quý I năm 2027", at(2027, 3, 31), False, None),
    ("cuối quý IV", at(2026, 12, 31), False, None),
    ("cuối quý", at(2026, 12, 31), False, None),
    ("6 tháng đầu năm", at(2027, 6, 30), False, None),
    ("6 tháng cuối năm", at(2026, 12, 31), False, None),
    ("giữa năm", at(2027, 6, 30), False, None),
    ("cuối năm", at(2026, 12, 31), False, None),
    ("cuối năm 2027", at(2027, 12, 31), False, None),
    # relative to today (a Sunday: today and the holiday on Tuesday roll forward)
    ("hôm nay", at(2026, 11, 23), False, date(2026, 11, 22)),
    ("ngày mai", at(2026, 11, 23), False, None),
    ("ngày kia", at(2026, 11, 25), False, date(2026, 11, 24)),
    ("thứ Sáu", at(2026, 11, 27), False, None),
    ("thứ 6", at(2026, 11, 27), False, None),
    ("T6", at(2026, 11, 27), False, None),
    ("thu 6", at(2026, 11, 27), False, None),
    ("thứ 6 tuần sau", at(2026, 11, 27), False, None),
    ("thứ sáu tuần tới", at(2026, 11, 27), False, None),
    ("thứ 2 tuần sau", at(2026, 11, 23), False, None),
    ("tuần sau", at(2026, 11, 27), False, None),
    ("tuần tới", at(2026, 11, 27), False, None),
    ("cuối tuần", at(2026, 11, 27), False, None),
    ("chủ nhật", at(2026, 11, 23), False, date(2026, 11, 22)),
    # working-day offsets: Tue 24/11 is a holiday
    ("trong 5 ngày làm việc", at(2026, 11, 30), False, None),
    ("05 ngày làm việc", at(2026, 11, 30), False, None),
    ("5 ngày làm việc", at(2026, 11, 30), False, None),
    ("10 ngày làm việc kể từ ngày giao", at(2026, 12, 7), False, None),
    # calendar offsets
    ("10 ngày", at(2026, 12, 2), False, None),
    ("trong 10 ngày", at(2026, 12, 2), False, None),
    ("trong 2 tuần", at(2026, 12, 7), False, date(2026, 12, 6)),
    ("2 tuần", at(2026, 12, 7), False, date(2026, 12, 6)),
    ("hai tuần", at(2026, 12, 7), False, date(2026, 12, 6)),
    ("trong 1 tháng", at(2026, 12, 22), False, None),
    ("không quá 2 tháng", at(2027, 1, 22), False, None),
    ("không quá 2 tháng kể từ ngày giao", at(2027, 1, 22), False, None),
    ("trong vòng 3 ngày", at(2026, 11, 25), False, None),
    ("nửa tháng", at(2026, 12, 7), False, None),
    # with a time
    ("17h ngày 15/12", at(2026, 12, 15, 17, 0), True, None),
    ("17h00 15/12", at(2026, 12, 15, 17, 0), True, None),
    ("15/12 lúc 9:00", at(2026, 12, 15, 9, 0), True, None),
    ("9 giờ 30 ngày 15/12", at(2026, 12, 15, 9, 30), True, None),
    ("9h30 15/12", at(2026, 12, 15, 9, 30), True, None),
    ("16 giờ ngày 15/12", at(2026, 12, 15, 16, 0), True, None),
    ("8h30 ngày mai", at(2026, 11, 23, 8, 30), True, None),
    ("3 giờ chiều ngày mai", at(2026, 11, 23, 15, 0), True, None),
    ("trước 24 giờ ngày 15/12", at(2026, 12, 15, 23, 59), True, None),
    ("trong 24 giờ", at(2026, 11, 23, 10, 0), True, None),
    ("trong 4 giờ làm việc", at(2026, 11, 23, 14, 0), True, None),
    # no deadline
    ("thường xuyên", None, False, None),
    ("không thời hạn", None, False, None),
    ("không có thời hạn", None, False, None),
    ("ko thời hạn", None, False, None),
    ("(thường xuyên)", None, False, None),
    ("thời hạn: thường xuyên", None, False, None),
]


@pytest.mark.parametrize(
    ("text", "due", "has_time", "rolled_from"), CASES, ids=[ascii_id(c[0]) for c in CASES]
)
def test_parse_deadline(
    text: str, due: datetime | None, has_time: bool, rolled_from: date | None
) -> None:
    parsed = parse_deadline(text, NOW, CAL)
    assert parsed.due == due
    if due is not None:
        assert parsed.due is not None
        assert parsed.due.tzinfo == VN
    assert parsed.has_time is has_time
    assert parsed.rolled_from == rolled_from


ERRORS: list[tuple[str, DeadlineErrorCode, dict[str, str]]] = [
    ("15/11/2026", DeadlineErrorCode.PAST, {"date": "15/11/2026"}),
    ("trước ngày 21/11/2026", DeadlineErrorCode.PAST, {"date": "21/11/2026"}),
    ("8h hôm nay", DeadlineErrorCode.PAST, {"date": "22/11/2026", "time": "08:00"}),
    ("thứ 6 tuần này", DeadlineErrorCode.PAST, {"date": "20/11/2026"}),
    ("giữa tháng này", DeadlineErrorCode.PAST, {"date": "15/11/2026"}),
    ("31/02", DeadlineErrorCode.INVALID_DATE, {"date": "31/02"}),
    ("32/12", DeadlineErrorCode.INVALID_DATE, {"date": "32/12"}),
    ("15/13", DeadlineErrorCode.INVALID_DATE, {"date": "15/13"}),
    ("29/02/2027", DeadlineErrorCode.INVALID_DATE, {"date": "29/02/2027"}),
    ("tháng 13", DeadlineErrorCode.INVALID_DATE, {"month": "13"}),
    ("quý 5", DeadlineErrorCode.INVALID_DATE, {"quarter": "5"}),
    ("25h ngày 15/12", DeadlineErrorCode.INVALID_DATE, {"time": "25:00"}),
    ("hạn abc", DeadlineErrorCode.UNREADABLE, {"text": "hạn abc"}),
    ("hạn", DeadlineErrorCode.UNREADABLE, {"text": "hạn"}),
    ("", DeadlineErrorCode.UNREADABLE, {"text": ""}),
    # A yearless day that passed a week ago: a slip, or a date almost a year away?
    ("15/11", DeadlineErrorCode.AMBIGUOUS, {"date": "15/11/2026", "next": "15/11/2027"}),
    ("tháng 10", DeadlineErrorCode.AMBIGUOUS, {"date": "31/10/2026", "next": "31/10/2027"}),
    ("quý III", DeadlineErrorCode.AMBIGUOUS, {"date": "30/09/2026", "next": "30/09/2027"}),
    (
        "thứ Hai, 18/12/2026",
        DeadlineErrorCode.AMBIGUOUS,
        {"date": "18/12/2026", "weekday": "1", "date_weekday": "5"},
    ),
]


@pytest.mark.parametrize(("text", "code", "params"), ERRORS, ids=[ascii_id(e[0]) for e in ERRORS])
def test_parse_deadline_errors(text: str, code: DeadlineErrorCode, params: dict[str, str]) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, NOW, CAL)
    assert caught.value.code is code
    assert caught.value.params == params


def test_five_working_days_across_tet_2027() -> None:
    # 04/02..10/02/2027 are Tết days off: Wed 3, Thu 11, Fri 12, Mon 15, Tue 16.
    now = datetime(2027, 2, 2, 9, 0, tzinfo=VN)
    parsed = parse_deadline("5 ngày làm việc", now, CAL)
    assert parsed.due == at(2027, 2, 16)
    assert parsed.rolled_from is None


def test_calendar_offset_landing_in_tet_rolls_past_it() -> None:
    now = datetime(2027, 2, 1, 9, 0, tzinfo=VN)
    parsed = parse_deadline("trong 5 ngày", now, CAL)
    assert parsed.due == at(2027, 2, 11)
    assert parsed.rolled_from == date(2027, 2, 6)


def test_date_on_a_holiday_rolls_to_next_working_day() -> None:
    # 30/04 Fri and 01/05 Sat are holidays, Mon 03/05 is the observed Labour Day.
    parsed = parse_deadline("30/04/2027", NOW, CAL)
    assert parsed.due == at(2027, 5, 4)
    assert parsed.rolled_from == date(2027, 4, 30)


def test_written_time_survives_roll_forward() -> None:
    parsed = parse_deadline("9h ngày 02/09/2027", NOW, CAL)
    assert parsed.due == at(2027, 9, 6, 9, 0)
    assert parsed.has_time is True
    assert parsed.rolled_from == date(2027, 9, 2)


def test_swapped_working_saturday_is_not_rolled() -> None:
    cal = WorkCalendar(working_days=frozenset({date(2026, 12, 12)}))
    parsed = parse_deadline("12/12", NOW, cal)
    assert parsed.due == at(2026, 12, 12)
    assert parsed.rolled_from is None
    assert parse_deadline("12/12", NOW, CAL).due == at(2026, 12, 14)


def test_bridge_day_off_rolls_over_new_year() -> None:
    # Thu 31/12 bridge day, Fri 01/01 New Year, then the weekend.
    cal = WorkCalendar(days_off=frozenset({date(2026, 12, 31)}))
    parsed = parse_deadline("cuối năm", NOW, cal)
    assert parsed.due == at(2027, 1, 4)
    assert parsed.rolled_from == date(2026, 12, 31)


def test_working_days_skip_bridge_day() -> None:
    cal = WorkCalendar(days_off=frozenset({date(2026, 11, 23)}))
    assert parse_deadline("2 ngày làm việc", NOW, cal).due == at(2026, 11, 26)


def test_roll_forward_off_keeps_the_day_off() -> None:
    cal = WorkCalendar(roll_forward=False)
    parsed = parse_deadline("ngày kia", NOW, cal)
    assert parsed.due == at(2026, 11, 24)
    assert parsed.rolled_from is None


def test_custom_office_close_is_the_default_time() -> None:
    cal = WorkCalendar(office_end=datetime(2000, 1, 1, 16, 30).time())
    assert parse_deadline("15/12", NOW, cal).due == at(2026, 12, 15, 16, 30)


def test_weekday_is_today_while_office_is_open() -> None:
    friday_morning = datetime(2026, 11, 27, 9, 0, tzinfo=VN)
    assert parse_deadline("thứ 6", friday_morning, CAL).due == at(2026, 11, 27)


def test_weekday_after_close_is_next_week() -> None:
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=VN)
    assert parse_deadline("thứ 6", friday_evening, CAL).due == at(2026, 12, 4)


def test_weekday_with_a_passed_time_is_next_week() -> None:
    friday_morning = datetime(2026, 11, 27, 10, 0, tzinfo=VN)
    assert parse_deadline("thứ 6 lúc 9h", friday_morning, CAL).due == at(2026, 12, 4, 9, 0)


def test_yearless_date_today_after_close_is_ambiguous() -> None:
    evening = datetime(2026, 12, 15, 18, 0, tzinfo=VN)
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("15/12", evening, CAL)
    assert caught.value.code is DeadlineErrorCode.AMBIGUOUS


def test_yearless_month_just_after_new_year_is_ambiguous() -> None:
    early_january = datetime(2027, 1, 5, 9, 0, tzinfo=VN)
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("tháng 12", early_january, CAL)
    assert caught.value.params == {"date": "31/12/2026", "next": "31/12/2027"}


def test_end_of_year_in_january_means_this_year() -> None:
    early_january = datetime(2027, 1, 5, 9, 0, tzinfo=VN)
    assert parse_deadline("cuối năm", early_january, CAL).due == at(2027, 12, 31)


def test_end_of_week_on_friday_evening_is_next_friday() -> None:
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=VN)
    assert parse_deadline("cuối tuần", friday_evening, CAL).due == at(2026, 12, 4)


def test_month_arithmetic_clamps_to_month_end() -> None:
    now = datetime(2027, 1, 31, 9, 0, tzinfo=VN)
    # 31/01 + 1 month = 28/02/2027, a Sunday, so Monday 01/03.
    parsed = parse_deadline("trong 1 tháng", now, CAL)
    assert parsed.due == at(2027, 3, 1)
    assert parsed.rolled_from == date(2027, 2, 28)


def test_now_in_utc_is_read_in_office_time() -> None:
    # 17:30 UTC on Sunday is 00:30 Monday in Hanoi: "hôm nay" is Monday.
    now = datetime(2026, 11, 22, 17, 30, tzinfo=UTC)
    assert parse_deadline("hôm nay", now, CAL).due == at(2026, 11, 23)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_deadline("15/12", datetime(2026, 11, 22, 10, 0), CAL)


def test_parsed_text_is_the_cleaned_input() -> None:
    parsed = parse_deadline("  trước   ngày 15/12. ", NOW, CAL)
    assert parsed.text == "trước ngày 15/12"


def test_large_offset_is_invalid_not_a_hang() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("999999 ngày làm việc", NOW, CAL)
    assert caught.value.code is DeadlineErrorCode.INVALID_DATE


# -- extract_deadline --------------------------------------------------------------------------

EXTRACTS: list[tuple[str, str, datetime | None]] = [
    ("Báo cáo tình hình giải ngân hạn 15/12", "Báo cáo tình hình giải ngân", at(2026, 12, 15)),
    ("Báo cáo tình hình giải ngân trước 15/12", "Báo cáo tình hình giải ngân", at(2026, 12, 15)),
    (
        "rà soát vỉa hè, báo cáo UBND phường trước ngày 05/12/2026.",
        "rà soát vỉa hè, báo cáo UBND phường",
        at(2026, 12, 7),
    ),
    (
        "tổng hợp danh sách hộ nghèo; thời hạn: 10 ngày làm việc",
        "tổng hợp danh sách hộ nghèo",
        at(2026, 12, 7),
    ),
    ("nâng tỷ lệ hồ sơ trực tuyến (thường xuyên)", "nâng tỷ lệ hồ sơ trực tuyến", None),
    (
        "tham mưu văn bản đôn đốc, hoàn thành trong tháng 12/2026",
        "tham mưu văn bản đôn đốc",
        at(2026, 12, 31),
    ),
    ("Kiểm tra các công trình (hạn 15/12)", "Kiểm tra các công trình", at(2026, 12, 15)),
    (
        "Tổ chức kiểm tra trong 5 ngày, hoàn thành trước 15/12",
        "Tổ chức kiểm tra trong 5 ngày",
        at(2026, 12, 15),
    ),
    (
        "Rà soát hồ sơ trước 15/11/2026 còn tồn đọng, hạn 30/11",
        "Rà soát hồ sơ trước 15/11/2026 còn tồn đọng",
        at(2026, 11, 30),
    ),
    ("Báo cáo kết quả hạn: 17h ngày 15/12", "Báo cáo kết quả", at(2026, 12, 15, 17, 0)),
]


@pytest.mark.parametrize(
    ("text", "content", "due"), EXTRACTS, ids=[ascii_id(e[0]) for e in EXTRACTS]
)
def test_extract_deadline(text: str, content: str, due: datetime | None) -> None:
    found, parsed = extract_deadline(text, NOW, CAL)
    assert found == content
    assert parsed is not None
    assert parsed.due == due


NO_DEADLINE = [
    "trong tháng tới có nhiều việc",
    "Xem xét đề nghị gia hạn hợp đồng thuê đất",
    "Hạn chế xe tải vào nội đô",
    "Kiểm tra thời hạn sử dụng thực phẩm",
    "Xử lý các hồ sơ quá hạn",
    "Báo cáo trước UBND phường",
    "Kiểm tra các công trình (đợt 2)",
    "Báo cáo hạn abc",
    "Xu ly cac ho so qua han",
]


@pytest.mark.parametrize("text", NO_DEADLINE, ids=[ascii_id(t) for t in NO_DEADLINE])
def test_extract_without_deadline_returns_text(text: str) -> None:
    assert extract_deadline(text, NOW, CAL) == (text, None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Báo cáo giải ngân hạn 31/02", DeadlineErrorCode.INVALID_DATE),
        ("Báo cáo giải ngân trước 15/11/2026", DeadlineErrorCode.PAST),
        ("Báo cáo, hạn abc", DeadlineErrorCode.UNREADABLE),
        ("Báo cáo kết quả trong tháng 10", DeadlineErrorCode.AMBIGUOUS),
    ],
    ids=ascii_id,
)
def test_extract_deadline_reports_a_meant_but_wrong_deadline(
    text: str, code: DeadlineErrorCode
) -> None:
    with pytest.raises(DeadlineError) as caught:
        extract_deadline(text, NOW, CAL)
    assert caught.value.code is code


def test_extract_keeps_parsed_phrase() -> None:
    _, parsed = extract_deadline("Báo cáo tình hình giải ngân trước 15/12", NOW, CAL)
    assert parsed == ParsedDeadline(
        due=at(2026, 12, 15), has_time=False, rolled_from=None, text="trước 15/12"
    )


# -- format_deadline ---------------------------------------------------------------------------


def test_format_deadline_vietnamese() -> None:
    assert format_deadline(at(2026, 12, 18)) == "Thứ Sáu, 18/12/2026 17:00"


def test_format_deadline_english() -> None:
    assert format_deadline(at(2026, 12, 18), "en") == "Friday, 18/12/2026 17:00"


def test_format_deadline_converts_stored_utc_when_given_the_zone() -> None:
    # 02:00 UTC is 09:00 in Hanoi.
    stored = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    assert format_deadline(stored, tz=VN) == "Chủ Nhật, 22/11/2026 09:00"
    assert format_deadline(stored) == "Chủ Nhật, 22/11/2026 02:00"


def test_format_deadline_keeps_the_zone_it_is_given() -> None:
    # 17:00 in Hanoi is 19:00 in Tokyo: the caller converted on purpose.
    due = at(2026, 12, 18).astimezone(ZoneInfo("Asia/Tokyo"))
    assert format_deadline(due, "en") == "Friday, 18/12/2026 19:00"


def test_format_deadline_refuses_naive() -> None:
    with pytest.raises(ValueError):
        format_deadline(datetime(2026, 12, 18, 17, 0))


WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=VN)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("thứ 6 này", at(2026, 11, 27)),
        ("thứ Sáu này", at(2026, 11, 27)),
        ("sáng mai", at(2026, 11, 26, 11, 30)),  # by the end of the morning session
        ("buổi sáng thứ 6", at(2026, 11, 27, 11, 30)),
        ("chiều nay", at(2026, 11, 25)),
        ("chiều mai", at(2026, 11, 26)),
        ("9h sáng mai", at(2026, 11, 26, 9, 0)),
        ("chiều mai 3h", at(2026, 11, 26, 15, 0)),
        ("chiều 15/12 4h30", at(2026, 12, 15, 16, 30)),
        ("sáng mai 10h", at(2026, 11, 26, 10, 0)),
        ("ngày 15/12 năm nay", at(2026, 12, 15)),
        ("15 tháng 12 năm nay", at(2026, 12, 15)),
        ("14h chiều nay", at(2026, 11, 25, 14, 0)),
        ("11h sáng nay", at(2026, 11, 25, 11, 0)),
        ("3 giờ chiều nay", at(2026, 11, 25, 15, 0)),
        ("trước 16h chiều nay", at(2026, 11, 25, 16, 0)),
        ("16h chiều hôm nay", at(2026, 11, 25, 16, 0)),
        ("ngay trong ngày", at(2026, 11, 25)),
    ],
    ids=lambda value: ascii_id(value) if isinstance(value, str) else "",
)
def test_spoken_forms(text: str, due: datetime) -> None:
    assert parse_deadline(text, WEDNESDAY, CAL).due == due


def test_a_morning_hour_after_noon_is_refused() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("sáng mai 14h", WEDNESDAY, CAL)
    assert caught.value.code is DeadlineErrorCode.INVALID_DATE


def test_this_year_said_outright_is_never_moved_to_the_next() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("20/11 năm nay", WEDNESDAY, CAL)
    assert caught.value.code is DeadlineErrorCode.PAST


def test_lines_after_the_deadline_stay_in_the_content() -> None:
    found, parsed = extract_deadline(
        "Kiểm tra vỉa hè hạn 15/12\nChi tiết: làm trong 3 ngày, báo cáo UBND", WEDNESDAY, CAL
    )
    assert found == "Kiểm tra vỉa hè\nChi tiết: làm trong 3 ngày, báo cáo UBND"
    assert parsed is not None and parsed.due == at(2026, 12, 15)


@pytest.mark.parametrize("text", ["-3 ngày", "- 3 ngày", "–2 tuần", "-1 tháng"], ids=ascii_id)
def test_a_negative_offset_is_refused(text: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, WEDNESDAY, CAL)
    assert caught.value.code is DeadlineErrorCode.UNREADABLE


def test_ngay_trong_ngay_inside_a_command_leaves_no_han_in_the_content() -> None:
    content, parsed = extract_deadline("Báo cáo số liệu hạn ngay trong ngày", WEDNESDAY, CAL)
    assert (content, parsed and parsed.due) == ("Báo cáo số liệu", at(2026, 11, 25))


def test_this_morning_hour_already_passed_is_past() -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline("9h sáng nay", datetime(2026, 11, 25, 10, 0, tzinfo=VN), CAL)
    assert caught.value.code is DeadlineErrorCode.PAST
