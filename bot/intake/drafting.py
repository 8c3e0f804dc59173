"""A draft task list (dự thảo giao việc) and the corrections people reply to it with.

Pure: the service loads and stores drafts; here they are read from a document, corrected line by
line ("2 đơn vị QLDT,TCKH", "3 hạn 20/12", "bỏ 4", "5 nội dung …", "thêm TCKH … hạn …") and
checked before confirmation. A reply with one bad line changes nothing: corrections are parsed
and applied as a whole or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.calendar.deadline import (
    DeadlineError,
    extract_deadline,
    parse_deadline,
)
from bot.calendar.workdays import WorkCalendar
from bot.domain.model import Attachment
from bot.domain.unitnames import UnitDirectory
from bot.intake.reading import DocumentHeader, Flag, ItemFlag, ReadDocument
from bot.patterns import lazy

DRAFT_HOURS = 24
UNIT_FLAGS = frozenset({Flag.NO_LEAD, Flag.AMBIGUOUS_UNIT, Flag.UNIT_CLASS, Flag.OUTSIDE_UNIT})
# Shown on the item's line but never stopping confirmation: the lead answers for the task, and
# bodies outside the ward's roster (the tax office, the Fatherland Front) cooperate in most real
# conclusions without being users of the bot.
NOTE_FLAGS = frozenset({Flag.OUTSIDE_UNIT})
DEADLINE_FLAGS = frozenset(
    {
        Flag.NO_DEADLINE,
        Flag.UNREADABLE_DEADLINE,
        Flag.PAST_DEADLINE,
        Flag.BEFORE_DOCUMENT,
    }
)


class DraftState(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # closed by the due-scan once past expires_at, its buttons removed


@dataclass(frozen=True, slots=True)
class DraftItem:
    n: int  # the number shown on the draft; kept when other items are removed or added
    content: str
    lead_id: int | None
    cooperating_ids: tuple[int, ...] = ()
    due: datetime | None = None
    no_deadline: bool = False  # "thường xuyên": a deadline of its own kind
    deadline_text: str | None = None
    urgent: bool = False
    flags: tuple[ItemFlag, ...] = ()
    written_day: date | None = None  # the deadline's day as written, when a day off moved it

    def rolled_from(self, tz: ZoneInfo) -> date | None:
        """The day as written when the deadline was moved off a day off, else None."""
        if self.due is None or self.written_day is None:
            return None
        return None if self.due.astimezone(tz).date() == self.written_day else self.written_day


@dataclass(frozen=True, slots=True)
class Draft:
    id: int
    author_id: int
    chat_id: int
    message_id: int | None
    header: DocumentHeader
    items: tuple[DraftItem, ...]
    created_at: datetime
    expires_at: datetime
    state: DraftState = DraftState.OPEN
    attachment: Attachment | None = None
    source: str | None = None
    document_id: int | None = None

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def items_from(document: ReadDocument) -> tuple[DraftItem, ...]:
    return tuple(
        DraftItem(
            n=index,
            content=item.content,
            lead_id=item.lead.id if item.lead else None,
            cooperating_ids=tuple(u.id for u in item.cooperating),
            due=item.due,
            no_deadline=item.no_deadline,
            deadline_text=item.deadline_text,
            urgent=item.urgent,
            flags=item.flags,
            written_day=item.written_day,
        )
        for index, item in enumerate(document.items, start=1)
    )


def problems(item: DraftItem, now: datetime, known_units: frozenset[int]) -> tuple[ItemFlag, ...]:
    """What stops the item from becoming a task: the reader's flags, still standing, plus what
    the item shows now (no lead, no deadline, a deadline that has passed since it was read)."""
    found = list(item.flags)
    codes = {f.code for f in found}

    def add(flag: ItemFlag) -> None:
        if flag.code not in codes:
            codes.add(flag.code)
            found.append(flag)

    if item.lead_id is None or item.lead_id not in known_units:
        add(ItemFlag(Flag.NO_LEAD))
    if item.due is None and not item.no_deadline:
        if not codes & {Flag.UNREADABLE_DEADLINE, Flag.PAST_DEADLINE}:
            add(ItemFlag(Flag.NO_DEADLINE))
    elif item.due is not None and item.due < now:
        add(ItemFlag(Flag.PAST_DEADLINE, item.due.astimezone(now.tzinfo).strftime("%d/%m/%Y")))
    return tuple(found)


def blockers(flags: tuple[ItemFlag, ...]) -> tuple[ItemFlag, ...]:
    """The flags that stop confirmation (all but the notes)."""
    return tuple(f for f in flags if f.code not in NOTE_FLAGS)


# --- storing -------------------------------------------------------------------------------------


def item_to_json(item: DraftItem) -> dict[str, Any]:
    return {
        "n": item.n,
        "content": item.content,
        "lead": item.lead_id,
        "coop": list(item.cooperating_ids),
        "due": item.due.isoformat() if item.due else None,
        "no_deadline": item.no_deadline,
        "deadline_text": item.deadline_text,
        "urgent": item.urgent,
        "flags": [[f.code.value, f.detail] for f in item.flags],
        "written": item.written_day.isoformat() if item.written_day else None,
    }


def item_from_json(data: dict[str, Any]) -> DraftItem:
    due = data.get("due")
    return DraftItem(
        n=int(data["n"]),
        content=str(data["content"]),
        lead_id=data.get("lead"),
        cooperating_ids=tuple(int(u) for u in data.get("coop") or ()),
        due=datetime.fromisoformat(due) if due else None,
        no_deadline=bool(data.get("no_deadline")),
        deadline_text=data.get("deadline_text"),
        urgent=bool(data.get("urgent")),
        flags=tuple(ItemFlag(Flag(code), detail) for code, detail in data.get("flags") or ()),
        written_day=date.fromisoformat(written) if (written := data.get("written")) else None,
    )


def header_to_json(header: DocumentHeader) -> dict[str, Any]:
    return {
        "number": header.number,
        "issued": header.issued.isoformat() if header.issued else None,
        "title": header.title,
    }


def header_from_json(data: dict[str, Any]) -> DocumentHeader:
    issued = data.get("issued")
    return DocumentHeader(
        number=data.get("number"),
        issued=date.fromisoformat(issued) if issued else None,
        title=data.get("title"),
    )


# --- corrections ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetUnits:
    n: int
    lead_id: int
    cooperating_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SetDeadline:
    n: int
    due: datetime | None
    no_deadline: bool
    text: str
    written_day: date | None = None


@dataclass(frozen=True, slots=True)
class SetContent:
    n: int
    content: str


@dataclass(frozen=True, slots=True)
class Remove:
    numbers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Add:
    lead_id: int
    cooperating_ids: tuple[int, ...]
    content: str
    due: datetime | None
    no_deadline: bool
    deadline_text: str | None
    written_day: date | None = None


Correction = SetUnits | SetDeadline | SetContent | Remove | Add


class CorrectionErrorCode(StrEnum):
    UNKNOWN_FORM = "unknown_form"  # the line is none of the forms
    UNKNOWN_UNIT = "unknown_unit"  # params: word, suggestions
    DEADLINE = "deadline"  # `deadline` holds the parser's error
    NO_ITEM = "no_item"  # params: n
    EMPTY = "empty"  # the reply holds no correction at all
    NO_CONTENT = "no_content"  # "thêm TCKH hạn 15/12": nothing to do


@dataclass
class CorrectionError(Exception):
    code: CorrectionErrorCode
    line: str = ""
    line_no: int = 0
    params: dict[str, str] = field(default_factory=dict)
    deadline: DeadlineError | None = None

    def __str__(self) -> str:
        return f"{self.code} at line {self.line_no}: {self.line!r} {self.params}"


def _fold_keep_length(text: str) -> str:
    """Lower case without accents, one character for one: positions found in it hold in text."""
    out = []
    for char in text:
        if char in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", char)[0]
        out.append(base.lower() if len(base.lower()) == 1 else char)
    return "".join(out)


_NUMBERED = lazy(
    r"^(?:muc\s+)?(?P<n>\d{1,3})[.)]?\s*[:\-–]?\s+"
    r"(?P<what>don\s+vi|dv|han|thoi\s+han|noi\s+dung|nd)(?=[\s:])\s*:?\s*(?P<rest>.*)$"
)
_REMOVE = lazy(r"^(?:bo|xoa|loai)\s+(?:muc\s+)?(?P<list>\d{1,3}(?:\s*[,;\s]\s*\d{1,3})*)$")
_ADD = lazy(r"^them\s*:?\s+(?P<rest>.+)$")


def parse_corrections(
    text: str, units: UnitDirectory, now: datetime, cal: WorkCalendar
) -> list[Correction]:
    """Every correction in a reply, one per line; the first bad line raises CorrectionError."""
    out: list[Correction] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFC", raw).strip()
        if not line:
            continue
        try:
            out.append(_parse_line(line, units, now, cal))
        except CorrectionError as error:
            error.line, error.line_no = line, line_no
            raise
    if not out:
        raise CorrectionError(CorrectionErrorCode.EMPTY)
    return out


def _parse_line(line: str, units: UnitDirectory, now: datetime, cal: WorkCalendar) -> Correction:
    folded = _fold_keep_length(line)
    if (m := _REMOVE.match(folded)) is not None:
        numbers = tuple(int(n) for n in re.findall(r"\d+", m.group("list")))
        return Remove(numbers)
    if (m := _ADD.match(folded)) is not None:
        return _parse_add(line[m.start("rest") :], units, now, cal)
    m = _NUMBERED.match(folded)
    if m is None:
        raise CorrectionError(CorrectionErrorCode.UNKNOWN_FORM)
    n = int(m.group("n"))
    what = m.group("what").replace(" ", "")
    rest = line[m.start("rest") :].strip()
    if not rest:
        raise CorrectionError(CorrectionErrorCode.UNKNOWN_FORM)
    if what in ("donvi", "dv"):
        lead, cooperating = _units(rest, units, whole=True)[:2]
        return SetUnits(n, lead, cooperating)
    if what in ("han", "thoihan"):
        try:
            parsed = parse_deadline(rest, now, cal)
        except DeadlineError as error:
            raise CorrectionError(CorrectionErrorCode.DEADLINE, deadline=error) from None
        return SetDeadline(n, parsed.due, parsed.due is None, parsed.text, parsed.rolled_from)
    return SetContent(n, rest)


def _units(text: str, units: UnitDirectory, whole: bool) -> tuple[int, tuple[int, ...], str]:
    match = units.parse_list(text)
    leftover = match.rest.strip()
    if match.unknown is not None or not match.units or (whole and leftover):
        word = match.unknown or (leftover.split()[0] if leftover else text.split()[0])
        raise CorrectionError(
            CorrectionErrorCode.UNKNOWN_UNIT,
            params={"word": word, "suggestions": ", ".join(units.suggest(word))},
        )
    lead, *cooperating = match.units
    return lead.id, tuple(u.id for u in cooperating if u.id != lead.id), match.rest


def _parse_add(text: str, units: UnitDirectory, now: datetime, cal: WorkCalendar) -> Add:
    lead, cooperating, rest = _units(text, units, whole=False)
    try:
        # content_elsewhere: "thêm TCKH hạn 18/12" is a deadline without content, not a task
        # whose content is "hạn 18/12".
        content, parsed = extract_deadline(rest, now, cal, strict=True, content_elsewhere=True)
    except DeadlineError as error:
        raise CorrectionError(CorrectionErrorCode.DEADLINE, deadline=error) from None
    content = content.strip()
    if not content:
        raise CorrectionError(CorrectionErrorCode.NO_CONTENT)
    return Add(
        lead_id=lead,
        cooperating_ids=cooperating,
        content=content,
        due=parsed.due if parsed else None,
        no_deadline=parsed is not None and parsed.due is None,
        deadline_text=parsed.text if parsed else None,
        written_day=parsed.rolled_from if parsed else None,
    )


def apply_corrections(
    items: tuple[DraftItem, ...], corrections: list[Correction]
) -> tuple[DraftItem, ...]:
    """The items after every correction, in order; a number not on the draft raises."""
    current = list(items)

    def index_of(n: int) -> int:
        for index, item in enumerate(current):
            if item.n == n:
                return index
        raise CorrectionError(CorrectionErrorCode.NO_ITEM, params={"n": str(n)})

    for correction in corrections:
        if isinstance(correction, Remove):
            for n in correction.numbers:
                del current[index_of(n)]
        elif isinstance(correction, Add):
            next_n = max((i.n for i in (*items, *current)), default=0) + 1
            flags = (
                () if correction.due or correction.no_deadline else (ItemFlag(Flag.NO_DEADLINE),)
            )
            current.append(
                DraftItem(
                    n=next_n,
                    content=correction.content,
                    lead_id=correction.lead_id,
                    cooperating_ids=correction.cooperating_ids,
                    due=correction.due,
                    no_deadline=correction.no_deadline,
                    deadline_text=correction.deadline_text,
                    flags=flags,
                    written_day=correction.written_day,
                )
            )
        else:
            index = index_of(correction.n)
            item = current[index]
            if isinstance(correction, SetUnits):
                item = replace(
                    item,
                    lead_id=correction.lead_id,
                    cooperating_ids=correction.cooperating_ids,
                    flags=tuple(f for f in item.flags if f.code not in UNIT_FLAGS),
                )
            elif isinstance(correction, SetDeadline):
                item = replace(
                    item,
                    due=correction.due,
                    no_deadline=correction.no_deadline,
                    deadline_text=correction.text,
                    written_day=correction.written_day,
                    flags=tuple(f for f in item.flags if f.code not in DEADLINE_FLAGS),
                )
            else:
                item = replace(item, content=correction.content)
            current[index] = item
    return tuple(current)
