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
        "vi": "Cổng {port} ({host}) đang được dùng{by}. Sandbox này không khởi động, không có dữ"
        " liệu nào bị xóa.\nChạy thêm một sandbox trên cổng khác: {command}",
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
        "vi": "Không mở được {host}:{port} ({reason}). Sandbox này không khởi động, không có dữ"
        " liệu nào bị xóa.\nChọn địa chỉ hoặc cổng khác: {command}",
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
        "en": "📄 The content runs to {chars:character|characters}: in full in"
        " {n:message|messages} “{code} — full text” sent with this card.",
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
    # --- settings refused at start -----------------------------------------------------------
    "settings.bad": {
        "vi": "Cấu hình sai {setting}: {detail}",
        "en": "Bad setting {setting}: {detail}",
    },
    "settings.token": {
        "vi": "cần token BotFather đã cấp, dạng 123456789:AAH...",
        "en": "expected the token BotFather gave, like 123456789:AAH...",
    },
    "settings.url": {
        "vi": "cần một địa chỉ dạng https://api.telegram.org",
        "en": "expected a URL like https://api.telegram.org",
    },
    "settings.db_url": {
        "vi": "cần sqlite+aiosqlite:///duong/dan/tep.db hoặc postgresql+asyncpg://user@host/db",
        "en": "expected sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/db",
    },
    "settings.db_url.unreadable": {
        "vi": "không đọc được địa chỉ ({error}); cần sqlite+aiosqlite:///duong/dan/tep.db hoặc"
        " postgresql+asyncpg://user@host/db",
        "en": "not a readable URL ({error}); expected sqlite+aiosqlite:///path/to/file.db or"
        " postgresql+asyncpg://user@host/db",
    },
    "settings.db_url.slashes": {
        "vi": "đường dẫn SQLite cần ba dấu gạch chéo, ví dụ sqlite+aiosqlite:///data/dondoc.db",
        "en": "an SQLite path takes three slashes, like sqlite+aiosqlite:///data/dondoc.db",
    },
    "settings.db_url.no_file": {
        "vi": "cần tên tệp sau sqlite+aiosqlite:///, ví dụ sqlite+aiosqlite:///data/dondoc.db"
        " (cơ sở dữ liệu trong bộ nhớ sẽ mất mỗi lần khởi động lại)",
        "en": "expected a file after sqlite+aiosqlite:///, like sqlite+aiosqlite:///data/"
        "dondoc.db (a database in memory would be lost at every restart)",
    },
    "settings.db_url.no_name": {
        "vi": "cần tên cơ sở dữ liệu, ví dụ postgresql+asyncpg://user@host/dondoc",
        "en": "expected a database name, like postgresql+asyncpg://user@host/dondoc",
    },
    "cli.roster_warning": {"vi": "lưu ý: {warning}", "en": "warning: {warning}"},
    "settings.tz": {
        "vi": "cần tên múi giờ IANA, ví dụ Asia/Ho_Chi_Minh",
        "en": "expected an IANA time zone like Asia/Ho_Chi_Minh",
    },
    "settings.lang": {"vi": "cần vi hoặc en", "en": "expected vi or en"},
    "settings.admins": {
        "vi": "cần các mã Telegram cách nhau bởi dấu phẩy, ví dụ 900001,900002",
        "en": "expected Telegram user ids separated by commas, like 900001,900002",
    },
    "settings.time": {"vi": "cần giờ dạng 08:00", "en": "expected a time like 08:00"},
    "settings.office_order": {
        "vi": "giờ kết thúc phải sau giờ bắt đầu làm việc (DONDOC_OFFICE_START là {start})",
        "en": "the end of office hours must be after their start (DONDOC_OFFICE_START is {start})",
    },
    "settings.lunch": {
        "vi": "cần HH:MM-HH:MM, ví dụ 11:30-13:30, hoặc để trống nếu không nghỉ trưa",
        "en": "expected HH:MM-HH:MM like 11:30-13:30, or empty for none",
    },
    "settings.lunch_inside": {
        "vi": "giờ nghỉ trưa phải nằm trong giờ làm việc (giờ làm việc là {start}-{end})",
        "en": "lunch must lie strictly inside office hours (office hours are {start}-{end})",
    },
    "settings.log_level": {
        "vi": "cần DEBUG, INFO, WARNING, ERROR hoặc CRITICAL",
        "en": "expected DEBUG, INFO, WARNING, ERROR or CRITICAL",
    },
    "settings.event_loop": {
        "vi": "cần auto (uvloop nếu đã cài, không thì vòng lặp của asyncio), uvloop hoặc asyncio,"
        " không phải {got}",
        "en": "expected auto (uvloop where installed, otherwise asyncio's loop), uvloop or"
        " asyncio, got {got}",
    },
    "settings.event_loop_missing": {
        "vi": "uvloop chưa được cài trên máy này (pip install uvloop), hoặc để auto",
        "en": "uvloop is not installed here (pip install uvloop); or leave it at auto",
    },
    "settings.bool": {
        "vi": "cần true hoặc false, không phải {got}",
        "en": "expected true or false, got {got}",
    },
    "settings.int": {
        "vi": "cần một số nguyên, ví dụ 8080, không phải {got}",
        "en": "expected a whole number, like 8080, got {got}",
    },
    "settings.port": {
        "vi": "cần một số từ 0 đến 65535, không phải {got}",
        "en": "expected a number from 0 to 65535, got {got}",
    },
    "settings.other": {"vi": "{detail}", "en": "{detail}"},
    "settings.visibility": {
        "vi": "cần public (mọi người trong danh sách xem được nhiệm vụ của mọi đơn vị) hoặc unit"
        " (cán bộ đơn vị xem nhiệm vụ của đơn vị mình; lãnh đạo và Văn phòng xem tất cả)",
        "en": "expected public (everyone on the roster reads every unit's tasks) or unit"
        " (a unit's people read their own unit's; leaders and the office read all)",
    },
    "settings.day_off_rule": {
        "vi": "cần next (hạn rơi vào ngày nghỉ thì dời sang ngày làm việc kế tiếp) hoặc previous"
        " (lùi về ngày làm việc liền trước), không phải {got}",
        "en": "expected next or previous, got {got}",
    },
    "settings.fake_now": {
        "vi": "cần một thời điểm dạng 2026-12-04T08:00:00+07:00",
        "en": "expected a moment like 2026-12-04T08:00:00+07:00",
    },
    "settings.fake_now_offset": {
        "vi": "cần thời điểm kèm múi giờ, dạng 2026-12-04T08:00+07:00",
        "en": "expected a moment with its offset, like 2026-12-04T08:00+07:00",
    },
    "settings.webhook_url": {
        "vi": "cần địa chỉ HTTPS công khai của bot, dạng https://bot.example.gov.vn/telegram",
        "en": "expected the bot's public HTTPS address, like https://bot.example.gov.vn/telegram",
    },
    "settings.webhook_secret_missing": {
        "vi": "phải đặt cùng DONDOC_WEBHOOK_URL: từ 32 ký tự ngẫu nhiên trở lên gồm chữ, số, _"
        " hoặc -, như kết quả của lệnh `openssl rand -hex 32`",
        "en": "must be set with DONDOC_WEBHOOK_URL: 32 or more random letters, digits, _ or -,"
        " like the output of `openssl rand -hex 32`",
    },
    "settings.webhook_secret": {
        "vi": "cần từ 16 đến 256 ký tự gồm chữ, số, _ hoặc -, như kết quả của lệnh"
        " `openssl rand -hex 32`",
        "en": "expected 16 to 256 letters, digits, _ or -, like the output of"
        " `openssl rand -hex 32`",
    },
    "settings.backup_keep": {
        "vi": "cần số bản sao lưu hằng đêm được giữ lại, từ 1 trở lên, ví dụ 7",
        "en": "expected how many nightly backups to keep, 1 or more, like 7",
    },
    "settings.backup_at": {"vi": "cần giờ dạng 02:00", "en": "expected a time like 02:00"},
    "settings.text": {
        "vi": "cần một chuỗi chữ, không phải {got}",
        "en": "expected text, got {got}",
    },
    # --- the command line (plain text) ---------------------------------------------------------
    "cli.no_token": {
        "vi": "Chưa có TELEGRAM_BOT_TOKEN: mở sandbox, Telegram giả lập trên máy này với một phường"
        " mẫu (để chạy trên Telegram thật: nhắn /newbot cho @BotFather để lấy token rồi ghi"
        " TELEGRAM_BOT_TOKEN=... vào tệp .env; xem README.md).",
        "en": "TELEGRAM_BOT_TOKEN is not set: starting the sandbox, a local Telegram stand-in with"
        " a demo ward (to run on real Telegram, get a token from @BotFather with /newbot and put"
        " TELEGRAM_BOT_TOKEN=... in .env; see README.md).",
    },
    "cli.bad_token": {
        "vi": "Telegram ({url}) từ chối TELEGRAM_BOT_TOKEN: chép lại token @BotFather đã cấp"
        " (/mybots → bot → API Token) vào tệp .env.",
        "en": "Telegram ({url}) refused TELEGRAM_BOT_TOKEN: copy the token @BotFather gave again"
        " (/mybots → the bot → API Token) into .env.",
    },
    "cli.unreachable": {
        "vi": "Không kết nối được Telegram Bot API tại {url} ({error}). Kiểm tra mạng, hoặc đặt"
        " TELEGRAM_API_URL là một máy chủ Bot API máy này truy cập được; khi chưa có token,"
        " `make run` mở sandbox trên máy này.",
        "en": "Cannot reach the Telegram Bot API at {url} ({error}). Check the network, or set"
        " TELEGRAM_API_URL to a Bot API server this machine can reach; without a token,"
        " `make run` starts the local sandbox instead.",
    },
    "cli.running": {
        "vi": "Bot @{username} đang chạy (mã {id}). Ctrl-C để dừng.",
        "en": "Bot @{username} is running (id {id}). Ctrl-C stops it.",
    },
    "cli.db_upgraded": {
        "vi": "Cơ sở dữ liệu đã được cập nhật: {url}",
        "en": "Database is up to date: {url}",
    },
    "cli.roster_refused": {
        "vi": "Tệp danh sách bị từ chối; chưa ghi gì:",
        "en": "The roster file was refused; nothing was written:",
    },
    "import.nothing": {
        "vi": "Không có gì thay đổi: cơ sở dữ liệu đã khớp với tệp.",
        "en": "Nothing to change: the database already matches the file.",
    },
    "import.units_added": {
        "vi": "thêm đơn vị: {count} ({names})",
        "en": "units added: {count} ({names})",
    },
    "import.units_changed": {
        "vi": "sửa đơn vị: {count} ({names})",
        "en": "units changed: {count} ({names})",
    },
    "import.people_added": {
        "vi": "thêm cán bộ: {count} ({names})",
        "en": "people added: {count} ({names})",
    },
    "import.people_changed": {
        "vi": "sửa cán bộ: {count} ({names})",
        "en": "people changed: {count} ({names})",
    },
    "import.people_deactivated": {
        "vi": "ngừng kích hoạt cán bộ: {count} ({names})",
        "en": "people deactivated: {count} ({names})",
    },
    "import.leadership": {"vi": "đã đặt nhóm lãnh đạo", "en": "leadership chat set"},
    "import.rules": {
        "vi": "đã đổi quy tắc đôn đốc, lịch làm việc hoặc cấu hình báo cáo",
        "en": "policy, calendar or reports settings changed",
    },
    "import.name": {
        "vi": "đã đổi tên hoặc địa danh của UBND",
        "en": "committee name or place changed",
    },
    "cli.write.no_folder": {
        "vi": "không ghi được {path}: thư mục {folder} không tồn tại",
        "en": "cannot write {path}: the folder {folder} does not exist",
    },
    "cli.write.is_folder": {
        "vi": "không ghi được {path}: đó là một thư mục",
        "en": "cannot write {path}: it is a folder",
    },
    "cli.write.failed": {
        "vi": "không ghi được {path}: {reason}",
        "en": "cannot write {path}: {reason}",
    },
    "cli.no_chart": {
        "vi": "(không có nhiệm vụ: không vẽ biểu đồ)",
        "en": "(no tasks: no chart drawn)",
    },
    "cli.month_not_started": {
        "vi": "tháng {month} chưa bắt đầu",
        "en": "the month {month} has not started yet",
    },
    "period.week_not_started": {
        "vi": "tuần {week} chưa bắt đầu",
        "en": "the week {week} has not started yet",
    },
    "period.week_form": {
        "vi": "tuần ghi dạng 2026-W47, không phải {text}",
        "en": "a week is written like 2026-W47, not {text}",
    },
    "period.no_week": {
        "vi": "năm {year} không có tuần {week}: các tuần ISO của năm là W01 đến W{weeks}",
        "en": "{year} has no week {week}: its ISO weeks run from W01 to W{weeks}",
    },
    "period.month_form": {
        "vi": "tháng ghi dạng 2026-11 hoặc 11/2026, không phải {text}",
        "en": "a month is written like 2026-11 or 11/2026, not {text}",
    },
    "period.no_month": {"vi": "không có tháng {month}", "en": "no month {month}"},
    "cli.not_a_year": {
        "vi": "“{text}” không phải một năm (ví dụ 2027)",
        "en": "not a year: “{text}” (for example 2027)",
    },
}
