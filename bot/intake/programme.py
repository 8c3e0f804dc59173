"""Reading the annual work programme (chương trình công tác năm) from an .xlsx workbook.

Pure: bytes in, rows out. Columns are found by their header text (any order, accents and case
ignored), the header need not be the first row (title rows above it), merged cells are read as
the office drew them, and group rows ("I. LĨNH VỰC KINH TẾ") are headings, not tasks. Every row
it cannot read is reported with its row number and why; nothing is guessed.
"""

from __future__ import annotations

import calendar as monthcal
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory, fold
from bot.patterns import lazy

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

HEADER_SCAN = 30  # rows searched for the header below the title
MAX_ROWS = 20_000


class Column(StrEnum):
    NUMBER = "number"  # STT
    CONTENT = "content"  # Nội dung / Tên nhiệm vụ
    LEAD = "lead"  # Đơn vị chủ trì
    COOP = "coop"  # Đơn vị phối hợp
    TIME = "time"  # Thời gian / Thời hạn
    LEADER = "leader"  # Lãnh đạo phụ trách (optional)
    NOTE = "note"  # Ghi chú (optional)


REQUIRED = (Column.CONTENT, Column.LEAD, Column.TIME)

# Checked in this order against a folded header: "Đơn vị phối hợp" must not read as the lead
# column because of "đơn vị", "Thời gian hoàn thành" must not read as the content.
_HEADER_WORDS: tuple[tuple[Column, tuple[str, ...]], ...] = (
    (Column.COOP, ("phoi hop",)),
    (Column.LEAD, ("chu tri", "don vi thuc hien", "co quan thuc hien", "don vi tham muu")),
    (Column.LEADER, ("lanh dao",)),
    (Column.NOTE, ("ghi chu",)),
    (Column.TIME, ("thoi gian", "thoi han", "han hoan thanh", "tien do", "thoi diem")),
    (
        Column.CONTENT,
        ("noi dung", "ten nhiem vu", "nhiem vu", "ten cong viec", "cong viec", "ten de an"),
    ),
    (Column.NUMBER, ("stt", "so tt", "so thu tu", "tt")),
)


class FileProblem(StrEnum):
    NOT_XLSX = "not_xlsx"
    NO_HEADER = "no_header"  # detail: the required columns not found


class ProgrammeFileError(Exception):
    def __init__(self, code: FileProblem, missing: Sequence[Column] = ()) -> None:
        super().__init__(code.value)
        self.code = code
        self.missing = tuple(missing)


class Problem(StrEnum):
    NO_CONTENT = "no_content"
    NO_LEAD = "no_lead"
    UNKNOWN_LEAD = "unknown_lead"  # detail: the text
    SEVERAL_LEADS = "several_leads"  # detail: the text
    # Not a problem but a note: a cooperating body not on the roster (the tax office, the
    # Fatherland Front). The row is kept, as a draft keeps such an item: the lead answers for
    # the task; the body's name stays on the task as written. detail: the names not recognised.
    UNKNOWN_COOP = "unknown_coop"
    NO_TIME = "no_time"
    UNREADABLE_TIME = "unreadable_time"  # detail: the text


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # the sheet's row number, as Excel shows it
    problem: Problem
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Period:
    """When one task runs: it becomes active at the start of `start`'s month and is due `end`.
    `end` None: no deadline ("thường xuyên")."""

    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class ProgrammeRow:
    row: int
    number: str  # STT as written
    content: str
    lead: Unit
    cooperating: tuple[Unit, ...]
    periods: tuple[Period, ...]  # one per task: several for "Hàng tháng", "Hàng quý"
    time_text: str
    # "các đơn vị liên quan" (a class of units) or a body not on the roster: the cell as written
    coop_text: str | None = None
    leader: str | None = None
    note: str | None = None
    group: str | None = None  # the heading the row sits under

    @property
    def repeating(self) -> bool:
        return len(self.periods) > 1


@dataclass(frozen=True, slots=True)
class Programme:
    year: int
    year_from: str  # "given" (--year), "title" ("… NĂM 2027"), "default"
    sheet: str
    header_row: int
    rows: tuple[ProgrammeRow, ...]
    problems: tuple[RowProblem, ...]
    columns: dict[Column, int] = field(default_factory=dict)
    notes: tuple[RowProblem, ...] = ()  # rows kept, with something worth a look (UNKNOWN_COOP)


# --- reading cells -------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return re.sub(r"\s+", " ", str(value)).strip()


def _grid(sheet: Worksheet) -> list[list[object]]:
    """The sheet's values with merged cells read as drawn: a range spanning several rows gives
    its value to each of them (one lead unit written once for five tasks); a range spanning
    several columns of one row keeps it in its first column only (a group heading across the
    table is not a content, a unit and a time at once)."""
    rows = min(sheet.max_row, MAX_ROWS)
    width = sheet.max_column
    grid: list[list[object]] = [[None] * width for _ in range(rows)]
    for r, values in enumerate(sheet.iter_rows(max_row=rows, values_only=True)):
        for c, value in enumerate(values[:width]):
            grid[r][c] = value
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= rows:
            continue
        value = grid[top][left]
        for r in range(top + 1, min(merged.max_row, rows)):
            grid[r][left] = value
    return grid


def _header_role(text: str) -> Column | None:
    key = fold(text)
    if not key:
        return None
    for column, words in _HEADER_WORDS:
        for word in words:
            if key == word or re.search(rf"(?<![a-z]){word}(?![a-z])", key):
                return column
    return None


def _columns(cells: Sequence[str]) -> dict[Column, int]:
    found: dict[Column, int] = {}
    for index, text in enumerate(cells):
        role = _header_role(text)
        if role is not None and role not in found:
            found[role] = index
    return found


def _spread_across(row: Sequence[object], merged: dict[tuple[int, int], int], r: int) -> list[str]:
    """A header cell merged across columns ("Đơn vị thực hiện" over "Chủ trì" | "Phối hợp")
    names each column under it."""
    out = [_text(v) for v in row]
    for (rr, c), span in merged.items():
        if rr == r:
            for k in range(c + 1, min(c + span, len(out))):
                out[k] = out[c]
    return out


def _header_like(cells: Sequence[str]) -> bool:
    """Short cells naming at least two columns: a header row, not a title or a note."""
    return len(_columns(cells)) >= 2 and all(len(c) <= 80 for c in cells)


def _find_header(
    grid: list[list[object]], merged: dict[tuple[int, int], int]
) -> tuple[int, int, dict[Column, int]] | None:
    """(header row, first data row, columns), by index; None when no row (or pair of rows)
    names the content, the lead unit and the time."""
    for r in range(min(HEADER_SCAN, len(grid))):
        one = _spread_across(grid[r], merged, r)
        if not _header_like(one):
            continue
        cols = _columns(one)
        if r + 1 < len(grid):
            # A second header row: "Chủ trì" | "Phối hợp" under a merged "Đơn vị thực hiện".
            below = [_text(v) for v in grid[r + 1]]
            if _is_subheader(below):
                two = _columns([f"{a} {b}".strip() for a, b in zip(one, below, strict=True)])
                if all(c in two for c in REQUIRED):
                    return r, r + 2, two
        if all(c in cols for c in REQUIRED):
            return r, r + 1, cols
    return None


def _is_subheader(cells: Sequence[str]) -> bool:
    words = [c for c in cells if c]
    return bool(words) and all(_header_role(c) is not None for c in words)


_COLUMN_NUMBERS = lazy(r"^\(?\d{1,2}\)?$")
_ROMAN = lazy(r"^(?:[ivxlc]+|[a-z])[.)]?$")  # "II", "b)", not "12"
_HEADING_TEXT = lazy(r"^(?:[ivxlc]+|[a-z]|phan\s+\w+|chuong\s+\w+)[.):]\s")
_TITLE_YEAR = lazy(r"\bnam\s+(20\d\d)\b")


def _is_column_numbers(cells: Sequence[str]) -> bool:
    """The "(1) (2) (3)" row officials put under a header."""
    filled = [c for c in cells if c]
    return len(filled) >= 3 and all(_COLUMN_NUMBERS.match(c) for c in filled)


def _title_year(grid: list[list[object]], header: int) -> int | None:
    for r in range(header):
        for value in grid[r]:
            found = _TITLE_YEAR.search(fold(_text(value)))
            if found:
                return int(found.group(1))
    return None


# --- the time column -----------------------------------------------------------------------------

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PREFIX = lazy(
    r"^(?:(?:hoan\s+thanh|thuc\s+hien|thoi\s+gian|thoi\s+han|han|cham\s+nhat|truoc|trong|vao"
    r"|den|ngay|dip|dinh\s+ky)\b[\s:,]*)+"
)
_YEAR_TAIL = r"(?:\s*(?:[/.-]|nam)\s*(?P<year>\d{4}))?"
_MONTH = lazy(rf"^(?:thang|t)?\s*(?P<month>\d{{1,2}}){_YEAR_TAIL}$")
_MONTHS = lazy(r"^(?:thang|t)?\s*\d{1,2}(?:\s*(?:,|;|va|\+)\s*(?:thang|t)?\s*\d{1,2})+$")
_MONTH_RANGE = lazy(
    rf"^(?:tu\s+)?(?:thang|t)\s*(?P<a>\d{{1,2}})\s*(?:-|–|den)\s*(?:thang|t)?\s*(?P<b>\d{{1,2}})"
    rf"{_YEAR_TAIL}$"
)
_QUARTER = lazy(rf"^quy\s*(?P<q>iv|i{{1,3}}|[1-4]){_YEAR_TAIL}$")
_QUARTERS_LIST = lazy(
    r"^quy\s*(?:iv|i{1,3}|[1-4])(?:\s*(?:,|;|va|\+)\s*(?:quy\s*)?(?:iv|i{1,3}|[1-4]))+$"
)
_DATE = lazy(r"^(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})(?:\s*[/.-]\s*(?P<year>\d{2,4}))?$")
_DATE_WORDS = lazy(r"^(?P<day>\d{1,2})\s+thang\s+(?P<month>\d{1,2})(?:\s+nam\s+(?P<year>\d{4}))?$")
_EVERY_MONTH = lazy(
    r"^(?:hang|hanh)\s+thang(?:\s*[,;(]?\s*(?:truoc|cham\s+nhat|vao)?\s*(?:ngay)?\s*(?P<day>\d{1,2})\)?)?$"
)
_EVERY_QUARTER = lazy(r"^(?:hang|hanh)\s+quy$")
_HALF_FIRST = lazy(r"^(?:6|sau)\s+thang\s+dau\s+nam$")
_HALF_LAST = lazy(r"^(?:6|sau)\s+thang\s+cuoi\s+nam$")
_WHOLE_YEAR = lazy(r"^(?:ca\s+nam|trong\s+nam|nam|quanh\s+nam|ca\s+nam\s+\d{4}|nam\s+\d{4})$")
_ONGOING = lazy(r"^(?:thuong\s+xuyen|lien\s+tuc|khong\s+thoi\s+han)$")


def _plain(text: str) -> str:
    """Lowercase without accents, punctuation kept: "Quý II/2027" → "quy ii/2027"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    bare = re.sub(r"\s+", " ", bare.lower()).strip()
    return re.sub(r"\s*([/.,;\-–])\s*", r"\1", bare).strip(" .;,")


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthcal.monthrange(year, month)[1])


def _month(year: int, month: int) -> Period:
    return Period(date(year, month, 1), _month_end(year, month))


def _quarter(year: int, quarter: int) -> Period:
    return Period(date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))


def _year_of(written: str | None, year: int) -> int:
    if not written:
        return year
    value = int(written)
    return value + 2000 if value < 100 else value


def read_time(value: object, year: int) -> tuple[Period, ...] | None:
    """The periods a time cell names, or None when it cannot be read."""
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return (Period(day.replace(day=1), day),)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= int(value) <= 12:
            return (_month(year, int(value)),)
        return None
    key = _PREFIX.sub("", _plain(_text(value))).strip()
    try:
        return _read_key(key, year)
    except ValueError:  # 31/2, month 13: written, but not a day
        return None


def _read_key(key: str, year: int) -> tuple[Period, ...] | None:
    if m := _MONTH.match(key):
        month = int(m.group("month"))
        if not 1 <= month <= 12:
            return None
        return (_month(_year_of(m.group("year"), year), month),)
    if _MONTHS.match(key):
        months = [int(n) for n in re.findall(r"\d{1,2}", key)]
        if not all(1 <= n <= 12 for n in months):
            return None
        return tuple(_month(year, n) for n in sorted(set(months)))
    if m := _MONTH_RANGE.match(key):
        a, b = int(m.group("a")), int(m.group("b"))
        if not 1 <= a < b <= 12:
            return None
        y = _year_of(m.group("year"), year)
        return (Period(date(y, a, 1), _month_end(y, b)),)
    if m := _QUARTER.match(key):
        return (_quarter(_year_of(m.group("year"), year), _QUARTERS[m.group("q")]),)
    if _QUARTERS_LIST.match(key):
        found = re.findall(r"(iv|i{1,3}|[1-4])(?![0-9])", key.removeprefix("quy"))
        return tuple(_quarter(year, q) for q in sorted({_QUARTERS[n] for n in found}))
    if m := (_DATE.match(key) or _DATE_WORDS.match(key)):
        day = date(_year_of(m.group("year"), year), int(m.group("month")), int(m.group("day")))
        return (Period(day.replace(day=1), day),)
    if m := _EVERY_MONTH.match(key):
        wanted = int(m.group("day")) if m.group("day") else None
        if wanted is not None and not 1 <= wanted <= 31:
            return None
        periods = []
        for month in range(1, 13):
            end = _month_end(year, month)
            if wanted is not None:
                end = end.replace(day=min(wanted, end.day))
            periods.append(Period(date(year, month, 1), end))
        return tuple(periods)
    if _EVERY_QUARTER.match(key):
        return tuple(_quarter(year, q) for q in range(1, 5))
    if _HALF_FIRST.match(key):
        return (Period(date(year, 1, 1), date(year, 6, 30)),)
    if _HALF_LAST.match(key):
        return (Period(date(year, 7, 1), date(year, 12, 31)),)
    if key in ("giua nam",):
        return (Period(date(year, 6, 1), date(year, 6, 30)),)
    if key in ("cuoi nam",):
        return (Period(date(year, 12, 1), date(year, 12, 31)),)
    if _WHOLE_YEAR.match(key):
        digits = re.findall(r"\d{4}", key)
        y = int(digits[0]) if digits else year
        return (Period(date(y, 1, 1), date(y, 12, 31)),)
    if _ONGOING.match(key):
        return (Period(date(year, 1, 1), None),)
    return None


# --- units ---------------------------------------------------------------------------------------

_CLASS = lazy(r"^(?:cac|nhung|toan bo)\b|\blien quan\b|\bcac (?:don vi|phong|ban|co quan)\b")


def _units(text: str, directory: UnitDirectory) -> tuple[list[Unit], list[str]]:
    """The units a cell names, and what it writes that is not one."""
    whole = directory.find(text)
    if whole is not None:
        return [whole], []
    match = directory.parse_list(text)
    if match.units and match.unknown is None and not match.rest.strip(" .;,"):
        return list(match.units), []
    found: list[Unit] = []
    unknown: list[str] = []
    for part in re.split(r"\s*[;\n+]\s*|\s*,\s*|\s+và\s+|\s+va\s+", text):
        part = part.strip(" .-–")
        if not part:
            continue
        unit = directory.find(part)
        if unit is None:
            unknown.append(part)
        elif unit not in found:
            found.append(unit)
    return found, unknown


# --- the sheet -----------------------------------------------------------------------------------


def _open(data: bytes) -> list[Worksheet]:
    # openpyxl when a workbook comes, not at start-up (the bot's start and heap stay small).
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from openpyxl.worksheet.worksheet import Worksheet

    try:
        book = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ProgrammeFileError(FileProblem.NOT_XLSX) from exc
    sheets: list[Worksheet] = [s for s in book.worksheets if isinstance(s, Worksheet)]
    active = book.active
    if isinstance(active, Worksheet) and active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    return sheets


def read_programme(
    data: bytes, units: UnitDirectory, year: int | None, default_year: int
) -> Programme:
    """The programme in the workbook `data`. `year` (given on the command) wins over a year in
    the title rows ("CHƯƠNG TRÌNH CÔNG TÁC NĂM 2027"), which wins over `default_year`."""
    sheets = _open(data)
    missing: tuple[Column, ...] = REQUIRED
    for sheet in sheets:
        grid = _grid(sheet)
        merged = {
            (m.min_row - 1, m.min_col - 1): m.max_col - m.min_col + 1
            for m in sheet.merged_cells.ranges
            if m.max_col > m.min_col
        }
        found = _find_header(grid, merged)
        if found is None:
            best = max(
                (
                    _columns(_spread_across(grid[r], merged, r))
                    for r in range(min(HEADER_SCAN, len(grid)))
                ),
                key=len,
                default={},
            )
            gaps = tuple(c for c in REQUIRED if c not in best)
            if len(gaps) < len(missing):
                missing = gaps
            continue
        header, first, cols = found
        title = _title_year(grid, header)
        chosen, source = (
            (year, "given") if year else (title, "title") if title else (default_year, "default")
        )
        rows, problems, notes = _read_rows(grid, first, cols, units, chosen)
        return Programme(
            year=chosen,
            year_from=source,
            sheet=sheet.title,
            header_row=header + 1,
            rows=tuple(rows),
            problems=tuple(problems),
            columns=cols,
            notes=tuple(notes),
        )
    raise ProgrammeFileError(FileProblem.NO_HEADER, missing)


def _read_rows(
    grid: list[list[object]],
    first: int,
    cols: dict[Column, int],
    directory: UnitDirectory,
    year: int,
) -> tuple[list[ProgrammeRow], list[RowProblem], list[RowProblem]]:
    rows: list[ProgrammeRow] = []
    problems: list[RowProblem] = []
    notes: list[RowProblem] = []
    group: str | None = None

    def cell(values: list[object], column: Column) -> object:
        index = cols.get(column)
        return values[index] if index is not None and index < len(values) else None

    for r in range(first, len(grid)):
        values = grid[r]
        texts = [_text(v) for v in values]
        filled = [t for t in texts if t]
        if not filled:
            continue
        number_row = r + 1
        if _is_column_numbers(texts):
            continue
        if fold(filled[0]).startswith(("noi nhan", "tm uy ban", "tm ubnd")):
            break  # the signature block under the table
        number = _text(cell(values, Column.NUMBER))
        content = _text(cell(values, Column.CONTENT))
        lead_text = _text(cell(values, Column.LEAD))
        coop_text = _text(cell(values, Column.COOP))
        time_value = cell(values, Column.TIME)
        time_text = _text(time_value)
        if len(filled) == 1 and not re.fullmatch(r"\d+\.?", filled[0]):
            # One text alone on its row, wherever the merge put it: a heading.
            group = filled[0]
            continue
        bare = content and not (lead_text or coop_text or time_text)
        if bare and _is_heading(number, content, len(filled)):
            joined = number and not content.startswith(number)
            group = f"{number.rstrip('.')}. {content}" if joined else content
            continue
        if not content:
            problems.append(RowProblem(number_row, Problem.NO_CONTENT))
            continue
        if not lead_text:
            problems.append(RowProblem(number_row, Problem.NO_LEAD))
            continue
        leads, unknown = _units(lead_text, directory)
        if unknown or not leads:
            problems.append(RowProblem(number_row, Problem.UNKNOWN_LEAD, lead_text))
            continue
        if len(leads) > 1:
            problems.append(RowProblem(number_row, Problem.SEVERAL_LEADS, lead_text))
            continue
        cooperating: list[Unit] = []
        coop_class: str | None = None
        if coop_text:
            if _CLASS.search(fold(coop_text)):
                named, _ = _units(coop_text, directory)
                cooperating, coop_class = named, coop_text
            else:
                cooperating, unknown = _units(coop_text, directory)
                if unknown:
                    # Kept: the units named cooperate, the cell as written goes on the task.
                    notes.append(RowProblem(number_row, Problem.UNKNOWN_COOP, ", ".join(unknown)))
                    coop_class = coop_text
        cooperating = [u for u in cooperating if u != leads[0]]
        if not time_text:
            problems.append(RowProblem(number_row, Problem.NO_TIME))
            continue
        periods = read_time(time_value, year)
        if periods is None:
            problems.append(RowProblem(number_row, Problem.UNREADABLE_TIME, time_text))
            continue
        rows.append(
            ProgrammeRow(
                row=number_row,
                number=number,
                content=content,
                lead=leads[0],
                cooperating=tuple(cooperating),
                periods=periods,
                time_text=time_text,
                coop_text=coop_class,
                leader=_text(cell(values, Column.LEADER)) or None,
                note=_text(cell(values, Column.NOTE)) or None,
                group=group,
            )
        )
    return rows, problems, notes


def _is_heading(number: str, text: str, filled: int) -> bool:
    """A row naming a part of the programme: "I. LĨNH VỰC KINH TẾ" across the table, "A" |
    "Công tác nội chính", or a sub-heading written alone. A row numbered like a task ("12")
    with a content and nothing else is a task whose unit and time are missing: it is reported,
    not taken for a heading."""
    if filled > 2:
        return False
    if not number or _ROMAN.match(_plain(number)):
        return True
    return text.isupper() or bool(_HEADING_TEXT.match(_plain(text) + " "))


# --- the template --------------------------------------------------------------------------------

TEMPLATE_HEADERS = (
    ("STT", 6),
    ("Nội dung", 60),
    ("Đơn vị chủ trì", 22),
    ("Đơn vị phối hợp", 22),
    ("Thời gian", 16),
    ("Lãnh đạo phụ trách", 20),
    ("Ghi chú", 20),
)
TEMPLATE_HELP = (
    "Thời gian: 3 hoặc Tháng 3 (hạn cuối tháng 3) · Quý II (hạn 30/6) · 6 tháng đầu năm (30/6)"
    " · Cả năm (31/12) · Hàng tháng (mỗi tháng một nhiệm vụ) · Hàng quý · một ngày (15/3/2027)."
    " Đơn vị: mã hoặc tên như trong danh sách (TCKH, Phòng Tài chính - Kế hoạch)."
    " Dòng nhóm (I. LĨNH VỰC KINH TẾ) để trống các cột đơn vị và thời gian."
)


def template(year: int) -> bytes:
    """An empty programme with the headers the reader looks for, under a title row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Chương trình"
    sheet.append([f"CHƯƠNG TRÌNH CÔNG TÁC NĂM {year}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([TEMPLATE_HELP])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(TEMPLATE_HEADERS))
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A2"].font = Font(italic=True)
    sheet.row_dimensions[2].height = 48
    sheet.append([name for name, _ in TEMPLATE_HEADERS])
    for index, (_, width) in enumerate(TEMPLATE_HEADERS, start=1):
        header = sheet.cell(row=3, column=index)
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
