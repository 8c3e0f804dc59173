"""Messages about the leaders' own steps: results awaiting review and extension requests awaiting
a decision, reminded to the person they wait on, escalated, and listed in /viec and the reports."""

from __future__ import annotations

M_LEADERS: dict[str, dict[str, str]] = {
    "decide.title": {
        "vi": "⏳ <b>Chờ đồng chí quyết định</b>",
        "en": "⏳ <b>Awaiting your decision</b>",
    },
    "decide.item": {
        "vi": "• <b>{code}</b> [{unit}] {content}\n   {what} — <b>nhắc lần {n}</b> ({age})",
        "en": "• <b>{code}</b> [{unit}] {content}\n   {what} — <b>reminder {n}</b> ({age})",
    },
    "decide.review": {
        "vi": "kết quả báo cáo lúc {since}, chờ duyệt",
        "en": "result reported at {since}, awaiting review",
    },
    "decide.extension": {
        "vi": "xin gia hạn đến {proposed} (lúc {since}), chờ quyết định",
        "en": "extension to {proposed} asked at {since}, awaiting a decision",
    },
    "decide.age": {
        "vi": "đã chờ {age} ngày làm việc",
        "en": "waiting {age:working day|working days}",
    },
    "decide.age0": {"vi": "từ hôm nay", "en": "since today"},
    "decide.what.review": {"vi": "duyệt kết quả", "en": "review the result"},
    "decide.what.extension": {"vi": "quyết định gia hạn", "en": "decide on the extension"},
    "decide.schedule": {
        "vi": "nhắc {who} {what}",
        "en": "remind {who} to {what}",
    },
    "decide.digest.title": {
        "vi": "⏳ <b>Chờ lãnh đạo quyết định</b> — {date}\n"
        "Đã nhắc từ {n} lần trở lên, chờ lâu nhất trước:",
        "en": "⏳ <b>Awaiting a leader's decision</b> — {date}\n"
        "Reminded {n:time|times} or more, oldest first:",
    },
    "decide.digest.office_title": {
        "vi": "⏳ <b>Chờ đồng chí Chủ tịch quyết định</b> — {date}\n"
        "Đã nhắc từ {n} lần trở lên, chờ lâu nhất trước:",
        "en": "⏳ <b>Awaiting the chairman's decision</b> — {date}\n"
        "Reminded {n:time|times} or more, oldest first:",
    },
    "decide.digest.item": {
        "vi": "• <b>{code}</b> [{unit}] {content} — chờ {who} {what}, {days} ngày làm việc,"
        " đã nhắc {count} lần",
        "en": "• <b>{code}</b> [{unit}] {content} — waiting for {who} to {what},"
        " {days:working day|working days}, {count:reminder|reminders}",
    },
    "decide.list.title": {
        "vi": "⏳ <b>Chờ đồng chí quyết định</b> ({count}), chờ lâu nhất trước:",
        "en": "⏳ <b>Awaiting your decision</b> ({count}), oldest first:",
    },
    "decide.list.item": {
        "vi": "• <b>{code}</b> [{unit}] {content} — {what}, {age}",
        "en": "• <b>{code}</b> [{unit}] {content} — {what}, {age}",
    },
    "decide.list.more": {
        "vi": "… và {count} việc khác đang chờ.",
        "en": "… and {count} more waiting.",
    },
    # The weekly post and the monthly workbook: decisions pending, per leader.
    "decide.report.title": {
        "vi": "⏳ <b>Chờ lãnh đạo quyết định</b> (lúc lập báo cáo):",
        "en": "⏳ <b>Awaiting a leader's decision</b> (when this report was made):",
    },
    "decide.report.item": {
        "vi": "• {who}: {count} việc, lâu nhất {days} ngày làm việc",
        "en": "• {who}: {count}, the oldest {days:working day|working days}",
    },
    "decide.report.none": {
        "vi": "⏳ Không có việc nào chờ lãnh đạo quyết định.",
        "en": "⏳ Nothing awaits a leader's decision.",
    },
    "decide.sheet.name": {"vi": "Chờ quyết định", "en": "Pending decisions"},
    "decide.sheet.no": {"vi": "STT", "en": "No."},
    "decide.sheet.who": {"vi": "Người quyết định", "en": "Decided by"},
    "decide.sheet.count": {"vi": "Số việc chờ", "en": "Waiting"},
    "decide.sheet.review": {"vi": "Chờ duyệt kết quả", "en": "Results to review"},
    "decide.sheet.extension": {"vi": "Chờ quyết định gia hạn", "en": "Extensions to decide"},
    "decide.sheet.oldest": {
        "vi": "Chờ lâu nhất (ngày làm việc)",
        "en": "Oldest (working days)",
    },
    "decide.sheet.codes": {"vi": "Mã nhiệm vụ", "en": "Task codes"},
}
