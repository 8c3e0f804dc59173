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
}
