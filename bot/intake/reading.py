"""Reading officials' writing: a conclusion notice or directive becomes a list of task items.

Pure and Telegram-free. What it cannot decide it flags on the item; it never guesses silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from bot.calendar.workdays import WorkCalendar
from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory, fold
from bot.intake import deadlines as _dl
from bot.intake import outline as _outline
from bot.intake.roles import Roles, action_start, read_roles, tokenize
from bot.patterns import lazy


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
    # A note, not a problem: a cooperating body that is not on the roster ("Chi cục Thuế quận")
    # is left out of the task's units (its name stays in the content); detail: the name.
    OUTSIDE_UNIT = "outside_unit"


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
    written_day: date | None = None  # the deadline's day as written, before a day-off roll


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

    An item split in several (sentences opening with "Giao"/"Yêu cầu"/"Đề nghị", or actions
    separated by ";" each with its own deadline) is numbered "3.1", "3.2"; plain paragraphs, which
    carry no number, are numbered in order.
    """
    header_lines, blocks = _outline.split_document(text)
    found = _outline.read_header(header_lines)
    header = DocumentHeader(found.number, found.issued, found.title)
    local_now = cal.to_local(now)
    if found.issued is not None:
        ref = datetime.combine(found.issued, time(0, 0), tzinfo=cal.tz)
    else:
        ref = local_now
    reader = _Reader(units, cal, local_now, ref, found.issued)
    drafts: list[_Draft] = []
    for block in blocks:
        drafts.extend(reader.block(block, "", None))
    items: list[ReadItem] = []
    for ordinal, draft in enumerate(drafts, 1):
        items.append(draft.finish(draft.number or str(ordinal)))
    return ReadDocument(header, tuple(items))


@dataclass
class _Piece:
    """One action's text with what was read from it."""

    text: str
    roles: Roles
    deadline: _dl.FoundDeadline | None
    unreadable: _dl.FoundDeadline | None
    standing: bool


@dataclass
class _Draft:
    number: str
    content: str
    roles: Roles
    deadline: _dl.FoundDeadline | None
    unreadable: _dl.FoundDeadline | None
    standing: bool
    urgent: bool
    now: datetime
    issued: date | None

    def finish(self, number: str) -> ReadItem:
        flags: list[ItemFlag] = []
        roles = self.roles
        if roles.lead is None:
            if roles.ambiguous:
                flags.append(ItemFlag(Flag.AMBIGUOUS_UNIT, roles.ambiguous[0]))
            else:
                flags.append(ItemFlag(Flag.NO_LEAD))
        for phrase in roles.ambiguous[1 if roles.lead is None else 0 :]:
            flags.append(ItemFlag(Flag.AMBIGUOUS_UNIT, phrase))
        for phrase in roles.classes:
            flags.append(ItemFlag(Flag.UNIT_CLASS, phrase))
        for name in roles.outside:
            flags.append(ItemFlag(Flag.OUTSIDE_UNIT, name))
        due: datetime | None = None
        no_deadline = False
        deadline_text: str | None = None
        written: date | None = None
        if self.deadline is not None and self.deadline.due is not None:
            due = self.deadline.due
            deadline_text = self.deadline.text
            written = self.deadline.written_day or due.date()
            if due < self.now:
                flags.append(ItemFlag(Flag.PAST_DEADLINE, _fmt(written)))
            if self.issued is not None and written < self.issued:
                flags.append(ItemFlag(Flag.BEFORE_DOCUMENT, _fmt(self.issued)))
        elif self.unreadable is not None:
            deadline_text = self.unreadable.text
            flags.append(ItemFlag(Flag.UNREADABLE_DEADLINE, self.unreadable.text))
        elif self.standing:
            no_deadline = True
        else:
            flags.append(ItemFlag(Flag.NO_DEADLINE))
        return ReadItem(
            number=number,
            content=self.content,
            lead=roles.lead,
            cooperating=tuple(roles.cooperating),
            due=due,
            no_deadline=no_deadline,
            deadline_text=deadline_text,
            urgent=self.urgent,
            flags=_unique(flags),
            written_day=written,
        )


def _unique(flags: list[ItemFlag]) -> tuple[ItemFlag, ...]:
    seen: list[ItemFlag] = []
    for flag in flags:
        if flag not in seen:
            seen.append(flag)
    return tuple(seen)


def _fmt(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


_SENTENCE = lazy(r"(?<=[.!?])\s+(?=[^\W\d_])")


class _Reader:
    def __init__(
        self,
        units: UnitDirectory,
        cal: WorkCalendar,
        now: datetime,
        ref: datetime,
        issued: date | None,
    ) -> None:
        self.units = units
        self.cal = cal
        self.now = now
        self.ref = ref
        self.issued = issued

    def piece(self, text: str) -> _Piece:
        roles = read_roles(text, self.units)
        found = _dl.find_deadlines(text, self.ref, self.cal, self.issued)
        readable = [f for f in found if not f.unreadable]
        unreadable = next((f for f in found if f.unreadable), None)
        deadline = readable[-1] if readable else None
        standing = _dl.is_standing(text, fold(text))
        return _Piece(text, roles, deadline, unreadable, standing)

    def block(self, block: _outline.Block, path: str, parent: _Piece | None) -> list[_Draft]:
        number = f"{path}.{block.number}" if path and block.number else (block.number or path)
        if block.children:
            own = self.piece(block.text)
            children: list[_Draft] = []
            for child in block.children:
                children.extend(self.block(child, number, own))
            if children:
                return children
            if block.heading:
                return []
            merged = " ".join([block.text, *(c.text for c in _flatten(block.children))])
            return self.leaf(merged, number, parent, require_task=False)
        if block.heading or _outline.is_closing(block.text):
            return []
        return self.leaf(block.text, number, parent, require_task=block.kind == "para")

    def leaf(
        self, text: str, number: str, parent: _Piece | None, require_task: bool
    ) -> list[_Draft]:
        groups = self._sentence_groups(text)
        drafts: list[_Draft] = []
        for group in groups:
            pieces = self._split_actions(group)
            first = pieces[0]
            task_like = first.roles.starts_task or first.deadline or first.standing
            if not task_like and (require_task or not (first.unreadable or first.roles.classes)):
                continue
            previous: _Piece | None = None
            for piece in pieces:
                roles = piece.roles
                source = previous or parent
                if not roles.lead_found and source is not None and source.roles.lead_found:
                    roles = source.roles
                deadline = piece.deadline
                unreadable = piece.unreadable
                standing = piece.standing
                if deadline is None and unreadable is None and not standing and parent:
                    deadline, unreadable, standing = (
                        parent.deadline,
                        parent.unreadable,
                        parent.standing,
                    )
                drafts.append(
                    _Draft(
                        number="",
                        content=piece.text.strip(),
                        roles=roles,
                        deadline=deadline,
                        unreadable=unreadable,
                        standing=standing,
                        urgent=_dl.is_urgent(piece.text),
                        now=self.now,
                        issued=self.issued,
                    )
                )
                previous = _Piece(piece.text, roles, deadline, unreadable, standing)
        if len(drafts) == 1:
            drafts[0].number = number
        elif number:
            for k, draft in enumerate(drafts, 1):
                draft.number = f"{number}.{k}"
        return drafts

    def _sentence_groups(self, text: str) -> list[str]:
        """Sentences that open with "Giao" / "Yêu cầu" / "Đề nghị" and name a unit start a new
        item; the others ("Toàn bộ kết quả báo cáo … trước ngày 31/8.") stay with theirs."""
        groups: list[str] = []
        for sentence in _SENTENCE.split(text.strip()):
            if groups and not self._opens_item(sentence):
                groups[-1] += " " + sentence
            else:
                groups.append(sentence)
        return groups

    def _opens_item(self, sentence: str) -> bool:
        _, triggered = action_start(tokenize(sentence), self.units)
        return triggered and read_roles(sentence, self.units).lead_found

    def _split_actions(self, text: str) -> list[_Piece]:
        """ "A, hoàn thành trước 10/12; B, trình trước 20/01" is two tasks: each piece with its own
        deadline is one; a piece without one belongs to the next (or, last, to the previous)."""
        parts = [p for p in re.split(r";\s*", text) if p.strip()]
        if len(parts) < 2:
            return [self.piece(text)]
        merged: list[str] = []
        pending = ""
        for part in parts:
            joined = f"{pending}; {part}" if pending else part
            if self.piece(part).deadline is not None:
                merged.append(joined)
                pending = ""
            else:
                pending = joined
        if pending:
            if merged:
                merged[-1] = f"{merged[-1]}; {pending}"
            else:
                merged.append(pending)
        if len(merged) < 2:
            return [self.piece(text)]
        return [self.piece(part) for part in merged]


def _flatten(blocks: list[_outline.Block]) -> list[_outline.Block]:
    out: list[_outline.Block] = []
    for block in blocks:
        out.append(block)
        out.extend(_flatten(block.children))
    return out
