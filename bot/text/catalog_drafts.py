"""Messages of the intake family: drafts of task lists, the files they are read from, /vanban."""

from __future__ import annotations

_FORMS_VI = (
    "<code>2 đơn vị {ex_units}</code> (đơn vị đầu chủ trì)\n"
    "<code>3 hạn 20/12</code> hoặc <code>3 hạn thường xuyên</code>\n"
    "<code>bỏ 4</code>\n"
    "<code>5 nội dung Rà soát, báo cáo kết quả</code>\n"
    "<code>thêm {ex_unit} Báo cáo tình hình giải ngân hạn 20/12</code>"
)
_FORMS_EN = (
    "<code>2 đơn vị {ex_units}</code> (the first unit leads)\n"
    "<code>3 hạn 20/12</code> or <code>3 hạn thường xuyên</code>\n"
    "<code>bỏ 4</code> (remove)\n"
    "<code>5 nội dung Review and report</code> (content)\n"
    "<code>thêm {ex_unit} Report on disbursement hạn 20/12</code> (add)"
)
_UNCHANGED_VI = "\nDự thảo chưa thay đổi."
_UNCHANGED_EN = "\nThe draft is unchanged."

M_DRAFTS: dict[str, dict[str, str]] = {
    # --- a source document, wherever it is named -------------------------------------------------
    "doc.number": {"vi": "Số {number}", "en": "No. {number}"},
    "doc.issued": {"vi": "ngày {date}", "en": "of {date}"},
    "doc.unnamed": {"vi": "Văn bản #{id}", "en": "Document #{id}"},
    "card.document": {"vi": "<b>Văn bản:</b> {document}", "en": "<b>Document:</b> {document}"},
    # --- the draft -------------------------------------------------------------------------------
    "draft.title": {"vi": "📝 <b>Dự thảo giao việc</b>", "en": "📝 <b>Draft task list</b>"},
    "draft.no_header": {
        "vi": "<i>(văn bản không ghi số, ngày)</i>",
        "en": "<i>(the text carries no number or date)</i>",
    },
    "draft.item": {
        "vi": "<b>{n}.</b> {lead}{coop} · hạn {due} · {content}",
        "en": "<b>{n}.</b> {lead}{coop} · due {due} · {content}",
    },
    "draft.coop": {"vi": " (phối hợp: {units})", "en": " (with {units})"},
    "draft.no_lead": {"vi": "<b>❓</b>", "en": "<b>❓</b>"},
    "draft.no_due": {"vi": "❓", "en": "❓"},
    "draft.ongoing": {"vi": "thường xuyên", "en": "ongoing (thường xuyên)"},
    "draft.urgent": {"vi": " ⚡ khẩn", "en": " ⚡ urgent"},
    "draft.flag.no_lead": {
        "vi": "⚠️ Chưa xác định được đơn vị chủ trì",
        "en": "⚠️ No lead unit recognised",
    },
    "draft.flag.ambiguous_unit": {
        "vi": "⚠️ “{detail}” có thể là nhiều đơn vị: cần ghi rõ",
        "en": "⚠️ “{detail}” may be several units: name one",
    },
    "draft.flag.unit_class": {
        "vi": "⚠️ “{detail}”: cần chọn cụ thể đơn vị",
        "en": "⚠️ “{detail}”: choose the units by name",
    },
    "draft.flag.no_deadline": {
        "vi": "⚠️ Chưa tìm thấy thời hạn",
        "en": "⚠️ No deadline found",
    },
    "draft.flag.unreadable_deadline": {
        "vi": "⚠️ Không đọc được thời hạn “{detail}”",
        "en": "⚠️ Could not read the deadline “{detail}”",
    },
    "draft.flag.past_deadline": {
        "vi": "⚠️ Thời hạn {detail} đã qua",
        "en": "⚠️ The deadline {detail} has passed",
    },
    "draft.flag.before_document": {
        "vi": "⚠️ Thời hạn {detail} trước ngày ban hành văn bản",
        "en": "⚠️ The deadline {detail} is before the document's date",
    },
    "draft.help": {
        "vi": "Sửa: trả lời (reply) tin nhắn này, mỗi dòng một sửa đổi:\n" + _FORMS_VI,
        "en": "To correct it, reply to this message, one correction per line:\n" + _FORMS_EN,
    },
    "draft.expires": {
        "vi": "Dự thảo có hiệu lực đến {when}.",
        "en": "The draft is valid until {when}.",
    },
    "draft.more": {"vi": "… và {count} mục khác.", "en": "… and {count:more item|more items}."},
    "draft.btn.confirm": {
        "vi": "✅ Giao {count} nhiệm vụ",
        "en": "✅ Giao {count} nhiệm vụ (assign)",
    },
    "draft.btn.cancel": {"vi": "✖ Hủy", "en": "✖ Hủy (cancel)"},
    "draft.footer.confirmed": {
        "vi": "✅ Đã giao {count} nhiệm vụ: {codes} — {who}, {when}",
        "en": "✅ {count:task|tasks} assigned: {codes} — {who}, {when}",
    },
    "draft.footer.cancelled": {
        "vi": "✖ Đã hủy — {who}, {when}",
        "en": "✖ Cancelled — {who}, {when}",
    },
    "draft.footer.expired": {
        "vi": "⌛ Dự thảo đã hết hiệu lực, không giao nhiệm vụ nào.",
        "en": "⌛ The draft expired; no task was assigned.",
    },
    "draft.confirmed": {
        "vi": "✅ Đã giao {count} nhiệm vụ: {codes}.",
        "en": "✅ {count:task|tasks} assigned: {codes}.",
    },
    "draft.confirmed.short": {
        "vi": "✅ Đã giao {count} nhiệm vụ.",
        "en": "✅ {count:task|tasks} assigned.",
    },
    "draft.confirmed.document": {
        "vi": "\nVăn bản: {document} (xem tiến độ: <code>/vanban {ref}</code>)",
        "en": "\nDocument: {document} (progress: <code>/vanban {ref}</code>)",
    },
    "draft.confirmed.no_group": {
        "vi": "\n⚠️ Chưa có nhóm chat nên chưa gửi được thẻ nhiệm vụ cho: {units}."
        " Quản trị viên gửi <code>/dangky MÃ_ĐƠN_VỊ</code> trong nhóm của đơn vị.",
        "en": "\n⚠️ No group chat yet, so no card reached: {units}."
        " An administrator sends <code>/dangky UNIT_CODE</code> in the unit's group.",
    },
    "draft.cancelled": {"vi": "Đã hủy dự thảo.", "en": "The draft was cancelled."},
    "draft.corrected": {
        "vi": "✏️ Đã sửa dự thảo ({count} sửa đổi).",
        "en": "✏️ Draft corrected ({count:change|changes}).",
    },
    "draft.expired": {
        "vi": "Dự thảo này đã hết hiệu lực (quá 24 giờ). Đề nghị trả lời (reply) văn bản bằng"
        " <code>/giao</code> để lập dự thảo mới.",
        "en": "This draft has expired (after 24 hours). Reply to the document with"
        " <code>/giao</code> for a new one.",
    },
    "draft.closed.confirmed": {
        "vi": "Dự thảo này đã được giao trước đó.",
        "en": "This draft was already confirmed.",
    },
    "draft.closed.cancelled": {
        "vi": "Dự thảo này đã bị hủy.",
        "en": "This draft was cancelled.",
    },
    "draft.denied": {
        "vi": "Chỉ người lập dự thảo ({who}) hoặc Văn phòng được sửa, giao hay hủy dự thảo này.",
        "en": "Only the draft's author ({who}) or the office may correct, confirm or cancel it.",
    },
    "draft.denied.unit": {
        "vi": "Chưa giao được: mục {n} do {unit} chủ trì, không thuộc khối đơn vị {who}"
        " phụ trách. Trả lời dự thảo để đổi đơn vị hoặc bỏ mục đó.",
        "en": "Not assigned: item {n} is led by {unit}, outside the block {who} supervises."
        " Reply to the draft to change the unit or remove the item.",
    },
    "draft.blocked": {
        "vi": "⛔ Chưa giao được, còn {count} mục cần sửa:\n{lines}\nTrả lời (reply) dự thảo để"
        " sửa, ví dụ <code>{n} đơn vị {ex_unit}</code> hoặc <code>{n} hạn {example}</code>.",
        "en": "⛔ Not assigned: {count:item needs|items need} correcting:\n{lines}\nReply to the"
        " draft to correct them, e.g. <code>{n} đơn vị {ex_unit}</code> or"
        " <code>{n} hạn {example}</code>.",
    },
    "draft.blocked.line": {"vi": "• Mục {n}: {problems}", "en": "• Item {n}: {problems}"},
    "draft.blocked.empty": {
        "vi": "⛔ Dự thảo không còn mục nào để giao. Thêm bằng <code>thêm {ex_unit} &lt;nội"
        " dung&gt; hạn 20/12</code> hoặc hủy dự thảo.",
        "en": "⛔ The draft has no items left. Add one with <code>thêm {ex_unit} &lt;content&gt;"
        " hạn 20/12</code> or cancel the draft.",
    },
    "draft.no_items": {
        "vi": "Không tìm thấy nhiệm vụ nào trong văn bản. Mỗi nhiệm vụ ở một dòng đánh số, ví dụ:"
        "\n<code>1. Giao {ex_unit} chủ trì, phối hợp {ex_unit2} rà soát hồ sơ, hoàn thành trước"
        " ngày 15/12/2026.</code>",
        "en": "No task found in the text. Put each task on a numbered line, for example:"
        "\n<code>1. Giao {ex_unit} chủ trì, phối hợp {ex_unit2} rà soát hồ sơ, hoàn thành trước"
        " ngày 15/12/2026.</code>",
    },
    "draft.no_text": {
        "vi": "Tin nhắn được trả lời không có chữ để lập dự thảo. Trả lời (reply) bằng"
        " <code>/giao</code> một tin nhắn có nội dung kết luận, hoặc một tệp .docx, .pdf có chữ,"
        " .txt; hoặc giao từng việc: <code>/giao {ex_unit} &lt;nội dung&gt; hạn 15/12</code>.",
        "en": "The replied message has no text to draft from. Reply with <code>/giao</code> to a"
        " message holding the conclusions, or to a .docx, text .pdf or .txt file; or assign one"
        " task: <code>/giao {ex_unit} &lt;content&gt; hạn 15/12</code>.",
    },
    # --- corrections that cannot be taken --------------------------------------------------------
    "draft.bad.unknown_form": {
        "vi": "Dòng {line_no} “{line}” không phải một sửa đổi. Mỗi dòng một sửa đổi, ví dụ:\n"
        + _FORMS_VI
        + _UNCHANGED_VI,
        "en": "Line {line_no} “{line}” is not a correction. One correction per line, e.g.:\n"
        + _FORMS_EN
        + _UNCHANGED_EN,
    },
    "draft.bad.unknown_unit": {
        "vi": "Dòng {line_no} “{line}”: không có đơn vị “{word}”{suggest}."
        "\nVí dụ: <code>2 đơn vị {ex_units}</code>" + _UNCHANGED_VI,
        "en": "Line {line_no} “{line}”: there is no unit “{word}”{suggest}."
        "\nExample: <code>2 đơn vị {ex_units}</code>" + _UNCHANGED_EN,
    },
    "draft.bad.suggest": {"vi": " (có phải: {codes}?)", "en": " (did you mean: {codes}?)"},
    "draft.bad.deadline": {
        "vi": "Dòng {line_no} “{line}”: {error}" + _UNCHANGED_VI,
        "en": "Line {line_no} “{line}”: {error}" + _UNCHANGED_EN,
    },
    "draft.bad.no_item": {
        "vi": "Dòng {line_no} “{line}”: dự thảo không có mục {n} (các mục: {numbers})."
        + _UNCHANGED_VI,
        "en": "Line {line_no} “{line}”: the draft has no item {n} (items: {numbers})."
        + _UNCHANGED_EN,
    },
    "draft.bad.no_content": {
        "vi": "Dòng {line_no} “{line}”: thiếu nội dung nhiệm vụ."
        "\nVí dụ: <code>thêm {ex_unit} Báo cáo tình hình giải ngân hạn 20/12</code>"
        + _UNCHANGED_VI,
        "en": "Line {line_no} “{line}”: the task's content is missing."
        "\nExample: <code>thêm {ex_unit} Report on disbursement hạn 20/12</code>" + _UNCHANGED_EN,
    },
    "draft.bad.empty": {
        "vi": "Không có sửa đổi nào. Mỗi dòng một sửa đổi, ví dụ:\n" + _FORMS_VI,
        "en": "No correction found. One correction per line, e.g.:\n" + _FORMS_EN,
    },
    # --- reading the file ------------------------------------------------------------------------
    "extract.too_large": {
        "vi": "Tệp “{name}” lớn hơn 20 MB nên bot không tải về được. Đề nghị gửi bản .docx"
        " hoặc PDF có chữ nhỏ hơn.",
        "en": "“{name}” is larger than 20 MB, which a bot cannot download. Please send a"
        " smaller .docx or text PDF.",
    },
    "extract.old_word": {
        "vi": "Bot chưa đọc được tệp Word cũ (.doc) “{name}”. Đề nghị mở tệp trong Word, lưu"
        " thành .docx (Tệp → Lưu thành → Word Document) hoặc xuất PDF, rồi gửi lại."
        " Chưa có nhiệm vụ nào được tạo.",
        "en": "The bot cannot read the old Word format (.doc) of “{name}”. Please save it as"
        " .docx (File → Save As → Word Document) or export a PDF, and send it again."
        " No task was created.",
    },
    "extract.scanned": {
        "vi": "Tệp PDF “{name}” là bản quét (ảnh), không có lớp chữ nên bot không đọc được."
        " Đề nghị gửi bản .docx hoặc PDF xuất từ Word. Chưa có nhiệm vụ nào được tạo.",
        "en": "The PDF “{name}” is a scan (pictures) without a text layer, so the bot cannot"
        " read it. Please send the .docx or a PDF exported from Word. No task was created.",
    },
    "extract.unsupported": {
        "vi": "Bot đọc được tệp .docx, .pdf có chữ hoặc .txt; “{name}” không thuộc các loại"
        " này. Đề nghị gửi bản .docx hoặc PDF có chữ.",
        "en": "The bot reads .docx, text .pdf and .txt files; “{name}” is none of these."
        " Please send a .docx or a text PDF.",
    },
    "extract.damaged": {
        "vi": "Không mở được tệp “{name}” (tệp hỏng hoặc sai định dạng). Đề nghị gửi bản .docx"
        " hoặc PDF có chữ.",
        "en": "“{name}” does not open (damaged or not what its name says). Please send a .docx"
        " or a text PDF.",
    },
    "extract.empty": {
        "vi": "Tệp “{name}” không có chữ. Đề nghị gửi bản .docx hoặc PDF có chữ.",
        "en": "“{name}” holds no text. Please send a .docx or a text PDF.",
    },
    "extract.download_failed": {
        "vi": "Không tải được tệp “{name}” từ Telegram. Đề nghị thử lại sau ít phút.",
        "en": "Could not download “{name}” from Telegram. Please try again in a few minutes.",
    },
    # --- /vanban ---------------------------------------------------------------------------------
    "vanban.title": {
        "vi": "📚 <b>Văn bản đã giao việc</b> ({count})",
        "en": "📚 <b>Documents turned into tasks</b> ({count})",
    },
    "vanban.item": {
        "vi": "• {label}\n   {summary}",
        "en": "• {label}\n   {summary}",
    },
    "vanban.summary": {
        "vi": "{total} nhiệm vụ: {done} hoàn thành, {open} đang thực hiện, {overdue} quá hạn",
        "en": "{total:task|tasks}: {done} done, {open} in progress, {overdue} overdue",
    },
    "vanban.withdrawn": {"vi": ", {count} đã rút", "en": ", {count} withdrawn"},
    "vanban.empty": {
        "vi": "Chưa có văn bản nào được giao việc qua bot. Trả lời (reply) văn bản kết luận bằng"
        " <code>/giao</code> để lập dự thảo giao việc.",
        "en": "No document has been turned into tasks yet. Reply to a conclusion notice with"
        " <code>/giao</code> to draft its tasks.",
    },
    "vanban.hint": {
        "vi": "Xem một văn bản: <code>/vanban &lt;số&gt;</code>, ví dụ <code>/vanban {ref}</code>",
        "en": "One document: <code>/vanban &lt;number&gt;</code>, e.g. <code>/vanban {ref}</code>",
    },
    "vanban.one": {"vi": "📄 <b>{label}</b>\n{summary}", "en": "📄 <b>{label}</b>\n{summary}"},
    "vanban.attachment": {"vi": "📎 {name}", "en": "📎 {name}"},
    "vanban.not_found": {
        "vi": "Không tìm thấy văn bản “{ref}”. Gửi <code>/vanban</code> để xem danh sách.",
        "en": "No document “{ref}”. Send <code>/vanban</code> for the list.",
    },
}
