"""Settings from the environment and `.env`; built by the composition root, never at import.

A plain reader rather than pydantic-settings: importing pydantic and building the model cost
about a tenth of the bot's start (issue 13), for 28 variables read once. The rules are the ones
pydantic-settings applied: a keyword given to `load_settings` beats the environment, which beats
`.env` (read with python-dotenv, as pydantic-settings did), which beats the default; variable
names are matched whatever their case; fields are checked in the order below, a check seeing
the fields before it, and the first bad one is said in one line."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.calendar.workdays import DayOffRule, WorkCalendar
from bot.text.catalog import t

# Telegram's own rule for secret_token (1-256 of A-Z, a-z, 0-9, _ and -); 16 at least here,
# since the secret is all that stands between the open port and forged updates.
_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")
# A whole number as pydantic read one from text: ASCII digits, an optional sign, underscores
# between digits, a zero fraction, spaces around.
_INT = re.compile(r"\s*([+-]?[0-9]+(?:_[0-9]+)*)(?:\.0*)?\s*", re.ASCII)
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


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
    """A check's refusal, named by its catalog key so it can be said in either language."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))


class Secret:
    """A value kept out of `repr` and so out of logs and tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


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


@dataclass
class Settings:
    telegram_bot_token: Secret | None = None
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite+aiosqlite:///data/dondoc.db"
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str = "vi"
    admins: list[int] = field(default_factory=list)
    review: bool = True
    visibility: str = "public"
    office_start: str = "08:00"
    office_end: str = "17:00"
    lunch_break: str = "11:30-13:30"
    day_off_rule: DayOffRule = DayOffRule.NEXT
    org_file: Path | None = None
    # The committee's name and place on the monthly report (the roster's name: and place: win).
    org_name: str = ""
    org_place: str = ""
    log_level: str = "INFO"
    # The long-running processes' event loop: auto (uvloop where installed), uvloop, asyncio.
    event_loop: str = "auto"
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8080  # 0: any
    # For tests of the `dondoc run` process only: its clock starts at this moment and runs on.
    fake_now: datetime | None = None
    # Webhook mode (polling when the URL is empty): Telegram POSTs updates to this public HTTPS
    # URL, which a reverse proxy with TLS forwards to DONDOC_WEBHOOK_LISTEN:DONDOC_WEBHOOK_PORT.
    webhook_url: str | None = None
    webhook_secret: Secret | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8081
    # /healthz and /metrics in polling mode (in webhook mode they are on the webhook's server).
    health_port: int | None = None
    health_listen: str = "127.0.0.1"
    # Nightly backup into this folder (none when empty), keeping the newest DONDOC_BACKUP_KEEP.
    backup_dir: Path | None = None
    backup_keep: int = 7
    backup_at: str = "02:00"

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


# --- reading one value: each takes the value given and the fields read before it ------------

_Read = Callable[[object, Mapping[str, object]], object]


class _Form(ValueError):
    """A value of the wrong form (not a number, not a boolean...): said with the value given."""

    def __init__(self, key: str, got: object) -> None:
        self.key = key
        self.got = got
        super().__init__(key)


def _blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def _as_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _Form("settings.int", value)
    if isinstance(value, int):
        return value
    match = _INT.fullmatch(value)
    if match is None:
        raise _Form("settings.int", value)
    return int(match.group(1))


def _port(lowest: int) -> Callable[[object, Mapping[str, object]], int]:
    def read(value: object, _: Mapping[str, object]) -> int:
        number = _as_int(value)
        if not lowest <= number <= 65535:
            raise _Form("settings.port", value)
        return number

    return read


def _text(value: object, _: Mapping[str, object]) -> str:
    if not isinstance(value, str):
        raise _Form("settings.text", value)
    return value


def _path_or_none(value: object, _: Mapping[str, object]) -> Path | None:
    # `DONDOC_ORG_FILE=` as written in an env file means "none", not the current directory.
    if value is None or _blank(value):
        return None
    if isinstance(value, Path):
        return value
    return Path(_text(value, {}))


def _token(value: object, _: Mapping[str, object]) -> Secret | None:
    if value is None or _blank(value):
        return None
    if isinstance(value, Secret):
        return value
    text = _text(value, {})
    if ":" not in text:
        raise _Bad("settings.token")
    return Secret(text)


def _api_url(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {})
    if not text.startswith(("http://", "https://")):
        raise _Bad("settings.url")
    return text.rstrip("/")


def _db_url(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {})
    if not text.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise _Bad("settings.db_url")
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise _Bad("settings.db_url.unreadable", error=exc) from None
    if url.get_backend_name() == "sqlite":
        if url.host or url.port:
            raise _Bad("settings.db_url.slashes")
        if not url.database or url.database == ":memory:":
            raise _Bad("settings.db_url.no_file")
    elif not url.database:
        raise _Bad("settings.db_url.no_name")
    return text


def _tz(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {})
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise _Bad("settings.tz") from None
    return text


def _lang(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {})
    if text not in ("vi", "en"):
        raise _Bad("settings.lang")
    return text


def _admins(value: object, _: Mapping[str, object]) -> list[int]:
    if isinstance(value, str):
        parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
        # ASCII digits within int64: the ids are stored as BigInteger.
        if not all(re.fullmatch(r"-?[0-9]{1,19}", p) and abs(int(p)) < 2**63 for p in parts):
            raise _Bad("settings.admins")
        return [int(p) for p in parts]
    if isinstance(value, list | tuple | set | frozenset):
        return [_as_int(v) for v in value]
    raise _Bad("settings.admins")


def _bool(value: object, _: Mapping[str, object]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise _Form("settings.bool", value)


def _visibility(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {})
    if text.strip().lower() not in ("public", "unit"):
        raise _Bad("settings.visibility")
    return text.strip().lower()


def _office_start(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {})
    try:
        _parse_time(text)
    except ValueError:
        raise _Bad("settings.time") from None
    return text


def _office_end(value: object, before: Mapping[str, object]) -> str:
    text = _text(value, {})
    try:
        parsed = _parse_time(text)
    except ValueError:
        raise _Bad("settings.time") from None
    start = before.get("office_start")
    if isinstance(start, str):
        # The work calendar would refuse these later, with a traceback instead of a sentence.
        try:
            WorkCalendar(office_start=_parse_time(start), office_end=parsed, lunch=None)
        except ValueError:
            raise _Bad("settings.office_order", start=start) from None
    return text


def _lunch(value: object, before: Mapping[str, object]) -> str:
    text = _text(value, {})
    try:
        lunch = _parse_span(text)
    except ValueError:
        raise _Bad("settings.lunch") from None
    start, end = before.get("office_start"), before.get("office_end")
    if lunch is not None and isinstance(start, str) and isinstance(end, str):
        try:
            WorkCalendar(office_start=_parse_time(start), office_end=_parse_time(end), lunch=lunch)
        except ValueError:
            raise _Bad("settings.lunch_inside", start=start, end=end) from None
    return text


def _day_off_rule(value: object, _: Mapping[str, object]) -> DayOffRule:
    if isinstance(value, DayOffRule):
        return value
    word = _text(value, {}).strip().lower()
    if word not in {rule.value for rule in DayOffRule}:
        raise _Bad("settings.day_off_rule", got=repr(value))
    return DayOffRule(word)


def _log_level(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {})
    if text.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise _Bad("settings.log_level")
    return text.upper()


def _event_loop(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {}).strip().lower() or "auto"
    if text not in ("auto", "uvloop", "asyncio"):
        raise _Bad("settings.event_loop", got=repr(value))
    if text == "uvloop":
        from bot import loop

        if not loop.available():
            raise _Bad("settings.event_loop_missing")
    return text


def _fake_now(value: object, _: Mapping[str, object]) -> datetime | None:
    if value is None or _blank(value):
        return None
    if isinstance(value, datetime):
        return value
    try:
        moment = datetime.fromisoformat(_text(value, {}).strip())
    except ValueError:
        raise _Bad("settings.fake_now") from None
    if moment.tzinfo is None:
        raise _Bad("settings.fake_now_offset")
    return moment


def _webhook_url(value: object, before: Mapping[str, object]) -> str | None:
    if value is None or _blank(value):
        return None
    text = _text(value, {}).strip()
    api = str(before.get("telegram_api_url") or "https://api.telegram.org")
    # Telegram itself delivers webhooks over HTTPS only; a local Bot API server or the
    # stand-in may call plain HTTP.
    https_only = api.startswith("https://api.telegram.org")
    schemes = ("https://",) if https_only else ("https://", "http://")
    if not text.startswith(schemes) or len(text) <= len(schemes[0]):
        raise _Bad("settings.webhook_url")
    return text.rstrip("/") if text.count("/") > 3 else text


def _webhook_secret(value: object, before: Mapping[str, object]) -> Secret | None:
    if isinstance(value, Secret):
        return value
    if value is None or _blank(value):
        if before.get("webhook_url"):
            raise _Bad("settings.webhook_secret_missing")
        return None
    text = _text(value, {})
    if not _SECRET.fullmatch(text.strip()):
        raise _Bad("settings.webhook_secret")
    return Secret(text.strip())


def _health_port(value: object, before: Mapping[str, object]) -> int | None:
    if value is None or _blank(value):
        return None
    return _port(1)(value, before)


def _backup_keep(value: object, _: Mapping[str, object]) -> int:
    number = _as_int(value)
    if number < 1:
        raise _Bad("settings.backup_keep")
    return number


def _backup_at(value: object, _: Mapping[str, object]) -> str:
    text = _text(value, {})
    try:
        _parse_time(text)
    except ValueError:
        raise _Bad("settings.backup_at") from None
    return text


# Each field's variable and reader, in the order they are read (a reader sees those above it).
# A default is read too: DONDOC_OFFICE_END alone is checked against the default start.
VARIABLES: dict[str, tuple[str, _Read]] = {
    "telegram_bot_token": ("TELEGRAM_BOT_TOKEN", _token),
    "telegram_api_url": ("TELEGRAM_API_URL", _api_url),
    "database_url": ("DATABASE_URL", _db_url),
    "timezone": ("DONDOC_TIMEZONE", _tz),
    "language": ("DONDOC_LANGUAGE", _lang),
    "admins": ("DONDOC_ADMINS", _admins),
    "review": ("DONDOC_REVIEW", _bool),
    "visibility": ("DONDOC_VISIBILITY", _visibility),
    "office_start": ("DONDOC_OFFICE_START", _office_start),
    "office_end": ("DONDOC_OFFICE_END", _office_end),
    "lunch_break": ("DONDOC_LUNCH_BREAK", _lunch),
    "day_off_rule": ("DONDOC_DAY_OFF_RULE", _day_off_rule),
    "org_file": ("DONDOC_ORG_FILE", _path_or_none),
    "org_name": ("DONDOC_ORG_NAME", _text),
    "org_place": ("DONDOC_ORG_PLACE", _text),
    "log_level": ("DONDOC_LOG_LEVEL", _log_level),
    "event_loop": ("DONDOC_EVENT_LOOP", _event_loop),
    "sandbox_host": ("DONDOC_SANDBOX_HOST", _text),
    "sandbox_port": ("DONDOC_SANDBOX_PORT", _port(0)),
    "fake_now": ("DONDOC_FAKE_NOW", _fake_now),
    "webhook_url": ("DONDOC_WEBHOOK_URL", _webhook_url),
    "webhook_secret": ("DONDOC_WEBHOOK_SECRET", _webhook_secret),
    "webhook_listen": ("DONDOC_WEBHOOK_LISTEN", _text),
    "webhook_port": ("DONDOC_WEBHOOK_PORT", _port(1)),
    "health_port": ("DONDOC_HEALTH_PORT", _health_port),
    "health_listen": ("DONDOC_HEALTH_LISTEN", _text),
    "backup_dir": ("DONDOC_BACKUP_DIR", _path_or_none),
    "backup_keep": ("DONDOC_BACKUP_KEEP", _backup_keep),
    "backup_at": ("DONDOC_BACKUP_AT", _backup_at),
}
_DEFAULTS = {f.name: f for f in dataclasses.fields(Settings)}


def _env_file(path: str | os.PathLike[str]) -> dict[str, str]:
    """A `.env` file's variables (names in lower case), or none when there is no such file.
    python-dotenv reads it, as pydantic-settings did: quotes, `export`, comments, ${VAR}."""
    file = Path(path).expanduser()
    if not (file.is_file() or file.is_fifo()):
        return {}
    from dotenv import dotenv_values

    values = dotenv_values(file, encoding="utf-8")
    return {name.lower(): value for name, value in values.items() if value is not None}


def _given(
    overrides: Mapping[str, object], env_file: str | os.PathLike[str] | None
) -> dict[str, object]:
    """What is given for each field, by its name: keyword, then environment, then `.env`."""
    sources: list[Mapping[str, object]] = []
    sources.append({k.lower(): v for k, v in overrides.items()})
    sources.append({k.lower(): v for k, v in os.environ.items()})
    if env_file is not None:
        sources.append(_env_file(env_file))
    given: dict[str, object] = {}
    for name, (variable, _) in VARIABLES.items():
        for source in sources:
            # A keyword may also use the field's own name (as pydantic's populate_by_name).
            for key in (variable.lower(), name) if source is sources[0] else (variable.lower(),):
                if key in source:
                    given[name] = source[key]
                    break
            if name in given:
                break
    return given


def load_settings(**overrides: object) -> Settings:
    """Settings from keywords (by variable or field name), the environment and `.env`;
    `_env_file` names another file, or None for none. A bad value raises SettingsError, one
    line naming the variable."""
    env_file = overrides.pop("_env_file", ".env")
    if env_file is not None and not isinstance(env_file, str | os.PathLike):
        raise TypeError(f"_env_file: a path or None, not {env_file!r}")
    given = _given(overrides, env_file)
    values: dict[str, object] = {}
    for name, (variable, read) in VARIABLES.items():
        if name in given:
            value = given[name]
        else:
            spec = _DEFAULTS[name]
            factory = spec.default_factory
            value = factory() if factory is not dataclasses.MISSING else spec.default
        try:
            values[name] = read(value, values)
        except _Bad as exc:
            raise SettingsError(variable, exc.key, exc.params) from None
        except _Form as exc:
            raise SettingsError(variable, exc.key, {"got": repr(exc.got)}) from None
        except ValueError as exc:
            raise SettingsError(variable, "settings.other", {"detail": str(exc)}) from None
    return Settings(**values)  # type: ignore[arg-type]


def configured_language() -> str:
    """DONDOC_LANGUAGE from the environment or .env, for the command line's own lines even when
    another setting is wrong (Vietnamese when it too is missing or wrong)."""
    given = _given({}, ".env").get("language", "vi")
    return given if given in ("vi", "en") else "vi"
