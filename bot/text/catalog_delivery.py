"""Messages about delivery and the one running instance: the mark on a message sent again, and
the lines `dondoc run` prints when another instance holds the database or Telegram's updates.
The run's lines are plain text (a terminal, not Telegram)."""

from __future__ import annotations

M_DELIVERY: dict[str, dict[str, str]] = {
    "delivery.resent": {
        "vi": "<i>(gửi lại — tin trước có thể chưa đến)</i>",
        "en": "<i>(sent again — the previous message may not have arrived)</i>",
    },
    "instance.busy": {
        "vi": "Đôn Đốc đang chạy trên cơ sở dữ liệu này (máy {host}, pid {pid}, từ {since}):"
        " không khởi động phiên thứ hai. Dừng phiên đang chạy trước, hoặc dùng cơ sở dữ liệu"
        " khác (DATABASE_URL).",
        "en": "Đôn Đốc is already running on this database (host {host}, pid {pid}, since"
        " {since}): not starting a second instance. Stop the running one first, or use another"
        " database (DATABASE_URL).",
    },
    "instance.lock_failed": {
        "vi": "Không khởi động được: {error}",
        "en": "Cannot start: {error}",
    },
    "instance.conflict": {
        "vi": "Telegram báo một chương trình khác đang nhận tin nhắn của bot này (409 Conflict),"
        " có thể là Đôn Đốc chạy ở máy khác với cùng TELEGRAM_BOT_TOKEN. Bot dừng lại: chỉ để"
        " một phiên chạy, rồi khởi động lại.",
        "en": "Telegram says another program is taking this bot's updates (409 Conflict),"
        " probably Đôn Đốc running elsewhere with the same TELEGRAM_BOT_TOKEN. Stopping: keep"
        " one instance running, then start again.",
    },
}
