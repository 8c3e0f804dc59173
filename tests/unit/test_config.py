"""Settings from the environment: defaults, and one line naming the variable for each bad one."""

from __future__ import annotations

import dataclasses
import logging
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.__main__ import _logging as configure_logging
from bot.calendar.workdays import WorkCalendar
from bot.config import VARIABLES as READ
from bot.config import Settings, SettingsError, load_settings

VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_URL",
    "DATABASE_URL",
    "DONDOC_TIMEZONE",
    "DONDOC_LANGUAGE",
    "DONDOC_ADMINS",
    "DONDOC_REVIEW",
    "DONDOC_VISIBILITY",
    "DONDOC_OFFICE_START",
    "DONDOC_OFFICE_END",
    "DONDOC_LUNCH_BREAK",
    "DONDOC_DAY_OFF_RULE",
    "DONDOC_ORG_FILE",
    "DONDOC_ORG_NAME",
    "DONDOC_ORG_PLACE",
    "DONDOC_LOG_LEVEL",
    "DONDOC_SANDBOX_HOST",
    "DONDOC_SANDBOX_PORT",
    "DONDOC_FAKE_NOW",
    "DONDOC_WEBHOOK_URL",
    "DONDOC_WEBHOOK_SECRET",
    "DONDOC_WEBHOOK_LISTEN",
    "DONDOC_WEBHOOK_PORT",
    "DONDOC_HEALTH_PORT",
    "DONDOC_HEALTH_LISTEN",
    "DONDOC_BACKUP_DIR",
    "DONDOC_BACKUP_KEEP",
    "DONDOC_BACKUP_AT",
    "DONDOC_EVENT_LOOP",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither the developer's environment nor a .env in the working directory leaks in."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def load() -> Settings:
    return load_settings(_env_file=None)


def test_every_setting_has_its_variable_listed() -> None:
    assert {variable for variable, _ in READ.values()} == set(VARIABLES)
    assert set(READ) == {f.name for f in dataclasses.fields(Settings)}


def test_defaults() -> None:
    s = load()
    assert s.telegram_bot_token is None
    assert s.token is None
    assert s.telegram_api_url == "https://api.telegram.org"
    assert s.database_url == "sqlite+aiosqlite:///data/dondoc.db"
    assert s.timezone == "Asia/Ho_Chi_Minh"
    assert s.tz == ZoneInfo("Asia/Ho_Chi_Minh")
    assert s.language == "vi"
    assert s.admins == []
    assert s.review is True
    assert s.visibility == "public"
    assert s.office_start_time == time(8, 0)
    assert s.office_end_time == time(17, 0)
    assert s.org_file is None
    assert s.log_level == "INFO"


def test_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAH-secret")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://dondoc@db/dondoc")
    monkeypatch.setenv("DONDOC_TIMEZONE", "Asia/Bangkok")
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    monkeypatch.setenv("DONDOC_ADMINS", "900001, 900002;900003 -5")
    monkeypatch.setenv("DONDOC_REVIEW", "false")
    monkeypatch.setenv("DONDOC_OFFICE_START", "7h30")
    monkeypatch.setenv("DONDOC_OFFICE_END", "16:30")
    monkeypatch.setenv("DONDOC_ORG_FILE", "org.yaml")
    monkeypatch.setenv("DONDOC_ORG_NAME", "UBND phường Hoàn Kiếm")
    monkeypatch.setenv("DONDOC_LOG_LEVEL", "debug")
    s = load()
    assert s.token == "123456789:AAH-secret"
    assert "AAH-secret" not in repr(s)
    assert s.telegram_api_url == "http://127.0.0.1:8081"
    assert s.database_url == "postgresql+asyncpg://dondoc@db/dondoc"
    assert s.tz == ZoneInfo("Asia/Bangkok")
    assert s.language == "en"
    assert s.admins == [900001, 900002, 900003, -5]
    assert s.review is False
    assert s.office_start_time == time(7, 30)
    assert s.office_end_time == time(16, 30)
    assert s.org_file == Path("org.yaml")
    assert (s.org_name, s.org_place) == ("UBND phường Hoàn Kiếm", "")
    assert s.log_level == "DEBUG"


def test_overrides_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    assert load_settings(_env_file=None, DONDOC_LANGUAGE="vi").language == "vi"


def test_env_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / "custom.env"
    env.write_text("DONDOC_LANGUAGE=en\nTELEGRAM_BOT_TOKEN=1:x\n", encoding="utf-8")
    s = load_settings(_env_file=str(env))
    assert s.language == "en"
    assert s.token == "1:x"


def test_env_file_forms_and_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # As pydantic-settings read them: python-dotenv's forms, names in any case, the environment
    # over the file, a keyword over both, the file's own refusal said like the environment's.
    env = tmp_path / ".env"
    env.write_text(
        "export DONDOC_LANGUAGE='en'\n"
        'DONDOC_ORG_NAME="UBND # phường" # the heading\n'
        "dondoc_org_place=Hoàn Kiếm\n"
        "DONDOC_ADMINS=5,6\n"
        "DONDOC_REVIEW=no\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DONDOC_ADMINS", "7")
    s = load_settings(_env_file=str(env), DONDOC_REVIEW="yes")
    assert (s.language, s.org_name, s.org_place) == ("en", "UBND # phường", "Hoàn Kiếm")
    assert s.admins == [7] and s.review is True
    env.write_text("DONDOC_TIMEZONE=Mars/Base\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^Bad setting DONDOC_TIMEZONE: expected an IANA"):
        load_settings(_env_file=str(env))
    assert load_settings(_env_file=None).timezone == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize("name", ["TELEGRAM_BOT_TOKEN", "DONDOC_ORG_FILE"])
def test_empty_values_mean_unset(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    # As left in a copied .env.example: `TELEGRAM_BOT_TOKEN=`, `DONDOC_ORG_FILE=`.
    monkeypatch.setenv(name, "  ")
    s = load()
    assert s.telegram_bot_token is None
    assert s.org_file is None


def test_empty_admins_is_an_empty_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_ADMINS", "")
    assert load().admins == []


@pytest.mark.parametrize("value", ["1", "yes", "true", "on", "True"])
def test_review_on(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DONDOC_REVIEW", value)
    assert load().review is True


@pytest.mark.parametrize("value", ["0", "no", "false", "off"])
def test_review_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DONDOC_REVIEW", value)
    assert load().review is False


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "DONDOC_TIMEZONE",
            "Mars/Base",
            "Bad setting DONDOC_TIMEZONE: expected an IANA time zone like Asia/Ho_Chi_Minh",
        ),
        (
            "DONDOC_TIMEZONE",
            "../../etc/passwd",
            "Bad setting DONDOC_TIMEZONE: expected an IANA time zone like Asia/Ho_Chi_Minh",
        ),
        (
            "DATABASE_URL",
            "mysql://root@localhost/dondoc",
            "Bad setting DATABASE_URL: expected sqlite+aiosqlite:///path/to/file.db "
            "or postgresql+asyncpg://user@host/db",
        ),
        (
            "DATABASE_URL",
            "sqlite:///data/dondoc.db",
            "Bad setting DATABASE_URL: expected sqlite+aiosqlite:///path/to/file.db "
            "or postgresql+asyncpg://user@host/db",
        ),
        ("DONDOC_LANGUAGE", "fr", "Bad setting DONDOC_LANGUAGE: expected vi or en"),
        (
            "DONDOC_ADMINS",
            "900001,abc",
            "Bad setting DONDOC_ADMINS: "
            "expected Telegram user ids separated by commas, like 900001,900002",
        ),
        (
            "DONDOC_ADMINS",
            "9223372036854775808",
            "Bad setting DONDOC_ADMINS: "
            "expected Telegram user ids separated by commas, like 900001,900002",
        ),
        (
            "DONDOC_ADMINS",
            "900001,²³",
            "Bad setting DONDOC_ADMINS: "
            "expected Telegram user ids separated by commas, like 900001,900002",
        ),
        (
            "TELEGRAM_API_URL",
            "api.telegram.org",
            "Bad setting TELEGRAM_API_URL: expected a URL like https://api.telegram.org",
        ),
        (
            "TELEGRAM_BOT_TOKEN",
            "AAHnocolon",
            "Bad setting TELEGRAM_BOT_TOKEN: "
            "expected the token BotFather gave, like 123456789:AAH...",
        ),
        (
            "DONDOC_REVIEW",
            "maybe",
            "Bad setting DONDOC_REVIEW: expected true or false, got 'maybe'",
        ),
        (
            "DONDOC_SANDBOX_PORT",
            "eighty",
            "Bad setting DONDOC_SANDBOX_PORT: expected a whole number, like 8080, got 'eighty'",
        ),
        (
            "DONDOC_SANDBOX_PORT",
            "70000",
            "Bad setting DONDOC_SANDBOX_PORT: expected a number from 0 to 65535, got '70000'",
        ),
        (
            "DONDOC_OFFICE_START",
            "25:99",
            "Bad setting DONDOC_OFFICE_START: expected a time like 08:00",
        ),
        ("DONDOC_OFFICE_END", "5pm", "Bad setting DONDOC_OFFICE_END: expected a time like 08:00"),
        (
            "DONDOC_LOG_LEVEL",
            "LOUD",
            "Bad setting DONDOC_LOG_LEVEL: expected DEBUG, INFO, WARNING, ERROR or CRITICAL",
        ),
        (
            "DONDOC_EVENT_LOOP",
            "trio",
            "Bad setting DONDOC_EVENT_LOOP: expected auto (uvloop where installed, otherwise"
            " asyncio's loop), uvloop or asyncio, got 'trio'",
        ),
    ],
)
def test_bad_setting_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load()
    text = str(caught.value)
    assert text == message
    assert "\n" not in text
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ is True


def test_bad_setting_never_echoes_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "supersecretwithoutcolon")
    with pytest.raises(SettingsError) as caught:
        load()
    assert "supersecret" not in str(caught.value)


def test_office_hours_must_be_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_OFFICE_START", "17:00")
    monkeypatch.setenv("DONDOC_OFFICE_END", "08:00")
    with pytest.raises(SettingsError) as caught:
        load()
    assert str(caught.value) == (
        "Bad setting DONDOC_OFFICE_END: the end of office hours must be after their start "
        "(DONDOC_OFFICE_START is 17:00)"
    )


def test_office_hours_must_contain_the_lunch_break(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_OFFICE_END", "11:00")
    with pytest.raises(SettingsError) as caught:
        load()
    assert str(caught.value) == (
        "Bad setting DONDOC_LUNCH_BREAK: lunch must lie strictly inside office hours"
        " (office hours are 08:00-11:00)"
    )
    # A short office day without a lunch break is fine.
    monkeypatch.setenv("DONDOC_LUNCH_BREAK", "")
    assert load().lunch is None


def test_lunch_break_forms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_LUNCH_BREAK", "12:00-13:00")
    assert load().lunch == (time(12, 0), time(13, 0))
    monkeypatch.setenv("DONDOC_LUNCH_BREAK", "noon")
    with pytest.raises(SettingsError) as caught:
        load()
    assert str(caught.value) == (
        "Bad setting DONDOC_LUNCH_BREAK: expected HH:MM-HH:MM like 11:30-13:30, or empty for none"
    )


def test_accepted_office_hours_make_a_work_calendar() -> None:
    s = load_settings(_env_file=None, DONDOC_OFFICE_START="07:30", DONDOC_OFFICE_END="16:45")
    calendar = WorkCalendar(office_start=s.office_start_time, office_end=s.office_end_time)
    assert (calendar.office_start, calendar.office_end) == (time(7, 30), time(16, 45))


@pytest.mark.parametrize(("level", "quiet"), [("INFO", True), ("warning", True), ("DEBUG", False)])
def test_scheduler_chatter_is_hidden_unless_debugging(
    monkeypatch: pytest.MonkeyPatch, level: str, quiet: bool
) -> None:
    # Two INFO lines every 20 s from the due-scan would scroll the sandbox's address away.
    monkeypatch.setattr(logging, "basicConfig", lambda **_: None)  # leave pytest's logging be
    scheduler = logging.getLogger("apscheduler")
    before = scheduler.level
    try:
        scheduler.setLevel(logging.NOTSET)
        configure_logging(load_settings(DONDOC_LOG_LEVEL=level, _env_file=None))
        assert (scheduler.level == logging.WARNING) is quiet
    finally:
        scheduler.setLevel(before)


def test_the_fake_now_for_tests_needs_a_moment_with_its_offset() -> None:
    assert load().fake_now is None
    moment = load_settings(DONDOC_FAKE_NOW="2026-12-04T08:00:00+07:00", _env_file=None).fake_now
    assert moment is not None and moment.isoformat() == "2026-12-04T08:00:00+07:00"
    for bad in ("2026-12-04T08:00", "tomorrow"):
        with pytest.raises(SettingsError, match=r"^Bad setting DONDOC_FAKE_NOW: expected a moment"):
            load_settings(DONDOC_FAKE_NOW=bad, _env_file=None)


SECRET = "0123456789abcdef0123456789abcdef"


def test_polling_is_the_default_and_operations_are_off() -> None:
    s = load()
    assert s.webhook is False and s.webhook_url is None and s.secret is None
    assert (s.webhook_listen, s.webhook_port) == ("127.0.0.1", 8081)
    assert s.health_port is None
    assert s.backup_dir is None and s.backup_keep == 7 and s.backup_time == time(2, 0)


def test_webhook_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_WEBHOOK_URL", "https://bot.example.gov.vn/telegram/")
    monkeypatch.setenv("DONDOC_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("DONDOC_WEBHOOK_LISTEN", "0.0.0.0")
    monkeypatch.setenv("DONDOC_WEBHOOK_PORT", "9000")
    monkeypatch.setenv("DONDOC_HEALTH_PORT", "")
    monkeypatch.setenv("DONDOC_BACKUP_DIR", "/var/backups/dondoc")
    monkeypatch.setenv("DONDOC_BACKUP_KEEP", "14")
    s = load()
    assert s.webhook and s.webhook_url == "https://bot.example.gov.vn/telegram"
    assert s.webhook_path == "/telegram"
    assert s.secret == SECRET and SECRET not in repr(s)
    assert (s.webhook_listen, s.webhook_port, s.health_port) == ("0.0.0.0", 9000, None)
    assert s.backup_dir == Path("/var/backups/dondoc") and s.backup_keep == 14


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"DONDOC_WEBHOOK_URL": "http://bot.example.gov.vn/tg", "DONDOC_WEBHOOK_SECRET": SECRET},
            "Bad setting DONDOC_WEBHOOK_URL: expected the bot's public HTTPS address, like "
            "https://bot.example.gov.vn/telegram",
        ),
        (
            {"DONDOC_WEBHOOK_URL": "bot.example.gov.vn"},
            "Bad setting DONDOC_WEBHOOK_URL: expected the bot's public HTTPS address, like "
            "https://bot.example.gov.vn/telegram",
        ),
        (
            {"DONDOC_WEBHOOK_URL": "https://bot.example.gov.vn/tg"},
            "Bad setting DONDOC_WEBHOOK_SECRET: must be set with DONDOC_WEBHOOK_URL: 32 or more "
            "random letters, digits, _ or -, like the output of `openssl rand -hex 32`",
        ),
        (
            {"DONDOC_WEBHOOK_URL": "https://bot.example.gov.vn/tg", "DONDOC_WEBHOOK_SECRET": "a b"},
            "Bad setting DONDOC_WEBHOOK_SECRET: expected 16 to 256 letters, digits, _ or -, like "
            "the output of `openssl rand -hex 32`",
        ),
        (
            {"DONDOC_WEBHOOK_PORT": "http"},
            "Bad setting DONDOC_WEBHOOK_PORT: expected a whole number, like 8080, got 'http'",
        ),
        (
            {"DONDOC_HEALTH_PORT": "70000"},
            "Bad setting DONDOC_HEALTH_PORT: expected a number from 0 to 65535, got '70000'",
        ),
        (
            {"DONDOC_BACKUP_KEEP": "0"},
            "Bad setting DONDOC_BACKUP_KEEP: expected how many nightly backups to keep, 1 or "
            "more, like 7",
        ),
        (
            {"DONDOC_BACKUP_AT": "2am"},
            "Bad setting DONDOC_BACKUP_AT: expected a time like 02:00",
        ),
    ],
)
def test_bad_operations_settings_are_one_line(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], line: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load()
    assert str(caught.value) == line


def test_a_stand_in_or_local_bot_api_may_call_a_plain_http_webhook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081")
    monkeypatch.setenv("DONDOC_WEBHOOK_URL", "http://127.0.0.1:8443")
    monkeypatch.setenv("DONDOC_WEBHOOK_SECRET", SECRET)
    s = load()
    assert s.webhook_url == "http://127.0.0.1:8443" and s.webhook_path == "/"


def test_the_env_example_loads_as_it_is() -> None:
    example = Path(__file__).resolve().parents[2] / ".env.example"
    s = load_settings(_env_file=str(example))
    assert s.webhook is False and s.health_port is None and s.backup_dir is None
    lines = example.read_text(encoding="utf-8").splitlines()
    named = {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}
    assert named <= set(VARIABLES)


@pytest.mark.parametrize(
    "env",
    [
        {"DONDOC_VISIBILITY": "everyone"},
        {"DONDOC_DAY_OFF_RULE": "sideways"},
        {"DONDOC_FAKE_NOW": "tomorrow"},
        {"DONDOC_FAKE_NOW": "2026-12-04T08:00"},
        {"DONDOC_WEBHOOK_URL": "bot.example.gov.vn"},
        {"DONDOC_WEBHOOK_URL": "https://bot.example.gov.vn/telegram", "DONDOC_WEBHOOK_SECRET": ""},
        {"DONDOC_WEBHOOK_URL": "https://bot.example.gov.vn/telegram", "DONDOC_WEBHOOK_SECRET": "x"},
        {"DONDOC_BACKUP_KEEP": "0"},
        {"DONDOC_BACKUP_AT": "2am"},
        {"DONDOC_EVENT_LOOP": "trio"},
    ],
)
def test_every_refused_setting_is_said_in_vietnamese_too(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    """An office's administrator reads the start's refusal in Vietnamese: no setting falls back
    to an English sentence."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load()
    line = caught.value.line("vi")
    assert line.startswith(f"Cấu hình sai {list(env)[-1]}: "), line
    assert "expected" not in line and "must" not in line, line
    assert str(caught.value).startswith(f"Bad setting {list(env)[-1]}: "), str(caught.value)
