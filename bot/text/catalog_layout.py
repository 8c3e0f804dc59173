"""Messages of the reports' layout: the weekly post's unit lines and its note, the definitions
behind them (shown by /help), and the monthly workbook's title and signing blocks."""

from __future__ import annotations

M_LAYOUT: dict[str, dict[str, str]] = {
    # --- the weekly post / /tonghop: one line per unit, words with well-known symbols --------
    "report.part.open_late": {"vi": "⏰ {n} quá hạn", "en": "⏰ {n} late"},
    "report.part.open_in_time": {"vi": "⏳ {n} trong hạn", "en": "⏳ {n} in time"},
    "report.part.done_on_time": {"vi": "✅ {n} đúng hạn", "en": "✅ {n} on time"},
    "report.part.done_late": {"vi": "☑️ {n} xong quá hạn", "en": "☑️ {n} done late"},
    "report.part.no_deadline": {"vi": "♾️ {n} không thời hạn", "en": "♾️ {n} no deadline"},
    "report.assigned": {"vi": "Giao trong kỳ: {n}", "en": "Assigned in the period: {n}"},
    "report.unacknowledged": {"vi": "chưa tiếp nhận: {n}", "en": "not acknowledged: {n}"},
    "report.extended": {"vi": "đã gia hạn: {n}", "en": "extended: {n}"},
    "report.note": {
        "vi": "<i>Số liệu tại thời điểm {asof}{basis}. Cách đọc, cách tính: /help</i>",
        "en": "<i>Figures as of {asof}{basis}. How to read them: /help</i>",
    },
    "report.basis_original": {
        "vi": ", tính theo hạn ban đầu (không tính gia hạn)",
        "en": ", against the original deadlines (extensions not counted)",
    },
    "help.reports": {
        "vi": "<b>Đọc bảng tổng hợp (/tonghop, báo cáo tuần)</b>\n"
        "Mỗi dòng một đơn vị chủ trì; đơn vị có nhiều nhiệm vụ quá hạn nhất, quá hạn lâu nhất,"
        " tỷ lệ đúng hạn thấp nhất đứng trước.\n"
        "⏰ quá hạn — chưa hoàn thành, đã quá hạn; ▲/▼ — tăng, giảm so với kỳ trước\n"
        "⏳ trong hạn — chưa hoàn thành, chưa quá hạn\n"
        "✅ đúng hạn — đã hoàn thành đúng hạn\n"
        "☑️ xong quá hạn — đã hoàn thành quá hạn\n"
        "♾️ không thời hạn — nhiệm vụ thường xuyên, không tính vào tỷ lệ\n"
        "% — tỷ lệ đúng hạn = đã hoàn thành đúng hạn / (đã hoàn thành + chưa hoàn thành quá hạn)\n"
        "Tính theo hạn đang có hiệu lực (sau các lần gia hạn được đồng ý), hoặc theo hạn ban đầu"
        " nếu báo cáo ghi như vậy; số ngày quá hạn là ngày làm việc; chỉ tính cho đơn vị chủ trì,"
        " không tính đơn vị phối hợp; không tính nhiệm vụ đã rút.",
        "en": "<b>Reading the tally (/tonghop, the weekly post)</b>\n"
        "One line per lead unit; the unit with the most late tasks, the longest late, the lowest"
        " on-time rate comes first.\n"
        "⏰ late — not done, past the deadline; ▲/▼ — up, down against the previous period\n"
        "⏳ in time — not done, deadline not passed\n"
        "✅ on time — done on time\n"
        "☑️ done late — done after the deadline\n"
        "♾️ no deadline — standing tasks, not in the rate\n"
        "% — on-time rate = done on time / (done + open and late)\n"
        "Counted against the deadline in force (after approved extensions), or the original"
        " deadline where the report says so; days late are working days; only the lead unit"
        " answers, never cooperating units; withdrawn tasks are left out.",
    },
    # --- the monthly workbook as an administrative document --------------------------------
    "xlsx.nation": {
        "vi": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "en": "SOCIALIST REPUBLIC OF VIET NAM",
    },
    "xlsx.motto": {"vi": "Độc lập - Tự do - Hạnh phúc", "en": "Independence - Freedom - Happiness"},
    "xlsx.org_blank": {"vi": "ỦY BAN NHÂN DÂN {blank}", "en": "PEOPLE'S COMMITTEE OF {blank}"},
    "xlsx.made_on": {
        "vi": "{place}, ngày {day} tháng {month} năm {year}",
        "en": "{place}, {day}/{month}/{year}",
    },
    "xlsx.page_title_month": {"vi": "{sheet} THÁNG {month}", "en": "{sheet} FOR {month}"},
    "xlsx.prepared_by": {"vi": "NGƯỜI LẬP", "en": "PREPARED BY"},
    "xlsx.approved_by": {"vi": "LÃNH ĐẠO DUYỆT", "en": "APPROVED BY"},
    "xlsx.sign_here": {"vi": "(Ký, ghi rõ họ tên)", "en": "(Signature and full name)"},
}
