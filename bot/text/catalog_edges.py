"""Messages for the hard edges (issue 12): a unit name that several units share, and what only
some people may see."""

from __future__ import annotations

M_EDGES: dict[str, dict[str, str]] = {
    "unit.ambiguous": {
        "vi": "Có phải: {choices}?\n“{word}” là tên gọi chung của nhiều đơn vị nên chưa có gì được"
        " thực hiện; xin ghi mã đơn vị, ví dụ <code>{code}</code>.",
        "en": "Did you mean: {choices}?\n“{word}” names several units, so nothing was done; write"
        " the unit's code, for example <code>{code}</code>.",
    },
    "unit.or": {"vi": "hay", "en": "or"},
    "visibility.denied_unit": {
        "vi": "Đồng chí chỉ xem được nhiệm vụ của {unit}. Ví dụ: <code>{command}</code>",
        "en": "You can see the tasks of {unit} only. For example: <code>{command}</code>",
    },
    "visibility.denied_task": {
        "vi": "Nhiệm vụ {code} không thuộc {unit}; đồng chí chỉ xem được nhiệm vụ của đơn vị mình"
        " (<code>/viec</code>).",
        "en": "Task {code} is not one of {unit}'s; you can see your own unit's tasks only"
        " (<code>/viec</code>).",
    },
    "visibility.no_unit": {
        "vi": "Đồng chí chưa thuộc đơn vị nào nên chưa xem được nhiệm vụ; xin Văn phòng bổ sung.",
        "en": "You are not in any unit yet, so there are no tasks to show; ask the office.",
    },
}
