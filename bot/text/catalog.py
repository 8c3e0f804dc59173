"""The message catalog. Handlers and services never hold user-facing sentences; they name a key.

Values are HTML (Telegram's subset). Placeholders are filled with already-escaped text.
"""

from __future__ import annotations

import string

from bot.text.catalog_chain import M_CHAIN
from bot.text.catalog_cli import M_CLI
from bot.text.catalog_delivery import M_DELIVERY
from bot.text.catalog_drafts import M_DRAFTS
from bot.text.catalog_edges import M_EDGES
from bot.text.catalog_history import M_HISTORY
from bot.text.catalog_intake import M_INTAKE
from bot.text.catalog_layout import M_LAYOUT
from bot.text.catalog_leaders import M_LEADERS
from bot.text.catalog_ops import M_OPS
from bot.text.catalog_pilot import M_PILOT
from bot.text.catalog_programme import M_PROGRAMME
from bot.text.catalog_roster import M_ROSTER
from bot.text.catalog_sandbox import M_SANDBOX
from bot.text.catalog_series import M_SERIES

LANGUAGES = ("vi", "en")

M: dict[str, dict[str, str]] = {
    # --- who may use the bot -------------------------------------------------------------------
    "not_registered": {
        "vi": "Xin lỗi, đồng chí chưa có trong danh sách cán bộ của UBND nên bot chưa thể nhận lệnh này."
        "\nĐề nghị đồng chí liên hệ Văn phòng để được gửi đường dẫn mời (lệnh /moi) hoặc được bổ sung"
        " vào danh sách."
        "\nMã Telegram của đồng chí: <code>{telegram_id}</code>",
        "en": "Sorry, you are not on the committee's roster yet, so the bot cannot take this command."
        "\nAsk the office for an invitation link (the /moi command) or to add you to the roster."
        "\nYour Telegram id: <code>{telegram_id}</code>",
    },
    "not_registered.short": {
        "vi": "Đồng chí chưa có trong danh sách cán bộ của UBND. Đề nghị liên hệ Văn phòng để được"
        " gửi đường dẫn mời.",
        "en": "You are not on the committee's roster yet. Ask the office for an invitation link.",
    },
    "unregistered_chat.short": {
        "vi": "Nhóm này chưa được đăng ký với bot (lệnh /dangky).",
        "en": "This group is not registered with the bot (the /dangky command).",
    },
    "unregistered_chat": {
        "vi": "Nhóm này chưa được đăng ký với bot nên lệnh chưa được thực hiện."
        "\nQuản trị viên gửi <code>/dangky MÃ_ĐƠN_VỊ</code> trong nhóm (ví dụ <code>/dangky {ex_unit}</code>),"
        " hoặc <code>/dangky lanhdao</code> cho nhóm lãnh đạo.",
        "en": "This group is not registered with the bot, so nothing was done."
        "\nAn administrator sends <code>/dangky UNIT_CODE</code> here (for example"
        " <code>/dangky {ex_unit}</code>), or <code>/dangky lanhdao</code> for the leadership group.",
    },
    "denied.not_assigner_role": {
        "vi": "Chỉ Chủ tịch, Phó Chủ tịch, Văn phòng hoặc quản trị viên được giao nhiệm vụ.",
        "en": "Only the chairman, a vice-chairman, the office or an administrator may assign tasks.",
    },
    "denied.not_supervisor": {
        "vi": "{unit} không thuộc khối đơn vị do đồng chí phụ trách nên chưa giao được.",
        "en": "{unit} is not in the block of units you supervise.",
    },
    "denied.not_lead_unit": {
        "vi": "Chỉ cán bộ của đơn vị chủ trì ({unit}) được thực hiện thao tác này.",
        "en": "Only people of the lead unit ({unit}) may do this.",
    },
    "denied.not_decider": {
        "vi": "Chỉ người giao việc, Chủ tịch hoặc Phó Chủ tịch phụ trách được quyết định việc này.",
        "en": "Only the assigner, the chairman or the supervising vice-chairman may decide this.",
    },
    "denied.not_manager": {
        "vi": "Chỉ người giao việc, lãnh đạo phụ trách hoặc Văn phòng được rút hay chuyển nhiệm vụ.",
        "en": "Only the assigner, the supervising leader or the office may withdraw or reassign.",
    },
    "denied.not_admin": {
        "vi": "Chỉ quản trị viên được thực hiện lệnh này.",
        "en": "Only an administrator may do this.",
    },
    "denied.not_inviter": {
        "vi": "Chỉ quản trị viên hoặc Văn phòng được tạo đường dẫn mời.",
        "en": "Only an administrator or the office may create invitation links.",
    },
    "denied.closed": {
        "vi": "Nhiệm vụ {code} ở trạng thái “{status}”, không thể thực hiện thao tác này.",
        "en": "Task {code} is {status}; this can no longer be done.",
    },
    "denied.already_acknowledged": {
        "vi": "Nhiệm vụ {code} đã được tiếp nhận trước đó ({who}, {when}).",
        "en": "Task {code} was already acknowledged ({who}, {when}).",
    },
    "denied.not_reported": {
        "vi": "Nhiệm vụ {code} chưa có báo cáo kết quả chờ duyệt.",
        "en": "Task {code} has no reported result awaiting review.",
    },
    "denied.already_reported": {
        "vi": "Nhiệm vụ {code} đã báo cáo kết quả, đang chờ duyệt.",
        "en": "Task {code} already has a result awaiting review.",
    },
    "denied.same_unit": {
        "vi": "{unit} đang là đơn vị chủ trì của {code}.",
        "en": "{unit} already leads {code}.",
    },
    "denied.no_pending_extension": {
        "vi": "Không có đề nghị gia hạn nào đang chờ cho nhiệm vụ {code}.",
        "en": "There is no pending extension request for task {code}.",
    },
    "denied.extension_pending": {
        "vi": "Nhiệm vụ {code} đã có đề nghị gia hạn đang chờ lãnh đạo cho ý kiến.",
        "en": "Task {code} already has an extension request awaiting a decision.",
    },
    "denied.no_deadline_to_extend": {
        "vi": "Nhiệm vụ {code} không có thời hạn nên không cần gia hạn.",
        "en": "Task {code} has no deadline, so there is nothing to extend.",
    },
    "denied.extension_not_later": {
        "vi": "Thời hạn mới ({due}) phải sau thời hạn hiện tại ({current}).",
        "en": "The new deadline ({due}) must be after the current one ({current}).",
    },
    "button.stale": {
        "vi": "Nút này không còn hiệu lực.",
        "en": "This button is no longer valid.",
    },
    # --- usage lines: the form and one example ---------------------------------------------------
    "usage.giao": {
        "vi": "Cách dùng: <code>/giao &lt;đơn vị&gt;[,&lt;đơn vị phối hợp&gt;…] &lt;nội dung&gt;"
        " hạn &lt;thời hạn&gt;</code>\nVí dụ: <code>/giao {ex_units} Báo cáo kết quả rà soát"
        " hạn 15/12</code>\nTrả lời (reply) một tin nhắn bằng <code>/giao {ex_unit} hạn 15/12</code>"
        " để giao chính tin nhắn đó.",
        "en": "Usage: <code>/giao &lt;unit&gt;[,&lt;cooperating unit&gt;…] &lt;content&gt;"
        " hạn &lt;deadline&gt;</code>\nExample: <code>/giao {ex_units} Report on the review"
        " hạn 15/12</code>\nReply to any message with <code>/giao {ex_unit} hạn 15/12</code> to turn"
        " that message into a task.",
    },
    "usage.nhan": {
        "vi": "Cách dùng: <code>/nhan &lt;mã nhiệm vụ&gt;</code>\nVí dụ: <code>/nhan NV-0042</code>",
        "en": "Usage: <code>/nhan &lt;task code&gt;</code>\nExample: <code>/nhan NV-0042</code>",
    },
    "usage.xong": {
        "vi": "Cách dùng: <code>/xong &lt;mã nhiệm vụ&gt; &lt;kết quả&gt;</code>"
        " (có thể gửi kèm tệp)\nVí dụ: <code>/xong NV-0042 Đã gửi Báo cáo số 125/BC-UBND</code>",
        "en": "Usage: <code>/xong &lt;task code&gt; &lt;result&gt;</code> (a file may be attached)"
        "\nExample: <code>/xong NV-0042 Report No. 125/BC-UBND sent</code>",
    },
    "usage.giahan": {
        "vi": "Cách dùng: <code>/giahan &lt;mã nhiệm vụ&gt; &lt;thời hạn mới&gt; &lt;lý do&gt;</code>"
        "\nVí dụ: <code>/giahan NV-0042 25/12 chờ số liệu của các tổ dân phố</code>",
        "en": "Usage: <code>/giahan &lt;task code&gt; &lt;new deadline&gt; &lt;reason&gt;</code>"
        "\nExample: <code>/giahan NV-0042 25/12 waiting for the residential groups' figures</code>",
    },
    "usage.huy": {
        "vi": "Cách dùng: <code>/huy &lt;mã nhiệm vụ&gt; &lt;lý do&gt;</code>"
        "\nVí dụ: <code>/huy NV-0042 nội dung đã được xử lý trong kế hoạch khác</code>",
        "en": "Usage: <code>/huy &lt;task code&gt; &lt;reason&gt;</code>"
        "\nExample: <code>/huy NV-0042 covered by another plan</code>",
    },
    "usage.chuyen": {
        "vi": "Cách dùng: <code>/chuyen &lt;mã nhiệm vụ&gt; &lt;đơn vị&gt; [hạn &lt;hạn mới&gt;]</code>"
        "\nVí dụ: <code>/chuyen NV-0042 {ex_unit2}</code>"
        "\nNhiệm vụ đã quá hạn thì cho hạn mới: <code>/chuyen NV-0042 {ex_unit2} hạn 20/12</code>",
        "en": "Usage: <code>/chuyen &lt;task code&gt; &lt;unit&gt; [hạn &lt;new deadline&gt;]</code>"
        "\nExample: <code>/chuyen NV-0042 {ex_unit2}</code>"
        "\nAn overdue task needs a new deadline: <code>/chuyen NV-0042 {ex_unit2} hạn 20/12</code>",
    },
    "usage.nv": {
        "vi": "Cách dùng: <code>/nv &lt;mã nhiệm vụ&gt;</code>\nVí dụ: <code>/nv NV-0042</code>",
        "en": "Usage: <code>/nv &lt;task code&gt;</code>\nExample: <code>/nv NV-0042</code>",
    },
    "usage.dangky": {
        "vi": "Cách dùng (trong nhóm của đơn vị): <code>/dangky &lt;mã đơn vị&gt;</code>"
        "\nVí dụ: <code>/dangky {ex_unit}</code>; nhóm lãnh đạo: <code>/dangky lanhdao</code>",
        "en": "Usage (in the unit's group): <code>/dangky &lt;unit code&gt;</code>"
        "\nExample: <code>/dangky {ex_unit}</code>; leadership group: <code>/dangky lanhdao</code>",
    },
    "usage.moi": {
        "vi": "Cách dùng: <code>/moi &lt;mã đơn vị&gt; [vai trò]</code>"
        " (vai trò: head – trưởng đơn vị, deputy – cấp phó, staff – chuyên viên; mặc định"
        " staff)\nVí dụ: <code>/moi {ex_unit} head</code>",
        "en": "Usage: <code>/moi &lt;unit code&gt; [role]</code>"
        " (role: head, deputy, staff; default staff)\nExample: <code>/moi {ex_unit} head</code>",
    },
    "usage.lang": {
        "vi": "Cách dùng: <code>/lang vi</code> hoặc <code>/lang en</code>",
        "en": "Usage: <code>/lang vi</code> or <code>/lang en</code>",
    },
    "usage.report_reply": {
        "vi": "Đề nghị trả lời (reply) tin nhắn này bằng kết quả thực hiện (văn bản và/hoặc tệp).",
        "en": "Reply to this message with the result (text and/or a file).",
    },
    # --- bad input --------------------------------------------------------------------------
    "unknown_unit": {
        "vi": "Không tìm thấy đơn vị “{word}”. Có phải: {suggestions}?",
        "en": "No unit called “{word}”. Did you mean: {suggestions}?",
    },
    "unknown_unit_list": {
        "vi": "Không tìm thấy đơn vị “{word}”. Các mã đơn vị: {codes}.",
        "en": "No unit called “{word}”. Unit codes: {codes}.",
    },
    "missing_content": {
        "vi": "Thiếu nội dung nhiệm vụ.",
        "en": "The task's content is missing.",
    },
    "missing_deadline": {
        "vi": "Thiếu thời hạn. Ghi <code>hạn 15/12</code>, <code>hạn 5 ngày làm việc</code>,"
        " hoặc <code>hạn thường xuyên</code> nếu nhiệm vụ không có thời hạn.",
        "en": "The deadline is missing. Write <code>hạn 15/12</code>, <code>hạn 5 ngày làm việc</code>,"
        " or <code>hạn thường xuyên</code> for a task without a deadline.",
    },
    "deadline.unreadable": {
        "vi": "Chưa đọc được thời hạn “{text}”. Ví dụ cách ghi: <code>15/12</code>,"
        " <code>trước 15/12/2026</code>, <code>5 ngày làm việc</code>, <code>cuối tháng</code>,"
        " <code>quý IV</code>, <code>17h ngày 15/12</code>, <code>thường xuyên</code>."
        " Chưa có gì được tạo; xin gửi lại lệnh.",
        "en": "Could not read the deadline “{text}”. Examples: <code>15/12</code>,"
        " <code>trước 15/12/2026</code>, <code>5 ngày làm việc</code>, <code>cuối tháng</code>,"
        " <code>quý IV</code>, <code>17h ngày 15/12</code>, <code>thường xuyên</code>."
        " Nothing was created; please send the command again.",
    },
    "deadline.past": {
        "vi": "Thời hạn “{text}” đã qua. Xin ghi một thời hạn sau hôm nay, ví dụ"
        " <code>hạn {example}</code>. Chưa có gì được tạo.",
        "en": "The deadline “{text}” has passed. Please give a later one, for example"
        " <code>hạn {example}</code>. Nothing was created.",
    },
    "deadline.invalid_date": {
        "vi": "Ngày “{text}” không có thật. Ví dụ cách ghi: <code>hạn 15/12/2026</code>."
        " Chưa có gì được tạo.",
        "en": "“{text}” is not a real date. Example: <code>hạn 15/12/2026</code>."
        " Nothing was created.",
    },
    "deadline.invalid_time": {
        "vi": "Giờ “{text}” không hợp lệ. Ví dụ cách ghi: <code>hạn 17h ngày 15/12</code>,"
        " <code>hạn 9h sáng mai</code>, <code>hạn chiều mai 3h</code>. Chưa có gì được tạo.",
        "en": "“{text}” is not a valid time. Examples: <code>hạn 17h ngày 15/12</code>,"
        " <code>hạn 9h sáng mai</code>, <code>hạn chiều mai 3h</code>. Nothing was created.",
    },
    "deadline.ambiguous.recent": {
        "vi": "Ngày {text} vừa qua. Nếu là năm sau, xin ghi rõ <code>hạn {next}</code>;"
        " nếu không, xin ghi lại thời hạn. Chưa có gì được tạo.",
        "en": "{text} has just passed. If you mean next year, write <code>hạn {next}</code>;"
        " otherwise please give the deadline again. Nothing was created.",
    },
    "deadline.ambiguous.weekday": {
        "vi": "Ngày {text} là {actual}, không phải {written}. Xin kiểm tra lại, ví dụ"
        " <code>hạn {example}</code>. Chưa có gì được tạo.",
        "en": "{text} is a {actual}, not a {written}. Please check the date, for example"
        " <code>hạn {example}</code>. Nothing was created.",
    },
    "deadline.ambiguous": {
        "vi": "Thời hạn “{text}” chưa rõ. Xin ghi cụ thể ngày, ví dụ <code>hạn 15/12/2026</code>."
        " Chưa có gì được tạo.",
        "en": "The deadline “{text}” is ambiguous. Please give a date, for example"
        " <code>hạn 15/12/2026</code>. Nothing was created.",
    },
    "task_not_found": {
        "vi": "Không tìm thấy nhiệm vụ “{code}”. Mã nhiệm vụ có dạng <code>NV-0042</code>;"
        " xem danh sách bằng /viec.",
        "en": "No task “{code}”. Task codes look like <code>NV-0042</code>; list them with /viec.",
    },
    "missing_reason": {
        "vi": "Xin ghi kèm lý do.",
        "en": "Please give a reason.",
    },
    "empty_report": {
        "vi": "Báo cáo kết quả cần có nội dung hoặc tệp đính kèm.",
        "en": "A result needs text or an attached file.",
    },
    # --- assigning -------------------------------------------------------------------------
    "assigned": {
        "vi": "✅ Đã giao <b>{code}</b> cho {lead} (chủ trì){coop}.\nThời hạn: {due}",
        "en": "✅ Assigned <b>{code}</b> to {lead} (lead){coop}.\nDeadline: {due}",
    },
    "assigned.coop": {
        "vi": ", phối hợp: {units}",
        "en": ", cooperating: {units}",
    },
    "assigned.no_group": {
        "vi": "⚠️ {unit} chưa có nhóm chat nên thẻ nhiệm vụ chưa được gửi tới đơn vị. Trong nhóm"
        " của đơn vị, quản trị viên gửi <code>/dangky {code}</code>.",
        "en": "⚠️ {unit} has no group chat yet, so the card was not delivered. In the unit's group,"
        " an administrator sends <code>/dangky {code}</code>.",
    },
    "duplicate": {
        "vi": "Lệnh này đã được xử lý.",
        "en": "This command was already handled.",
    },
    "no_deadline": {"vi": "Không có thời hạn (thường xuyên)", "en": "No deadline (ongoing)"},
    # --- the task card ---------------------------------------------------------------------
    "card.title": {"vi": "📌 <b>Nhiệm vụ {code}</b>", "en": "📌 <b>Task {code}</b>"},
    "card.content": {"vi": "<b>Nội dung:</b> {text}", "en": "<b>Content:</b> {text}"},
    "card.lead": {"vi": "<b>Chủ trì:</b> {unit}", "en": "<b>Lead:</b> {unit}"},
    "card.coop": {"vi": "<b>Phối hợp:</b> {units}", "en": "<b>Cooperating:</b> {units}"},
    "card.assigner": {"vi": "<b>Người giao:</b> {who}", "en": "<b>Assigned by:</b> {who}"},
    "card.due": {"vi": "<b>Thời hạn:</b> {due}", "en": "<b>Deadline:</b> {due}"},
    "card.ext_pending": {
        "vi": "⏳ <b>Xin gia hạn:</b> đến {due}, {who} đề nghị lúc {when} ({reason}), chờ lãnh đạo cho ý kiến",
        "en": "⏳ <b>More time asked:</b> to {due}, by {who} at {when} ({reason}), awaiting the leader's decision",
    },
    "card.original_due": {
        "vi": "<b>Hạn ban đầu:</b> {due} (đã gia hạn {count} lần)",
        "en": "<b>Original deadline:</b> {due} (extended {count:time|times})",
    },
    "card.source": {"vi": "<b>Nguồn:</b> {source}", "en": "<b>Source:</b> {source}"},
    "card.attachment": {"vi": "📎 Có tệp đính kèm: {name}", "en": "📎 Attachment: {name}"},
    "card.status": {"vi": "<b>Trạng thái:</b> {status}", "en": "<b>Status:</b> {status}"},
    "card.ack_by": {"vi": " — {who}, {when}", "en": " — {who}, {when}"},
    "card.result": {"vi": "<b>Kết quả:</b> {text}", "en": "<b>Result:</b> {text}"},
    "card.attention": {"vi": "👤 Đề nghị {who} tiếp nhận.", "en": "👤 For {who} to acknowledge."},
    "coop_notice": {
        "vi": "🤝 Đơn vị được giao <b>phối hợp</b> thực hiện nhiệm vụ <b>{code}</b>"
        " (chủ trì: {lead}).\n{content}\nThời hạn: {due}",
        "en": "🤝 Your unit is asked to <b>cooperate</b> on task <b>{code}</b>"
        " (lead: {lead}).\n{content}\nDeadline: {due}",
    },
    "status.assigned": {"vi": "Chưa tiếp nhận", "en": "Not yet acknowledged"},
    "status.acknowledged": {"vi": "Đang thực hiện", "en": "In progress"},
    "status.reported": {"vi": "Chờ duyệt kết quả", "en": "Result awaiting review"},
    "status.done": {"vi": "Đã hoàn thành", "en": "Done"},
    "status.withdrawn": {"vi": "Đã rút", "en": "Withdrawn"},
    "btn.ack": {"vi": "✅ Đã nhận", "en": "✅ Đã nhận (acknowledge)"},
    "btn.report": {"vi": "📝 Báo cáo kết quả", "en": "📝 Báo cáo kết quả (report)"},
    "btn.extend": {"vi": "⏳ Xin gia hạn", "en": "⏳ Xin gia hạn (extension)"},
    "btn.approve": {"vi": "👍 Duyệt", "en": "👍 Duyệt (approve)"},
    "btn.return": {"vi": "↩️ Trả lại", "en": "↩️ Trả lại (return)"},
    "btn.ext_yes": {"vi": "✅ Đồng ý", "en": "✅ Đồng ý (grant)"},
    "btn.ext_no": {"vi": "❌ Từ chối", "en": "❌ Từ chối (refuse)"},
    # --- acknowledging ---------------------------------------------------------------------
    "ack.done": {
        "vi": "Đã ghi nhận: {unit} tiếp nhận nhiệm vụ {code}.",
        "en": "Recorded: {unit} acknowledged task {code}.",
    },
    "ack.notice": {
        "vi": "📥 {who} ({unit}) đã tiếp nhận nhiệm vụ <b>{code}</b> lúc {when}.",
        "en": "📥 {who} ({unit}) acknowledged task <b>{code}</b> at {when}.",
    },
    # --- reporting and review ---------------------------------------------------------------
    "report.prompt": {
        "vi": "📝 {who}, xin trả lời (reply) tin nhắn này bằng kết quả thực hiện nhiệm vụ"
        " <b>{code}</b> (văn bản và/hoặc tệp đính kèm).",
        "en": "📝 {who}, reply to this message with the result of task <b>{code}</b>"
        " (text and/or a file).",
    },
    "report.received": {
        "vi": "Đã nhận báo cáo kết quả nhiệm vụ {code}; đang chờ lãnh đạo duyệt.",
        "en": "Result of task {code} received; awaiting the leader's review.",
    },
    "report.completed": {
        "vi": "Đã nhận báo cáo kết quả; nhiệm vụ {code} đã hoàn thành.",
        "en": "Result received; task {code} is done.",
    },
    "report.to_reviewer": {
        "vi": "📨 {unit} báo cáo kết quả nhiệm vụ <b>{code}</b> ({who}, {when}):\n{result}\n"
        "<i>Nội dung nhiệm vụ:</i> {content}",
        "en": "📨 {unit} reported the result of task <b>{code}</b> ({who}, {when}):\n{result}\n"
        "<i>Task:</i> {content}",
    },
    "report.done_notice": {
        "vi": "🏁 Nhiệm vụ <b>{code}</b> đã hoàn thành ({unit} báo cáo lúc {when}).\n{result}",
        "en": "🏁 Task <b>{code}</b> is done ({unit} reported at {when}).\n{result}",
    },
    "review.approved": {
        "vi": "✅ Đã duyệt kết quả nhiệm vụ {code}. Nhiệm vụ đã hoàn thành.",
        "en": "✅ Result of task {code} approved. The task is done.",
    },
    "review.approved_notice": {
        "vi": "✅ {who} đã duyệt kết quả nhiệm vụ <b>{code}</b>. Nhiệm vụ đã hoàn thành"
        " (thời điểm hoàn thành: {when}).",
        "en": "✅ {who} approved the result of task <b>{code}</b>. The task is done"
        " (completed at {when}).",
    },
    "review.return_prompt": {
        "vi": "↩️ {who}, xin trả lời (reply) tin nhắn này bằng lý do trả lại nhiệm vụ <b>{code}</b>.",
        "en": "↩️ {who}, reply to this message with the reason for returning task <b>{code}</b>.",
    },
    "review.returned": {
        "vi": "Đã trả lại nhiệm vụ {code} cho {unit}.",
        "en": "Task {code} returned to {unit}.",
    },
    "review.returned_notice": {
        "vi": "↩️ {who} đã trả lại kết quả nhiệm vụ <b>{code}</b>. Lý do: {reason}\n"
        "Xin tiếp tục thực hiện; thời hạn vẫn là {due}.",
        "en": "↩️ {who} returned the result of task <b>{code}</b>. Reason: {reason}\n"
        "Please continue; the deadline is still {due}.",
    },
    # --- extensions ------------------------------------------------------------------------
    "ext.prompt": {
        "vi": "⏳ {who}, xin trả lời (reply) tin nhắn này bằng thời hạn mới và lý do cho nhiệm vụ"
        " <b>{code}</b>.\nVí dụ: <code>25/12 chờ số liệu của các tổ dân phố</code>",
        "en": "⏳ {who}, reply to this message with the new deadline and the reason for task"
        " <b>{code}</b>.\nExample: <code>25/12 waiting for the residential groups' figures</code>",
    },
    "ext.requested": {
        "vi": "Đã gửi đề nghị gia hạn nhiệm vụ {code} đến {due}; chờ lãnh đạo cho ý kiến.",
        "en": "Extension of task {code} to {due} requested; awaiting a decision.",
    },
    "ext.to_decider": {
        "vi": "⏳ {unit} xin gia hạn nhiệm vụ <b>{code}</b> ({who}):\nHạn hiện tại: {current}\n"
        "Đề nghị đến: {proposed}\nLý do: {reason}\n<i>Để đồng ý với ngày khác, trả lời (reply)"
        " tin nhắn này bằng ngày đó, ví dụ <code>30/12</code>.</i>",
        "en": "⏳ {unit} asks to extend task <b>{code}</b> ({who}):\nCurrent deadline: {current}\n"
        "Proposed: {proposed}\nReason: {reason}\n<i>To grant a different date, reply to this"
        " message with it, for example <code>30/12</code>.</i>",
    },
    "ext.approved": {
        "vi": "Đã đồng ý gia hạn nhiệm vụ {code} đến {due}.",
        "en": "Extension of task {code} to {due} granted.",
    },
    "ext.approved_notice": {
        "vi": "✅ {who} đồng ý gia hạn nhiệm vụ <b>{code}</b> đến {due} (gia hạn lần {count}).",
        "en": "✅ {who} granted an extension of task <b>{code}</b> to {due} (extension {count}).",
    },
    "ext.refused": {
        "vi": "Đã từ chối đề nghị gia hạn nhiệm vụ {code}.",
        "en": "Extension request for task {code} refused.",
    },
    "ext.refused_notice": {
        "vi": "❌ {who} không đồng ý gia hạn nhiệm vụ <b>{code}</b>; thời hạn vẫn là {due}.",
        "en": "❌ {who} refused to extend task <b>{code}</b>; the deadline stays {due}.",
    },
    "ext.decided_already": {
        "vi": "Đề nghị gia hạn này đã được xử lý ({status}).",
        "en": "This extension request was already decided ({status}).",
    },
    "ext.status.approved": {"vi": "đã đồng ý", "en": "granted"},
    "ext.status.refused": {"vi": "đã từ chối", "en": "refused"},
    # --- withdraw / reassign ----------------------------------------------------------------
    "withdrawn": {
        "vi": "Đã rút nhiệm vụ {code}.",
        "en": "Task {code} withdrawn.",
    },
    "withdrawn.notice": {
        "vi": "🚫 {who} đã rút nhiệm vụ <b>{code}</b>. Lý do: {reason}\nĐơn vị không cần tiếp tục"
        " thực hiện.",
        "en": "🚫 {who} withdrew task <b>{code}</b>. Reason: {reason}\nNo further work is needed.",
    },
    "reassigned": {
        "vi": "Đã chuyển nhiệm vụ {code} từ {old} sang {new} chủ trì.",
        "en": "Task {code} moved from {old} to {new} as lead.",
    },
    "reassigned.old_notice": {
        "vi": "🔀 {who} đã chuyển nhiệm vụ <b>{code}</b> sang {new} chủ trì. Đơn vị không còn"
        " chủ trì nhiệm vụ này.",
        "en": "🔀 {who} moved task <b>{code}</b> to {new}. Your unit no longer leads it.",
    },
    # --- lists and history ------------------------------------------------------------------
    "list.title": {
        "vi": "📋 <b>Nhiệm vụ đang mở{scope}</b> ({count})",
        "en": "📋 <b>Open tasks{scope}</b> ({count})",
    },
    "list.scope": {"vi": " của {unit}", "en": " of {unit}"},
    "list.item": {
        "vi": "• <b>{code}</b> [{lead}] {content} — hạn {due} — {status}",
        "en": "• <b>{code}</b> [{lead}] {content} — due {due} — {status}",
    },
    "list.overdue": {"vi": " ⚠️ quá hạn", "en": " ⚠️ overdue"},
    "list.empty": {
        "vi": "Không có nhiệm vụ nào đang mở{scope}.",
        "en": "No open tasks{scope}.",
    },
    "list.more": {"vi": "… và {count} nhiệm vụ khác.", "en": "… and {count} more."},
    "list.late_count": {
        "vi": "⚠️ {late} nhiệm vụ quá hạn; hạn sớm nhất trước.",
        "en": "⚠️ {late} overdue; earliest deadline first.",
    },
    "list.narrow.unit": {
        "vi": "Xem nhiệm vụ của một đơn vị: <code>/viec {ex_unit}</code>.",
        "en": "One unit's tasks: <code>/viec {ex_unit}</code>.",
    },
    "list.narrow.report": {
        "vi": "Số liệu tổng hợp: <code>/tonghop tuần {unit}</code>.",
        "en": "The figures: <code>/tonghop tuần {unit}</code>.",
    },
    "list.no_unit": {
        "vi": "Đồng chí chưa thuộc đơn vị nào. Ghi mã đơn vị, ví dụ <code>/viec {ex_unit}</code>.",
        "en": "You belong to no unit. Give a unit code, for example <code>/viec {ex_unit}</code>.",
    },
    "history.title": {"vi": "<b>Diễn biến xử lý</b>", "en": "<b>History</b>"},
    "history.item": {"vi": "• {when} — {who}: {what}", "en": "• {when} — {who}: {what}"},
    "history.more": {"vi": "… và {count} bước khác.", "en": "… and {count:more step|more steps}."},
    "history.system": {"vi": "Hệ thống", "en": "System"},
    "event.assigned": {
        "vi": "giao nhiệm vụ cho {unit}, hạn {due}",
        "en": "assigned to {unit}, due {due}",
    },
    "event.acknowledged": {"vi": "tiếp nhận", "en": "acknowledged"},
    "event.progress": {"vi": "cập nhật tiến độ: {note}", "en": "progress: {note}"},
    "event.reported": {"vi": "báo cáo kết quả: {note}", "en": "reported: {note}"},
    "event.approved": {"vi": "duyệt kết quả, hoàn thành", "en": "approved; done"},
    "event.returned": {"vi": "trả lại: {note}", "en": "returned: {note}"},
    "event.extension_requested": {
        "vi": "xin gia hạn đến {due}: {note}",
        "en": "asked for an extension to {due}: {note}",
    },
    "event.extension_approved": {"vi": "đồng ý gia hạn đến {due}", "en": "extended to {due}"},
    "event.extension_refused": {"vi": "từ chối gia hạn", "en": "refused the extension"},
    "event.withdrawn": {"vi": "rút nhiệm vụ: {note}", "en": "withdrew: {note}"},
    "event.reassigned": {
        "vi": "chuyển chủ trì từ {old} sang {new}",
        "en": "moved the lead from {old} to {new}",
    },
    # --- chasing ---------------------------------------------------------------------------
    "nudge.title": {
        "vi": "🔔 <b>Đôn đốc nhiệm vụ</b> — {unit}",
        "en": "🔔 <b>Task reminder</b> — {unit}",
    },
    "nudge.item": {
        "vi": "• <b>{code}</b> {content}\n   Hạn: {due} — <b>{what}</b>",
        "en": "• <b>{code}</b> {content}\n   Due: {due} — <b>{what}</b>",
    },
    "nudge.unack": {"vi": "chưa tiếp nhận", "en": "not yet acknowledged"},
    "nudge.due_soon": {
        "vi": "sắp đến hạn (còn {days} ngày làm việc)",
        "en": "due soon ({days:working day|working days} left)",
    },
    "nudge.due_today": {"vi": "hôm nay đến hạn", "en": "due today"},
    "nudge.overdue": {
        "vi": "đôn đốc lần {n} — quá hạn {days} ngày làm việc",
        "en": "reminder {n} — {days:working day|working days} late",
    },
    "nudge.checkin": {
        "vi": "nhiệm vụ thường xuyên: đề nghị cập nhật tiến độ",
        "en": "ongoing task: please report progress",
    },
    "nudge.manual": {
        "vi": "đôn đốc lần {n} — {who} nhắc",
        "en": "reminder {n} — from {who}",
    },
    "nudge.manual_late": {
        "vi": "đôn đốc lần {n} — {who} nhắc — quá hạn {days} ngày làm việc",
        "en": "reminder {n} — from {who} — {days:working day|working days} late",
    },
    "nudge.note": {"vi": "   💬 {note}", "en": "   💬 {note}"},
    "nudge.mention": {"vi": "👤 {who}", "en": "👤 {who}"},
    "nudge.more": {
        "vi": "(tiếp theo ở tin sau)",
        "en": "(continued in the next message)",
    },
    "escalation": {
        "vi": "⚠️ Nhiệm vụ <b>{code}</b> ({unit}) quá hạn {days} ngày làm việc, đã đôn đốc {n} lần.\n"
        "{content}\nHạn: {due}",
        "en": "⚠️ Task <b>{code}</b> ({unit}) is {days:working day|working days} late after {n:reminder|reminders}.\n"
        "{content}\nDue: {due}",
    },
    "digest.title": {
        "vi": "🚨 <b>Nhiệm vụ quá hạn</b> — {date}\nĐã đôn đốc từ {n} lần trở lên, xếp từ chậm nhất:",
        "en": "🚨 <b>Overdue tasks</b> — {date}\nReminded {n:time|times} or more, most overdue first:",
    },
    "digest.item": {
        "vi": "• <b>{code}</b> [{unit}] {content} — quá hạn {days} ngày làm việc, đôn đốc {urges} lần",
        "en": "• <b>{code}</b> [{unit}] {content} — {days:working day|working days} late, {urges:reminder|reminders}",
    },
    "schedule.title": {
        "vi": "🗓 <b>Lịch đôn đốc sắp tới</b>{scope}",
        "en": "🗓 <b>Upcoming reminders</b>{scope}",
    },
    "schedule.item": {
        "vi": "• {when} — <b>{code}</b> [{unit}]: {what}",
        "en": "• {when} — <b>{code}</b> [{unit}]: {what}",
    },
    "schedule.empty": {
        "vi": "Không có lần đôn đốc nào sắp tới{scope}.",
        "en": "No upcoming reminders{scope}.",
    },
    "schedule.scope": {"vi": " — {what}", "en": " — {what}"},
    "urge.sent": {
        "vi": "Đã đôn đốc nhiệm vụ {code} (lần {n}).",
        "en": "Reminder {n} for task {code} is on its way.",
    },
    "urge.queued": {
        "vi": "Ngoài giờ làm việc: lời đôn đốc nhiệm vụ {code} sẽ được gửi lúc {when}.",
        "en": "Outside office hours: the reminder for task {code} goes out at {when}.",
    },
    "usage.nhac": {
        "vi": "Cách dùng: <code>/nhac &lt;mã nhiệm vụ&gt; [lời nhắn]</code>"
        "\nVí dụ: <code>/nhac NV-0042 Đề nghị báo cáo trước cuộc họp thứ Năm</code>",
        "en": "Usage: <code>/nhac &lt;task code&gt; [message]</code>"
        "\nExample: <code>/nhac NV-0042 Please report before Thursday's meeting</code>",
    },
    "denied.not_urger": {
        "vi": "Chỉ lãnh đạo, người giao việc hoặc Văn phòng được đôn đốc nhiệm vụ.",
        "en": "Only leaders, the assigner or the office may send a reminder.",
    },
    "denied.not_urgeable": {
        "vi": "Nhiệm vụ {code} ở trạng thái “{status}”, không cần đôn đốc.",
        "en": "Task {code} is {status}; there is nothing to remind.",
    },
    "delivery.refused": {
        "vi": "⚠️ Bot không gửi được tin vào nhóm <code>{chat}</code>: {reason}\nKiểm tra bot còn"
        " trong nhóm. Cho đến khi bot được thêm lại, tin đôn đốc gửi vào nhóm này không tới được"
        " (tin riêng cho từng người vẫn gửi); nếu bot bị gỡ lần nữa sau đó, đồng chí sẽ được báo lại.",
        "en": "⚠️ The bot cannot post to group <code>{chat}</code>: {reason}\nCheck the bot is"
        " still in the group. Until it is added back, reminders to this group do not arrive"
        " (private copies still go out); if it is removed again later, you will be told again.",
    },
    "delivery.blocked": {
        "vi": "⚠️ {name} (<code>{chat}</code>) đã chặn bot: {reason}\nTừ nay người này không"
        " nhận tin riêng mà được nhắc tên trong nhóm đơn vị, cho đến khi mở lại chat với bot"
        " (bấm Bắt đầu/Start).",
        "en": "⚠️ {name} (<code>{chat}</code>) has blocked the bot: {reason}\nFrom now on they are"
        " mentioned in their unit's group instead of messaged privately, until they open the"
        " chat with the bot again (Start).",
    },
    # --- reports ---------------------------------------------------------------------------
    "report.title": {
        "vi": "📊 <b>Tổng hợp nhiệm vụ theo đơn vị chủ trì</b>",
        "en": "📊 <b>Tasks by lead unit</b>",
    },
    "report.title_unit": {
        "vi": "📊 <b>Tổng hợp nhiệm vụ — {unit}</b>",
        "en": "📊 <b>Tasks — {unit}</b>",
    },
    "report.period": {"vi": "Kỳ: {start} – {end}", "en": "Period: {start} – {end}"},
    "report.total_row": {"vi": "Cộng", "en": "Total"},
    "report.rate": {
        "vi": "Tỷ lệ đúng hạn: <b>{rate}</b>{change}",
        "en": "On-time rate: <b>{rate}</b>{change}",
    },
    "report.rate_change": {"vi": " · kỳ trước {rate}", "en": " · previous period {rate}"},
    "report.late_title": {
        "vi": "<b>⏰ Nhiệm vụ quá hạn</b> (ngày làm việc):",
        "en": "<b>⏰ Late tasks</b> (working days):",
    },
    "report.late_item": {
        "vi": "• {code} · {unit} · {days} ngày · đôn đốc {urges} lần",
        "en": "• {code} · {unit} · {days:day|days} · {urges:reminder|reminders}",
    },
    "report.late_more": {
        "vi": "… và {count} nhiệm vụ quá hạn khác.",
        "en": "… and {count:more late task|more late tasks}.",
    },
    "report.units_more": {
        "vi": "… và {count} đơn vị khác (xem báo cáo Excel).",
        "en": "… and {count:more unit|more units} (see the Excel report).",
    },
    "report.empty": {
        "vi": "📊 Tổng hợp nhiệm vụ {start} – {end}{scope}: không có nhiệm vụ.",
        "en": "📊 Tasks {start} – {end}{scope}: no tasks.",
    },
    "report.scope": {"vi": " ({unit})", "en": " ({unit})"},
    "report.deadline.in_force": {
        "vi": "hạn đang có hiệu lực (sau các lần gia hạn được đồng ý)",
        "en": "the deadline in force (after approved extensions)",
    },
    "report.deadline.original": {
        "vi": "hạn ban đầu (không tính gia hạn)",
        "en": "the original deadline (extensions not counted)",
    },
    "report.definition": {
        "vi": "<i>Tỷ lệ đúng hạn = đã hoàn thành đúng hạn / (đã hoàn thành + chưa hoàn thành quá hạn); nhiệm vụ không có thời hạn không tính vào tỷ lệ. Tính theo {deadline}; số ngày quá hạn là ngày làm việc; chỉ tính cho đơn vị chủ trì, không tính đơn vị phối hợp; không tính nhiệm vụ đã rút. Số liệu tại thời điểm {asof}.</i>",
        "en": "<i>On-time rate = done on time / (done + open and late); tasks without a deadline are not in the rate. Counted against {deadline}; days late are working days; only the lead unit answers, never cooperating units; withdrawn tasks are left out. Figures as of {asof}.</i>",
    },
    "report.asof_day_end": {"vi": "hết ngày {day}", "en": "the end of {day}"},
    "report.chart_caption": {
        "vi": "📈 Nhiệm vụ theo đơn vị chủ trì, {start} – {end}",
        "en": "📈 Tasks by lead unit, {start} – {end}",
    },
    "report.chart_title": {
        "vi": "Nhiệm vụ theo đơn vị chủ trì\n{start} – {end}",
        "en": "Tasks by lead unit\n{start} – {end}",
    },
    "report.chart_axis": {"vi": "Số nhiệm vụ", "en": "Tasks"},
    "report.monthly_caption": {
        "vi": "📑 Báo cáo nhiệm vụ tháng {month}: {total} nhiệm vụ, tỷ lệ đúng hạn {rate}.",
        "en": "📑 Task report for {month}: {total:task|tasks}, on-time rate {rate}.",
    },
    "report.no_rate": {"vi": "—", "en": "—"},
    "report.cat.done_on_time": {"vi": "Đã hoàn thành đúng hạn", "en": "Done on time"},
    "report.cat.done_late": {"vi": "Đã hoàn thành quá hạn", "en": "Done late"},
    "report.cat.open_in_time": {"vi": "Chưa hoàn thành – trong hạn", "en": "Open, in time"},
    "report.cat.open_late": {"vi": "Chưa hoàn thành – quá hạn", "en": "Open and late"},
    "report.cat.no_deadline": {"vi": "Không có thời hạn", "en": "No deadline"},
    "report.awaiting_review": {"vi": " (chờ duyệt kết quả)", "en": " (result awaiting review)"},
    "usage.tonghop": {
        "vi": "Cách dùng: <code>/tonghop [tuần|tuần trước|tháng [M/YYYY]|tháng trước|quý IV"
        "|từ dd/mm đến dd/mm] [đơn vị]</code>"
        "\nVí dụ: <code>/tonghop</code> (7 ngày qua), <code>/tonghop tháng trước {ex_unit}</code>,"
        " <code>/tonghop từ 01/11 đến 15/11</code> (ngày kết thúc không trước ngày bắt đầu;"
        " qua năm mới thì ghi năm: <code>từ 20/12/2025 đến 05/01/2026</code>)",
        "en": "Usage: <code>/tonghop [tuần|tuần trước|tháng [M/YYYY]|tháng trước|quý IV"
        "|từ dd/mm đến dd/mm] [unit]</code>"
        "\nFor example: <code>/tonghop</code> (the last 7 days), <code>/tonghop tháng trước"
        " {ex_unit}</code>, <code>/tonghop từ 01/11 đến 15/11</code> (the end not before the start;"
        " across the new year write the years: <code>từ 20/12/2025 đến 05/01/2026</code>)",
    },
    "report.guessed_year": {
        "vi": "<i>Không ghi năm: đã lấy kỳ gần nhất đã bắt đầu, {start} – {end}. Muốn năm khác"
        " thì ghi năm, ví dụ <code>từ {ex_start} đến {ex_end}</code>.</i>",
        "en": "<i>No year written: the most recent such days that have begun were used, {start}"
        " – {end}. For another year write it, e.g. <code>từ {ex_start} đến {ex_end}</code>.</i>",
    },
    "usage.baocao": {
        "vi": "Cách dùng: <code>/baocao [tháng M/YYYY]</code>, ví dụ <code>/baocao tháng 11/2026</code>"
        " (không ghi: tháng trước).",
        "en": "Usage: <code>/baocao [tháng M/YYYY]</code>, for example <code>/baocao tháng 11/2026</code>"
        " (nothing: last month).",
    },
    "report.denied": {
        "vi": "Chỉ lãnh đạo UBND, Văn phòng và quản trị viên được lấy báo cáo này.",
        "en": "Only the committee's leaders, the office and administrators may get this report.",
    },
    "report.denied_unit": {
        "vi": "Đồng chí chỉ xem được số liệu của đơn vị mình ({unit}).",
        "en": "You may only see the figures of your own unit ({unit}).",
    },
    "report.no_unit": {
        "vi": "Đồng chí chưa thuộc đơn vị nào nên chưa có số liệu để xem.",
        "en": "You belong to no unit, so there are no figures to show.",
    },
    "report.future": {
        "vi": "Kỳ báo cáo chưa bắt đầu.",
        "en": "That period has not started yet.",
    },
    "report.file_sent": {
        "vi": "📑 Báo cáo tháng {month} (tệp Excel) ở dưới.",
        "en": "📑 The report for {month} (an Excel file) is below.",
    },
    "xlsx.summary": {"vi": "Tổng hợp", "en": "Summary"},
    "xlsx.register": {"vi": "Danh sách nhiệm vụ", "en": "Task register"},
    "xlsx.people": {"vi": "Cán bộ", "en": "People"},
    "xlsx.title": {
        "vi": "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ THÁNG {month}",
        "en": "TASK REPORT FOR {month}",
    },
    "xlsx.title_period": {
        "vi": "BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ",
        "en": "TASK REPORT",
    },
    "xlsx.period": {"vi": "Kỳ báo cáo: {start} – {end}", "en": "Period: {start} – {end}"},
    "xlsx.total": {"vi": "Tổng cộng", "en": "Total"},
    "xlsx.summary_headers": {
        "vi": "STT|Mã đơn vị|Đơn vị chủ trì|Tổng số nhiệm vụ|Giao trong kỳ|Đã hoàn thành đúng hạn|Đã hoàn thành quá hạn|Chưa hoàn thành – trong hạn|Chưa hoàn thành – quá hạn|Số ngày quá hạn lâu nhất|Không có thời hạn|Chưa tiếp nhận|Đã gia hạn|Tỷ lệ đúng hạn",
        "en": "No.|Unit code|Lead unit|Tasks|Assigned in the period|Done on time|Done late|Open, in time|Open and late|Most days late|No deadline|Not acknowledged|Extended|On-time rate",
    },
    "xlsx.register_headers": {
        "vi": "STT|Mã nhiệm vụ|Nội dung|Lãnh đạo giao|Đơn vị chủ trì|Đơn vị phối hợp|Văn bản/nguồn|Ngày giao|Hạn xử lý|Hạn ban đầu|Số lần gia hạn|Ngày hoàn thành|Trạng thái|Số ngày quá hạn|Kết quả",
        "en": "No.|Code|Content|Assigned by|Lead unit|Cooperating units|Document/source|Assigned on|Deadline|Original deadline|Extensions|Completed on|Status|Days late|Result",
    },
    "xlsx.people_headers": {
        "vi": "STT|Họ và tên|Vai trò|Đơn vị|Tổng số nhiệm vụ|Đã hoàn thành đúng hạn|Đã hoàn thành quá hạn|Chưa hoàn thành – trong hạn|Chưa hoàn thành – quá hạn|Không có thời hạn|Tỷ lệ đúng hạn",
        "en": "No.|Name|Role|Unit|Tasks|Done on time|Done late|Open, in time|Open and late|No deadline|On-time rate",
    },
    "xlsx.people_note": {
        "vi": "Mỗi nhiệm vụ được tính cho người đã tiếp nhận và người đã báo cáo kết quả (mỗi người một lần).",
        "en": "Each task counts for whoever acknowledged it and whoever reported its result (once each).",
    },
    # --- onboarding -------------------------------------------------------------------------
    "start.known": {
        "vi": "Xin chào {name}! Bot Đôn Đốc đã sẵn sàng gửi thông báo riêng cho đồng chí."
        "\nVai trò của đồng chí: {role}{unit}.\nGõ /help để xem các lệnh.",
        "en": "Hello {name}! Đôn Đốc can now message you privately."
        "\nYour role: {role}{unit}.\nType /help for the commands.",
    },
    "start.unknown": {
        "vi": "Xin chào! Đây là bot Đôn Đốc giao và theo dõi nhiệm vụ của UBND."
        "\nĐồng chí chưa có trong danh sách cán bộ. Đề nghị liên hệ Văn phòng để được gửi đường dẫn"
        " mời."
        "\nMã Telegram của đồng chí: <code>{telegram_id}</code>",
        "en": "Hello! This is Đôn Đốc, the committee's task bot."
        "\nYou are not on the roster yet. Ask the office for an invitation link."
        "\nYour Telegram id: <code>{telegram_id}</code>",
    },
    "start.invite_ok": {
        "vi": "Chào mừng {name}! Đồng chí đã được đăng ký là {role}{unit}.\nGõ /help để xem các lệnh.",
        "en": "Welcome {name}! You are registered as {role}{unit}.\nType /help for the commands.",
    },
    "start.invite_known": {
        "vi": "{name}, đồng chí đã có trong danh sách cán bộ ({role}), nên đường dẫn mời không thay đổi"
        " gì. Muốn đổi vai trò hoặc đơn vị, xin báo Văn phòng cập nhật danh sách.",
        "en": "{name}, you are already on the roster ({role}), so the invitation changes nothing."
        " To change your role or unit, ask the office to update the roster.",
    },
    "start.invite_bad": {
        "vi": "Đường dẫn mời không hợp lệ, đã dùng hoặc đã hết hạn (7 ngày)."
        " Đề nghị liên hệ Văn phòng để được cấp đường dẫn mới.",
        "en": "This invitation link is invalid, used or expired (7 days). Ask the office for a new"
        " one.",
    },
    "unit_suffix": {"vi": ", {unit}", "en": ", {unit}"},
    "role.chairman": {"vi": "Chủ tịch", "en": "Chairman"},
    "role.vice_chairman": {"vi": "Phó Chủ tịch", "en": "Vice-chairman"},
    "role.office": {"vi": "Văn phòng", "en": "Office"},
    "role.head": {"vi": "Trưởng đơn vị", "en": "Unit head"},
    "role.deputy": {"vi": "Phó trưởng đơn vị", "en": "Deputy head"},
    "role.staff": {"vi": "Chuyên viên", "en": "Staff"},
    "role.admin": {"vi": "Quản trị viên", "en": "Administrator"},
    "registered.unit": {
        "vi": "✅ Nhóm này đã được gắn với {unit}. Thẻ nhiệm vụ của đơn vị sẽ được gửi vào đây.",
        "en": "✅ This group is now bound to {unit}. The unit's task cards will be posted here.",
    },
    "registered.leadership": {
        "vi": "✅ Nhóm này đã được đăng ký là nhóm lãnh đạo.",
        "en": "✅ This group is now the leadership group.",
    },
    "registered.private": {
        "vi": "Lệnh /dangky dùng trong nhóm chat của đơn vị, không dùng trong tin nhắn riêng.",
        "en": "/dangky is used inside the unit's group chat, not in a private chat.",
    },
    "invite.link": {
        "vi": "🔗 Đường dẫn mời vào {unit} với vai trò {role} (dùng một lần, hết hạn {expires}):"
        "\n{link}",
        "en": "🔗 Invitation to {unit} as {role} (single use, expires {expires}):\n{link}",
    },
    "invite.bad_role": {
        "vi": "Vai trò “{role}” không hợp lệ. Ghi một trong: head (trưởng đơn vị), deputy (cấp phó),"
        " staff (chuyên viên).",
        "en": "“{role}” is not a valid role. Use one of: head, deputy, staff.",
    },
    "lang.set": {
        "vi": "Đã chuyển ngôn ngữ sang tiếng Việt.",
        "en": "Language set to English.",
    },
    "help": {
        "vi": "<b>Đôn Đốc — giao và đôn đốc nhiệm vụ</b>\n"
        "/giao &lt;đơn vị&gt; &lt;nội dung&gt; hạn &lt;thời hạn&gt; — giao nhiệm vụ"
        " (trả lời một tin nhắn để giao chính tin đó)\n"
        "/giao — trả lời một thông báo kết luận (tin nhắn, .docx, .pdf) để lập dự thảo giao việc\n"
        "/vanban [số] — văn bản đã giao việc và tiến độ\n"
        "/nhan &lt;mã&gt; — tiếp nhận nhiệm vụ\n"
        "/xong &lt;mã&gt; &lt;kết quả&gt; — báo cáo kết quả (có thể kèm tệp)\n"
        "/giahan &lt;mã&gt; &lt;thời hạn mới&gt; &lt;lý do&gt; — xin gia hạn\n"
        "/viec [đơn vị] — các nhiệm vụ đang mở\n"
        "/nv &lt;mã&gt; — chi tiết và diễn biến một nhiệm vụ\n"
        "/huy &lt;mã&gt; &lt;lý do&gt; — rút nhiệm vụ (mã DK-…: kết thúc nhiệm vụ định kỳ)\n"
        "/dinhky [đơn vị] — các nhiệm vụ định kỳ\n"
        "/chuyen &lt;mã&gt; &lt;đơn vị&gt; — chuyển đơn vị chủ trì\n"
        "/nhac &lt;mã&gt; [lời nhắn] — đôn đốc nhiệm vụ\n"
        "/lich [mã|đơn vị] — lịch đôn đốc sắp tới\n"
        "/donvi — các đơn vị: mã, tên, trưởng đơn vị, nhóm chat\n"
        "/tonghop [tuần|tháng|từ dd/mm đến dd/mm] [đơn vị] — tổng hợp nhiệm vụ đúng hạn, quá hạn\n"
        "/baocao [tháng M/YYYY] — báo cáo tháng (tệp Excel)\n"
        "/dangky &lt;mã đơn vị&gt; — gắn nhóm chat với đơn vị (quản trị viên)\n"
        "/moi &lt;mã đơn vị&gt; [vai trò] — tạo đường dẫn mời cán bộ\n"
        "/lang vi|en — chọn ngôn ngữ\n"
        "Thời hạn ghi như văn bản: <code>15/12</code>, <code>trước 15/12/2026</code>,"
        " <code>5 ngày làm việc</code>, <code>cuối tháng</code>, <code>quý IV</code>,"
        " <code>thường xuyên</code>; định kỳ: <code>hạn ngày 20 hàng tháng</code>,"
        " <code>hàng tuần thứ 6</code>.",
        "en": "<b>Đôn Đốc — assigning and chasing tasks</b>\n"
        "/giao &lt;unit&gt; &lt;content&gt; hạn &lt;deadline&gt; — assign a task"
        " (reply to a message to assign that message)\n"
        "/giao — reply to a conclusion notice (message, .docx, .pdf) to draft its tasks\n"
        "/vanban [number] — documents turned into tasks, and their progress\n"
        "/nhan &lt;code&gt; — acknowledge a task\n"
        "/xong &lt;code&gt; &lt;result&gt; — report the result (a file may be attached)\n"
        "/giahan &lt;code&gt; &lt;new deadline&gt; &lt;reason&gt; — ask for more time\n"
        "/viec [unit] — open tasks\n"
        "/nv &lt;code&gt; — one task and its history\n"
        "/huy &lt;code&gt; &lt;reason&gt; — withdraw a task (a DK-… code: end a recurring task)\n"
        "/dinhky [unit] — recurring tasks\n"
        "/chuyen &lt;code&gt; &lt;unit&gt; — move the lead to another unit\n"
        "/nhac &lt;code&gt; [message] — send a reminder\n"
        "/lich [code|unit] — upcoming reminders\n"
        "/donvi — the units: codes, names, heads, group chats\n"
        "/tonghop [tuần|tháng|từ dd/mm đến dd/mm] [unit] — tasks on time and late\n"
        "/baocao [tháng M/YYYY] — the monthly report (an Excel file)\n"
        "/dangky &lt;unit code&gt; — bind this group chat to a unit (administrators)\n"
        "/moi &lt;unit code&gt; [role] — create an invitation link\n"
        "/lang vi|en — choose the language\n"
        "Deadlines as officials write them: <code>15/12</code>, <code>trước 15/12/2026</code>,"
        " <code>5 ngày làm việc</code>, <code>cuối tháng</code>, <code>quý IV</code>,"
        " <code>thường xuyên</code>; recurring: <code>hạn ngày 20 hàng tháng</code>,"
        " <code>hàng tuần thứ 6</code>.",
    },
    # --- what no command took: a pointer to /help ------------------------------------------------
    "fallback.command": {
        "vi": "Bot không có lệnh {command}. Gõ /help để xem các lệnh.",
        "en": "The bot does not know {command}. Type /help for the commands.",
    },
    "fallback.text": {
        "vi": "Bot nhận lệnh bắt đầu bằng dấu /, ví dụ /viec để xem các nhiệm vụ đang mở."
        " Gõ /help để xem các lệnh.",
        "en": "The bot takes commands that start with /, for example /viec for the open tasks."
        " Type /help for the commands.",
    },
    "error.internal": {
        "vi": "Rất tiếc, đã có lỗi khi xử lý yêu cầu. Không có thay đổi nào được lưu; quản trị viên"
        " đã được báo.",
        "en": "Sorry, something went wrong. Nothing was saved; the administrators were told.",
    },
    "error.after_save": {
        "vi": "Rất tiếc, đã có lỗi sau khi lưu. Thay đổi đã được lưu, nhưng có thể chưa gửi"
        " được hết thông báo; quản trị viên đã được báo.",
        "en": "Sorry, something went wrong after saving. Your change was saved, but some messages"
        " may not have gone out; the administrators were told.",
    },
    "error.admin_notice": {
        "vi": "⚠️ Lỗi khi xử lý một cập nhật: <code>{error}</code>",
        "en": "⚠️ Error while handling an update: <code>{error}</code>",
    },
}
M.update(M_PROGRAMME)
M.update(M_DRAFTS)
M.update(M_SERIES)
M.update(M_DELIVERY)
M.update(M_HISTORY)
M.update(M_LEADERS)
M.update(M_PILOT)
M.update(M_OPS)
M.update(M_LAYOUT)
M.update(M_INTAKE)
M.update(M_EDGES)
M.update(M_CHAIN)
M.update(M_ROSTER)
M.update(M_CLI)
M.update(M_SANDBOX)

# The command menu (setMyCommands), per language.
COMMANDS: dict[str, list[tuple[str, str]]] = {
    "vi": [
        ("giao", "Giao nhiệm vụ cho đơn vị"),
        ("viec", "Các nhiệm vụ đang mở"),
        ("nv", "Chi tiết một nhiệm vụ"),
        ("vanban", "Văn bản và tiến độ các nhiệm vụ"),
        ("dinhky", "Các nhiệm vụ định kỳ"),
        ("nhan", "Tiếp nhận nhiệm vụ"),
        ("xong", "Báo cáo kết quả"),
        ("giahan", "Xin gia hạn"),
        ("huy", "Rút nhiệm vụ"),
        ("chuyen", "Chuyển đơn vị chủ trì"),
        ("dangky", "Gắn nhóm chat với đơn vị"),
        ("moi", "Tạo đường dẫn mời cán bộ"),
        ("nhac", "Đôn đốc một nhiệm vụ"),
        ("lich", "Lịch đôn đốc sắp tới"),
        ("donvi", "Các đơn vị và mã đơn vị"),
        ("tonghop", "Tổng hợp nhiệm vụ đúng hạn, quá hạn"),
        ("baocao", "Báo cáo tháng (tệp Excel)"),
        ("lang", "Chọn ngôn ngữ"),
        ("help", "Hướng dẫn"),
    ],
    "en": [
        ("giao", "Assign a task to a unit"),
        ("viec", "Open tasks"),
        ("nv", "One task and its history"),
        ("vanban", "Documents and their tasks' progress"),
        ("dinhky", "Recurring tasks"),
        ("nhan", "Acknowledge a task"),
        ("xong", "Report the result"),
        ("giahan", "Ask for an extension"),
        ("huy", "Withdraw a task"),
        ("chuyen", "Move the lead to another unit"),
        ("dangky", "Bind this group to a unit"),
        ("moi", "Create an invitation link"),
        ("nhac", "Send a reminder for a task"),
        ("lich", "Upcoming reminders"),
        ("donvi", "The units and their codes"),
        ("tonghop", "Tasks on time and late"),
        ("baocao", "Monthly report (Excel file)"),
        ("lang", "Choose the language"),
        ("help", "Help"),
    ],
}


# Unit codes in the usage examples ({ex_unit}, {ex_unit2}, {ex_units}) come from the roster
# (render.examples), so a newcomer who copies an example names a unit that exists; these stand in
# while the roster has no units.
EXAMPLE_UNITS = {"ex_unit": "KTHT", "ex_unit2": "VHXH", "ex_units": "KTHT,VHXH"}


class _Plurals(string.Formatter):
    """English counts with their noun: ``{days:working day|working days}`` gives "1 working
    day", "3 working days" (the text after ``|`` for anything but one, a number given as text
    included). Vietnamese nouns do not change with the count and never use it."""

    def format_field(self, value: object, format_spec: str) -> str:
        one, bar, many = format_spec.partition("|")
        if not bar:
            return str(super().format_field(value, format_spec))
        return f"{value} {one if str(value).strip() in ('1', '-1') else many}"


_PLURALS = _Plurals()


def t(key: str, lang: str = "vi", **params: object) -> str:
    entry = M[key]
    template = entry.get(lang) or entry["vi"]
    if "{ex_unit" in template:
        params = EXAMPLE_UNITS | params
    if not params:
        return template
    if "|" in template:
        return _PLURALS.vformat(template, (), params)
    return template.format(**params)
