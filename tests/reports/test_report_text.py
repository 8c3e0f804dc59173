"""The tally as text: one line per unit at a phone's width, the footer, the 4,096-character
budget."""

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


def plain(text: str) -> list[str]:
    """The post's lines as a phone shows them: tags gone, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).split("\n")


def report(units: dict[int, Unit], by_unit: dict[int, Counts]) -> TallyReport:
    total = Counts()
    for c in by_unit.values():
        for name in ("total", "done_on_time", "done_late", "open_in_time", "open_late"):
            setattr(total, name, getattr(total, name) + getattr(c, name))
        total.worst_days_late = max(total.worst_days_late, c.worst_days_late)
    return TallyReport(Tally(WEEK, "in_force", by_unit, {}, total), units)


def test_a_ward_week_reads_on_a_phone() -> None:
    units = {
        1: Unit(1, "VP", "Văn phòng HĐND và UBND"),
        2: Unit(2, "KTHT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
        3: Unit(3, "VHXH", "Phòng Văn hóa - Xã hội"),
        4: Unit(4, "TTPVHCC", "Trung tâm Phục vụ hành chính công"),
    }
    now = {
        1: counts(5, 1, 3, 2, 4),
        2: counts(2, 0, 4, 3, 7),
        3: counts(6, 0, 2, 0),
        4: counts(0, 0, 3, 0),
    }
    before = {1: counts(4, 1, 3, 1, 2), 2: counts(2, 0, 4, 3, 5), 3: counts(5, 0, 2, 1, 1)}
    current = report(units, now)
    current.previous = report(units, before).tally
    text = tally_text(current, "vi", VN)
    lines = plain(text)
    assert lines == [
        "📊 Tổng hợp nhiệm vụ theo đơn vị chủ trì",
        "Kỳ: 16/11/2026 – 22/11/2026",
        "Tỷ lệ đúng hạn: 68% · kỳ trước 65%",
        "⏰ 5 quá hạn · ⏳ 12 trong hạn",
        "✅ 13 đúng hạn · ☑️ 1 xong quá hạn",
        "Giao trong kỳ: 0",
        "",
        # Worst first: most late, then longest late; one line each, zero categories left out.
        "KTHT ⏰ 3 · ⏳ 4 · ✅ 2 · 40%",
        "VP ⏰ 2 ▲1 · ⏳ 3 · ✅ 5 · ☑️ 1 · 62%",
        "VHXH ⏰ 0 ▼1 · ⏳ 2 · ✅ 6 · 100%",
        "TTPVHCC ⏳ 3",
        "",
        "Số liệu tại thời điểm hết ngày 22/11/2026. Cách đọc, cách tính: /help",
    ]
    # No column codes, no legend: the words are in /help.
    for code in ("ĐH", "HQ", "NQH", "TL%"):
        assert code not in text
    # A phone shows 35 to 40 characters a line: only the pointer to /help may wrap.
    assert all(len(line) <= 40 for line in lines[:-1]), [x for x in lines if len(x) > 40]
    assert "<b>KTHT</b> ⏰ 3" in text


def test_counts_of_100_and_more_and_a_long_code_stay_whole() -> None:
    units = {1: Unit(1, "KT-HT-ĐT-PHUONG-X", "Phòng Kinh tế"), 2: Unit(2, "VP", "VP")}
    text = tally_text(
        report(units, {1: counts(14, 119, 126, 1138, 123), 2: counts(2, 0, 1, 1, 3)}),
        "vi",
        VN,
    )
    lines = plain(text)
    assert "KT-HT-ĐT-PHUONG-X ⏰ 1138 · ⏳ 126 · ✅ 14 · ☑️ 119 · 1%" in lines
    assert "VP ⏰ 1 · ⏳ 1 · ✅ 2 · 67%" in lines
    assert "⏰ 1139 quá hạn · ⏳ 127 trong hạn" in lines
    english = plain(tally_text(report(units, {2: counts(2, 0, 1, 1, 3)}), "en", VN))
    assert english[2:5] == [
        "On-time rate: 67%",
        "⏰ 1 late · ⏳ 1 in time",
        "✅ 2 on time · ☑️ 0 done late",
    ]


def test_one_units_figures_are_the_totals_without_a_unit_line() -> None:
    unit = Unit(1, "TCKH", "Phòng Tài chính - Kế hoạch")
    scoped = report({1: unit}, {1: counts(1, 0, 0, 1, 2)})
    scoped.scope = unit
    lines = plain(tally_text(scoped, "vi", VN))
    assert lines[:6] == [
        "📊 Tổng hợp nhiệm vụ — Phòng Tài chính - Kế hoạch",
        "Kỳ: 16/11/2026 – 22/11/2026",
        "Tỷ lệ đúng hạn: 50%",
        "⏰ 1 quá hạn · ⏳ 0 trong hạn",
        "✅ 1 đúng hạn · ☑️ 0 xong quá hạn",
        "Giao trong kỳ: 0",
    ]
    assert not any(line.startswith("TCKH") for line in lines)


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
