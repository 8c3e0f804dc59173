"""Messages added while trying intake as a new user would: which rule moved a deadline off a day
off, an expired draft, a cooperating unit outside the roster, the series a task belongs to."""

from __future__ import annotations

M_INTAKE: dict[str, dict[str, str]] = {
    # Appended to /giao's confirmation; {day} is the day as written (dd/mm/yyyy).
    "rolled.next": {
        "vi": "\n(Ngày {day} là ngày nghỉ nên hạn chuyển sang cuối ngày làm việc tiếp theo,"
        " theo Điều 148 Bộ luật Dân sự.)",
        "en": "\n({day} is a day off, so the deadline moves to the end of the next working day,"
        " as Civil Code art. 148 has it.)",
    },
    "rolled.previous": {
        "vi": "\n(Ngày {day} là ngày nghỉ nên hạn chuyển về cuối ngày làm việc liền trước,"
        " theo cách tính của cơ quan: việc “trước ngày” nghỉ phải xong trước ngày nghỉ.)",
        "en": "\n({day} is a day off, so the deadline moves back to the end of the previous"
        " working day, as this office counts: work due “before” a day off is done before it.)",
    },
    "rolled.fallback": {
        "vi": "\n(Ngày {day} là ngày nghỉ và ngày làm việc liền trước đã qua, nên hạn chuyển"
        " sang cuối ngày làm việc tiếp theo, theo Điều 148 Bộ luật Dân sự.)",
        "en": "\n({day} is a day off and the working day before it has passed, so the deadline"
        " moves to the end of the next working day, as Civil Code art. 148 has it.)",
    },
    # On a draft's line, after the deadline: the day as written was a day off.
    "draft.rolled.next": {
        "vi": " (ngày {day} là ngày nghỉ, chuyển sang ngày làm việc tiếp theo)",
        "en": " ({day} is a day off: moved to the next working day)",
    },
    "draft.rolled.previous": {
        "vi": " (ngày {day} là ngày nghỉ, chuyển về ngày làm việc liền trước)",
        "en": " ({day} is a day off: moved back to the previous working day)",
    },
    # The card and /nv of a period's task of a recurring series.
    "card.series": {
        "vi": "<b>Định kỳ:</b> {code} ({rule}){period}",
        "en": "<b>Recurring:</b> {code} ({rule}){period}",
    },
    "card.series.period": {"vi": ", kỳ {period}", "en": ", period {period}"},
    # Under a draft's item: a cooperating body not on the roster, left out (a note, not a block).
    "draft.flag.outside_unit": {
        "vi": "ℹ️ “{detail}” không có trong danh sách đơn vị: không giao phối hợp"
        " (không cản việc giao)",
        "en": "ℹ️ “{detail}” is not on the roster: not made a cooperating unit"
        " (does not stop confirming)",
    },
    # The history note of a series' task made after its period's deadline had passed.
    "series.late_period": {
        "vi": "Giao muộn kỳ {period}: hạn của kỳ ({missed}) đã qua khi nhiệm vụ được tạo (bot"
        " tạm dừng), nên hạn tính lại là {due}.",
        "en": "Late for {period}: the period's deadline ({missed}) had passed when the task was"
        " made (the bot was stopped), so the deadline is {due}.",
    },
}
