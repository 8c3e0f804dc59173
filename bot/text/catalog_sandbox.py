"""The sandbox web chat's own notices (bot/sandbox/web/server.py), in DONDOC_LANGUAGE."""

from __future__ import annotations

M_SANDBOX: dict[str, dict[str, str]] = {
    "sandbox.nothing_scheduled": {
        "vi": "Chưa có gì được hẹn giờ (chưa có nhiệm vụ nào cần nhắc), nên đồng hồ giữ nguyên."
        " Giao một nhiệm vụ có thời hạn rồi bấm ⏩ lần nữa.",
        "en": "Nothing is scheduled yet (no task to remind anyone of), so the clock stays where"
        " it is. Assign a task with a deadline, then press ⏩ again.",
    },
    # app.js says the same before sending (tooLong): keep the two alike.
    "sandbox.too_long": {
        "vi": "Tin nhắn dài {size} ký tự, quá giới hạn {most} ký tự của Telegram, nên chưa được"
        " gửi. Chia thành nhiều tin, hoặc gửi nội dung dài dưới dạng tệp.",
        "en": "The message is {size} characters long, over Telegram's limit of {most}, so it was"
        " not sent. Split it into several messages, or send long content as a file.",
    },
    "sandbox.bad_send": {
        "vi": "cần chat_id, user_id (số) và reply_to (số, không bắt buộc)",
        "en": "chat_id and user_id (numbers) are needed, and reply_to (a number) may be given",
    },
    "sandbox.empty_message": {
        "vi": "Tin nhắn trống: gõ nội dung hoặc đính kèm tệp.",
        "en": "The message is empty: type something or attach a file.",
    },
    "sandbox.reply_gone": {
        "vi": "Không còn tin nhắn {message} trong cuộc trò chuyện này để trả lời.",
        "en": "Message {message} is not in this chat any more: nothing to reply to.",
    },
    "sandbox.button_gone": {
        "vi": "Nút này không còn trên tin nhắn {message} (tin nhắn đã đổi hoặc không còn): "
        "bấm nút trên tin nhắn như đang hiển thị.",
        "en": "That button is no longer on message {message} (it changed or is gone): "
        "press one on the message as it shows now.",
    },
    "sandbox.bad_press": {
        "vi": "cần chat_id, message_id, user_id và data",
        "en": "chat_id, message_id, user_id and data are needed",
    },
    "sandbox.no_user": {
        "vi": "không có người dùng {user} trong phường mẫu",
        "en": "there is no user {user} in the demo ward",
    },
    "sandbox.no_chat": {
        "vi": "không có cuộc trò chuyện {chat} cho người dùng {user}",
        "en": "there is no chat {chat} for user {user}",
    },
    "sandbox.not_member": {
        "vi": "{name} không phải thành viên nhóm “{title}”, nên không gửi tin hay bấm nút ở đó"
        " được (như trên Telegram).",
        "en": "{name} is not a member of the group “{title}”, so cannot send messages or press"
        " buttons there (as on Telegram).",
    },
    "sandbox.private_chat": {"vi": "chat riêng của {name}", "en": "{name}’s private chat"},
    "sandbox.moved": {
        "vi": "⏩ Đồng hồ sandbox: {label}. Bot đã gửi {sent} tin nhắn và sửa {edited} tin nhắn",
        "en": "⏩ Sandbox clock: {label}. The bot sent {sent:message|messages} and edited"
        " {edited:message|messages}",
    },
    "sandbox.no_file": {"vi": "không có tệp này", "en": "no such file"},
    # The page (bot/sandbox/web/index.html): its fixed words, filled in by the server.
    "sandbox.page.persona": {"vi": "Đóng vai", "en": "Acting as"},
    "sandbox.page.persona_choose": {"vi": "Chọn vai", "en": "Choose who you are"},
    "sandbox.page.clock": {
        "vi": "Giờ trong sandbox (Asia/Ho_Chi_Minh)",
        "en": "The sandbox's time (Asia/Ho_Chi_Minh)",
    },
    "sandbox.page.ff": {"vi": "Tua nhanh", "en": "Fast forward"},
    "sandbox.page.ff_title": {
        "vi": "Tua đồng hồ đến sự kiện hẹn giờ tiếp theo (nhắc hạn, báo cáo tuần)",
        "en": "Move the clock to the next scheduled event (a reminder, the weekly report)",
    },
    "sandbox.page.help": {"vi": "Hướng dẫn", "en": "Help"},
    "sandbox.page.offline": {
        "vi": "Mất kết nối với sandbox — đang thử lại…",
        "en": "Lost the connection to the sandbox — trying again…",
    },
    "sandbox.page.chats": {"vi": "Cuộc trò chuyện", "en": "Chats"},
    "sandbox.page.back": {"vi": "Danh sách trò chuyện", "en": "The list of chats"},
    "sandbox.page.replying": {"vi": "Trả lời", "en": "Replying to"},
    "sandbox.page.reply_cancel": {"vi": "Bỏ trả lời", "en": "Do not reply"},
    "sandbox.page.file_cancel": {"vi": "Bỏ tệp", "en": "Remove the file"},
    "sandbox.page.attach": {"vi": "Đính kèm tệp", "en": "Attach a file"},
    "sandbox.page.placeholder": {
        "vi": "Nhập tin nhắn hoặc lệnh, ví dụ /giao KTHT … hạn 15/12 (Enter để gửi)",
        "en": "Type a message or a command, like /giao KTHT … hạn 15/12 (Enter sends)",
    },
    "sandbox.page.send": {"vi": "Gửi", "en": "Send"},
    "sandbox.page.help_title": {
        "vi": "Thử Đôn Đốc không cần Telegram",
        "en": "Try Đôn Đốc without Telegram",
    },
    "sandbox.page.help_close": {"vi": "Bắt đầu", "en": "Start"},
    # HTML (the catalog's own, not escaped): <code class="try"> is a sample the page copies;
    # {ack}, {report}, {approve}: the buttons' own words (btn.*).
    "sandbox.page.help_html": {
        "vi": "<p>Đây là một Telegram giả lập chạy trên máy này, với bot thật và một phường mẫu."
        " Bấm vào lệnh mẫu để chép vào ô soạn tin.</p>\n<ol>\n<li>Chọn vai <b>Chủ tịch</b>"
        ' (Nguyễn Văn Hùng), mở nhóm <b>Lãnh đạo UBND phường</b>, gõ <code class="try">'
        "/giao KTHT Rà soát lấn chiếm vỉa hè tuyến Trần Nhân Tông hạn 15/12</code></li>\n"
        "<li>Chọn vai <b>Đỗ Văn Nam</b> (Trưởng phòng Kinh tế, Hạ tầng và Đô thị), mở nhóm của"
        " phòng, nhấn <b>{ack}</b>, rồi <b>{report}</b> và trả lời tin nhắn của bot.</li>\n"
        "<li>Quay lại vai <b>Chủ tịch</b>, nhấn <b>{approve}</b> trong chat riêng với bot.</li>"
        "\n</ol>\n<p>⏩ tua đồng hồ đến việc hẹn giờ tiếp theo (nhắc hạn, báo cáo tuần)."
        ' Gõ <code class="try">/help</code> để xem mọi lệnh,'
        ' <code class="try">/viec</code> để xem việc đang mở.</p>',
        "en": "<p>This is a stand-in for Telegram running on this computer, with the real bot"
        " and a demo ward. Click a sample command to copy it into the message box.</p>\n<ol>\n"
        "<li>Act as the <b>Chairman</b> (Nguyễn Văn Hùng), open the group <b>Lãnh đạo UBND"
        ' phường</b> (the ward\'s leadership), type <code class="try">'
        "/giao KTHT Review the pavement encroachments on Trần Nhân Tông street hạn 15/12"
        "</code></li>\n<li>Act as <b>Đỗ Văn Nam</b> (head of Phòng Kinh tế, Hạ tầng và Đô thị),"
        " open the unit's group, press <b>{ack}</b>, then <b>{report}</b> and reply to the"
        " bot's message.</li>\n<li>Back as the <b>Chairman</b>, press <b>{approve}</b> in the"
        " private chat with the bot.</li>\n</ol>\n<p>⏩ moves the clock to the next scheduled"
        ' event (a reminder, the weekly report). Type <code class="try">/help</code> for'
        ' every command, <code class="try">/viec</code> for the open tasks.</p>',
    },
    # app.js's words (the server hands them to the page as a table, without the prefix).
    "sandbox.js.locale": {"vi": "vi-VN", "en": "en-GB"},
    "sandbox.js.load_failed": {
        "vi": "Không tải được sandbox: {error}",
        "en": "Could not load the sandbox: {error}",
    },
    "sandbox.js.private": {"vi": "🤖 {bot} (chat riêng)", "en": "🤖 {bot} (private chat)"},
    "sandbox.js.private_of": {"vi": "của {name}", "en": "{name}’s"},
    "sandbox.js.group": {"vi": "nhóm", "en": "group"},
    "sandbox.js.no_messages": {"vi": "Chưa có tin nhắn", "en": "No messages yet"},
    "sandbox.js.file": {"vi": "tệp", "en": "file"},
    "sandbox.js.photo": {"vi": "🖼 Ảnh", "en": "🖼 Photo"},
    "sandbox.js.photo_alt": {"vi": "ảnh", "en": "photo"},
    "sandbox.js.edited": {"vi": " · đã sửa", "en": " · edited"},
    "sandbox.js.reply": {"vi": "↩ Trả lời", "en": "↩ Reply"},
    "sandbox.js.reply_force": {"vi": "↩ Trả lời tin nhắn này", "en": "↩ Reply to this message"},
    "sandbox.js.count": {"vi": "{length} / {limit} ký tự", "en": "{length} / {limit} characters"},
    "sandbox.js.leaders": {"vi": "Lãnh đạo, Văn phòng", "en": "Leaders, office"},
    "sandbox.js.units": {"vi": "Các đơn vị", "en": "Units"},
}
