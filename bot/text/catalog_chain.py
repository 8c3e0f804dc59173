"""Moving a late task, and the chain of responsibility on cards and /nv (issue 10, points 2, 4)."""

from __future__ import annotations

M_CHAIN: dict[str, dict[str, str]] = {
    # --- /chuyen with a new deadline -----------------------------------------------------------
    "reassign.needs_deadline": {
        "vi": "Nhiệm vụ {code} đã quá hạn (hạn {due}). Khi chuyển sang {unit}, đồng chí cho"
        " hạn mới: những ngày quá hạn trước khi chuyển không tính cho đơn vị mới."
        "\nVí dụ: <code>/chuyen {code} {unit_code} hạn {example}</code>",
        "en": "Task {code} is overdue (deadline {due}). To move it to {unit}, give a new"
        " deadline: the days late before the move are not the new unit's."
        "\nExample: <code>/chuyen {code} {unit_code} hạn {example}</code>",
    },
    "reassign.no_deadline": {
        "vi": "Khi chuyển đơn vị, hạn mới phải là một ngày cụ thể, không phải “{text}”."
        "\nVí dụ: <code>/chuyen {code} {unit_code} hạn {example}</code>",
        "en": "A move's new deadline must be a date, not “{text}”."
        "\nExample: <code>/chuyen {code} {unit_code} hạn {example}</code>",
    },
    "reassign.one_unit": {
        "vi": "Mỗi nhiệm vụ chỉ có một đơn vị chủ trì: đồng chí ghi một đơn vị."
        "\nVí dụ: <code>/chuyen {code} {unit_code}</code>",
        "en": "A task has exactly one lead unit: name one."
        "\nExample: <code>/chuyen {code} {unit_code}</code>",
    },
    "reassigned.due": {"vi": " Hạn mới: {due}.", "en": " New deadline: {due}."},
    "event.reassigned.due": {
        "vi": "chuyển chủ trì từ {old} sang {new}, hạn mới {due}",
        "en": "moved the lead from {old} to {new}, new deadline {due}",
    },
    # --- the chain of responsibility ------------------------------------------------------------
    "chain.title": {
        "vi": "<b>Trách nhiệm từng bước:</b>",
        "en": "<b>Who took each step:</b>",
    },
    "chain.line": {
        "vi": "{mark} {label}: {who}, {when}{took}{late}",
        "en": "{mark} {label}: {who}, {when}{took}{late}",
    },
    "chain.more": {
        "vi": "… {count} bước khác: /nv {code}",
        "en": "… {count:more step|more steps}: /nv {code}",
    },
    "chain.step.assigned": {"vi": "Giao", "en": "Assigned"},
    "chain.step.acknowledged": {"vi": "Tiếp nhận", "en": "Acknowledged"},
    "chain.step.progress": {"vi": "Cập nhật tiến độ", "en": "Progress"},
    "chain.step.reported": {"vi": "Báo cáo", "en": "Reported"},
    "chain.step.finished": {"vi": "Báo cáo, hoàn thành", "en": "Reported, done"},
    "chain.step.approved": {"vi": "Duyệt", "en": "Approved"},
    "chain.step.returned": {"vi": "Trả lại", "en": "Returned"},
    "chain.step.extension_requested": {
        "vi": "Xin gia hạn đến {due}",
        "en": "Asked for more time, to {due}",
    },
    "chain.step.extension_approved": {
        "vi": "Đồng ý gia hạn đến {due}",
        "en": "Extended to {due}",
    },
    "chain.step.extension_refused": {"vi": "Từ chối gia hạn", "en": "Refused more time"},
    "chain.step.reassigned": {"vi": "Chuyển sang {unit}", "en": "Moved to {unit}"},
    "chain.step.withdrawn": {"vi": "Rút nhiệm vụ", "en": "Withdrawn"},
    "chain.took": {"vi": " · sau {span} làm việc", "en": " · after {span} of office time"},
    "chain.late.slow": {
        "vi": " — chậm (quá {hours} giờ)",
        "en": " — slow (over {hours} h)",
    },
    "chain.late.overdue": {
        "vi": " — quá hạn {days} ngày làm việc",
        "en": " — {days:working day|working days} late",
    },
    "chain.wait.ack": {
        "vi": "⏳ Chờ {unit} tiếp nhận: đã {span} làm việc{late}",
        "en": "⏳ Waiting for {unit} to acknowledge: {span} of office time so far{late}",
    },
    "chain.wait.report": {
        "vi": "⏳ Chờ {unit} báo cáo kết quả: đã {span} làm việc{late}",
        "en": "⏳ Waiting for {unit}'s result: {span} of office time so far{late}",
    },
    "chain.wait.review": {
        "vi": "⏳ Chờ {who} duyệt kết quả: đã {span} làm việc{late}",
        "en": "⏳ Waiting for {who} to review the result: {span} of office time so far{late}",
    },
    "chain.wait.extension": {
        "vi": "⏳ Chờ {who} quyết định gia hạn: đã {span} làm việc{late}",
        "en": "⏳ Waiting for {who} to decide on more time: {span} of office time so far{late}",
    },
    "span.minutes": {"vi": "{m} phút", "en": "{m} min"},
    "span.hours": {"vi": "{h} giờ", "en": "{h} h"},
    "span.hours_minutes": {"vi": "{h} giờ {m} phút", "en": "{h} h {m} min"},
    "span.days": {"vi": "{d} ngày", "en": "{d} d"},
    "span.days_hours": {"vi": "{d} ngày {h} giờ", "en": "{d} d {h} h"},
    "history.item.late": {"vi": "⚠️ {when} — {who}: {what}", "en": "⚠️ {when} — {who}: {what}"},
}
