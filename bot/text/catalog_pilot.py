"""Messages added for the pilot ward (issue 11): the command line's own lines, and the cards and
notices that tell what happened. Same shape as :data:`bot.text.catalog.M`; the command line's
entries are plain text (no HTML), since they go to a terminal."""

from __future__ import annotations

M_PILOT: dict[str, dict[str, str]] = {
    # --- `dondoc sandbox` / `make run` without a token -------------------------------------------
    "cli.sandbox.banner": {
        "vi": "Mở địa chỉ này trong trình duyệt. Ctrl-C để dừng.",
        "en": "Open this address in a browser. Ctrl-C stops it.",
    },
    "cli.sandbox.stopping": {
        "vi": "Đang dừng sandbox…",
        "en": "Stopping the sandbox…",
    },
    "cli.sandbox.port_taken": {
        "vi": "Cổng {port} ({host}) đang được dùng{by}. Sandbox này không khởi động, không dữ liệu"
        " nào bị xóa.\nChạy thêm một sandbox trên cổng khác: {command}",
        "en": "Port {port} ({host}) is in use{by}. This sandbox did not start and no data was"
        " removed.\nTo run another sandbox on another port: {command}",
    },
    "cli.sandbox.port_taken.by_sandbox": {
        "vi": " bởi sandbox đang chạy tại {url} (mở địa chỉ đó để dùng tiếp)",
        "en": " by the sandbox running at {url} (open that address to carry on)",
    },
    "cli.sandbox.port_taken.by_other": {
        "vi": " (có thể bởi một sandbox đang chạy, hoặc một chương trình khác)",
        "en": " (perhaps by a sandbox already running, or by another program)",
    },
    "cli.sandbox.cannot_listen": {
        "vi": "Không mở được {host}:{port} ({reason}). Sandbox này không khởi động, không dữ liệu"
        " nào bị xóa.\nChọn địa chỉ hoặc cổng khác: {command}",
        "en": "Cannot listen on {host}:{port} ({reason}). This sandbox did not start and no data"
        " was removed.\nChoose another address or port: {command}",
    },
    "cli.sandbox.command": {
        "vi": "{make} (hoặc .venv/bin/dondoc sandbox --port {port})",
        "en": "{make} (or .venv/bin/dondoc sandbox --port {port})",
    },
    "cli.sandbox.db_in_use": {
        "vi": "Cơ sở dữ liệu {db} đang được {holder} dùng nên không bị xóa; sandbox này không khởi"
        " động.\nDừng sandbox kia (Ctrl-C), hoặc dùng cơ sở dữ liệu khác:"
        " .venv/bin/dondoc sandbox --db sqlite+aiosqlite:///data/sandbox-2.db",
        "en": "The database {db} is in use by {holder}, so it was left alone; this sandbox did not"
        " start.\nStop that sandbox (Ctrl-C), or use another database:"
        " .venv/bin/dondoc sandbox --db sqlite+aiosqlite:///data/sandbox-2.db",
    },
    "cli.sandbox.holder": {
        "vi": "sandbox tại {url}",
        "en": "the sandbox at {url}",
    },
    "cli.sandbox.holder.unknown": {
        "vi": "một sandbox khác",
        "en": "another sandbox",
    },
    "cli.sandbox.own_db": {
        "vi": "{db} đang được {holder} dùng: sandbox này dùng {own} (dữ liệu của sandbox kia được"
        " giữ nguyên).",
        "en": "{db} is in use by {holder}: this sandbox uses {own} (the other sandbox's data is"
        " left alone).",
    },
    # --- cards: who did what, when ----------------------------------------------------------
    "card.acknowledged": {
        "vi": "<b>Tiếp nhận:</b> {who}, {when}",
        "en": "<b>Acknowledged:</b> {who}, {when}",
    },
    "card.reported_by": {
        "vi": " — {who} báo cáo lúc {when}",
        "en": " — reported by {who} at {when}",
    },
    "card.approved_by": {
        "vi": "; {who} duyệt lúc {when}",
        "en": "; approved by {who} at {when}",
    },
    # --- a decided question keeps the decision ----------------------------------------------
    "decision.approved": {
        "vi": "✅ Đã duyệt — {who}, {when}",
        "en": "✅ Approved — {who}, {when}",
    },
    "decision.returned": {
        "vi": "↩️ Đã trả lại — {who}, {when}. Lý do: {reason}",
        "en": "↩️ Returned — {who}, {when}. Reason: {reason}",
    },
    "decision.ext_approved": {
        "vi": "✅ Đã đồng ý gia hạn đến {due} — {who}, {when}",
        "en": "✅ Extended to {due} — {who}, {when}",
    },
    "decision.ext_refused": {
        "vi": "❌ Đã từ chối — {who}, {when}",
        "en": "❌ Refused — {who}, {when}",
    },
    "ext.to_decider.with_task": {
        "vi": "⏳ {unit} xin gia hạn nhiệm vụ <b>{code}</b> ({who}):\n<i>Nội dung nhiệm vụ:</i>"
        " {content}\nHạn hiện tại: {current}\nĐề nghị đến: {proposed}\nLý do: {reason}\n"
        "<i>Để đồng ý với ngày khác, trả lời (reply) tin nhắn này bằng ngày đó, ví dụ"
        " <code>30/12</code>.</i>",
        "en": "⏳ {unit} asks to extend task <b>{code}</b> ({who}):\n<i>Task:</i> {content}\n"
        "Current deadline: {current}\nProposed: {proposed}\nReason: {reason}\n<i>To grant a"
        " different date, reply to this message with it, for example <code>30/12</code>.</i>",
    },
    # --- a reply to a card that can take no more reports ------------------------------------
    "reply.reported": {
        "vi": "Nhiệm vụ {code} đang chờ duyệt kết quả ({who} báo cáo lúc {when}); chưa thể báo cáo"
        " thêm. Lãnh đạo duyệt hoặc trả lại; khi được trả lại, đơn vị báo cáo lại bằng"
        " <code>/xong {code} &lt;kết quả&gt;</code>.",
        "en": "Task {code} has a result awaiting review (reported by {who} at {when}); nothing"
        " more can be reported now. The leader approves or returns it; once returned, the unit"
        " reports again with <code>/xong {code} &lt;result&gt;</code>.",
    },
    "reply.done": {
        "vi": "Nhiệm vụ {code} đã hoàn thành ({who} báo cáo lúc {when}); không cần báo cáo thêm."
        " Xem diễn biến: <code>/nv {code}</code>.",
        "en": "Task {code} is done (reported by {who} at {when}); nothing more to report. Its"
        " history: <code>/nv {code}</code>.",
    },
    "reply.withdrawn": {
        "vi": "Nhiệm vụ {code} đã được rút; không cần báo cáo. Xem diễn biến:"
        " <code>/nv {code}</code>.",
        "en": "Task {code} was withdrawn; nothing to report. Its history: <code>/nv {code}</code>.",
    },
    # --- long content ---------------------------------------------------------------------
    "card.full_text_note": {
        "vi": "📄 Nội dung dài {chars} ký tự: toàn văn ở {n} tin nhắn “{code} — toàn văn” gửi"
        " kèm thẻ này.",
        "en": "📄 The content runs to {chars} characters: in full in {n} messages “{code} — full"
        " text” sent with this card.",
    },
    "card.full_text": {
        "vi": "📄 <b>{code} — toàn văn ({n}/{of})</b>\n{text}",
        "en": "📄 <b>{code} — full text ({n}/{of})</b>\n{text}",
    },
    # --- /donvi ----------------------------------------------------------------------------
    "donvi.title": {
        "vi": "🏢 <b>Các đơn vị</b> ({count}) — dùng mã đơn vị trong lệnh:",
        "en": "🏢 <b>Units</b> ({count}) — commands take the unit code:",
    },
    "donvi.unit": {"vi": "• <b>{code}</b> — {name}", "en": "• <b>{code}</b> — {name}"},
    "donvi.aliases": {"vi": "tên khác: {names}", "en": "also: {names}"},
    "donvi.head": {"vi": "trưởng đơn vị: {who}", "en": "head: {who}"},
    "donvi.no_head": {"vi": "chưa có trưởng đơn vị", "en": "no head yet"},
    "donvi.group": {"vi": "nhóm chat: đã đăng ký", "en": "group chat: registered"},
    "donvi.no_group": {
        "vi": "nhóm chat: chưa đăng ký (<code>/dangky {code}</code>)",
        "en": "group chat: not registered (<code>/dangky {code}</code>)",
    },
    "donvi.leadership": {
        "vi": "Nhóm lãnh đạo: đã đăng ký.",
        "en": "Leadership group: registered.",
    },
    "donvi.no_leadership": {
        "vi": "Nhóm lãnh đạo: chưa đăng ký (<code>/dangky lanhdao</code> trong nhóm đó).",
        "en": "Leadership group: not registered (<code>/dangky lanhdao</code> in that group).",
    },
    "donvi.example": {
        "vi": "Ví dụ: <code>/giao {code} Báo cáo kết quả rà soát hạn 15/12</code>",
        "en": "For example: <code>/giao {code} Báo cáo kết quả rà soát hạn 15/12</code>",
    },
    "donvi.empty": {
        "vi": "Chưa có đơn vị nào. Quản trị viên nhập danh sách bằng"
        " <code>dondoc org import danh-sach.yaml</code>.",
        "en": "No units yet. An administrator imports the roster with"
        " <code>dondoc org import roster.yaml</code>.",
    },
}
