"""`dondoc --help`: the command line's own help, in DONDOC_LANGUAGE (plain text, no HTML)."""

from __future__ import annotations

M_CLI: dict[str, dict[str, str]] = {
    # argparse's own words: the usage line, the two headings, -h.
    "cli.help.usage": {"vi": "cách dùng: ", "en": "usage: "},
    "cli.help.positionals": {"vi": "tham số", "en": "positional arguments"},
    "cli.help.options": {"vi": "tùy chọn", "en": "options"},
    "cli.help.help": {"vi": "in phần hướng dẫn này rồi thoát", "en": "show this help and exit"},
    "cli.help.description": {
        "vi": "Đôn Đốc: giao và đôn đốc nhiệm vụ",
        "en": "Đôn Đốc: assign and chase tasks",
    },
    "cli.help.run": {
        "vi": "chạy bot (polling, hoặc webhook khi có DONDOC_WEBHOOK_URL)",
        "en": "run the bot (polling, or a webhook with DONDOC_WEBHOOK_URL)",
    },
    "cli.help.sandbox": {
        "vi": "dùng thử bot không cần Telegram: trang trò chuyện trên máy với một phường mẫu",
        "en": "try the bot without Telegram: a local web chat with a demo ward",
    },
    "cli.help.sandbox.db": {
        "vi": "cơ sở dữ liệu của sandbox (mặc định sqlite+aiosqlite:///data/sandbox.db)",
        "en": "sandbox database (default sqlite+aiosqlite:///data/sandbox.db)",
    },
    "cli.help.sandbox.host": {
        "vi": "địa chỉ trang (mặc định $DONDOC_SANDBOX_HOST hoặc 127.0.0.1)",
        "en": "web address (default $DONDOC_SANDBOX_HOST or 127.0.0.1)",
    },
    "cli.help.sandbox.port": {
        "vi": "cổng của trang (mặc định $DONDOC_SANDBOX_PORT hoặc 8080)",
        "en": "web port (default $DONDOC_SANDBOX_PORT or 8080)",
    },
    "cli.help.sandbox.keep": {
        "vi": "giữ các nhiệm vụ của lần chạy trước",
        "en": "keep the tasks of the last run",
    },
    "cli.help.db": {"vi": "cơ sở dữ liệu", "en": "database"},
    "cli.help.db.upgrade": {"vi": "áp dụng các bản nâng cấp (migration)", "en": "apply migrations"},
    "cli.help.org": {"vi": "danh sách đơn vị và cán bộ", "en": "the roster"},
    "cli.help.org.import": {
        "vi": "nhập danh sách từ tệp YAML",
        "en": "import the roster from a YAML file",
    },
    "cli.help.org.export": {"vi": "ghi danh sách ra YAML", "en": "write the roster as YAML"},
    "cli.help.org.export.out": {
        "vi": "tệp để ghi (mặc định: in ra màn hình)",
        "en": "file to write (default: standard output)",
    },
    "cli.help.backup": {
        "vi": "sao lưu cơ sở dữ liệu (SQLite backup API hoặc pg_dump)",
        "en": "back up the database (SQLite backup API or pg_dump)",
    },
    "cli.help.backup.file": {
        "vi": "mặc định: dondoc-YYYYMMDD-HHMMSS.db (hoặc .dump)",
        "en": "default: dondoc-YYYYMMDD-HHMMSS.db (or .dump)",
    },
    "cli.help.restore": {
        "vi": "thay cơ sở dữ liệu bằng một bản sao lưu (khi bot đã dừng)",
        "en": "replace the database with a backup (bot stopped)",
    },
    "cli.help.yes": {
        "vi": "làm luôn, không hỏi lại (cho các script)",
        "en": "go ahead without asking (for scripts)",
    },
    "cli.help.yes.replace": {
        "vi": "ghi đè tệp đã có, không hỏi lại",
        "en": "replace a file already there without asking",
    },
    "cli.help.report": {
        "vi": "ghi báo cáo tháng (.xlsx)",
        "en": "write the monthly report (.xlsx)",
    },
    "cli.help.report.month": {"vi": "tháng báo cáo, dạng 2026-11", "en": "the month, like 2026-11"},
    "cli.help.report.out": {
        "vi": "tệp để ghi (mặc định: bao-cao-nhiem-vu-YYYY-MM.xlsx)",
        "en": "file to write (default: bao-cao-nhiem-vu-YYYY-MM.xlsx)",
    },
    "cli.help.tally": {
        "vi": "in bảng tổng hợp một tuần theo đơn vị chủ trì",
        "en": "print a week's tally per lead unit",
    },
    "cli.help.tally.week": {
        "vi": "tuần ISO, dạng 2026-W47 (mặc định: tuần này)",
        "en": "the ISO week, like 2026-W47 (default: this week)",
    },
    "cli.help.tally.chart": {
        "vi": "vẽ thêm biểu đồ vào tệp PNG này",
        "en": "also draw the chart into this PNG file",
    },
    "cli.help.program": {
        "vi": "chương trình công tác năm (.xlsx)",
        "en": "the annual work programme (.xlsx)",
    },
    "cli.help.program.import": {
        "vi": "xem trước chương trình rồi nhập",
        "en": "preview the programme, then import it",
    },
    "cli.help.program.year": {
        "vi": "năm của chương trình (mặc định: theo tiêu đề tệp)",
        "en": "the programme's year (default: from its title)",
    },
    "cli.help.program.show": {
        "vi": "các nhiệm vụ dự kiến theo đơn vị và tháng",
        "en": "planned tasks per unit and month",
    },
    "cli.help.program.template": {
        "vi": "ghi một chương trình trống có sẵn tiêu đề cột",
        "en": "write an empty programme with the headers",
    },
    "cli.help.program.template.file": {
        "vi": "mặc định: chuong-trinh-cong-tac.xlsx",
        "en": "default: chuong-trinh-cong-tac.xlsx",
    },
    "cli.help.program.template.year": {
        "vi": "năm ghi ở tiêu đề (mặc định: năm sau)",
        "en": "the year in the title (default: next year)",
    },
    # A command line written wrong (argparse's complaints): one line, exit code 2.
    "cli.error.line": {
        "vi": "{prog}: {problem}. Ví dụ: {example} (hướng dẫn: {prog} --help)",
        "en": "{prog}: {problem}. For example: {example} (help: {prog} --help)",
    },
    "cli.error.no_command": {
        "vi": "thiếu lệnh, chọn một trong: {choices}",
        "en": "a command is missing, one of: {choices}",
    },
    "cli.error.no_such_command": {
        "vi": "không có lệnh “{word}”, chọn một trong: {choices}",
        "en": "there is no command “{word}”, choose one of: {choices}",
    },
    "cli.error.no_file": {"vi": "thiếu tên tệp", "en": "the file name is missing"},
    "cli.error.missing_option": {
        "vi": "thiếu {option}, tùy chọn này bắt buộc",
        "en": "{option} is required",
    },
    "cli.error.unknown_option": {
        "vi": "không có tùy chọn {option}",
        "en": "there is no option {option}",
    },
    "cli.error.extra": {
        "vi": "thừa “{words}”: lệnh này không nhận thêm",
        "en": "unexpected “{words}”: the command takes nothing more",
    },
    "cli.error.needs_value": {
        "vi": "{option} cần một giá trị ngay sau nó",
        "en": "{option} needs a value right after it",
    },
    "cli.error.not_a_number": {
        "vi": "{option} cần một số, không phải “{text}”",
        "en": "{option} takes a number, not “{text}”",
    },
    "cli.error.takes_no_value": {
        "vi": "{option} không nhận giá trị (“{text}”): chỉ ghi {option}",
        "en": "{option} takes no value (“{text}”): write just {option}",
    },
    "cli.error.abbreviated": {
        "vi": "không nhận tùy chọn viết tắt {option}: ghi đầy đủ {options}",
        "en": "options are not abbreviated: write {options} in full, not {option}",
    },
    "cli.error.or": {"vi": " hoặc ", "en": " or "},
    "cli.not_a_port": {
        "vi": "“{text}” không phải một cổng (0 đến 65535)",
        "en": "not a port: “{text}” (0 to 65535)",
    },
    # An operating system's common refusals (Python gives them in English only).
    "os.no_such_file": {"vi": "không có tệp hoặc thư mục này", "en": "no such file or folder"},
    "os.permission": {"vi": "không có quyền", "en": "permission denied"},
    "os.is_folder": {"vi": "đó là một thư mục", "en": "it is a folder"},
    "os.not_a_folder": {
        "vi": "một phần của đường dẫn không phải thư mục",
        "en": "part of the path is not a folder",
    },
    "os.disk_full": {"vi": "ổ đĩa đã đầy", "en": "the disk is full"},
    "os.read_only": {"vi": "ổ đĩa chỉ cho đọc", "en": "the disk is read-only"},
    "os.address_in_use": {"vi": "địa chỉ đang được dùng", "en": "the address is in use"},
    "os.not_this_machine": {
        "vi": "địa chỉ này không thuộc máy này",
        "en": "the address is not one of this machine's",
    },
    "os.unknown_host": {
        "vi": "không tìm thấy tên máy này",
        "en": "no machine is known by that name",
    },
    # The example each command's error line ends with (prog without "dondoc", dots between).
    "cli.example.dondoc": {"vi": "dondoc run", "en": "dondoc run"},
    "cli.example.run": {"vi": "dondoc run", "en": "dondoc run"},
    "cli.example.sandbox": {"vi": "dondoc sandbox --port 8080", "en": "dondoc sandbox --port 8080"},
    "cli.example.db": {"vi": "dondoc db upgrade", "en": "dondoc db upgrade"},
    "cli.example.db.upgrade": {"vi": "dondoc db upgrade", "en": "dondoc db upgrade"},
    "cli.example.org": {
        "vi": "dondoc org import danh-sach.yaml",
        "en": "dondoc org import roster.yaml",
    },
    "cli.example.org.import": {
        "vi": "dondoc org import danh-sach.yaml",
        "en": "dondoc org import roster.yaml",
    },
    "cli.example.org.export": {
        "vi": "dondoc org export --out danh-sach.yaml",
        "en": "dondoc org export --out roster.yaml",
    },
    "cli.example.backup": {
        "vi": "dondoc backup sao-luu.db",
        "en": "dondoc backup backup.db",
    },
    "cli.example.restore": {
        "vi": "dondoc restore dondoc-20261130-080000.db",
        "en": "dondoc restore dondoc-20261130-080000.db",
    },
    "cli.example.report": {
        "vi": "dondoc report --month 2026-11",
        "en": "dondoc report --month 2026-11",
    },
    "cli.example.tally": {
        "vi": "dondoc tally --week 2026-W47",
        "en": "dondoc tally --week 2026-W47",
    },
    "cli.example.program": {
        "vi": "dondoc program import chuong-trinh-cong-tac.xlsx",
        "en": "dondoc program import work-programme.xlsx",
    },
    "cli.example.program.import": {
        "vi": "dondoc program import chuong-trinh-cong-tac.xlsx --year 2027",
        "en": "dondoc program import work-programme.xlsx --year 2027",
    },
    "cli.example.program.show": {"vi": "dondoc program show", "en": "dondoc program show"},
    "cli.example.program.template": {
        "vi": "dondoc program template chuong-trinh-cong-tac.xlsx --year 2027",
        "en": "dondoc program template work-programme.xlsx --year 2027",
    },
}
