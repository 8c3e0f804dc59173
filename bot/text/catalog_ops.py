"""Messages of the operations commands (`dondoc backup`, `dondoc restore`), printed on a
terminal in DONDOC_LANGUAGE: plain text, no HTML."""

from __future__ import annotations

M_OPS: dict[str, dict[str, str]] = {
    "ops.backup.done": {
        "vi": "Đã sao lưu cơ sở dữ liệu vào {path} ({size}).",
        "en": "Database backed up to {path} ({size}).",
    },
    "ops.backup.memory": {
        "vi": "Không sao lưu được: cơ sở dữ liệu nằm trong bộ nhớ (DATABASE_URL), không có tệp.",
        "en": "Cannot back up: the database is in memory (DATABASE_URL), there is no file.",
    },
    "ops.backup.no_tool": {
        "vi": "Không sao lưu/khôi phục được PostgreSQL: không tìm thấy lệnh {tool} trên máy này."
        " Cài gói postgresql-client (ví dụ `apt install postgresql-client`) cùng phiên bản với"
        " máy chủ, rồi chạy lại.",
        "en": "Cannot back up or restore PostgreSQL: the {tool} command is not on this machine."
        " Install postgresql-client (for example `apt install postgresql-client`) of the"
        " server's version, then run this again.",
    },
    "ops.backup.tool_failed": {
        "vi": "{tool} báo lỗi: {error}",
        "en": "{tool} failed: {error}",
    },
    "ops.backup.is_folder": {
        "vi": "Không ghi được {path}: đó là một thư mục. Ghi rõ tên tệp, ví dụ {path}/dondoc.db.",
        "en": "Cannot write {path}: it is a folder. Name a file, for example {path}/dondoc.db.",
    },
    "ops.backup.no_folder": {
        "vi": "Không ghi được: thư mục {folder} không tồn tại.",
        "en": "Cannot write: the folder {folder} does not exist.",
    },
    "ops.backup.no_database": {
        "vi": "Không sao lưu được: chưa có tệp cơ sở dữ liệu {path} (DATABASE_URL).",
        "en": "Cannot back up: the database file {path} does not exist (DATABASE_URL).",
    },
    "ops.backup.failed": {
        "vi": "Sao lưu không thành công: {error}",
        "en": "The backup failed: {error}",
    },
    "ops.restore.unreadable": {
        "vi": "Không đọc được {path}: {error}",
        "en": "Cannot read {path}: {error}",
    },
    "ops.restore.not_backup": {
        "vi": "{path} không phải bản sao lưu {kind}: không khôi phục gì.",
        "en": "{path} is not a {kind} backup: nothing was restored.",
    },
    "ops.restore.not_dondoc": {
        "vi": "{path} là tệp SQLite nhưng không phải cơ sở dữ liệu của Đôn Đốc: không khôi phục"
        " gì.",
        "en": "{path} is a SQLite file but not a Đôn Đốc database: nothing was restored.",
    },
    "ops.restore.lock_failed": {
        "vi": "Không khôi phục được: {error}",
        "en": "Cannot restore: {error}",
    },
    "ops.restore.busy": {
        "vi": "Đôn Đốc đang chạy trên cơ sở dữ liệu này (máy {host}, pid {pid}, từ {since}):"
        " không khôi phục khi bot đang chạy. Dừng bot trước, rồi chạy lại lệnh này.",
        "en": "Đôn Đốc is running on this database (host {host}, pid {pid}, since {since}):"
        " not restoring under a running bot. Stop it first, then run this again.",
    },
    "ops.restore.ask": {
        "vi": "Khôi phục sẽ thay TOÀN BỘ dữ liệu hiện có ({database}) bằng bản sao lưu {path}."
        " Gõ “có” để tiếp tục: ",
        "en": "Restoring replaces ALL the data now in {database} with the backup {path}."
        " Type “yes” to go on: ",
    },
    "ops.restore.not_confirmed": {
        "vi": "Chưa xác nhận: không thay đổi gì.",
        "en": "Not confirmed: nothing was changed.",
    },
    "ops.restore.failed": {
        "vi": "Khôi phục không thành công: {error}",
        "en": "The restore failed: {error}",
    },
    "ops.restore.done": {
        "vi": "Đã khôi phục {database} từ {path}. Lần chạy bot tiếp theo sẽ tự nâng cấp cơ sở"
        " dữ liệu nếu bản sao lưu cũ hơn.",
        "en": "Restored {database} from {path}. The bot's next start upgrades the database if"
        " the backup is older.",
    },
}
