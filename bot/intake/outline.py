"""The shape of an official document: its header (number, date, title) and its item blocks.

Officials number items "1.", "2)", "a)", "I." and bullet them with "-", "+", "•"; a level is the
order in which a marker kind first appears (a notice may bullet its top level with "+" and number
the next). Blocks that are not tasks (the addressees after "Kính gửi", the distribution list after
"Nơi nhận", the closing "Trên đây là …") are left out here; whether a block is a task is decided
by the reader, which knows the units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.domain.unitnames import fold
from bot.patterns import LazyPattern, lazy

_MARKERS: tuple[tuple[str, LazyPattern], ...] = (
    ("roman", lazy(r"(?P<m>[IVX]{1,4})[.)]\s+")),
    ("number", lazy(r"(?P<m>[0-9]{1,2}(?:\.[0-9]{1,2})*)(?:\.\)|[.)])\s+")),
    ("letter", lazy(r"(?P<m>[a-zđ])[.)]\s+")),
    ("dash", lazy(r"[-–—]\s+")),
    ("plus", lazy(r"\+\s+")),
    ("dot", lazy(r"[•●▪◦*]\s*")),
)
_BLOCK_START = lazy(r"(?:kinh\s+gui|noi\s+nhan)\b")
_CLOSING = lazy(
    r"(?:tren\s+day\s+la|nhan\s+duoc\s+(?:cong\s+van|thong\s+bao|van\s+ban)"
    r"|(?:tl|kt|tm|tuq)\s+\.?\s*chu\s+tich)"
)
_CLOSING_ANYWHERE = lazy(r"\bthong\s+bao\s+(?:de|den)\b.*\b(?:biet|thuc\s+hien)\b")


@dataclass(frozen=True, slots=True)
class Header:
    number: str | None
    issued: date | None
    title: str | None


@dataclass
class Block:
    """A numbered, bulleted or plain block of the body, with the blocks nested under it."""

    number: str  # as written ("1", "a", "II"), "" for a bullet or a plain paragraph
    text: str
    kind: str  # a marker kind from _MARKERS, or "para"
    heading: bool = False  # written in capitals ("I. ĐÁNH GIÁ CHUNG")
    children: list[Block] = field(default_factory=list)


# -- header -------------------------------------------------------------------------------------

_NUMBER_LINE = lazy(r"^\s*s[ốo]\s*[:.]?\s*(?P<n>[0-9]+[^\s,;]*/[^\s,;]+)", re.I | re.M)
_NUMBER_INLINE = lazy(
    r"(?:th[ôo]ng\s+b[áa]o|k[ếe]t\s+lu[ậa]n|c[ôo]ng\s+v[ăa]n|v[ăa]n\s+b[ảa]n)\s+s[ốo]\s+"
    r"(?P<n>[0-9]+[^\s,;]*/[^\s,;]+)(?:\s+ng[àa]y\s+(?P<d>[0-9]{1,2})\s*[/.-]\s*(?P<m>[0-9]{1,2})"
    r"\s*[/.-]\s*(?P<y>[0-9]{4}))?",
    re.I,
)
# "Hòa Bình, ngày 26 tháng 11 năm 2026": a place, a comma, then the date.
_PLACE_DATE = lazy(
    r",\s*ng[àa]y\s+(?P<d>[0-9]{1,2})\s*(?:th[áa]ng\s+(?P<m>[0-9]{1,2})\s+n[ăa]m\s+(?P<y>[0-9]{4})"
    r"|[/.-]\s*(?P<m2>[0-9]{1,2})\s*[/.-]\s*(?P<y2>[0-9]{4}))",
    re.I,
)
_KINDS = ("thong bao", "ket luan", "cong van", "chi thi", "ke hoach", "bao cao", "quyet dinh")


def _safe_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def read_header(lines: list[str]) -> Header:
    """Number, date and title from the lines before the first item."""
    text = "\n".join(lines)
    number: str | None = None
    issued: date | None = None
    if (m := _NUMBER_LINE.search(text)) is not None:
        number = m.group("n").rstrip(".")
    inline = _NUMBER_INLINE.search(text)
    if inline is not None:
        if number is None:
            number = inline.group("n").rstrip(".")
        if number == inline.group("n").rstrip(".") and inline.group("d"):
            issued = _safe_date(inline.group("y"), inline.group("m"), inline.group("d"))
    if issued is None and (m := _PLACE_DATE.search(text)) is not None:
        issued = _safe_date(
            m.group("y") or m.group("y2"), m.group("m") or m.group("m2"), m.group("d")
        )
    return Header(number, issued, _title(lines))


def _title(lines: list[str]) -> str | None:
    stripped = [line.strip() for line in lines]
    for i, line in enumerate(stripped):
        folded = fold(line)
        if folded in _KINDS and line.isupper():
            parts: list[str] = []
            for nxt in stripped[i + 1 :]:
                if not nxt:
                    if parts:
                        break
                    continue
                parts.append(nxt)
            if not parts:
                continue
            title = " ".join(parts)
            if title[:1].islower():  # "KẾT LUẬN" / "của Chủ tịch …" reads as one title
                title = line.capitalize() + " " + title
            return title.rstrip(":").strip()
        for kind in _KINDS:
            if folded.startswith(kind + " ") and line[: len(kind)].isupper():
                return line[len(kind) :].strip().rstrip(":")  # "THÔNG BÁO Kết luận …"
    for line in stripped:
        folded = fold(line)
        if folded.startswith(("ket luan", "thong bao ket luan", "y kien ket luan")):
            return line.rstrip(":").strip()
        if folded.startswith("v v "):
            return line[4:].strip()
    return None


# -- body ---------------------------------------------------------------------------------------


def _marker(line: str) -> tuple[str, str, str] | None:
    for kind, pattern in _MARKERS:
        m = pattern.match(line)
        if m is None:
            continue
        rest = line[m.end() :]
        if not rest.strip():
            continue
        if kind == "letter" and not rest[:1].isalpha():
            continue
        number = m.groupdict().get("m") or ""
        return kind, number, rest
    return None


def _is_heading(text: str) -> bool:
    letters = [c for c in text.split(":")[0] if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def split_document(text: str) -> tuple[list[str], list[Block]]:
    """(header lines, top-level blocks).

    The header runs until the first item marker or the first plain paragraph that is neither
    part of the title block, a number or date line, nor an introduction ending with ":".
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kinds: list[str] = []
    roots: list[Block] = []
    stack: list[tuple[int, Block]] = []
    current: Block | None = None
    skipping = False
    paragraph_break = True
    in_header = True
    in_title = False
    header: list[str] = []
    for raw in lines:
        line = raw.strip()
        folded = fold(line)
        if not line:
            paragraph_break = True
            skipping = False
            in_title = False
            if current is not None and current.kind == "para":
                current = None
            continue
        if _BLOCK_START.match(folded):
            skipping = True
            current = None
            stack.clear()
            continue
        if skipping:
            continue
        if _CLOSING.match(folded):
            current = None
            stack.clear()
            paragraph_break = True
            continue
        marked = _marker(line)
        if in_header and marked is None and (in_title or _header_line(line)):
            header.append(raw)
            in_title = in_title or (folded in _KINDS and line.isupper())
            continue
        in_header = False
        if marked is None:
            if current is not None and not paragraph_break:
                current.text += " " + line
                continue
            block = Block("", line, "para")
            stack.clear()  # a plain paragraph after the items is a sibling of the top level
            roots.append(block)
            current = block
            paragraph_break = False
            continue
        kind, number, rest = marked
        if kind not in kinds:
            kinds.append(kind)
        level = kinds.index(kind)
        block = Block(number, rest.strip(), kind, heading=_is_heading(rest))
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            stack[-1][1].children.append(block)
        else:
            roots.append(block)
        stack.append((level, block))
        current = block
        paragraph_break = False
    return header, roots


def _header_line(line: str) -> bool:
    folded = fold(line)
    if _is_heading(line) or folded.startswith("v v ") or "doc lap tu do hanh phuc" in folded:
        return True
    if _NUMBER_LINE.match(line) or _PLACE_DATE.search(line) or _NUMBER_INLINE.match(line):
        return True
    if folded.startswith(("ket luan", "thong bao ket luan", "y kien ket luan")):
        return True
    return line.rstrip().endswith(":")  # an introduction ("… kết luận như sau:")


def is_closing(text: str) -> bool:
    folded = fold(text)
    return bool(_CLOSING.match(folded) or _CLOSING_ANYWHERE.search(folded))
