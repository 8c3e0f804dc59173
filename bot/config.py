"""Settings from the environment and `.env`; built by the composition root, never at import."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.calendar.workdays import WorkCalendar


class SettingsError(Exception):
    """A bad setting: the message names the setting and the expected form, in one line."""


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
    org_file: Path | None = Field(default=None, alias="DONDOC_ORG_FILE")
    log_level: str = Field(default="INFO", alias="DONDOC_LOG_LEVEL")
    sandbox_host: str = Field(default="127.0.0.1", alias="DONDOC_SANDBOX_HOST")
    sandbox_port: int = Field(default=8080, ge=0, le=65535, alias="DONDOC_SANDBOX_PORT")  # 0: any

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, str) and ":" not in value:
            raise ValueError("expected the token BotFather gave, like 123456789:AAH...")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected a URL like https://api.telegram.org")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        forms = "sqlite+aiosqlite:///path/to/file.db or postgresql+asyncpg://user@host/db"
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(f"expected {forms}")
        try:
            url = make_url(value)
        except (ArgumentError, ValueError) as exc:
            raise ValueError(f"not a readable URL ({exc}); expected {forms}") from None
        if url.get_backend_name() == "sqlite":
            if url.host or url.port:
                raise ValueError(
                    "an SQLite path takes three slashes, like sqlite+aiosqlite:///data/dondoc.db"
                )
            if not url.database or url.database == ":memory:":
                raise ValueError(
                    "expected a file after sqlite+aiosqlite:///, like sqlite+aiosqlite:///data/"
                    "dondoc.db (a database in memory would be lost at every restart)"
                )
        elif not url.database:
            raise ValueError("expected a database name, like postgresql+asyncpg://user@host/dondoc")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("expected an IANA time zone like Asia/Ho_Chi_Minh") from None
        return value

    @field_validator("language")
    @classmethod
    def _lang(cls, value: str) -> str:
        if value not in ("vi", "en"):
            raise ValueError("expected vi or en")
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
                raise ValueError(
                    "expected Telegram user ids separated by commas, like 900001,900002"
                )
            return [int(p) for p in parts]
        return value

    @field_validator("office_start", "office_end")
    @classmethod
    def _office_time(cls, value: str, info: ValidationInfo) -> str:
        try:
            parsed = _parse_time(value)
        except ValueError:
            raise ValueError("expected a time like 08:00") from None
        start = info.data.get("office_start")
        if info.field_name == "office_end" and start is not None:
            # The work calendar would refuse these later, with a traceback instead of a sentence.
            try:
                WorkCalendar(office_start=_parse_time(start), office_end=parsed, lunch=None)
            except ValueError as exc:
                raise ValueError(f"{exc} (DONDOC_OFFICE_START is {start})") from None
        return value

    @field_validator("lunch_break")
    @classmethod
    def _lunch(cls, value: str, info: ValidationInfo) -> str:
        try:
            lunch = _parse_span(value)
        except ValueError:
            raise ValueError("expected HH:MM-HH:MM like 11:30-13:30, or empty for none") from None
        start, end = info.data.get("office_start"), info.data.get("office_end")
        if lunch is not None and start is not None and end is not None:
            try:
                WorkCalendar(
                    office_start=_parse_time(start), office_end=_parse_time(end), lunch=lunch
                )
            except ValueError as exc:
                raise ValueError(f"{exc} (office hours are {start}-{end})") from None
        return value

    @field_validator("org_file", mode="before")
    @classmethod
    def _empty_path_is_none(cls, value: object) -> object:
        # `DONDOC_ORG_FILE=` as written in an env file means "none", not the current directory.
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
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
        message = str(first["msg"]).removeprefix("Value error, ")
        # pydantic's own type errors name no form a person could copy: say it.
        form = _EXPECTED_FORMS.get(str(first["type"]))
        if form:
            message = f"expected {form}, got {first.get('input')!r}"
        raise SettingsError(f"Bad setting {alias or field}: {message}") from None


_EXPECTED_FORMS = {
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "int_parsing": "a whole number, like 8080",
    "int_type": "a whole number, like 8080",
    "greater_than_equal": "a number from 0 to 65535",
    "less_than_equal": "a number from 0 to 65535",
}
