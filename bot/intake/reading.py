"""Reading officials' writing: a conclusion notice or directive becomes a list of task items.

Pure and Telegram-free. What it cannot decide it flags on the item; it never guesses silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.calendar.deadline import DeadlineError, DeadlineErrorCode, extract_deadline
from bot.calendar.workdays import WorkCalendar
from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory, fold


@dataclass(frozen=True, slots=True)
class DocumentHeader:
    number: str | None = None  # "123/TB-UBND" (the "số/ký hiệu", without "Số:")
    issued: date | None = None  # "ngày 25 tháng 11 năm 2026", "ngày 25/11/2026"
    title: str | None = None  # "Kết luận của Chủ tịch UBND phường tại cuộc họp ..."


class Flag(StrEnum):
    NO_LEAD = "no_lead"  # no lead unit recognised
    AMBIGUOUS_UNIT = "ambiguous_unit"  # a phrase that names several units; detail: the phrase
    UNIT_CLASS = "unit_class"  # "các phòng, ban liên quan", "các đơn vị": someone must choose
    NO_DEADLINE = "no_deadline"  # none found ("thường xuyên" is a deadline: no flag)
    UNREADABLE_DEADLINE = "unreadable_deadline"  # a deadline phrase it could not read; detail
    PAST_DEADLINE = "past_deadline"  # the deadline has already passed; detail: dd/mm/yyyy
    BEFORE_DOCUMENT = "before_document"  # the deadline is before the document's date


@dataclass(frozen=True, slots=True)
class ItemFlag:
    code: Flag
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ReadItem:
    number: str  # as written, without punctuation: "1", "2", "a", "II.3"
    content: str  # the whole action as written (item marker stripped), never shortened
    lead: Unit | None
    cooperating: tuple[Unit, ...] = ()
    # The deadline: `due` is None with `no_deadline=True` for "thường xuyên"; None with
    # no_deadline=False when none was found or it could not be read (then flagged).
    due: datetime | None = None
    no_deadline: bool = False
    deadline_text: str | None = None  # the phrase as written ("trước ngày 05/12/2026")
    urgent: bool = False  # "khẩn trương", "ngay": marks urgency, never invents a date
    flags: tuple[ItemFlag, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ReadDocument:
    header: DocumentHeader
    items: tuple[ReadItem, ...]


def read_document(
    text: str, units: UnitDirectory, now: datetime, cal: WorkCalendar
) -> ReadDocument:
    """Every task item in `text`, with its lead unit, cooperating units and deadline.

    Relative deadlines ("không quá 10 ngày kể từ ngày ban hành") count from the document's date
    when the header carries one, otherwise from `now`. A past deadline is kept and flagged.
    """
    # A deliberately simple reader so the draft flow can be built and tested; the measured
    # reader (issue 9, point 2) replaces this body.
    local_now = cal.to_local(now)
    header, lines = _header(text)
    items: list[ReadItem] = []
    for number, content in _items(lines):
        items.append(_item(number, content, units, local_now, cal, header))
    return ReadDocument(header=header, items=tuple(items))


_ITEM_START = re.compile(r"^\s*(?:(?P<n>\d{1,3}|[a-zđ]|[IVX]{1,4})[.)]|[-+•])\s+(?P<rest>.+)$")
_NUMBER = re.compile(r"\bs[oố]\s*:?\s*(?P<n>\d+[/\w.\-&đĐ]*)", re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"ng[aà]y\s+(?P<d>\d{1,2})\s+th[aá]ng\s+(?P<m>\d{1,2})\s+n[aă]m\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_DATE_NUMS = re.compile(r"ng[aà]y\s+(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})", re.I)
_TITLE_START = ("kết luận", "thông báo", "về việc", "chỉ thị", "công văn")
_UNIT_CLASS = re.compile(r"\bcac (phong|don vi|ban|co quan)\b")
_URGENT = re.compile(r"\b(khan truong|ngay lap tuc)\b")


def _header(text: str) -> tuple[DocumentHeader, list[str]]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first_item = next((i for i, line in enumerate(lines) if _ITEM_START.match(line)), len(lines))
    head = lines[:first_item] if first_item < len(lines) else lines[:3]
    number = issued = title = None
    for line in head:
        if number is None and (m := _NUMBER.search(line)):
            number = m.group("n").rstrip(".,;")
        if issued is None and (m := _DATE_WORDS.search(line) or _DATE_NUMS.search(line)):
            try:
                issued = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                issued = None
        lowered = line.lower()
        if lowered.startswith(_TITLE_START) and (title is None or len(title) < len(line)):
            title = line.rstrip(":")
    body = lines[first_item:] if first_item < len(lines) else lines
    return DocumentHeader(number=number, issued=issued, title=title), body


def _items(lines: list[str]) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for line in lines:
        m = _ITEM_START.match(line)
        if m is not None:
            items.append((m.group("n") or str(len(items) + 1), m.group("rest").strip()))
        elif items:
            number, content = items[-1]
            items[-1] = (number, f"{content} {line}")
    if not items and lines:
        items.append(("1", " ".join(lines)))
    return items


def _item(
    number: str,
    content: str,
    units: UnitDirectory,
    now: datetime,
    cal: WorkCalendar,
    header: DocumentHeader,
) -> ReadItem:
    flags: list[ItemFlag] = []
    words = content
    folded = fold(content)
    if folded.startswith("giao "):
        words = content.split(" ", 1)[1]
    match = units.parse_list(words)
    lead: Unit | None = match.units[0] if match.units else None
    cooperating = tuple(match.units[1:])
    if lead is None:
        flags.append(ItemFlag(Flag.NO_LEAD))
    if (unit_class := _UNIT_CLASS.search(folded)) is not None:
        flags.append(ItemFlag(Flag.UNIT_CLASS, unit_class.group(0)))
    due: datetime | None = None
    no_deadline = False
    deadline_text = None
    try:
        _, parsed = extract_deadline(content.removesuffix("./.").strip(), now, cal)
    except DeadlineError as error:
        parsed = None
        if error.code is DeadlineErrorCode.PAST and "date" in error.params:
            day = datetime.strptime(error.params["date"], "%d/%m/%Y").date()
            due = cal.close_of(day)
            flags.append(ItemFlag(Flag.PAST_DEADLINE, error.params["date"]))
        else:
            flags.append(ItemFlag(Flag.UNREADABLE_DEADLINE, error.params.get("text", "")))
    if parsed is not None:
        due, no_deadline, deadline_text = parsed.due, parsed.due is None, parsed.text
        if due is not None and header.issued is not None and due.date() < header.issued:
            flags.append(ItemFlag(Flag.BEFORE_DOCUMENT, due.strftime("%d/%m/%Y")))
    elif not flags or all(f.code not in _DEADLINE_FLAGS for f in flags):
        flags.append(ItemFlag(Flag.NO_DEADLINE))
    return ReadItem(
        number=number,
        content=content,
        lead=lead,
        cooperating=cooperating,
        due=due,
        no_deadline=no_deadline,
        deadline_text=deadline_text,
        urgent=_URGENT.search(folded) is not None,
        flags=tuple(flags),
    )


_DEADLINE_FLAGS = frozenset({Flag.PAST_DEADLINE, Flag.UNREADABLE_DEADLINE, Flag.NO_DEADLINE})
