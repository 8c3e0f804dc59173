"""Finding an item's deadline anywhere in its text, with bot/calendar/deadline.py's grammar.

A deadline starts at a word that announces one ("hoàn thành", "trước", "chậm nhất", "thời hạn",
"trong", "không quá", "đến hết", "thời gian thực hiện:" …). From each such word the longest run
of words that ``parse_deadline`` reads is the phrase, so what follows the date ("để tổng hợp",
"theo quy định", "./.") never hides it. When an item holds several, the last one wins: the final
step ("…, báo cáo UBND quận trước ngày 20/12") is what the unit answers for.

"kể từ ngày ban hành/ký (văn bản này)" counts from the document's date; "kể từ ngày nhận đủ hồ
sơ" counts from an event nobody can date, so it is flagged unreadable, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.calendar.deadline import DeadlineError, DeadlineErrorCode, parse_deadline
from bot.calendar.workdays import WorkCalendar
from bot.intake.roles import Token, tokenize
from bot.patterns import lazy

_MARKERS = (
    "thoi gian thuc hien",
    "thoi gian hoan thanh",
    "thoi han hoan thanh",
    "thoi han",
    "han chot",
    "han",
    "hoan thanh",
    "xong",
    "truoc",
    "cham nhat",
    "muon nhat",
    "trong",
    "khong qua",
    "den het",
    "den ngay",
    "tu nay den",
)
# Words that cannot end a deadline when a lowercase word follows ("trong năm học", "trong tuần
# tra"): the phrase was cut in the middle of a noun.
_OPEN_ENDS = frozenset({"tuan", "thang", "quy", "nam", "ngay"})
_CONTINUATIONS = frozenset({"nay", "sau", "toi", "ke", "truoc"})
_MAX_WORDS = 20
_OPENERS = frozenset(
    {"thoi gian thuc hien", "thoi gian hoan thanh", "thoi han hoan thanh", "tu nay den"}
)
_SINCE = lazy(r"\s(?:ke|tinh)\s+tu\s+(?P<anchor>.*)$")
_DOCUMENT_ANCHOR = lazy(
    r"(?:ngay\s+)?(?:ban\s+hanh|ky)(?:\s+(?:van\s+ban|thong\s+bao|cong\s+van|ket\s+luan)"
    r"(?:\s+nay)?)?"
    r"|(?:ngay\s+)?nhan\s+duoc\s+(?:van\s+ban|thong\s+bao|cong\s+van|ket\s+luan)\s+nay"
)
_NO_DEADLINE = lazy(r"\b(?:thuong\s+xuyen|khong\s+(?:co\s+)?thoi\s+han)\b")
_URGENT = lazy(r"\b(?:khẩn trương|khan truong|hỏa tốc|ngay)\b", re.IGNORECASE)
_WEEKDAY_WORDS = ("thứ", "chủ nhật")


@dataclass(frozen=True, slots=True)
class FoundDeadline:
    start: int  # where the phrase starts in the item's text
    end: int
    text: str  # as written
    due: datetime | None  # None when unreadable
    written_day: date | None  # the day as written, before the art. 148 roll
    past: bool = False  # before the reference moment (the document's date)
    unreadable: bool = False


def is_standing(text: str, folded: str) -> bool:
    """ "thường xuyên", "không thời hạn": a task without a deadline, on purpose."""
    return _NO_DEADLINE.search(folded) is not None


def is_urgent(text: str) -> bool:
    # "ngay" without accents is "ngày" typed badly as often as "ngay"; only accented text counts.
    for m in _URGENT.finditer(text):
        word = m.group(0).lower()
        if word == "ngay" and not _is_accented_context(text):
            continue
        return True
    return False


def _is_accented_context(text: str) -> bool:
    return not text.isascii()


def _clause_words(tokens: list[Token], i: int) -> list[Token]:
    out: list[Token] = []
    for token in tokens[i : i + _MAX_WORDS]:
        if token.text in (";", "."):
            break
        out.append(token)
    return out


def _marker_at(tokens: list[Token], i: int) -> int:
    for marker in _MARKERS:
        n = marker.count(" ") + 1
        if " ".join(t.folded for t in tokens[i : i + n]) == marker:
            return n
    return 0


def find_deadlines(
    text: str, ref: datetime, cal: WorkCalendar, issued: date | None
) -> list[FoundDeadline]:
    """Every deadline phrase in ``text``, in order; overlapping candidates keep the longest."""
    tokens = tokenize(text)
    found: list[FoundDeadline] = []
    i = 0
    while i < len(tokens):
        n = _marker_at(tokens, i)
        if n == 0 or (tokens[i].folded == "han" and _not_a_deadline_han(tokens, i)):
            i += 1
            continue
        hit = _longest_at(text, tokens, i, n, ref, cal, issued)
        if hit is None:
            i += 1
            continue
        found.append(hit)
        i = next((k for k, t in enumerate(tokens) if t.start >= hit.end), len(tokens))
    return found


def _not_a_deadline_han(tokens: list[Token], i: int) -> bool:
    before = tokens[i - 1].text.lower() if i > 0 else ""
    return before in ("gia", "quá", "kỳ", "kì", "đúng", "trễ", "chậm", "thời", "hạn", "giới")


def _longest_at(
    text: str,
    tokens: list[Token],
    i: int,
    marker_words: int,
    ref: datetime,
    cal: WorkCalendar,
    issued: date | None,
) -> FoundDeadline | None:
    words = _clause_words(tokens, i)
    # parse_deadline knows "trước", "hoàn thành", "trong", …; these openers it does not.
    skip = marker_words if " ".join(t.folded for t in words[:marker_words]) in _OPENERS else 0
    for k in range(len(words), marker_words, -1):
        last = words[k - 1]
        if last.text in ",:(":
            continue
        if last.folded in _OPEN_ENDS and k < len(words):
            following = words[k].folded
            if following not in _CONTINUATIONS and following.isalpha():
                continue
        phrase = text[words[0].start : last.end]
        parse_from = words[skip].start if skip < k else words[0].start
        folded_phrase = " ".join(t.folded for t in words[:k] if t.text not in ",:()")
        core = " ".join(t.text.lower() for t in words[marker_words:k] if t.text not in ",:()")
        if core in ("ngay", "ngay lập tức"):
            return None  # "hoàn thành ngay": urgency, not a date ("trong ngày" is one)
        to_parse = text[parse_from : last.end]
        since = _SINCE.search(" " + folded_phrase)
        if since is not None:
            if not _DOCUMENT_ANCHOR.match(since.group("anchor").strip()):
                # Counted from an event ("kể từ ngày nhận đủ hồ sơ"): no date can be given.
                return FoundDeadline(words[0].start, last.end, phrase, None, None, unreadable=True)
            cut = _cut_before_since(text, words[skip:k])
            if cut is None:
                continue
            to_parse = cut
        try:
            parsed = parse_deadline(to_parse, ref, cal)
        except DeadlineError as error:
            result = _from_error(error, phrase, words[0].start, last.end, cal)
            if result is not None:
                return result
            continue
        if parsed.due is None:
            continue  # "thường xuyên" is read on its own
        day = parsed.rolled_from or parsed.due.date()
        return FoundDeadline(words[0].start, last.end, phrase, parsed.due, day)
    return None


def _cut_before_since(text: str, words: list[Token]) -> str | None:
    for k, token in enumerate(words):
        if token.folded in ("ke", "tinh") and k + 1 < len(words) and words[k + 1].folded == "tu":
            return text[words[0].start : words[k - 1].end] if k > 0 else None
    return None


def _from_error(
    error: DeadlineError, phrase: str, start: int, end: int, cal: WorkCalendar
) -> FoundDeadline | None:
    if error.code is DeadlineErrorCode.UNREADABLE:
        return None
    if error.code is DeadlineErrorCode.PAST or (
        error.code is DeadlineErrorCode.AMBIGUOUS and "next" in error.params
    ):
        # Before the document's date: the writer meant a day that has passed (or slipped).
        # The day is kept and flagged, never moved a year on silently.
        day = _day_of(error.params["date"])
        if day is None:
            return None
        due = cal.close_of(cal.roll(day))
        return FoundDeadline(start, end, phrase, due, day, past=True)
    return FoundDeadline(start, end, phrase, None, None, unreadable=True)


def _day_of(written: str) -> date | None:
    try:
        day, month, year = (int(p) for p in written.split("/"))
        return date(year, month, day)
    except ValueError:
        return None
