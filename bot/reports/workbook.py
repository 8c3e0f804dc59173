"""The monthly workbook (.xlsx): "Tổng hợp" per unit, "Danh sách nhiệm vụ" one row per task,
"Cán bộ" per person. Written with openpyxl in write-only mode (streams rows: 20,000 tasks in a few
seconds). Dates are real Excel dates in the office's time zone (Excel knows no zones)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.db.reports import TaskDetails
from bot.domain.model import Person, Unit
from bot.domain.tally import Category, Counts, Tally, TaskLine, worst_first
from bot.text.catalog import t
from bot.text.reports import definition, period_bounds

DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
PERCENT = "0.0%"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60
CONTENT_CLIP = 32000  # Excel's cell limit is 32,767 characters


@dataclass
class WorkbookData:
    tally: Tally  # with every line kept
    units: dict[int, Unit]
    people: dict[int, Person]
    details: dict[int, TaskDetails]
    month: str | None = None  # "11/2026" for a monthly report


class _Sheet:
    """A write-only sheet: rows are gathered first, because a streamed sheet writes its column
    widths and frozen panes before the first row, and the widths must fit what follows. Styled
    cells reuse one prototype per column and style (a streamed row is written on append, so the
    prototype is free again for the next row): binding a style per cell is what costs."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        # openpyxl's stubs leave column_dimensions and auto_filter off the write-only sheet,
        # which has both.
        self.ws: Any = ws
        self.widths: dict[int, int] = {}
        self.rows: list[tuple[Sequence[Any], tuple[str | None, ...]]] = []
        self.freeze: str | None = None
        self.filter: str | None = None
        self._protos: dict[tuple[int, str], Cell] = {}

    def row(
        self,
        values: Sequence[Any],
        styles: dict[int, str] | None = None,
        bold: bool = False,
        fill: bool = False,
        wrap: Iterable[int] = (),
        measure: bool = True,
    ) -> None:
        wrapped = set(wrap)
        keys: list[str | None] = []
        for i, value in enumerate(values):
            parts = [styles.get(i, "") if styles else ""]
            parts += ["b" if bold else "", "f" if fill else "", "w" if i in wrapped else ""]
            key = "|".join(parts)
            keys.append(None if key == "|||" else key)
            if measure and value is not None:
                if isinstance(value, datetime):
                    width = 16
                elif isinstance(value, float):
                    width = 7
                elif isinstance(value, str):
                    width = max(map(len, value.split("\n"))) if "\n" in value else len(value)
                else:
                    width = len(str(value))
                if width > self.widths.get(i, 0):
                    self.widths[i] = width
        self.rows.append((values, tuple(keys)))

    def _cell(self, column: int, key: str, value: Any) -> Cell:
        proto = self._protos.get((column, key))
        if proto is None:
            number_format, bold, fill, wrap = key.split("|")
            proto = WriteOnlyCell(self.ws)
            if number_format:
                proto.number_format = number_format
            if bold:
                proto.font = BOLD
            if fill:
                proto.fill = HEADER_FILL
            if wrap:
                proto.alignment = WRAP
            self._protos[(column, key)] = proto
        proto.value = value
        return proto

    def write(self, minimum: int = 6) -> None:
        for i, width in self.widths.items():
            letter = get_column_letter(i + 1)
            self.ws.column_dimensions[letter].width = min(MAX_WIDTH, max(minimum, width + 2))
        if self.freeze:
            self.ws.freeze_panes = self.freeze
        if self.filter:
            self.ws.auto_filter.ref = self.filter
        for values, keys in self.rows:
            self.ws.append(
                [
                    value if key is None else self._cell(i, key, value)
                    for i, (value, key) in enumerate(zip(values, keys, strict=True))
                ]
            )


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if value is None else value.astimezone(tz).replace(tzinfo=None)


def _rate(counts: Counts) -> float | None:
    return None if counts.rate is None else round(counts.rate, 4)


def workbook_bytes(data: WorkbookData, lang: str, tz: ZoneInfo) -> bytes:
    wb = Workbook(write_only=True)
    _summary(_Sheet(wb.create_sheet(t("xlsx.summary", lang))), data, lang, tz)
    _register(_Sheet(wb.create_sheet(t("xlsx.register", lang))), data, lang, tz)
    _people(_Sheet(wb.create_sheet(t("xlsx.people", lang))), data, lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary(sheet: _Sheet, data: WorkbookData, lang: str, tz: ZoneInfo) -> None:
    tally = data.tally
    headers = t("xlsx.summary_headers", lang).split("|")
    sheet.freeze = "A5"
    title = t("xlsx.title", lang, month=data.month) if data.month else t("xlsx.title_period", lang)
    start, end = period_bounds(tally.period, tz)
    sheet.row([title], bold=True, measure=False)
    sheet.row([t("xlsx.period", lang, start=start, end=end)], measure=False)
    sheet.row([_plain(definition(tally, lang, tz))], measure=False)
    sheet.row(headers, bold=True, fill=True, wrap=range(len(headers)))
    codes = {u: data.units[u].code if u in data.units else "?" for u in tally.units}
    order = worst_first(tally.units, codes)
    for n, unit_id in enumerate(order, start=1):
        unit = data.units.get(unit_id)
        c = tally.units[unit_id]
        sheet.row(
            [n, codes[unit_id], unit.name if unit else "?", *_numbers(c), _rate(c)],
            styles={13: PERCENT},
        )
    c = tally.total
    sheet.row(
        ["", t("xlsx.total", lang), "", *_numbers(c), _rate(c)], styles={13: PERCENT}, bold=True
    )
    sheet.filter = f"A4:{get_column_letter(len(headers))}{4 + len(order)}"
    sheet.write(minimum=8)


def _numbers(c: Counts) -> list[int]:
    return [
        c.total,
        c.assigned,
        c.done_on_time,
        c.done_late,
        c.open_in_time,
        c.open_late,
        c.worst_days_late,
        c.no_deadline,
        c.unacknowledged,
        c.extended,
    ]


def _plain(html: str) -> str:
    return html.replace("<i>", "").replace("</i>", "")


def register_rows(data: WorkbookData, lang: str, tz: ZoneInfo) -> list[list[Any]]:
    """The register's rows, in task-code order (the workbook and the tests read the same)."""
    units, people = data.units, data.people
    rows = []
    lines: list[TaskLine] = sorted(data.tally.lines, key=lambda x: (x.facts.created_at, x.facts.id))
    for n, line in enumerate(lines, start=1):
        facts = line.facts
        details = data.details.get(facts.id)
        lead = units.get(line.lead_unit_id)
        assigner = people.get(details.assigner_id) if details else None
        coop = (
            ", ".join(units[u].code for u in details.cooperating_unit_ids if u in units)
            if details
            else ""
        )
        status = t(f"report.cat.{line.category.value}", lang)
        if (
            not line.finished
            and facts.reported_at is not None
            and facts.reported_at < data.tally.period.end
        ):
            status += t("report.awaiting_review", lang)
        rows.append(
            [
                n,
                facts.code,
                (details.content if details else "")[:CONTENT_CLIP],
                assigner.name if assigner else "",
                lead.name if lead else "?",
                coop,
                _source_cell(details, lang),
                _local(facts.created_at, tz),
                _local(line.due, tz),
                _local(facts.original_due, tz),
                line.extensions,
                _local(facts.completed_at, tz) if line.finished else None,
                status,
                line.days_late if line.category in (Category.DONE_LATE, Category.OPEN_LATE) else 0,
                ((details.result or "") if details and line.finished else "")[:CONTENT_CLIP],
            ]
        )
    return rows


def _source_cell(details: TaskDetails | None, lang: str) -> str:
    """The "văn bản/nguồn" column: the source document's number and date ("Số 45/TB-UBND ngày
    20/11/2026"; its title when it carries neither), else the task's own source."""
    if details is None:
        return ""
    parts = []
    if details.document_number:
        parts.append(t("doc.number", lang, number=details.document_number))
    if details.document_issued:
        parts.append(t("doc.issued", lang, date=details.document_issued.strftime("%d/%m/%Y")))
    if parts:
        return " ".join(parts)
    return details.document_title or details.source or ""


def _register(sheet: _Sheet, data: WorkbookData, lang: str, tz: ZoneInfo) -> None:
    headers = t("xlsx.register_headers", lang).split("|")
    sheet.freeze = "A2"
    sheet.row(headers, bold=True, fill=True)
    rows = register_rows(data, lang, tz)
    styles = {7: DATE, 8: DATETIME, 9: DATETIME, 11: DATE}
    for row in rows:
        sheet.row(row, styles=styles, wrap=(2, 14))
    sheet.filter = f"A1:{get_column_letter(len(headers))}{1 + len(rows)}"
    sheet.write()


def _people(sheet: _Sheet, data: WorkbookData, lang: str) -> None:
    headers = t("xlsx.people_headers", lang).split("|")
    sheet.freeze = "A2"
    sheet.row(headers, bold=True, fill=True)
    tally = data.tally

    def key(pid: int) -> tuple[str, str]:
        person = data.people.get(pid)
        unit = data.units.get(person.unit_id) if person and person.unit_id else None
        return (unit.code if unit else "", person.name if person else "")

    order = sorted(tally.people, key=key)
    for n, pid in enumerate(order, start=1):
        person = data.people.get(pid)
        unit = data.units.get(person.unit_id) if person and person.unit_id else None
        c = tally.people[pid]
        sheet.row(
            [
                n,
                person.name if person else f"#{pid}",
                t(f"role.{person.role.value}", lang) if person else "",
                unit.code if unit else "",
                c.total,
                c.done_on_time,
                c.done_late,
                c.open_in_time,
                c.open_late,
                c.no_deadline,
                _rate(c),
            ],
            styles={10: PERCENT},
        )
    sheet.filter = f"A1:{get_column_letter(len(headers))}{1 + len(order)}"
    sheet.row([], measure=False)
    sheet.row([t("xlsx.people_note", lang)], measure=False)
    sheet.write(minimum=8)
