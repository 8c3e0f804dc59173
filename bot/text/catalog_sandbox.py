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
}
