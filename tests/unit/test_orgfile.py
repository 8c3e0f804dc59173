"""The roster file: strict reading with file:line for every problem, and writing it back."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest
from support import (
    ADMIN,
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    QLDT_HEAD,
    ROSTER,
    TCKH_CHAT,
    TCKH_HEAD,
    TCKH_STAFF,
    VICE,
)

from bot.domain.model import Role
from bot.domain.orgfile import (
    OrgFileError,
    OrgSpec,
    PersonSpec,
    UnitSpec,
    dump_org,
    parse_org,
    read_org_file,
)

NAME = "org.yaml"


def problems(text: str) -> list[str]:
    with pytest.raises(OrgFileError) as caught:
        parse_org(text, NAME)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_example_roster_is_read_field_by_field() -> None:
    spec = parse_org(ROSTER)
    assert spec.leadership_chat == LEADERS
    assert spec.units == (
        UnitSpec("TCKH", "Phòng Tài chính - Kế hoạch", ("TC-KH", "Tài chính"), TCKH_CHAT),
        UnitSpec("QLDT", "Phòng Quản lý đô thị", ("QLĐT",), QLDT_CHAT),
        UnitSpec("TNMT", "Phòng Tài nguyên và Môi trường", ("TN&MT",), None),
    )
    assert spec.people == (
        PersonSpec(CHAIRMAN, "Nguyễn Văn An", Role.CHAIRMAN),
        PersonSpec(VICE, "Lê Thị Bình", Role.VICE_CHAIRMAN, supervises=("QLDT",)),
        PersonSpec(OFFICE, "Phạm Văn Cường", Role.OFFICE),
        PersonSpec(TCKH_HEAD, "Trần Thị Dung", Role.HEAD, unit="TCKH"),
        PersonSpec(TCKH_STAFF, "Hoàng Văn Em", Role.STAFF, unit="TCKH"),
        PersonSpec(QLDT_HEAD, "Vũ Văn Giang", Role.HEAD, unit="QLDT"),
        PersonSpec(ADMIN, "Đỗ Quản Trị", Role.ADMIN),
    )
    assert spec.extra == {}


def test_example_roster_round_trips() -> None:
    spec = parse_org(ROSTER)
    text = dump_org(spec)
    assert parse_org(text) == spec
    # And the written form is stable.
    assert dump_org(parse_org(text)) == text


def test_dump_writes_readable_unicode_and_omits_empty_fields() -> None:
    text = dump_org(parse_org(ROSTER))
    assert "name: Phòng Tài chính - Kế hoạch" in text
    assert "\\u" not in text
    assert text.startswith(f"leadership_chat: {LEADERS}\nunits:\n- code: TCKH\n")
    tnmt = text.split("- code: TNMT\n", 1)[1].split("people:", 1)[0]
    assert "chat" not in tnmt
    chairman = text.split(f"- telegram_id: {CHAIRMAN}\n", 1)[1].split("- telegram_id", 1)[0]
    assert chairman == "  name: Nguyễn Văn An\n  role: chairman\n"


def test_round_trip_of_optional_fields_and_awkward_text() -> None:
    spec = OrgSpec(
        leadership_chat=None,
        units=(
            UnitSpec("VP", "Văn phòng: HĐND & UBND", ("yes", "123", "#1")),
            UnitSpec("0012", "null", (), -1001000000010),
        ),
        people=(
            PersonSpec(1, "No", Role.VICE_CHAIRMAN, None, ("VP", "0012"), "an_nv", "en"),
            PersonSpec(2, "Trần: Thị", Role.DEPUTY, "0012", (), None, "vi"),
        ),
    )
    assert parse_org(dump_org(spec)) == spec


def test_sections_are_kept_through_dump() -> None:
    text = (
        ROSTER
        + "policy:\n  due_soon_days: [3, 1]\n  escalate_from_urge: 4\n"
        + "calendar:\n  days_off: [2026-12-31]\n  working_days:\n    - 2027-02-13\n"
        + "reports:\n  weekly: thursday\n"
    )
    spec = parse_org(text)
    # Dates are kept as ISO text: the sections are stored as JSON.
    assert spec.extra == {
        "policy": {"due_soon_days": [3, 1], "escalate_from_urge": 4},
        "calendar": {"days_off": ["2026-12-31"], "working_days": ["2027-02-13"]},
        "reports": {"weekly": "thursday"},
    }
    again = parse_org(dump_org(spec))
    assert again == spec
    assert again.extra == spec.extra


def test_minimal_files() -> None:
    assert parse_org("units: []\n") == OrgSpec()
    assert parse_org("leadership_chat: -1001\n") == OrgSpec(leadership_chat=-1001)
    assert parse_org(dump_org(OrgSpec())) == OrgSpec()


def test_codes_are_matched_case_insensitively() -> None:
    spec = parse_org(
        "units:\n  - code: TCKH\n    name: A\n"
        "people:\n  - telegram_id: 1\n    name: X\n    role: head\n    unit: tckh\n"
    )
    assert spec.people[0].unit == "tckh"


# --- refusals, with exact lines ---------------------------------------------------------------


def test_bad_yaml() -> None:
    assert problems("units:\n  - code: A\n name: x\n") == [
        "org.yaml:3: not valid YAML (expected <block end>, but found '<block mapping start>')"
    ]


def test_tab_indentation_is_bad_yaml() -> None:
    assert problems("units:\n\t- code: A\n") == [
        "org.yaml:2: not valid YAML (found character '\\t' that cannot start any token)"
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    assert problems(text) == ["org.yaml:1: the file is empty"]


def test_top_level_must_be_a_mapping() -> None:
    assert problems("- TCKH\n- QLDT\n") == ["org.yaml:1: the file must be a mapping (key: value)"]


def test_unknown_role() -> None:
    text = (
        "units:\n  - code: A\n    name: A\n"
        "people:\n  - telegram_id: 1\n    name: X\n    role: boss\n"
    )
    assert problems(text) == [
        "org.yaml:7: role 'boss' is not one of: "
        "chairman, vice_chairman, office, head, deputy, staff, admin"
    ]


def test_missing_role() -> None:
    assert problems("people:\n  - telegram_id: 1\n    name: X\n") == [
        "org.yaml:2: a person needs a role, one of: "
        "chairman, vice_chairman, office, head, deputy, staff, admin"
    ]


@pytest.mark.parametrize("role", ["head", "deputy", "staff"])
def test_unit_role_without_unit(role: str) -> None:
    text = f"units: []\npeople:\n  - name: X\n    telegram_id: 1\n    role: {role}\n"
    assert problems(text) == [
        f"org.yaml:3: a person with role {role} needs a unit, like 'unit: KTHT'"
    ]


def test_unit_not_in_file() -> None:
    text = (
        "units:\n  - code: A\n    name: A\n"
        "people:\n  - telegram_id: 1\n    name: X\n    role: head\n    unit: B\n"
    )
    assert problems(text) == ["org.yaml:8: unit 'B' is not among the units of this file"]


def test_duplicate_unit_code_case_insensitive() -> None:
    text = "units:\n  - code: TCKH\n    name: A\n  - code: tckh\n    name: B\n"
    assert problems(text) == ["org.yaml:4: unit code 'tckh' appears twice"]


def test_bad_unit_code() -> None:
    assert problems("units:\n  - code: T C\n    name: A\n") == [
        "org.yaml:2: code 'T C' must be letters, digits, - or _ (max 32)"
    ]


def test_unit_without_code_or_name() -> None:
    assert problems("units:\n  - name: A\n  - code: B\n") == [
        "org.yaml:2: a unit needs a code, like 'code: KTHT'",
        "org.yaml:3: a unit needs a name, like 'name: Phòng Kinh tế, Hạ tầng và Đô thị'",
    ]


def test_duplicate_telegram_id() -> None:
    text = (
        "people:\n"
        "  - telegram_id: 1\n    name: X\n    role: chairman\n"
        "  - telegram_id: 1\n    name: Y\n    role: office\n"
    )
    assert problems(text) == ["org.yaml:5: telegram_id 1 appears twice"]


def test_duplicate_chat() -> None:
    text = (
        "units:\n"
        "  - code: A\n    name: A\n    chat: -1001000000010\n"
        "  - code: B\n    name: B\n    chat: -1001000000010\n"
    )
    assert problems(text) == ["org.yaml:7: chat -1001000000010 is already the chat of A"]


def test_leadership_chat_is_a_unit_chat() -> None:
    text = "leadership_chat: -100\nunits:\n  - code: A\n    name: A\n    chat: -100\n"
    assert problems(text) == ["org.yaml:1: leadership_chat is also a unit's chat"]


@pytest.mark.parametrize("value", ["abc", "1.5", "true", "'-100'", "[1]"])
def test_non_integer_chat(value: str) -> None:
    text = f"units:\n  - code: A\n    name: A\n    chat: {value}\n"
    assert problems(text) == [
        "org.yaml:4: chat must be a whole number (a Telegram id, like -1001000000010)"
    ]


def test_non_integer_telegram_id_and_leadership_chat() -> None:
    text = (
        "leadership_chat: lanh dao\npeople:\n  - telegram_id: abc\n    name: X\n    role: admin\n"
    )
    assert problems(text) == [
        "org.yaml:1: leadership_chat must be a whole number (a Telegram id, like -1001000000010)",
        "org.yaml:3: telegram_id must be a whole number (a Telegram id, like 900001)",
    ]


@pytest.mark.parametrize("role", ["chairman", "office", "head", "admin"])
def test_supervises_on_a_non_vice_chairman(role: str) -> None:
    text = (
        "units:\n  - code: A\n    name: A\n"
        f"people:\n  - telegram_id: 1\n    name: X\n    role: {role}\n    unit: A\n"
        "    supervises: [A]\n"
    )
    assert problems(text) == ["org.yaml:9: only a vice_chairman supervises units"]


def test_supervises_block_list_is_reported_on_the_key_line() -> None:
    text = (
        "units:\n  - code: A\n    name: A\n"
        "people:\n  - telegram_id: 1\n    name: X\n    role: office\n"
        "    supervises:\n      - A\n"
    )
    assert problems(text) == ["org.yaml:8: only a vice_chairman supervises units"]


def test_supervised_unit_not_in_file() -> None:
    text = (
        "units:\n  - code: A\n    name: A\n"
        "people:\n  - telegram_id: 1\n    name: X\n    role: vice_chairman\n"
        "    supervises: [A, B]\n"
    )
    assert problems(text) == ["org.yaml:8: supervised unit 'B' is not in this file"]


def test_unknown_top_level_key() -> None:
    assert problems("units: []\nleaders: -100\n") == [
        "org.yaml:2: unknown key 'leaders' "
        "(expected leadership_chat, units, people, policy, calendar, reports, name, place)"
    ]


def test_unknown_top_level_key_with_a_block_value_is_reported_on_its_own_line() -> None:
    assert problems("units: []\nsettings:\n  a: 1\n") == [
        "org.yaml:2: unknown key 'settings' "
        "(expected leadership_chat, units, people, policy, calendar, reports, name, place)"
    ]


def test_unknown_keys_in_a_unit_and_a_person_point_at_the_key() -> None:
    text = (
        "units:\n  - code: A\n    name: A\n    colour: red\n"
        "people:\n  - telegram_id: 1\n    name: X\n    role: chairman\n    phone: 0900\n"
    )
    assert problems(text) == [
        "org.yaml:4: unknown key 'colour' in a unit (expected code, name, aliases, chat)",
        "org.yaml:9: unknown key 'phone' in a person "
        "(expected telegram_id, name, role, unit, supervises, username, language)",
    ]


def test_duplicate_key() -> None:
    assert problems("units: []\nunits: []\n") == ["org.yaml:2: duplicate key 'units'"]


def test_wrong_shapes() -> None:
    text = "units: TCKH\npeople: {a: 1}\n"
    assert problems(text) == [
        "org.yaml:1: units must be a list of units, each starting with '- code:'",
        "org.yaml:2: people must be a list, each starting with '- telegram_id:'",
    ]


def test_bad_language() -> None:
    text = "people:\n  - telegram_id: 1\n    name: X\n    role: chairman\n    language: fr\n"
    assert problems(text) == ["org.yaml:5: language must be vi or en"]


def test_multiple_problems_are_reported_together_in_file_order() -> None:
    text = (
        "units:\n"  # 1
        "  - code: A\n"  # 2
        "    name: A\n"  # 3
        "    chat: x\n"  # 4
        "  - code: A\n"  # 5
        "    name: B\n"  # 6
        "people:\n"  # 7
        "  - telegram_id: 1\n"  # 8
        "    name: X\n"  # 9
        "    role: boss\n"  # 10
        "  - telegram_id: 2\n"  # 11
        "    name: Y\n"  # 12
        "    role: head\n"  # 13
        "  - telegram_id: 2\n"  # 14
        "    name: Z\n"  # 15
        "    role: staff\n"  # 16
        "    unit: C\n"  # 17
        "extra: 1\n"  # 18
    )
    assert problems(text) == [
        "org.yaml:4: chat must be a whole number (a Telegram id, like -1001000000010)",
        "org.yaml:5: unit code 'A' appears twice",
        "org.yaml:10: role 'boss' is not one of: "
        "chairman, vice_chairman, office, head, deputy, staff, admin",
        "org.yaml:11: a person with role head needs a unit, like 'unit: KTHT'",
        "org.yaml:14: telegram_id 2 appears twice",
        "org.yaml:17: unit 'C' is not among the units of this file",
        "org.yaml:18: unknown key 'extra' "
        "(expected leadership_chat, units, people, policy, calendar, reports, name, place)",
    ]


def test_problems_are_said_in_vietnamese_by_default_and_in_english() -> None:
    """The command line prints them in DONDOC_LANGUAGE (vi unless set): catalog keys roster.*."""
    text = (
        "units:\n"  # 1
        "  - code: A\n"  # 2
        "    name: A\n"  # 3
        "    chat: x\n"  # 4
        "people:\n"  # 5
        "  - telegram_id: 2\n"  # 6
        "    name: Y\n"  # 7
        "    role: head\n"  # 8
        "policy:\n"  # 9
        "  due_today: 3\n"  # 10
        "calendar:\n"  # 11
        "  days_off: 2026-12-31\n"  # 12
        "reports:\n"  # 13
        "  count_against: luon\n"  # 14
    )
    with pytest.raises(OrgFileError) as caught:
        parse_org(text, NAME)
    assert caught.value.lines("vi") == [
        "org.yaml:4: chat phải là số nguyên (mã Telegram, ví dụ -1001000000010)",
        "org.yaml:6: cán bộ có vai trò head cần ghi đơn vị, ví dụ “unit: KTHT”",
        "org.yaml:9: policy.due_today phải là true hoặc false",
        "org.yaml:11: calendar.days_off phải là danh sách ngày dạng 2026-12-31",
        "org.yaml:13: reports.count_against phải là một trong: in_force, original",
    ]
    assert (
        caught.value.lines("en")
        == caught.value.problems
        == [
            "org.yaml:4: chat must be a whole number (a Telegram id, like -1001000000010)",
            "org.yaml:6: a person with role head needs a unit, like 'unit: KTHT'",
            "org.yaml:9: policy.due_today must be true or false",
            "org.yaml:11: calendar.days_off must be a list of dates like 2026-12-31",
            "org.yaml:13: reports.count_against must be one of: in_force, original",
        ]
    )
    for said in (caught.value.lines("vi"), caught.value.lines("en")):
        assert all("{" not in line for line in said)
    with pytest.raises(OrgFileError) as caught:
        parse_org("units: [\n", NAME)
    [line] = caught.value.lines("vi")
    assert line.startswith("org.yaml:2: không đúng cú pháp YAML (")


def test_warnings_are_said_in_either_language() -> None:
    text = "units:\n  - code: KT\n    name: Phòng Kinh tế\n  - code: BKT\n    name: Ban Kinh tế\n"
    [warning] = parse_org(text, NAME).warnings
    assert warning.said("vi") == (
        "org.yaml:5: “kinh te” là tên gọi chung của KT (Phòng Kinh tế) và BKT (Ban Kinh tế) khi"
        " bỏ dấu và bỏ chữ “Phòng”, “Ban”: lệnh ghi tên này sẽ hỏi lại là đơn vị nào (nên ghi mã)"
    )
    assert warning.said("en") == warning and warning.startswith("org.yaml:5: 'kinh te' names both")
    for copied in (copy.deepcopy(warning), pickle.loads(pickle.dumps(warning))):
        assert copied == warning and copied.said("vi") == warning.said("vi")


# --- reading from disk ------------------------------------------------------------------------


def test_read_org_file(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(ROSTER, encoding="utf-8")
    assert read_org_file(path) == parse_org(ROSTER)


def test_read_org_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text("units: []\nfoo: 1\n", encoding="utf-8")
    with pytest.raises(OrgFileError) as caught:
        read_org_file(path)
    assert caught.value.problems[0].startswith(f"{path}:2: unknown key 'foo'")


def test_read_org_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes(b"units: []\n# Ph\xf2ng\n")  # Latin-1, not UTF-8
    with pytest.raises(OrgFileError) as caught:
        read_org_file(path)
    assert caught.value.problems == [f"{path}:1: not UTF-8 text"]


def test_read_org_file_missing(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    with pytest.raises(OrgFileError) as caught:
        read_org_file(path)
    assert caught.value.problems == [f"{path}: cannot read (no such file or folder)"]


def test_one_name_for_two_units_is_refused() -> None:
    text = (
        "units:\n"
        "  - code: TCKH\n    name: Phòng Tài chính - Kế hoạch\n    aliases: [TC-KH]\n"
        "  - code: QLDT\n    name: Phòng Quản lý đô thị\n    aliases: [tc kh, QLĐT]\n"
        "  - code: VP\n    name: phong quan ly do thi\n"
    )
    assert problems(text) == [
        "org.yaml:7: 'tc kh' already names unit TCKH",
        "org.yaml:9: 'phong quan ly do thi' already names unit QLDT",
    ]


def test_the_committees_name_and_place_head_the_file() -> None:
    spec = parse_org("name: UBND phường Hoàn Kiếm\nplace: Hoàn Kiếm\nunits: []\n")
    assert spec.extra == {"name": "UBND phường Hoàn Kiếm", "place": "Hoàn Kiếm"}
    text = dump_org(spec)
    assert text.startswith("name: UBND phường Hoàn Kiếm\nplace: Hoàn Kiếm\n")
    assert parse_org(text) == spec
    with pytest.raises(OrgFileError) as caught:
        parse_org("name: [UBND]\nunits: []\n", "ds.yaml")
    assert caught.value.problems == ["ds.yaml:1: name must be text"]
