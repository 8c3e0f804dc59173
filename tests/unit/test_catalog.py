"""The message catalog read mechanically: what a reviewer checked by eye once, kept true.

Both languages for every key with the same placeholders; the Vietnamese addresses people as
"đồng chí" (never "bạn"), quotes with “ ”, spells tones the way official documents do ("hủy",
not "huỷ"), uses one word for one idea ("quá hạn", not "trễ hạn"), and holds no stray English.
"""

from __future__ import annotations

import re
import string

import pytest

from bot.sandbox.demo import DEMO_ROSTER
from bot.text.catalog import COMMANDS, EXAMPLE_UNITS, LANGUAGES, M, t

KEYS = sorted(M)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def visible(template: str) -> str:
    """What a reader sees as prose: without <code>…</code> (commands, paths, examples typed as
    they are), HTML tags and placeholders."""
    text = re.sub(r"<code>.*?</code>", " ", template, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\{[a-z_0-9]*\}", " ", text)


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    for key in KEYS:
        entry = M[key]
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert fields(entry["vi"]) == fields(entry["en"]), key
        # t(key, lang, **params) could not be given these.
        assert not fields(entry["vi"]) & {"key", "lang"}, key


def test_every_message_renders_with_its_placeholders_filled() -> None:
    for key in KEYS:
        for lang in LANGUAGES:
            params = {name: "X" for name in fields(M[key][lang])}
            assert "{" not in t(key, lang, **params).replace("{{", ""), (key, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_html_tags_are_balanced(lang: str) -> None:
    for key in KEYS:
        text = M[key][lang]
        for tag in ("b", "i", "code", "a"):
            opened = len(re.findall(rf"<{tag}[ >]", text))
            assert opened == text.count(f"</{tag}>"), (key, lang, tag)


def test_the_vietnamese_never_says_ban() -> None:
    found = [key for key in KEYS if re.search(r"\bbạn\b", M[key]["vi"], re.IGNORECASE)]
    assert found == []


def test_quotes_are_vietnamese_curly_quotes() -> None:
    for key in KEYS:
        for lang in LANGUAGES:
            text = M[key][lang]
            assert "«" not in text and "»" not in text, (key, lang)
            prose = re.sub(r"<[^>]+>", "", text)
            assert '"' not in prose, (key, lang)
        assert "'" not in re.sub(r"<[^>]+>", "", M[key]["vi"]), key


# Tone marks placed as official documents place them (Nghị định 30/2020: "hòa", "hủy"): the
# newer placement on the second vowel of oa, oe, uy mixes two styles in one message.
NEW_STYLE_TONE = re.compile(r"(?<![qQ])(?:[oO][áàảãạéèẻẽẹ]|[uU][ýỳỷỹỵ])(?![^\W\d_])")


def test_tone_marks_follow_one_style() -> None:
    found = [(key, m.group()) for key in KEYS for m in NEW_STYLE_TONE.finditer(M[key]["vi"])]
    assert found == []


def test_the_style_checks_catch_what_they_look_for() -> None:
    assert NEW_STYLE_TONE.search("Đã huỷ dự thảo") and NEW_STYLE_TONE.search("hoà giải")
    assert not NEW_STYLE_TONE.search("Đã hủy, hòa giải, quý IV, hoàn thành, thủy lợi, khỏe")
    assert re.search(r"\bbạn\b", "Bạn là: Chủ tịch", re.IGNORECASE)
    assert not re.search(r"\bbạn\b", "ban hành", re.IGNORECASE)
    assert ENGLISH.search(visible("Xin lỗi, please gửi lại")) is not None
    assert ENGLISH.search(visible("Ví dụ <code>/moi KTHT head</code>")) is None


# One idea, one word: the terms of the reports and of the lifecycle (domain.md).
DISCOURAGED = {
    "trễ": "quá hạn",
    "hạn chót": "hạn / thời hạn",
    "deadline": "thời hạn",
    "nhiệm vụ con": "—",
    "xoá": "xóa",
}


def test_instructions_are_plain_not_hay() -> None:
    # The ward's messages ask plainly ("Ghi mã đơn vị …") or address "đồng chí"; "Hãy …"
    # orders the reader about.
    assert [key for key in KEYS if re.search(r"\bhãy\b", M[key]["vi"], re.IGNORECASE)] == []


def test_one_word_for_one_idea() -> None:
    found = [
        (key, word)
        for key in KEYS
        for word in DISCOURAGED
        if re.search(rf"\b{word}\b", visible(M[key]["vi"]), re.IGNORECASE)
    ]
    assert found == []


# English words that have no business in Vietnamese prose (commands, codes and examples inside
# <code> are left out, and so are the role arguments of /moi and the names of settings).
ENGLISH = re.compile(
    r"\b(?:the|and|please|you|your|task|tasks|unit|units|deadline|report|error|not|with|from"
    r"|this|that|cannot|failed|file|sorry|done|late|overdue|reminder|week|month|click)\b",
    re.IGNORECASE,
)
# Keys whose Vietnamese holds words a person types or sees in English on purpose.
ENGLISH_ALLOWED = {
    "programme.yes_words",  # the answers the prompt takes, English ones included
    "settings.log_level",  # the level names DONDOC_LOG_LEVEL takes (DEBUG … ERROR)
    "settings.visibility",  # the values DONDOC_VISIBILITY takes (public, unit)
    "roster.units_not_list",  # the roster file's keys, written as they are in the file
    "roster.person_no_unit",
}
# The command lines `dondoc` gives as examples (cli.example.*): commands as they are typed.
ENGLISH_ALLOWED |= {key for key in M if key.startswith("cli.example.")}


def test_no_english_words_in_the_vietnamese() -> None:
    found = [
        (key, m.group())
        for key in KEYS
        if key not in ENGLISH_ALLOWED
        for m in ENGLISH.finditer(visible(M[key]["vi"]))
    ]
    assert found == []


def test_the_command_menu_is_the_same_in_both_languages() -> None:
    assert [c for c, _ in COMMANDS["vi"]] == [c for c, _ in COMMANDS["en"]]


def test_the_stand_in_unit_codes_are_units_of_the_demo_ward() -> None:
    """Shown while a roster has no units yet: copied into the sandbox, they must work."""
    codes = set(re.findall(r"^  - code: (\S+)$", DEMO_ROSTER, re.M))
    for value in EXAMPLE_UNITS.values():
        assert set(value.split(",")) <= codes, value


def test_english_counts_agree_with_their_nouns() -> None:
    assert t("nudge.overdue", "en", n=1, days=1) == "reminder 1 — 1 working day late"
    assert t("nudge.overdue", "en", n=2, days=3) == "reminder 2 — 3 working days late"
    # The slot gives the days as text.
    assert t("nudge.due_soon", "en", days="1") == "due soon (1 working day left)"
    assert t("draft.blocked", "en", count=1, lines="", n=1, example="").startswith(
        "⛔ Not assigned: 1 item needs correcting"
    )
    assert "(extended 1 time)" in t("card.original_due", "en", due="x", count=1)
    assert "(extended 2 times)" in t("card.original_due", "en", due="x", count=2)
    # Vietnamese nouns do not change with the count.
    assert "1 ngày làm việc" in t("nudge.overdue", "vi", n=1, days=1)


def test_no_english_message_hedges_a_plural() -> None:
    assert [key for key in KEYS if "(s)" in M[key]["en"]] == []
