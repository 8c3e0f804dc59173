"""The tally as text: the monospace table's columns, the footer, the 4,096-character budget."""

from __future__ import annotations

import html
import re
from datetime import datetime

from support import VN

from bot.domain.model import Unit
from bot.domain.tally import Counts, Period, Tally
from bot.text.reports import TallyReport, tally_text

WEEK = Period(datetime(2026, 11, 16, tzinfo=VN), datetime(2026, 11, 23, tzinfo=VN))


def counts(on_time: int, late: int, in_time: int, open_late: int, worst: int = 0) -> Counts:
    return Counts(
        total=on_time + late + in_time + open_late,
        done_on_time=on_time,
        done_late=late,
        open_in_time=in_time,
        open_late=open_late,
        worst_days_late=worst,
    )


def table(text: str) -> list[str]:
    body = re.search(r"<pre>(.*)</pre>", text, re.S)
    assert body is not None
    return html.unescape(body.group(1)).split("\n")


def report(units: dict[int, Unit], by_unit: dict[int, Counts]) -> TallyReport:
    total = Counts()
    for c in by_unit.values():
        for name in ("total", "done_on_time", "done_late", "open_in_time", "open_late"):
            setattr(total, name, getattr(total, name) + getattr(c, name))
        total.worst_days_late = max(total.worst_days_late, c.worst_days_late)
    return TallyReport(Tally(WEEK, "in_force", by_unit, {}, total), units)


def test_counts_of_100_and_more_and_a_long_code_keep_their_columns() -> None:
    units = {1: Unit(1, "KT-HT-ĐT", "Phòng Kinh tế, Hạ tầng và Đô thị"), 2: Unit(2, "VP", "VP")}
    text = tally_text(
        report(units, {1: counts(14, 119, 126, 1138, 123), 2: counts(2, 0, 1, 1, 3)}),
        "vi",
        VN,
    )
    lines = table(text)
    assert lines[0].split() == ["ĐV", "Tổng", "ĐH", "HQ", "TH", "QH", "±", "NQH", "TL%"]
    # Every row splits back into its cells: nothing runs together, the code is whole.
    assert lines[1].split() == ["KT-HT-ĐT", "1397", "14", "119", "126", "1138", "123", "1"]
    assert lines[2].split() == ["VP", "4", "2", "0", "1", "1", "3", "67"]
    assert lines[3].split() == ["Cộng", "1401", "16", "119", "127", "1139", "123", "1"]
    # The columns line up: every row is as wide as the header.
    assert len({len(line) for line in lines}) == 1


def test_a_small_table_keeps_its_narrow_layout() -> None:
    units = {1: Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch")}
    lines = table(tally_text(report(units, {1: counts(1, 0, 0, 1, 2)}), "vi", VN))
    assert lines == ["ĐV     Tổng ĐH HQ TH QH   ± NQH  TL%", "TCKH      2  1  0  0  1       2   50"]


def test_a_district_sized_roster_with_big_counts_fits_one_message() -> None:
    units = {u: Unit(u, f"PHONG-{u:03d}-XX", f"Đơn vị {u}") for u in range(1, 601)}
    by_unit = {u: counts(1000 + u, 200, 300, 4000 + u, 250) for u in units}
    text = tally_text(report(units, by_unit), "vi", VN)
    assert len(text) <= 4096
    assert "đơn vị khác" in text


def test_a_period_of_whole_days_is_as_of_the_end_of_its_last_day() -> None:
    units = {1: Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch")}
    text = tally_text(report(units, {1: counts(1, 0, 0, 1, 2)}), "vi", VN)
    assert "Kỳ: 16/11/2026 – 22/11/2026" in text
    assert "Số liệu tại thời điểm hết ngày 22/11/2026." in text
    english = tally_text(report(units, {1: counts(1, 0, 0, 1, 2)}), "en", VN)
    assert "Figures as of the end of 22/11/2026." in english
