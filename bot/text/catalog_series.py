"""Messages of the recurring series (nhiệm vụ định kỳ): /giao's confirmation, /dinhky, /huy."""

from __future__ import annotations

_EXAMPLES_VI = (
    "<code>hạn ngày 20 hàng tháng</code>, <code>hàng tuần thứ 6</code>,"
    " <code>hàng quý trước ngày 15 tháng cuối quý</code>, <code>hàng năm 15/12</code>"
)
_EXAMPLES_EN = _EXAMPLES_VI

M_SERIES: dict[str, dict[str, str]] = {
    "series.no_day": {
        "vi": "Nhiệm vụ định kỳ cần ghi ngày hạn của mỗi kỳ, ví dụ: " + _EXAMPLES_VI + ".",
        "en": "A recurring task needs the deadline's day in each period, for example: "
        + _EXAMPLES_EN
        + ".",
    },
    "series.invalid": {
        "vi": "Không có ngày “{text}” trong lịch định kỳ. Ghi ngày có thật, ví dụ: "
        + _EXAMPLES_VI
        + ".",
        "en": "“{text}” is not a day a recurring deadline can fall on. For example: "
        + _EXAMPLES_EN
        + ".",
    },
    "series.confirm": {
        "vi": "\n🔁 Nhiệm vụ định kỳ <b>{code}</b>: {rule}. Nhiệm vụ trên là kỳ {period}."
        "\nKỳ sau: {next_period}, hạn {next_due}, được giao tự động ngày {next_start}."
        "\nXem các nhiệm vụ định kỳ: /dinhky · kết thúc: <code>/huy {code} &lt;lý do&gt;</code>",
        "en": "\n🔁 Recurring task <b>{code}</b>: {rule}. The task above is for {period}."
        "\nNext: {next_period}, due {next_due}, assigned automatically on {next_start}."
        "\nRecurring tasks: /dinhky · to end it: <code>/huy {code} &lt;reason&gt;</code>",
    },
    "series.rule.W": {"vi": "{weekday} hằng tuần", "en": "weekly on {weekday}"},
    "series.rule.M": {"vi": "ngày {day} hằng tháng", "en": "monthly on day {day}"},
    "series.rule.M.last": {"vi": "ngày cuối tháng, hằng tháng", "en": "monthly on the last day"},
    "series.rule.Q": {
        "vi": "ngày {day} {month}, hằng quý",
        "en": "quarterly on day {day} of {month}",
    },
    "series.rule.Q.last": {"vi": "ngày cuối quý, hằng quý", "en": "quarterly on the last day"},
    "series.rule.Y": {"vi": "ngày {date} hằng năm", "en": "yearly on {date}"},
    "series.rule.at": {"vi": " lúc {time}", "en": " at {time}"},
    "series.qmonth.1": {"vi": "tháng đầu quý", "en": "the quarter's first month"},
    "series.qmonth.2": {"vi": "tháng giữa quý", "en": "the quarter's second month"},
    "series.qmonth.3": {"vi": "tháng cuối quý", "en": "the quarter's last month"},
    "series.period.W": {
        "vi": "tuần {week}/{year} ({start}–{end})",
        "en": "week {week}/{year} ({start}–{end})",
    },
    "series.period.M": {"vi": "tháng {month}/{year}", "en": "{month}/{year}"},
    "series.period.Q": {"vi": "quý {quarter}/{year}", "en": "Q{quarter}/{year}"},
    "series.period.Y": {"vi": "năm {year}", "en": "{year}"},
    # --- /dinhky ---------------------------------------------------------------------------------
    "series.list.title": {
        "vi": "🔁 <b>Nhiệm vụ định kỳ</b>{scope}",
        "en": "🔁 <b>Recurring tasks</b>{scope}",
    },
    "series.list.empty": {
        "vi": "Chưa có nhiệm vụ định kỳ{scope}. Giao bằng /giao với thời hạn định kỳ, ví dụ"
        " <code>/giao {ex_unit} Báo cáo tình hình thu chi ngân sách"
        " hạn ngày 20 hàng tháng</code>.",
        "en": "No recurring tasks{scope}. Assign one with /giao and a recurring deadline, for"
        " example <code>/giao {ex_unit} Báo cáo tình hình thu chi ngân sách"
        " hạn ngày 20 hàng tháng</code>.",
    },
    "series.list.item": {
        "vi": "\n<b>{code}</b> · {unit} · {rule}\n{content}\n{state} · đã giao {made} kỳ,"
        " hoàn thành {done}, quá hạn {late}",
        "en": "\n<b>{code}</b> · {unit} · {rule}\n{content}\n{state} · {made} assigned,"
        " {done} done, {late} late",
    },
    "series.list.next": {"vi": "Hạn tới: {due}", "en": "Next deadline: {due}"},
    "series.list.ended": {"vi": "Đã kết thúc {when}", "en": "Ended {when}"},
    "series.list.more": {"vi": "… và {count} nhiệm vụ định kỳ khác.", "en": "… and {count} more."},
    # --- /huy <series code> ----------------------------------------------------------------------
    "series.usage_end": {
        "vi": "Cách dùng: <code>/huy &lt;mã định kỳ&gt; &lt;lý do&gt;</code>"
        "\nVí dụ: <code>/huy DK-0001 đã lồng ghép vào báo cáo quý</code>",
        "en": "Usage: <code>/huy &lt;series code&gt; &lt;reason&gt;</code>"
        "\nExample: <code>/huy DK-0001 now part of the quarterly report</code>",
    },
    "series.not_found": {
        "vi": "Không tìm thấy nhiệm vụ định kỳ {code}. Gõ /dinhky để xem danh sách.",
        "en": "No recurring task {code}. Type /dinhky for the list.",
    },
    "series.already_ended": {
        "vi": "Nhiệm vụ định kỳ {code} đã kết thúc lúc {when}.",
        "en": "Recurring task {code} already ended on {when}.",
    },
    "series.denied": {
        "vi": "Chỉ người giao việc, lãnh đạo phụ trách hoặc Văn phòng được kết thúc nhiệm vụ"
        " định kỳ.",
        "en": "Only the assigner, the supervising leader or the office may end a recurring task.",
    },
    "series.ended": {
        "vi": "🔚 Đã kết thúc nhiệm vụ định kỳ <b>{code}</b>: không giao thêm kỳ mới; lịch sử"
        " được giữ nguyên. {open}",
        "en": "🔚 Recurring task <b>{code}</b> ended: no new periods will be assigned; its"
        " history is kept. {open}",
    },
    "series.ended.notice": {
        "vi": "🔚 Nhiệm vụ định kỳ <b>{code}</b> ({content}) đã kết thúc theo quyết định của"
        " {who}. Lý do: {reason}. Không giao thêm kỳ mới. {open}",
        "en": "🔚 Recurring task <b>{code}</b> ({content}) was ended by {who}: {reason}."
        " No new periods will be assigned. {open}",
    },
    "series.ended.open": {
        "vi": "Các nhiệm vụ đã giao vẫn mở và vẫn được đôn đốc: {tasks}. Muốn rút nhiệm vụ nào,"
        " gửi <code>/huy &lt;mã&gt; &lt;lý do&gt;</code>.",
        "en": "The tasks already assigned stay open and are still chased: {tasks}. To withdraw"
        " one, send <code>/huy &lt;code&gt; &lt;reason&gt;</code>.",
    },
    "series.ended.task": {"vi": "{code} (hạn {due})", "en": "{code} (due {due})"},
    "series.ended.none_open": {
        "vi": "Không còn nhiệm vụ nào của định kỳ này đang mở.",
        "en": "None of its tasks is still open.",
    },
}
