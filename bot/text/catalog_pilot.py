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
}
