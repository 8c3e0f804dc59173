"""Messages about figures as they were published (issue 10, point 2)."""

from __future__ import annotations

M_HISTORY: dict[str, dict[str, str]] = {
    "history.as_published": {
        "vi": "Số liệu như bản tổng hợp đã gửi lúc {when}.",
        "en": "The figures as the weekly post published them at {when}.",
    },
    "history.changed": {
        "vi": "⚠️ Tính lại theo dữ liệu hiện nay thì khác (đã công bố → nay): {changes}.",
        "en": "⚠️ Counted again from today's records they differ (published → now): {changes}.",
    },
    "history.field.total": {"vi": "tổng {old} → {new}", "en": "total {old} → {new}"},
    "history.field.done_on_time": {
        "vi": "đúng hạn {old} → {new}",
        "en": "on time {old} → {new}",
    },
    "history.field.done_late": {
        "vi": "hoàn thành quá hạn {old} → {new}",
        "en": "done late {old} → {new}",
    },
    "history.field.open_in_time": {
        "vi": "chưa hoàn thành trong hạn {old} → {new}",
        "en": "open in time {old} → {new}",
    },
    "history.field.open_late": {
        "vi": "chưa hoàn thành quá hạn {old} → {new}",
        "en": "open late {old} → {new}",
    },
    "history.field.no_deadline": {
        "vi": "không có thời hạn {old} → {new}",
        "en": "no deadline {old} → {new}",
    },
}
