"""Reading officials' writing: a conclusion notice or directive becomes a list of task items.

Pure and Telegram-free. What it cannot decide it flags on the item; it never guesses silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.calendar.workdays import WorkCalendar
from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory


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
    raise NotImplementedError
