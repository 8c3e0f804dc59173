"""Settings from the environment and `.env`; built by the composition root, never at import."""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.calendar.workdays import DayOffRule, WorkCalendar
from bot.text.catalog import t

# Telegram's own rule for secret_token (1-256 of A-Z, a-z, 0-9, _ and -); 16 at least here,
# since the secret is all that stands between the open port and forged updates.
_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")


class SettingsError(Exception):
    """A bad setting: the message names the setting and the expected form, in one line.

    ``str()`` is English (for logs and tests); :meth:`line` says it in the reader's language."""

    def __init__(self, setting: str, key: str, params: dict[str, object]) -> None:
        self.setting = setting
        self.key = key
        self.params = params
        super().__init__(self.line("en"))

    def line(self, lang: str) -> str:
        detail = t(self.key, lang, **self.params)
        return t("settings.bad", lang, setting=self.setting, detail=detail)


class _Bad(ValueError):
    """A validator's refusal, named by its catalog key so it can be said in either language."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))


def _parse_time(value: str) -> time:
    hours, _, minutes = value.strip().replace("h", ":").partition(":")
    return time(int(hours), int(minutes or 0))


def _parse_span(value: str) -> tuple[time, time] | None:
    if not value.strip():
        return None
    first, sep, second = value.replace("–", "-").partition("-")
    if not sep:
        raise ValueError(value)
    return _parse_time(first), _parse_time(second)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field(default="https://api.telegram.org", alias="TELEGRAM_API_URL")
    database_url: str = Field(default="sqlite+aiosqlite:///data/dondoc.db", alias="DATABASE_URL")
    timezone: str = Field(default="Asia/Ho_Chi_Minh", alias="DONDOC_TIMEZONE")
    language: str = Field(default="vi", alias="DONDOC_LANGUAGE")
    admins: Annotated[list[int], NoDecode] = Field(default_factory=list, alias="DONDOC_ADMINS")
    review: bool = Field(default=True, alias="DONDOC_REVIEW")
    visibility: str = Field(default="public", alias="DONDOC_VISIBILITY")
    office_start: str = Field(default="08:00", alias="DONDOC_OFFICE_START")
    office_end: str = Field(default="17:00", alias="DONDOC_OFFICE_END")
    lunch_break: str = Field(default="11:30-13:30", alias="DONDOC_LUNCH_BREAK")
    day_off_rule: DayOffRule = Field(default=DayOffRule.NEXT, alias="DONDOC_DAY_OFF_RULE")
    org_file: Path | None = Field(default=None, alias="DONDOC_ORG_FILE")
    # The committee's name and place on the monthly report (the roster's name: and place: win).
    org_name: str = Field(default="", alias="DONDOC_ORG_NAME")
    org_place: str = Field(default="", alias="DONDOC_ORG_PLACE")
    log_level: str = Field(default="INFO", alias="DONDOC_LOG_LEVEL")
    sandbox_host: str = Field(default="127.0.0.1", alias="DONDOC_SANDBOX_HOST")
    sandbox_port: int = Field(default=8080, ge=0, le=65535, alias="DONDOC_SANDBOX_PORT")  # 0: any
    # For tests of the `dondoc run` process only: its clock starts at this moment and runs on.
    fake_now: datetime | None = Field(default=None, alias="DONDOC_FAKE_NOW")
    # Webhook mode (polling when the URL is empty): Telegram POSTs updates to this public HTTPS
    # URL, which a reverse proxy with TLS forwards to DONDOC_WEBHOOK_LISTEN:DONDOC_WEBHOOK_PORT.
    webhook_url: str | None = Field(default=None, alias="DONDOC_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(
        default=None, alias="DONDOC_WEBHOOK_SECRET", validate_default=True
    )
    webhook_listen: str = Field(default="127.0.0.1", alias="DONDOC_WEBHOOK_LISTEN")
    webhook_port: int = Field(default=8081, ge=1, le=65535, alias="DONDOC_WEBHOOK_PORT")
    # /healthz and /metrics in polling mode (in webhook mode they are on the webhook's server).
    health_port: int | None = Field(default=None, ge=1, le=65535, alias="DONDOC_HEALTH_PORT")
    health_listen: str = Field(default="127.0.0.1", alias="DONDOC_HEALTH_LISTEN")
    # Nightly backup into this folder (none when empty), keeping the newest DONDOC_BACKUP_KEEP.
    backup_dir: Path | None = Field(default=None, alias="DONDOC_BACKUP_DIR")
    backup_keep: int = Field(default=7, alias="DONDOC_BACKUP_KEEP")
    backup_at: str = Field(default="02:00", alias="DONDOC_BACKUP_AT")

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and ":" not in value:
            raise _Bad("settings.token")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise _Bad("settings.url")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise _Bad("settings.db_url")
        try:
            url = make_url(value)
        except (ArgumentError, ValueError) as exc:
            raise _Bad("settings.db_url.unreadable", error=exc) from None
        if url.get_backend_name() == "sqlite":
            if url.host or url.port:
                raise _Bad("settings.db_url.slashes")
            if not url.database or url.database == ":memory:":
                raise _Bad("settings.db_url.no_file")
        elif not url.database:
            raise _Bad("settings.db_url.no_name")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise _Bad("settings.tz") from None
        return value

    @field_validator("language")
    @classmethod
    def _lang(cls, value: str) -> str:
        if value not in ("vi", "en"):
            raise _Bad("settings.lang")
        return value

    @field_validator("visibility")
    @classmethod
    def _visibility(cls, value: str) -> str:
        if value.strip().lower() not in ("public", "unit"):
            raise ValueError(
                "expected public (everyone on the roster reads every unit's tasks) or unit "
                "(a unit's people read their own unit's; leaders and the office read all)"
            )
        return value.strip().lower()

    @field_validator("admins", mode="before")
    @classmethod
    def _admins(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            # ASCII digits within int64: the ids are stored as BigInteger.
            if not all(re.fullmatch(r"-?[0-9]{1,19}", p) and abs(int(p)) < 2**63 for p in parts):
                raise _Bad("settings.admins")
            return [int(p) for p in parts]
        return value

    @field_validator("office_start", "office_end")
    @classmethod
    def _office_time(cls, value: str, info: ValidationInfo) -> str:
        try:
            parsed = _parse_time(value)
        except ValueError:
            raise _Bad("settings.time") from None
        start = info.data.get("office_start")
        if info.field_name == "office_end" and start is not None:
            # The work calendar would refuse these later, with a traceback instead of a sentence.
            try:
                WorkCalendar(office_start=_parse_time(start), office_end=parsed, lunch=None)
            except ValueError:
                raise _Bad("settings.office_order", start=start) from None
        return value

    @field_validator("lunch_break")
    @classmethod
    def _lunch(cls, value: str, info: ValidationInfo) -> str:
        try:
            lunch = _parse_span(value)
        except ValueError:
            raise _Bad("settings.lunch") from None
        start, end = info.data.get("office_start"), info.data.get("office_end")
        if lunch is not None and start is not None and end is not None:
            try:
                WorkCalendar(
                    office_start=_parse_time(start), office_end=_parse_time(end), lunch=lunch
                )
            except ValueError:
                raise _Bad("settings.lunch_inside", start=start, end=end) from None
        return value

    @field_validator("org_file", mode="before")
    @classmethod
    def _empty_path_is_none(cls, value: object) -> object:
        # `DONDOC_ORG_FILE=` as written in an env file means "none", not the current directory.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("fake_now", mode="before")
    @classmethod
    def _fake_now(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                raise ValueError("expected a moment like 2026-12-04T08:00:00+07:00") from None
            if moment.tzinfo is None:
                raise ValueError("expected a moment with its offset, like 2026-12-04T08:00+07:00")
            return moment
        return value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if not isinstance(value, str):
            return value
        value = value.strip()
        api = str(info.data.get("telegram_api_url") or "https://api.telegram.org")
        # Telegram itself delivers webhooks over HTTPS only; a local Bot API server or the
        # stand-in may call plain HTTP.
        https_only = api.startswith("https://api.telegram.org")
        schemes = ("https://",) if https_only else ("https://", "http://")
        if not value.startswith(schemes) or len(value) <= len(schemes[0]):
            raise ValueError(
                "expected the bot's public HTTPS address, like https://bot.example.gov.vn/telegram"
            )
        return value.rstrip("/") if value.count("/") > 3 else value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            if info.data.get("webhook_url"):
                raise ValueError(
                    "must be set with DONDOC_WEBHOOK_URL: 32 or more random letters, digits,"
                    " _ or -, like the output of `openssl rand -hex 32`"
                )
            return None
        if isinstance(value, str) and not _SECRET.fullmatch(value.strip()):
            raise ValueError(
                "expected 16 to 256 letters, digits, _ or -, like the output of"
                " `openssl rand -hex 32`"
            )
        return value.strip() if isinstance(value, str) else value

    @field_validator("health_port", mode="before")
    @classmethod
    def _empty_port_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("backup_dir", mode="before")
    @classmethod
    def _empty_dir_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("backup_keep")
    @classmethod
    def _backup_keep(cls, value: int) -> int:
        if value < 1:
            raise ValueError("expected how many nightly backups to keep, 1 or more, like 7")
        return value

    @field_validator("backup_at")
    @classmethod
    def _backup_at(cls, value: str) -> str:
        try:
            _parse_time(value)
        except ValueError:
            raise ValueError("expected a time like 02:00") from None
        return value

    @field_validator("day_off_rule", mode="before")
    @classmethod
    def _day_off_rule(cls, value: object) -> object:
        if isinstance(value, str):
            word = value.strip().lower()
            if word not in {rule.value for rule in DayOffRule}:
                raise ValueError(f"expected next or previous, got {value!r}")
            return word
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise _Bad("settings.log_level")
        return value.upper()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def office_start_time(self) -> time:
        return _parse_time(self.office_start)

    @property
    def office_end_time(self) -> time:
        return _parse_time(self.office_end)

    @property
    def lunch(self) -> tuple[time, time] | None:
        return _parse_span(self.lunch_break)

    @property
    def webhook(self) -> bool:
        return self.webhook_url is not None

    @property
    def webhook_path(self) -> str:
        """The path Telegram POSTs to, as the reverse proxy forwards it."""
        return urlsplit(self.webhook_url or "").path or "/"

    @property
    def secret(self) -> str | None:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None

    @property
    def backup_time(self) -> time:
        return _parse_time(self.backup_at)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one line a person can act on."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        alias = Settings.model_fields[field].alias if field in Settings.model_fields else field
        setting = alias or field
        error = (first.get("ctx") or {}).get("error")
        if isinstance(error, _Bad):
            raise SettingsError(setting, error.key, error.params) from None
        # pydantic's own type errors name no form a person could copy: say it.
        form = _EXPECTED_FORMS.get(str(first["type"]))
        if form:
            raise SettingsError(setting, form, {"got": repr(first.get("input"))}) from None
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(setting, "settings.other", {"detail": message}) from None


_EXPECTED_FORMS = {
    "bool_parsing": "settings.bool",
    "bool_type": "settings.bool",
    "int_parsing": "settings.int",
    "int_type": "settings.int",
    "greater_than_equal": "settings.port",
    "less_than_equal": "settings.port",
}


class _Language(BaseSettings):
    """Only DONDOC_LANGUAGE, read as Settings reads it: the language to refuse the other
    settings in (Vietnamese when it too is missing or wrong)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")
    language: str = Field(default="vi", alias="DONDOC_LANGUAGE")


def configured_language() -> str:
    """DONDOC_LANGUAGE from the environment or .env, for the command line's own lines even when
    another setting is wrong."""
    try:
        language = _Language().language
    except ValidationError:
        return "vi"
    return language if language in ("vi", "en") else "vi"
