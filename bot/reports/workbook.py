"""The monthly workbook (.xlsx): "Tổng hợp" per unit, "Danh sách nhiệm vụ" one row per task,
"Cán bộ" per person. Written with openpyxl in write-only mode (streams rows: 20,000 tasks in a few
seconds). Dates are real Excel dates in the office's time zone (Excel knows no zones).

"Tổng hợp" is laid out as an administrative document (Nghị định 30/2020/NĐ-CP): the committee's
name on the left, the national heading and the place and date on the right, the title and period,
the table, and the signing block. Every sheet prints on A4 landscape, fitted to the page's width,
with its column titles repeated on each page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins

from bot.db.reports import TaskDetails
from bot.domain.model import DecisionSummary, Person, Unit
from bot.domain.tally import Category, Counts, Tally, TaskLine, worst_first
from bot.text.catalog import t
from bot.text.reports import definition, period_bounds

DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"
PERCENT = "0.0%"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MAX_WIDTH = 60
# Print widths of the register's columns (characters): the content and the result wrap, so the
# sheet fits an A4 landscape page at about two-thirds scale.
REGISTER_WIDTHS = (5, 10, 36, 14, 18, 10, 12, 11, 16, 16, 8, 11, 16, 8, 24)
CONTENT_CLIP = 32000  # Excel's cell limit is 32,767 characters


@dataclass
class WorkbookData:
    tally: Tally  # with every line kept
    units: dict[int, Unit]
    people: dict[int, Person]
    details: dict[int, TaskDetails]
    month: str | None = None  # "11/2026" for a monthly report
    # Decisions awaiting each leader when the workbook was made (the "Chờ quyết định" sheet).
    decisions: list[DecisionSummary] = field(default_factory=list)
    org_name: str = ""  # "UBND phường Hoàn Kiếm"; dots to fill in by hand when unknown
    place: str = ""  # before the date: "Hoàn Kiếm"; taken from the name when empty
    made: date | None = None  # the day the report is made (the office's date)


@dataclass(frozen=True)
class Styled:
    """A cell of the title or signing block, with its own look (a few per sheet)."""

    value: Any
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float = 11
    left: bool = False  # a paragraph, aligned left; otherwise centred


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
        self.merges: list[str] = []
        self.heights: dict[int, float] = {}  # row number → points
        self.print_titles: str | None = None  # rows repeated on each printed page, "8:8"
        self._protos: dict[tuple[int, str], Cell] = {}

    @property
    def next_row(self) -> int:
        return len(self.rows) + 1

    def block(self, cells: dict[int, tuple[int, Styled]], height: float | None = None) -> None:
        """A row of styled cells: start column → (columns merged, cell)."""
        row = self.next_row
        values: list[Any] = [None] * (max(cells, default=-1) + 1)
        for column, (span, cell) in cells.items():
            values[column] = cell
            if span > 1:
                first, last = get_column_letter(column + 1), get_column_letter(column + span)
                self.merges.append(f"{first}{row}:{last}{row}")
        if height is not None:
            self.heights[row] = height
        self.rows.append((values, tuple(None for _ in values)))

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

    def _styled(self, cell: Styled) -> Cell:
        out = WriteOnlyCell(self.ws, cell.value)
        out.font = Font(
            bold=cell.bold,
            italic=cell.italic,
            underline="single" if cell.underline else None,
            size=cell.size,
        )
        out.alignment = WRAP if cell.left else CENTER
        return out

    def write(
        self, minimum: int = 6, widths: Sequence[float] | None = None, title: str = ""
    ) -> None:
        if widths is not None:
            for i, width in enumerate(widths):
                self.ws.column_dimensions[get_column_letter(i + 1)].width = width
        else:
            for i, width in self.widths.items():
                letter = get_column_letter(i + 1)
                self.ws.column_dimensions[letter].width = min(MAX_WIDTH, max(minimum, width + 2))
        if self.freeze:
            self.ws.freeze_panes = self.freeze
        if self.filter:
            self.ws.auto_filter.ref = self.filter
        for ref in self.merges:
            self.ws.merged_cells.add(ref)
        for row, height in self.heights.items():
            self.ws.row_dimensions[row].height = height
        _page_setup(self.ws, self.print_titles, title)
        for values, keys in self.rows:
            self.ws.append(
                [
                    self._styled(value)
                    if isinstance(value, Styled)
                    else value
                    if key is None
                    else self._cell(i, key, value)
                    for i, (value, key) in enumerate(zip(values, keys, strict=True))
                ]
            )


def _page_setup(ws: Any, print_titles: str | None, title: str) -> None:
    """A4 landscape, as wide as the page (as many pages down as it takes), the column titles on
    every page, the sheet's title at the top of each page and the page number at the foot."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    if print_titles:
        ws.print_title_rows = print_titles
    if title:
        ws.oddHeader.center.text = title
        ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = "&P/&N"
    ws.oddFooter.center.size = 9


def _local(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if value is None else value.astimezone(tz).replace(tzinfo=None)


def _rate(counts: Counts) -> float | None:
    return None if counts.rate is None else round(counts.rate, 4)


def workbook_bytes(data: WorkbookData, lang: str, tz: ZoneInfo) -> bytes:
    wb = Workbook(write_only=True)
    _summary(_Sheet(wb.create_sheet(t("xlsx.summary", lang))), data, lang, tz)
    _register(_Sheet(wb.create_sheet(t("xlsx.register", lang))), data, lang, tz)
    _people(_Sheet(wb.create_sheet(t("xlsx.people", lang))), data, lang)
    _decisions(_Sheet(wb.create_sheet(t("decide.sheet.name", lang))), data, lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def made_on(place: str, made: date, lang: str) -> str:
    """ "Hoàn Kiếm, ngày 01 tháng 12 năm 2026": the day and the months January and February
    with a leading zero, as administrative documents write them."""
    day = f"{made.day:02d}"
    month = f"{made.month:02d}" if made.month < 3 else str(made.month)
    return t("xlsx.made_on", lang, place=place, day=day, month=month, year=made.year)


_PLACE = re.compile(
    r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+"
    r"(phường|xã|thị trấn|đặc khu|quận|huyện|thị xã|thành phố|tỉnh)\s+(.+)$",
    re.IGNORECASE,
)


def place_of(name: str) -> str:
    """The place written before the date, from the committee's name: "UBND phường Hoàn Kiếm"
    → "Hoàn Kiếm"; a place named by a number keeps its kind ("Phường 1")."""
    found = _PLACE.match(name.strip())
    if found is None:
        return ""
    kind, place = found.group(1), found.group(2).strip()
    return f"{kind.capitalize()} {place}" if place.isdigit() else place


BLANK = "……………"
LEFT, LEFT_SPAN = 0, 4  # the committee's name and the first signer, over columns A to D
RIGHT, RIGHT_SPAN = 8, 6  # the national heading and the second signer, over columns I to N


def _heading(sheet: _Sheet, data: WorkbookData, lang: str, title: str, period: str) -> None:
    org = data.org_name.upper() if data.org_name else t("xlsx.org_blank", lang, blank=BLANK)
    place = data.place or place_of(data.org_name) or BLANK
    made = made_on(place, data.made, lang) if data.made else ""
    sheet.block(
        {
            LEFT: (LEFT_SPAN, Styled(org, bold=True)),
            RIGHT: (RIGHT_SPAN, Styled(t("xlsx.nation", lang), bold=True)),
        }
    )
    sheet.block({RIGHT: (RIGHT_SPAN, Styled(t("xlsx.motto", lang), bold=True, underline=True))})
    sheet.block({RIGHT: (RIGHT_SPAN, Styled(made, italic=True))})
    sheet.block({})
    sheet.block({0: (RIGHT + RIGHT_SPAN, Styled(title, bold=True, size=13))}, height=20)
    sheet.block({0: (RIGHT + RIGHT_SPAN, Styled(period, italic=True))})


def _signatures(sheet: _Sheet, lang: str) -> None:
    sheet.block({})
    sheet.block(
        {
            LEFT: (LEFT_SPAN, Styled(t("xlsx.prepared_by", lang), bold=True)),
            RIGHT: (RIGHT_SPAN, Styled(t("xlsx.approved_by", lang), bold=True)),
        }
    )
    sign = t("xlsx.sign_here", lang)
    sheet.block(
        {
            LEFT: (LEFT_SPAN, Styled(sign, italic=True, size=10)),
            RIGHT: (RIGHT_SPAN, Styled(sign, italic=True, size=10)),
        }
    )
    sheet.block({}, height=72)  # room for the signatures and the seal


def _summary(sheet: _Sheet, data: WorkbookData, lang: str, tz: ZoneInfo) -> None:
    tally = data.tally
    headers = t("xlsx.summary_headers", lang).split("|")
    title = t("xlsx.title", lang, month=data.month) if data.month else t("xlsx.title_period", lang)
    start, end = period_bounds(tally.period, tz)
    _heading(sheet, data, lang, title, t("xlsx.period", lang, start=start, end=end))
    note = Styled(_plain(definition(tally, lang, tz)), italic=True, size=10, left=True)
    sheet.block({0: (len(headers), note)}, height=44)
    header_row = sheet.next_row
    sheet.freeze = f"A{header_row + 1}"
    sheet.print_titles = f"{header_row}:{header_row}"
    sheet.heights[header_row] = 45
    sheet.row(headers, bold=True, fill=True, wrap=range(len(headers)))
    codes = {u: data.units[u].code if u in data.units else "?" for u in tally.units}
    order = worst_first(tally.units, codes)
    for n, unit_id in enumerate(order, start=1):
        unit = data.units.get(unit_id)
        c = tally.units[unit_id]
        sheet.row(
            [n, codes[unit_id], unit.name if unit else "?", *_numbers(c), _rate(c)],
            styles={13: PERCENT},
            wrap=(2,),
        )
    c = tally.total
    sheet.row(
        ["", t("xlsx.total", lang), "", *_numbers(c), _rate(c)], styles={13: PERCENT}, bold=True
    )
    sheet.filter = f"A{header_row}:{get_column_letter(len(headers))}{header_row + len(order)}"
    _signatures(sheet, lang)
    # Numbers under wrapped titles: narrow columns; the unit's name wraps in its own.
    sheet.write(widths=(5, 10, 30, *([10.5] * 10), 10))


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
        if not line.finished and line.reported_at is not None:  # as of the period's end
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
                _local(line.completed_at, tz) if line.finished else None,
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
    sheet.print_titles = "1:1"
    sheet.heights[1] = 32
    sheet.row(headers, bold=True, fill=True, wrap=range(len(headers)))
    rows = register_rows(data, lang, tz)
    styles = {7: DATE, 8: DATETIME, 9: DATETIME, 11: DATE}
    for row in rows:
        sheet.row(row, styles=styles, wrap=(2, 3, 4, 5, 6, 12, 14), measure=False)
    sheet.filter = f"A1:{get_column_letter(len(headers))}{1 + len(rows)}"
    sheet.write(widths=REGISTER_WIDTHS, title=_page_title(data, t("xlsx.register", lang), lang))


def _page_title(data: WorkbookData, sheet_name: str, lang: str) -> str:
    """The header printed on each page of a list: whose, what, which month. `&` is Excel's
    code character in headers and is doubled."""
    what = sheet_name.upper()
    if data.month:
        what = t("xlsx.page_title_month", lang, sheet=what, month=data.month)
    return " — ".join(p for p in (data.org_name, what) if p).replace("&", "&&")


def _people(sheet: _Sheet, data: WorkbookData, lang: str) -> None:
    headers = t("xlsx.people_headers", lang).split("|")
    sheet.freeze = "A2"
    sheet.row(headers, bold=True, fill=True, wrap=range(len(headers)))
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
    sheet.print_titles = "1:1"
    sheet.heights[1] = 45
    title = _page_title(data, t("xlsx.people", lang), lang)
    sheet.write(widths=(5, 24, 16, 10, *([10.5] * 6), 10), title=title)


def _decisions(sheet: _Sheet, data: WorkbookData, lang: str) -> None:
    """Who holds decisions, how many, the oldest: the leaders' own step, as the register
    shows the units'."""
    keys = ("no", "who", "count", "review", "extension", "oldest", "codes")
    headers = [t(f"decide.sheet.{k}", lang) for k in keys]
    sheet.freeze = "A2"
    sheet.row(headers, bold=True, fill=True)
    for n, row in enumerate(data.decisions, start=1):
        codes = ", ".join(row.codes)
        sheet.row([n, row.name, row.count, row.reviews, row.extensions, row.oldest, codes])
    if not data.decisions:
        sheet.row([_plain(t("decide.report.none", lang))], measure=False)
    sheet.print_titles = "1:1"
    title = _page_title(data, t("decide.sheet.name", lang), lang)
    sheet.write(minimum=8, title=title)
