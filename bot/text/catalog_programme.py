"""Messages of the annual programme import (/chuongtrinh and `dondoc program`).

The command line prints them with the HTML tags taken out."""

from __future__ import annotations

M_PROGRAMME: dict[str, dict[str, str]] = {
    "programme.usage": {
        "vi": "Cách dùng: gửi tệp Excel (.xlsx) chương trình công tác năm, chú thích"
        " <code>/chuongtrinh</code> (hoặc <code>/chuongtrinh 2027</code> để chọn năm)."
        "\nCột cần có: STT, Nội dung, Đơn vị chủ trì, Đơn vị phối hợp, Thời gian"
        " (ví dụ: 3, Tháng 3, Quý II, 6 tháng đầu năm, Cả năm, Hàng tháng, 15/3/2027)."
        " Quản trị viên tạo được tệp mẫu trên máy chủ bằng lệnh"
        " <code>dondoc program template</code>.",
        "en": "Usage: send the annual work programme as an Excel file (.xlsx) with the caption"
        " <code>/chuongtrinh</code> (or <code>/chuongtrinh 2027</code> to choose the year)."
        "\nColumns: STT, Nội dung, Đơn vị chủ trì, Đơn vị phối hợp, Thời gian"
        " (for example 3, Tháng 3, Quý II, 6 tháng đầu năm, Cả năm, Hàng tháng, 15/3/2027)."
        " An administrator can make a template on the server with"
        " <code>dondoc program template</code>.",
    },
    "programme.denied": {
        "vi": "Chỉ Văn phòng hoặc quản trị viên được nhập chương trình công tác.",
        "en": "Only the office or an administrator may import the work programme.",
    },
    "programme.too_big": {
        "vi": "Tệp quá lớn ({size} MB): bot chỉ tải được tệp đến 20 MB.",
        "en": "The file is too big ({size} MB): the bot can fetch files of up to 20 MB.",
    },
    "programme.download_failed": {
        "vi": "Không tải được tệp từ Telegram; đề nghị đồng chí gửi lại.",
        "en": "The file could not be fetched from Telegram; please send it again.",
    },
    "programme.not_xlsx": {
        "vi": "Tệp “{name}” không phải bảng tính Excel .xlsx nên chưa nhập được. Mở tệp trong"
        " Excel, chọn Lưu thành → Sổ làm việc Excel (.xlsx) rồi gửi lại.",
        "en": "“{name}” is not an Excel .xlsx workbook, so nothing was imported. Open it in"
        " Excel, Save As → Excel Workbook (.xlsx), and send it again.",
    },
    "programme.no_header": {
        "vi": "Không tìm thấy dòng tiêu đề bảng trong 30 dòng đầu của tệp “{name}”: thiếu cột"
        " {missing}. Tiêu đề cột cần có, theo thứ tự bất kỳ: Nội dung (hoặc Tên nhiệm vụ),"
        " Đơn vị chủ trì, Thời gian (hoặc Thời hạn); STT, Đơn vị phối hợp, Lãnh đạo phụ trách,"
        " Ghi chú nếu có.",
        "en": "No table header found in the first 30 rows of “{name}” (missing: {missing})."
        " Headers needed, in any order: Nội dung (or Tên nhiệm vụ), Đơn vị chủ trì,"
        " Thời gian (or Thời hạn); STT, Đơn vị phối hợp, Lãnh đạo phụ trách, Ghi chú if any.",
    },
    "programme.column.content": {"vi": "“Nội dung”", "en": "“Nội dung” (content)"},
    "programme.column.lead": {"vi": "“Đơn vị chủ trì”", "en": "“Đơn vị chủ trì” (lead unit)"},
    "programme.column.time": {"vi": "“Thời gian”", "en": "“Thời gian” (time)"},
    "programme.bad_year": {
        "vi": "Năm “{text}” không hợp lệ. Ví dụ: <code>/chuongtrinh 2027</code>.",
        "en": "“{text}” is not a year. Example: <code>/chuongtrinh 2027</code>.",
    },
    # --- the preview ---------------------------------------------------------------------------
    "programme.title": {
        "vi": "📋 <b>Chương trình công tác năm {year}</b> — tệp “{name}”",
        "en": "📋 <b>Work programme {year}</b> — file “{name}”",
    },
    "programme.year.title": {
        "vi": "Năm {year} lấy theo tiêu đề của tệp.",
        "en": "The year {year} is taken from the file's title.",
    },
    "programme.year.default": {
        "vi": "Tệp không ghi năm nên lấy năm nay ({year}); để chọn năm khác: {how}.",
        "en": "The file names no year, so this year ({year}) is used; to choose another: {how}.",
    },
    "programme.year.given": {"vi": "Năm {year}.", "en": "Year {year}."},
    "programme.how.cli": {"vi": "<code>--year 2027</code>", "en": "<code>--year 2027</code>"},
    "programme.how.chat": {
        "vi": "<code>/chuongtrinh 2027</code>",
        "en": "<code>/chuongtrinh 2027</code>",
    },
    "programme.summary": {
        "vi": "Đọc được {rows} dòng → <b>{tasks} nhiệm vụ</b>. Nhiệm vụ chưa gửi ngay: mỗi nhiệm"
        " vụ được giao cho đơn vị (thẻ nhiệm vụ, đôn đốc) vào ngày làm việc đầu tiên của tháng"
        " bắt đầu, đầu giờ làm việc.",
        "en": "{rows:row|rows} read → <b>{tasks:task|tasks}</b>. Nothing is posted now: each is"
        " assigned to its unit (card, reminders) on the first working day of the month it"
        " starts, at the start of office hours.",
    },
    "programme.per_unit": {
        "vi": "<b>Theo đơn vị chủ trì:</b> {items}",
        "en": "<b>Per lead unit:</b> {items}",
    },
    "programme.per_month": {
        "vi": "<b>Theo tháng đến hạn:</b> {items}",
        "en": "<b>Per month due:</b> {items}",
    },
    "programme.month": {"vi": "T{month}/{year}: {count}", "en": "{month}/{year}: {count}"},
    "programme.no_deadline": {"vi": "không thời hạn: {count}", "en": "no deadline: {count}"},
    "programme.now_due": {
        "vi": "{count} nhiệm vụ đã đến tháng bắt đầu: được giao ngay khi nhập"
        " (trong giờ làm việc).",
        "en": "{count:task has reached its month: it is|tasks have reached their month: they"
        " are} assigned as soon as imported (in office hours).",
    },
    "programme.skipped_slots": {
        "vi": "Bỏ qua {count} lượt của các việc hàng tháng/hàng quý đã qua hạn.",
        "en": "{count} monthly or quarterly occurrences already past are left out.",
    },
    "programme.problems": {
        "vi": "⚠️ <b>{count} dòng không nhập</b> (sửa trong tệp rồi gửi lại nếu cần):",
        "en": "⚠️ <b>{count:row|rows} not imported</b> (fix them in the file and send it again if"
        " needed):",
    },
    "programme.problem": {"vi": "• Dòng {row}: {why}", "en": "• Row {row}: {why}"},
    # Rows kept with a cooperating body outside the roster (as a draft notes such an item).
    "programme.notes": {
        "vi": "ℹ️ <b>{count} dòng có cơ quan phối hợp không có trong danh sách đơn vị</b>: vẫn"
        " nhập; tên cơ quan được ghi vào nội dung nhiệm vụ, không giao phối hợp qua bot:",
        "en": "ℹ️ <b>{count:row names|rows name} a cooperating body not on the roster</b>:"
        " imported all the same; the body's name is written into the task, not made a"
        " cooperating unit:",
    },
    "programme.note": {
        "vi": "• Dòng {row}: “{detail}”{suggest}",
        "en": "• Row {row}: “{detail}”{suggest}",
    },
    "programme.notes.more": {
        "vi": "… và {count} dòng khác.",
        "en": "… and {count:more row|more rows}.",
    },
    "programme.problems.more": {
        "vi": "… và {count} dòng khác: sửa các dòng trên trong tệp rồi gửi lại để xem tiếp.",
        "en": "… and {count:more row|more rows}: fix the rows above in the file and send it"
        " again to see the rest.",
    },
    "programme.why.no_content": {"vi": "không có nội dung", "en": "no content"},
    "programme.why.no_lead": {"vi": "không ghi đơn vị chủ trì", "en": "no lead unit"},
    "programme.why.unknown_lead": {
        "vi": "không có đơn vị chủ trì “{detail}” trong danh sách{suggest}",
        "en": "no unit “{detail}” on the roster{suggest}",
    },
    "programme.why.several_leads": {
        "vi": "ghi nhiều đơn vị chủ trì “{detail}”: mỗi nhiệm vụ một đơn vị chủ trì, các đơn vị"
        " khác ghi ở cột phối hợp",
        "en": "several lead units “{detail}”: one lead unit per task, the others go in the"
        " cooperating column",
    },
    "programme.why.no_time": {"vi": "không ghi thời gian", "en": "no time given"},
    "programme.why.unreadable_time": {
        "vi": "không đọc được thời gian “{detail}” (ví dụ: 3, Tháng 3, Quý II, 6 tháng đầu năm,"
        " Cả năm, Hàng tháng, 15/3/2027)",
        "en": "cannot read the time “{detail}” (for example 3, Tháng 3, Quý II, 6 tháng đầu năm,"
        " Cả năm, Hàng tháng, 15/3/2027)",
    },
    "programme.why.past": {"vi": "hạn {date} đã qua", "en": "the deadline {date} has passed"},
    "programme.suggest": {"vi": " (có phải {codes}?)", "en": " (did you mean {codes}?)"},
    "programme.nothing": {
        "vi": "Không có nhiệm vụ nào để nhập.",
        "en": "There is no task to import.",
    },
    "programme.already": {
        "vi": "Tệp này đã được nhập lúc {when} ({count} nhiệm vụ): không có gì thay đổi.",
        "en": "This file was already imported at {when} ({count:task|tasks}): nothing changed.",
    },
    # --- deciding ------------------------------------------------------------------------------
    "programme.button.import": {
        "vi": "✅ Nhập {count} nhiệm vụ",
        "en": "✅ Import {count:task|tasks}",
    },
    "programme.button.cancel": {"vi": "✖️ Hủy", "en": "✖️ Cancel"},
    "programme.ask": {
        "vi": "Nhập {count} nhiệm vụ? [c/K] ",
        "en": "Import {count:task|tasks}? [y/N] ",
    },
    "programme.yes_words": {"vi": "c,co,có,y,yes", "en": "y,yes"},
    "programme.imported": {
        "vi": "✅ Đã nhập {count} nhiệm vụ của chương trình công tác năm {year}. Mỗi nhiệm vụ được"
        " giao cho đơn vị vào đầu tháng của nó; xem danh sách bằng"
        " <code>dondoc program show</code>.",
        "en": "✅ Imported {count:task|tasks} of the {year} work programme. Each is assigned to"
        " its unit at the start of its month; list them with <code>dondoc program show</code>.",
    },
    # The same, in the chat: what a chat user can do (the server's `dondoc program show` is not).
    "programme.imported.chat": {
        "vi": "✅ Đã nhập {count} nhiệm vụ của chương trình công tác năm {year}. Mỗi nhiệm vụ được"
        " giao cho đơn vị chủ trì đầu giờ làm việc của ngày làm việc đầu tiên trong tháng bắt"
        " đầu; từ đó nhiệm vụ có thẻ, được đôn đốc và xem được bằng <code>/viec</code> hoặc"
        " <code>/viec &lt;mã đơn vị&gt;</code>.",
        "en": "✅ Imported {count:task|tasks} of the {year} work programme. Each is assigned to its"
        " lead unit when the office opens on the first working day of its month; from then on it"
        " has a card, is chased, and shows in <code>/viec</code> or"
        " <code>/viec &lt;unit code&gt;</code>.",
    },
    "programme.imported.short": {
        "vi": "Đã nhập {count} nhiệm vụ.",
        "en": "{count:task|tasks} imported.",
    },
    "programme.cancelled": {
        "vi": "✖️ Đã hủy: chương trình trong tệp “{name}” không được nhập.",
        "en": "✖️ Cancelled: the programme in “{name}” was not imported.",
    },
    "programme.cancelled.short": {"vi": "Đã hủy.", "en": "Cancelled."},
    "programme.not_confirmed": {
        "vi": "Chưa nhập gì.",
        "en": "Nothing was imported.",
    },
    "programme.decided": {
        "vi": "Bản xem trước này đã được xử lý.",
        "en": "This preview has already been dealt with.",
    },
    "programme.expired": {
        "vi": "Bản xem trước đã quá 24 giờ; đề nghị gửi lại tệp để nhập.",
        "en": "The preview is more than 24 hours old; send the file again to import it.",
    },
    "programme.no_assigner": {
        "vi": "Danh sách cán bộ chưa có Chủ tịch, Văn phòng hay quản trị viên để đứng tên giao"
        " các nhiệm vụ của chương trình. Nhập danh sách trước: <code>dondoc org import"
        " danh-sach.yaml</code>.",
        "en": "The roster has no chairman, office or administrator to assign the programme's"
        " tasks. Import the roster first: <code>dondoc org import roster.yaml</code>.",
    },
    # --- what the tasks carry ------------------------------------------------------------------
    "programme.source": {
        "vi": "Chương trình công tác năm {year}, dòng {row}",
        "en": "Work programme {year}, row {row}",
    },
    "programme.source.leader": {
        "vi": " · Lãnh đạo phụ trách: {leader}",
        "en": " · Leader: {leader}",
    },
    "programme.source.note": {"vi": " · Ghi chú: {note}", "en": " · Note: {note}"},
    "programme.coop_class": {"vi": "Phối hợp: {text}", "en": "Cooperating: {text}"},
    # --- dondoc program show -------------------------------------------------------------------
    "programme.show.title": {
        "vi": "Nhiệm vụ theo chương trình chưa đến lượt giao: {count}",
        "en": "Programme tasks not yet assigned: {count}",
    },
    "programme.show.none": {
        "vi": "Không có nhiệm vụ nào của chương trình đang chờ giao.",
        "en": "No programme task is waiting to be assigned.",
    },
    "programme.show.unit": {"vi": "{code} — {name}: {count}", "en": "{code} — {name}: {count}"},
    "programme.show.month": {
        "vi": "  Tháng {month}/{year} — giao {start}: {count}",
        "en": "  {month}/{year} — assigned {start}: {count}",
    },
    "programme.show.item": {
        "vi": "    • dòng {row} · hạn {due} · {content}",
        "en": "    • row {row} · due {due} · {content}",
    },
    "programme.show.active": {
        "vi": "Đã giao (đang theo dõi như mọi nhiệm vụ, xem /viec): {count}",
        "en": "Already assigned (tracked like any task, see /viec): {count}",
    },
    "programme.show.no_due": {"vi": "không thời hạn", "en": "no deadline"},
    "programme.template.written": {
        "vi": "Đã ghi tệp mẫu {path}: điền từ dòng 4, rồi nhập bằng"
        " <code>dondoc program import {path}</code>.",
        "en": "Template written to {path}: fill it in from row 4, then import it with"
        " <code>dondoc program import {path}</code>.",
    },
    "programme.cli.unreadable_file": {
        "vi": "Không đọc được tệp {path}: {error}",
        "en": "Cannot read {path}: {error}",
    },
}
