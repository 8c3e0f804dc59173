"""Messages about the roster file (`dondoc org import`, DONDOC_ORG_FILE) and the database's
one-line failures, printed on a terminal in DONDOC_LANGUAGE: plain text, no HTML.

A roster line is "file:line: message" (bot.text.said.Said); {field} is a key of the file
(code, name, telegram_id …), written as it is in both languages."""

from __future__ import annotations

M_ROSTER: dict[str, dict[str, str]] = {
    # --- the file as a whole -------------------------------------------------------------------
    "roster.too_big": {
        "vi": "lớn hơn {limit} byte: không phải tệp danh sách cán bộ",
        "en": "larger than {limit} bytes: not a roster",
    },
    "roster.unreadable": {
        "vi": "không đọc được tệp ({reason})",
        "en": "cannot read ({reason})",
    },
    "roster.not_utf8": {
        "vi": "tệp không phải văn bản UTF-8 (lưu lại tệp với bảng mã UTF-8)",
        "en": "not UTF-8 text",
    },
    "roster.not_yaml": {
        "vi": "không đúng cú pháp YAML ({problem})",
        "en": "not valid YAML ({problem})",
    },
    "roster.too_deep": {
        "vi": "tệp lồng nhau quá sâu, không phải tệp danh sách cán bộ",
        "en": "the file is nested too deeply to be a roster",
    },
    "roster.empty": {"vi": "tệp trống", "en": "the file is empty"},
    "roster.too_many_values": {
        "vi": "tệp có hơn {limit} giá trị khi mở rộng các bí danh (*tên); ghi thẳng các giá trị"
        " thay cho bí danh",
        "en": "the file holds more than {limit} values once its aliases (*name) are expanded;"
        " write the values out instead",
    },
    "roster.alias_loop": {
        "vi": "một bí danh (*tên) trỏ về chính nó",
        "en": "an alias (*name) refers to itself",
    },
    # --- shapes --------------------------------------------------------------------------------
    "roster.not_mapping.file": {
        "vi": "tệp phải là danh sách khóa: giá trị",
        "en": "the file must be a mapping (key: value)",
    },
    "roster.not_mapping.unit": {
        "vi": "mỗi đơn vị phải là danh sách khóa: giá trị",
        "en": "a unit must be a mapping (key: value)",
    },
    "roster.not_mapping.person": {
        "vi": "mỗi cán bộ phải là danh sách khóa: giá trị",
        "en": "a person must be a mapping (key: value)",
    },
    "roster.duplicate_key": {
        "vi": "khóa “{name}” bị ghi hai lần",
        "en": "duplicate key '{name}'",
    },
    "roster.not_text": {
        "vi": "{field} phải là chữ",
        "en": "{field} must be text",
    },
    "roster.not_text.each": {
        "vi": "mỗi mục của {field} phải là chữ",
        "en": "each of {field} must be text",
    },
    "roster.not_list": {
        "vi": "{field} phải là một danh sách, ví dụ [KT-HT, Kinh tế]",
        "en": "{field} must be a list, like [KT-HT, Kinh tế]",
    },
    "roster.not_integer": {
        "vi": "{field} phải là số nguyên (mã Telegram, ví dụ {example})",
        "en": "{field} must be a whole number (a Telegram id, like {example})",
    },
    "roster.not_positive": {
        "vi": "{field} {value} phải là số dương (mã Telegram của một người, ví dụ 900001)",
        "en": "{field} {value} must be positive (a Telegram user id, like 900001)",
    },
    "roster.not_telegram_id": {
        "vi": "{field} {value} không phải mã Telegram (ví dụ {example})",
        "en": "{field} {value} is not a Telegram id (like {example})",
    },
    "roster.too_long": {
        "vi": "{field} dài {length} ký tự; tối đa {limit}",
        "en": "{field} is {length:character|characters} long; at most {limit}",
    },
    "roster.too_long.alias": {
        "vi": "một tên khác (aliases) dài {length} ký tự; tối đa {limit}",
        "en": "an alias is {length:character|characters} long; at most {limit}",
    },
    "roster.bad_value": {
        "vi": "“{value}” không phải một ngày hoặc giá trị có thật",
        "en": "'{value}' is not a real date or value",
    },
    # --- the top level -------------------------------------------------------------------------
    "roster.unknown_key": {
        "vi": "khóa “{name}” không có trong tệp danh sách (các khóa: {known})",
        "en": "unknown key '{name}' (expected {known})",
    },
    "roster.leadership_is_unit_chat": {
        "vi": "leadership_chat trùng với nhóm chat của một đơn vị",
        "en": "leadership_chat is also a unit's chat",
    },
    "roster.section": {"vi": "{problem}", "en": "{problem}"},
    # --- units ---------------------------------------------------------------------------------
    "roster.units_not_list": {
        "vi": "units phải là danh sách các đơn vị, mỗi đơn vị bắt đầu bằng “- code:”",
        "en": "units must be a list of units, each starting with '- code:'",
    },
    "roster.unknown_unit_key": {
        "vi": "khóa “{name}” không dùng cho đơn vị (các khóa: code, name, aliases, chat)",
        "en": "unknown key '{name}' in a unit (expected code, name, aliases, chat)",
    },
    "roster.unit_no_code": {
        "vi": "đơn vị cần có mã, ví dụ “code: KTHT”",
        "en": "a unit needs a code, like 'code: KTHT'",
    },
    "roster.bad_code": {
        "vi": "mã “{code}” chỉ gồm chữ cái không dấu, chữ số, - hoặc _ (tối đa 32 ký tự)",
        "en": "code '{code}' must be letters, digits, - or _ (max 32)",
    },
    "roster.unit_no_name": {
        "vi": "đơn vị cần có tên, ví dụ “name: Phòng Kinh tế, Hạ tầng và Đô thị”",
        "en": "a unit needs a name, like 'name: Phòng Kinh tế, Hạ tầng và Đô thị'",
    },
    "roster.code_twice": {
        "vi": "mã đơn vị “{code}” bị ghi hai lần",
        "en": "unit code '{code}' appears twice",
    },
    "roster.chat_twice": {
        "vi": "nhóm chat {chat} đã là nhóm của {other}",
        "en": "chat {chat} is already the chat of {other}",
    },
    "roster.name_taken": {
        "vi": "“{written}” đã là tên gọi của đơn vị {other}",
        "en": "'{written}' already names unit {other}",
    },
    "roster.warn.written_elsewhere": {
        "vi": "“{written}” (từ {code}, {name}) là tên đã ghi cho {other} ({other_name}): lệnh"
        " ghi tên này sẽ chuyển đến {other}",
        "en": "'{written}' (from {code}, {name}) is written as a name of {other} ({other_name}):"
        " a command naming it goes to {other}",
    },
    "roster.warn.shared_name": {
        "vi": "“{written}” là tên gọi chung của {other} ({other_name}) và {code} ({name}) khi bỏ"
        " dấu và bỏ chữ “Phòng”, “Ban”: lệnh ghi tên này sẽ hỏi lại là đơn vị nào (nên ghi mã)",
        "en": "'{written}' names both {other} ({other_name}) and {code} ({name}) once accents"
        " and 'Phòng', 'Ban' are dropped: a command naming it will ask which unit is meant"
        " (write the code)",
    },
    # --- people --------------------------------------------------------------------------------
    "roster.people_not_list": {
        "vi": "people phải là danh sách cán bộ, mỗi người bắt đầu bằng “- telegram_id:”",
        "en": "people must be a list, each starting with '- telegram_id:'",
    },
    "roster.unknown_person_key": {
        "vi": "khóa “{name}” không dùng cho cán bộ (các khóa: {known})",
        "en": "unknown key '{name}' in a person (expected {known})",
    },
    "roster.person_no_id": {
        "vi": "cán bộ cần có mã Telegram, ví dụ “telegram_id: 900001”",
        "en": "a person needs a telegram_id, like 'telegram_id: 900001'",
    },
    "roster.id_twice": {
        "vi": "telegram_id {id} bị ghi hai lần",
        "en": "telegram_id {id} appears twice",
    },
    "roster.person_no_name": {"vi": "cán bộ cần có họ tên (name)", "en": "a person needs a name"},
    "roster.person_no_role": {
        "vi": "cán bộ cần có vai trò (role), một trong: {roles}",
        "en": "a person needs a role, one of: {roles}",
    },
    "roster.bad_role": {
        "vi": "vai trò “{role}” không thuộc: {roles}",
        "en": "role '{role}' is not one of: {roles}",
    },
    "roster.unknown_unit": {
        "vi": "đơn vị “{unit}” không có trong danh sách đơn vị của tệp",
        "en": "unit '{unit}' is not among the units of this file",
    },
    "roster.person_no_unit": {
        "vi": "cán bộ có vai trò {role} cần ghi đơn vị, ví dụ “unit: KTHT”",
        "en": "a person with role {role} needs a unit, like 'unit: KTHT'",
    },
    "roster.unknown_supervised": {
        "vi": "đơn vị phụ trách “{code}” không có trong tệp",
        "en": "supervised unit '{code}' is not in this file",
    },
    "roster.only_vice_supervises": {
        "vi": "chỉ Phó Chủ tịch (vice_chairman) có khối đơn vị phụ trách (supervises)",
        "en": "only a vice_chairman supervises units",
    },
    "roster.bad_language": {
        "vi": "language phải là vi hoặc en",
        "en": "language must be vi or en",
    },
    # --- the sections policy:, calendar:, reports: ----------------------------------------------
    "roster.policy.not_mapping": {
        "vi": "policy phải là danh sách các thiết lập",
        "en": "policy must be a mapping of settings",
    },
    "roster.policy.unknown": {
        "vi": "thiết lập policy “{name}” không có (các thiết lập: {known})",
        "en": "unknown policy setting '{name}' (known: {known})",
    },
    "roster.policy.number": {
        "vi": "policy.{name} phải là số nguyên ≥ {low}",
        "en": "policy.{name} must be a whole number ≥ {low}",
    },
    "roster.policy.bool": {
        "vi": "policy.{name} phải là true hoặc false",
        "en": "policy.{name} must be true or false",
    },
    "roster.policy.hours": {
        "vi": "policy.{name} phải là số giờ làm việc lớn hơn 0",
        "en": "policy.{name} must be a number of office hours > 0",
    },
    "roster.policy.time": {
        "vi": "policy.{name} phải là giờ dạng 08:00",
        "en": "policy.{name} must be a time like 08:00",
    },
    "roster.calendar.not_mapping": {
        "vi": "calendar phải là danh sách khóa: giá trị với days_off và working_days",
        "en": "calendar must be a mapping with days_off and working_days",
    },
    "roster.calendar.unknown": {
        "vi": "khóa calendar không có: {names}",
        "en": "not a calendar key: {names}",
    },
    "roster.calendar.dates": {
        "vi": "calendar.{name} phải là danh sách ngày dạng 2026-12-31",
        "en": "calendar.{name} must be a list of dates like 2026-12-31",
    },
    "roster.calendar.roll": {
        "vi": "calendar.roll_forward phải là true hoặc false",
        "en": "calendar.roll_forward must be true or false",
    },
    "roster.reports.not_mapping": {
        "vi": "reports phải là danh sách các thiết lập",
        "en": "reports must be a mapping of settings",
    },
    "roster.reports.unknown": {
        "vi": "thiết lập reports “{name}” không có (các thiết lập: {known})",
        "en": "unknown reports setting '{name}' (known: {known})",
    },
    "roster.reports.chat": {
        "vi": "reports.all_units_chat phải là mã nhóm chat, ví dụ -1001000000099",
        "en": "reports.all_units_chat must be a chat id, like -1001000000099",
    },
    "roster.reports.weekly": {
        "vi": "reports.weekly phải là một ngày từ thứ Hai đến thứ Sáu kèm giờ, ví dụ “thứ 6"
        " 16:00” hoặc “fri 16:00”, hoặc false",
        "en": "reports.weekly must be a weekday (Monday to Friday) and a time, like 'fri 16:00'"
        " or 'thứ 6 16:00', or false",
    },
    "roster.reports.monthly": {
        "vi": "reports.monthly phải là giờ gửi vào ngày làm việc đầu tiên của tháng, ví dụ"
        " “08:00”, hoặc false",
        "en": "reports.monthly must be the time on the month's first working day, like '08:00',"
        " or false",
    },
    "roster.reports.count_against": {
        "vi": "reports.count_against phải là một trong: {known}",
        "en": "reports.count_against must be one of: {known}",
    },
    # --- the database, in one line (bot/db/problems.py) ----------------------------------------
    "db.no_database": {
        "vi": "Cấu hình sai DATABASE_URL ({url}): PostgreSQL tại {host} không có cơ sở dữ liệu"
        " “{name}”; tạo cơ sở dữ liệu (createdb {name}) hoặc sửa lại tên",
        "en": "Bad setting DATABASE_URL ({url}): PostgreSQL at {host} has no database “{name}”;"
        " create it (createdb {name}) or correct the name",
    },
    "db.bad_user": {
        "vi": "Cấu hình sai DATABASE_URL ({url}): PostgreSQL tại {host} từ chối người dùng"
        " “{user}”: {error}",
        "en": "Bad setting DATABASE_URL ({url}): PostgreSQL at {host} refused user “{user}”:"
        " {error}",
    },
    "db.unreachable": {
        "vi": "Cấu hình sai DATABASE_URL ({url}): không kết nối được PostgreSQL tại {host}"
        " ({error}); máy chủ có đang chạy và địa chỉ có đúng không?",
        "en": "Bad setting DATABASE_URL ({url}): cannot reach PostgreSQL at {host} ({error});"
        " is the server running, and is the address right?",
    },
    "db.no_answer": {
        "vi": "Cấu hình sai DATABASE_URL ({url}): PostgreSQL tại {host} không trả lời",
        "en": "Bad setting DATABASE_URL ({url}): PostgreSQL at {host} did not answer",
    },
    "db.not_a_folder": {
        "vi": "Cấu hình sai DATABASE_URL ({url}): không tạo được tệp SQLite {path}: {blocker}"
        " là một tệp, không phải thư mục",
        "en": "Bad setting DATABASE_URL ({url}): cannot create the SQLite file {path}: {blocker}"
        " is a file, not a folder",
    },
    "db.disk_full": {
        "vi": "Không ghi được cơ sở dữ liệu SQLite {path} (DATABASE_URL): ổ đĩa đã đầy",
        "en": "Cannot write the SQLite database {path} (DATABASE_URL): the disk is full",
    },
    "db.read_only": {
        "vi": "Không ghi được cơ sở dữ liệu SQLite {path} (DATABASE_URL): hệ thống tệp chỉ cho đọc",
        "en": "Cannot write the SQLite database {path} (DATABASE_URL): the file system is"
        " read-only",
    },
    "db.permission": {
        "vi": "Không ghi được cơ sở dữ liệu SQLite {path} (DATABASE_URL): không có quyền ghi",
        "en": "Cannot write the SQLite database {path} (DATABASE_URL): permission denied",
    },
    "db.cannot_open": {
        "vi": "Không mở được cơ sở dữ liệu SQLite {path} (DATABASE_URL): kiểm tra thư mục chứa"
        " tệp có tồn tại và ghi được không",
        "en": "Cannot open the SQLite database {path} (DATABASE_URL): check that its folder"
        " exists and can be written",
    },
}
