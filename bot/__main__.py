"""The `dondoc` command: run the bot, migrate the database, import and export the roster."""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import logging
import os
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

# PTB 22 reports retry_after as seconds unless asked for timedelta, and warns otherwise.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot import dataclass_cache

dataclass_cache.install()  # before the first dataclass is made

from bot.config import Settings, SettingsError, configured_language, load_settings  # noqa: E402
from bot.domain.reportconfig import PeriodError  # noqa: E402
from bot.text.catalog import t  # noqa: E402
from bot.text.said import Said, in_language, os_reason  # noqa: E402

if TYPE_CHECKING:
    from bot.app import Runtime
    from bot.domain.orgfile import OrgSpec


def say(key: str, lang: str, **params: object) -> str:
    """A line of the command line's own, in DONDOC_LANGUAGE (plain text: no HTML)."""
    return t(key, lang, **params)


def _no_bootstrap_traceback(record: logging.LogRecord) -> bool:
    """A failed start is explained in one line below; PTB's traceback of it says nothing more."""
    if record.getMessage().startswith("Network Retry Loop (Bootstrap"):
        record.exc_info = None
    return True


def upgrade(database_url: str) -> None:
    """The schema brought up to date (imported here: `dondoc run` turns the collector off
    before SQLAlchemy and the rest of start-up are loaded, see main)."""
    from bot.db.migrate import upgrade as migrate

    migrate(database_url)


# The database the command works on, for a one-line account of a failure to reach or write it.
_database: list[str] = []


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc.line(configured_language()), file=sys.stderr)
        raise SystemExit(2) from None
    _database.append(settings.database_url)
    return settings


def _logging(settings: Settings) -> None:
    level = settings.log_level.upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # APScheduler logs two INFO lines at every due-scan (every 20 s): they bury what is worth
    # reading, such as the sandbox's address. DONDOC_LOG_LEVEL=DEBUG shows them again.
    if level != "DEBUG":
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def cmd_run(_: argparse.Namespace) -> int:
    settings = _settings()
    _logging(settings)
    token = settings.token
    lang = settings.language
    if token is None:
        print(say("cli.no_token", lang), file=sys.stderr)
        gc.enable()  # the sandbox runs without post_init's freeze
        from bot.sandbox import runner

        return runner.run(command="run")
    if not settings.webhook:
        # The start's TLS context is made in a thread meanwhile (handlers.transport.prepare).
        from handlers.transport import prepare

        prepare()
    # Migrations run their own event loop, so they go before the bot's.
    upgrade(settings.database_url)
    # Several instances on one PostgreSQL behind a webhook elect the one that runs the scheduled
    # work; otherwise (polling, or SQLite) a second instance on the database refuses to start.
    from bot.db.engine import is_sqlite

    elect = settings.webhook and not is_sqlite(settings.database_url)
    if not elect and (refusal := _one_instance(settings)) is not None:
        print(refusal, file=sys.stderr)
        return 1
    # The roster file is read and checked now; it is imported by the bot's start, on the
    # runtime the bot runs with (one engine and one event loop, not a second of each for it).
    spec = None
    if settings.org_file is not None and (spec := _read(settings.org_file, lang)) is None:
        return 1
    from telegram.error import InvalidToken, NetworkError

    from bot import loop as event_loop
    from bot.app import build_application, open_runtime
    from bot.clock import StartedClock
    from bot.db.instance import InstanceLock
    from bot.serve import follow_lock, serve_polling, serve_webhook, with_health_server
    from scheduler import jobs

    dataclass_cache.save()  # what the start's imports compiled, for the next start
    clock = StartedClock(settings.fake_now) if settings.fake_now is not None else None
    runtime = open_runtime(settings, clock=clock)
    app = build_application(runtime, token, settings.telegram_api_url)
    if spec is not None:
        app.bot_data.on_start.append(lambda: _imported(runtime, spec, lang, at_start=True))
    logging.getLogger("telegram.ext").addFilter(_no_bootstrap_traceback)
    if settings.backup_dir is not None:
        jobs.schedule_backup(
            app,
            settings.database_url,
            settings.backup_dir,
            settings.backup_keep,
            settings.backup_time,
        )
    logging.getLogger("dondoc").info("event loop: %s", event_loop.chosen(settings.event_loop))
    if settings.webhook:
        try:
            event_loop.run(serve_webhook(app, settings, elect), settings.event_loop)
        except InvalidToken:
            print(say("cli.bad_token", lang, url=settings.telegram_api_url), file=sys.stderr)
            return 1
        except NetworkError as exc:
            url = settings.telegram_api_url
            print(say("cli.unreachable", lang, url=url, error=exc), file=sys.stderr)
            return 1
        return 0
    with_health_server(app, settings)
    if isinstance(_LOCK, InstanceLock):
        follow_lock(app, _LOCK)

    def no_cleanup_after_conflict(record: logging.LogRecord) -> bool:
        # Stopping, PTB polls once more to confirm the last update; after a 409 that call
        # gets a 409 too, and its traceback would only repeat the line already said.
        return not (app.bot_data.conflict and "one more time" in record.getMessage())

    logging.getLogger("telegram.ext.Updater").addFilter(no_cleanup_after_conflict)
    try:
        event_loop.run(serve_polling(app), settings.event_loop)
    except InvalidToken:
        print(say("cli.bad_token", lang, url=settings.telegram_api_url), file=sys.stderr)
        return 1
    except NetworkError as exc:  # at start-up only: once polling, PTB retries on its own
        url = settings.telegram_api_url
        print(say("cli.unreachable", lang, url=url, error=exc), file=sys.stderr)
        return 1
    # Another program polls this bot's updates: said in one line (handlers/errors.py), stopped.
    return 1 if app.bot_data.conflict else 0


_LOCK: object = None  # the scheduler's lock, held (never closed) until the process ends


def _one_instance(settings: Settings) -> str | None:
    """Take the database's scheduler lock for the life of the process, or say in one line, in
    DONDOC_LANGUAGE, which instance holds it."""
    global _LOCK
    from bot.db.instance import Holder, LockError, acquire
    from bot.text.catalog import t

    lang = settings.language
    try:
        got = acquire(settings.database_url)
    except LockError as exc:
        return t("instance.lock_failed", lang, error=exc)
    if isinstance(got, Holder):
        since = "?"
        if got.since is not None:
            since = got.since.astimezone(settings.tz).strftime("%d/%m/%Y %H:%M:%S")
        pid = str(got.pid) if got.pid is not None else "?"
        return t("instance.busy", lang, host=got.host, pid=pid, since=since)
    _LOCK = got
    return None


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox import runner

    try:
        settings = runner.sandbox_settings(args.db or runner.DEFAULT_DB)
    except SettingsError as exc:
        print(exc.line(configured_language()), file=sys.stderr)
        return 2
    _database.append(settings.database_url)
    _logging(settings)
    return runner.run(args.db, args.host, args.port, keep=args.keep)


def cmd_db_upgrade(_: argparse.Namespace) -> int:
    settings = _settings()
    upgrade(settings.database_url)
    print(say("cli.db_upgraded", settings.language, url=settings.database_url))
    return 0


def _read(path: Path, lang: str) -> OrgSpec | None:
    """The roster file, or None after saying why it is refused."""
    from bot.domain.orgfile import OrgFileError, read_org_file

    try:
        spec = read_org_file(path)
    except OrgFileError as exc:
        print(say("cli.roster_refused", lang), file=sys.stderr)
        for problem in exc.lines(lang):
            print(f"  {problem}", file=sys.stderr)
        return None
    for warning in spec.warnings:
        print(say("cli.roster_warning", lang, warning=warning.said(lang)), file=sys.stderr)
    return spec


async def _imported(runtime: Runtime, spec: OrgSpec, lang: str, at_start: bool = False) -> None:
    """Import the roster and say what changed. `at_start`: the roster file imported at every
    start, skipped when it would change nothing (the same file onto the roster it made:
    services.roster)."""
    fingerprint = hashlib.sha256(repr(spec).encode()).hexdigest()[:32] if at_start else None
    report = await runtime.services.roster.import_org(spec, fingerprint)
    print(report.summary(lang), flush=True)


def _import(settings: Settings, spec: OrgSpec) -> int:
    from bot.app import open_runtime

    async def run() -> None:
        runtime = open_runtime(settings)
        try:
            await _imported(runtime, spec, settings.language)
        finally:
            await runtime.close()

    asyncio.run(run())
    return 0


def cmd_org_import(args: argparse.Namespace) -> int:
    settings = _settings()
    # The file first: a refused file leaves even a new database uncreated.
    spec = _read(Path(args.file), settings.language)
    if spec is None:
        return 1
    upgrade(settings.database_url)
    return _import(settings, spec)


def cmd_org_export(args: argparse.Namespace) -> int:
    settings = _settings()
    if args.out:
        out = Path(args.out)
        lang = settings.language
        command = "dondoc org export --out"
        if code := _target(out, lang, (".yaml", ".yml"), command, args.yes):
            return code
    upgrade(settings.database_url)
    from bot.app import open_runtime
    from bot.domain.orgfile import dump_org

    async def run() -> str:
        runtime = open_runtime(settings)
        try:
            return dump_org(await runtime.services.roster.export_org())
        finally:
            await runtime.close()

    text = asyncio.run(run())
    if args.out:
        if (problem := _write(Path(args.out), text.encode("utf-8"), settings.language)) is not None:
            print(problem, file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0


def _writable(path: Path, lang: str) -> str | None:
    """Why `path` cannot be written, checked before the work (None: it can be tried)."""
    if not path.parent.is_dir():
        return say("cli.write.no_folder", lang, path=path, folder=path.parent)
    if path.is_dir():
        return say("cli.write.is_folder", lang, path=path)
    return None


def _target(path: Path, lang: str, suffixes: tuple[str, ...], command: str, yes: bool) -> int:
    """Whether a command may write its file at `path`, checked before the work: 0 if so, else
    the exit code after saying why. A name without the file's own suffix is refused (`tally
    --chart a.xlsx` wrote a PNG that a spreadsheet then could not open); a file already there
    is replaced only when the person says so, or with --yes, as `dondoc restore` asks before
    it replaces the database (a report edited since, or the only good backup, was lost)."""
    if (problem := _writable(path, lang)) is not None:
        print(problem, file=sys.stderr)
        return 2
    if path.suffix.lower() not in suffixes:
        example = f"{command} {path.with_suffix(suffixes[0])}"
        said = say("cli.write.wrong_suffix", lang, path=path, suffix=suffixes[0], example=example)
        print(said, file=sys.stderr)
        return 2
    if yes or not (path.exists() or path.is_symlink()):
        return 0
    if _confirmed(say("cli.write.replace", lang, path=path), lang):
        return 0
    print(say("cli.write.kept", lang, path=path), file=sys.stderr)
    return 1


def _write(path: Path, data: bytes, lang: str) -> str | None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        return say("cli.write.failed", lang, path=path, reason=_reason(exc, lang))
    return None


def _reason(exc: OSError, lang: str) -> str:
    reason = os_reason(exc)
    return reason.said(lang) if isinstance(reason, Said) else reason


def _period_error(exc: PeriodError, lang: str) -> str:
    return say(exc.key, lang, **exc.params)


def cmd_report(args: argparse.Namespace) -> int:
    """The monthly workbook without Telegram."""
    from datetime import UTC, date, datetime

    from bot.domain.reportconfig import parse_month

    settings = _settings()
    lang = settings.language
    try:
        year, month_no = parse_month(args.month)
    except PeriodError as exc:
        print(_period_error(exc, lang), file=sys.stderr)
        return 2
    # As /baocao: a month that has not begun has no figures (its period would end before it
    # starts).
    if date(year, month_no, 1) > datetime.now(UTC).astimezone(settings.tz).date():
        print(say("cli.month_not_started", lang, month=f"{month_no:02d}/{year}"), file=sys.stderr)
        return 2
    from bot.services.reports import workbook_name

    out = Path(args.out or workbook_name(year, month_no))
    command = f"dondoc report --month {args.month} --out"
    if code := _target(out, lang, (".xlsx",), command, args.yes):
        return code
    upgrade(settings.database_url)
    from bot.app import open_runtime

    async def run() -> tuple[str, bytes]:
        runtime = open_runtime(settings)
        try:
            await runtime.services.core.load_org_settings()
            report = await runtime.services.reports.monthly_file(year, month_no)
        finally:
            await runtime.close()
        return report.caption, report.data

    caption, data = asyncio.run(run())
    if (problem := _write(out, data, lang)) is not None:
        print(problem, file=sys.stderr)
        return 2
    from bot.services.reports import plain

    print(f"{plain(caption)}\n{out}")
    return 0


def cmd_tally(args: argparse.Namespace) -> int:
    """The weekly tally as a text table on standard output (and a chart, if asked)."""
    from datetime import UTC, datetime

    from bot.domain.reportconfig import parse_iso_week

    settings = _settings()
    lang = settings.language
    now = datetime.now(UTC)
    try:
        if args.week:
            year, week = parse_iso_week(args.week)
        else:
            year, week, _ = now.astimezone(settings.tz).isocalendar()
    except PeriodError as exc:
        print(_period_error(exc, lang), file=sys.stderr)
        return 2
    chart_path = Path(args.chart) if args.chart else None
    if chart_path is not None:
        command = "dondoc tally" + (f" --week {args.week}" if args.week else "") + " --chart"
        if code := _target(chart_path, lang, (".png",), command, args.yes):
            return code
    upgrade(settings.database_url)
    from bot.app import open_runtime
    from bot.services.reports import iso_week_period, plain

    try:
        period, previous = iso_week_period(year, week, now, settings.tz)
    except PeriodError as exc:
        print(_period_error(exc, lang), file=sys.stderr)
        return 2

    async def run() -> tuple[str, bytes | None]:
        runtime = open_runtime(settings)
        try:
            await runtime.services.core.load_org_settings()
            reports = runtime.services.reports
            report = await reports.tally_report(period, previous)
            return await reports.texts(report)
        finally:
            await runtime.close()

    text, chart = asyncio.run(run())
    print(plain(text))
    if chart_path is not None:
        if chart is None:
            print(say("cli.no_chart", lang), file=sys.stderr)
        elif (problem := _write(chart_path, chart, lang)) is not None:
            print(problem, file=sys.stderr)
            return 2
    return 0


def _say(text: str, err: bool = False) -> None:
    from bot.services.reports import plain

    print(plain(text), file=sys.stderr if err else sys.stdout)


def _confirmed(question: str, lang: str) -> bool:
    from bot.services.reports import plain
    from bot.text.catalog import t

    try:
        answer = input(plain(question))
    except EOFError:
        return False
    return answer.strip().lower() in t("programme.yes_words", lang).split(",")


def cmd_program_import(args: argparse.Namespace) -> int:
    """Preview the annual programme, ask, import: `dondoc program import FILE [--year] [--yes]`."""
    from bot.text.catalog import t

    settings = _settings()
    lang = settings.language
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        _say(t("programme.cli.unreadable_file", lang, path=path, error=_reason(exc, lang)), True)
        return 2
    upgrade(settings.database_url)
    from bot.app import open_runtime

    async def preview() -> tuple[str, str, int]:
        runtime = open_runtime(settings)
        try:
            await runtime.services.core.load_org_settings()
            programme = runtime.services.programme
            found = await programme.preview(data, path.name, args.year)
            text = programme.render_preview(found, lang, chat=False)
            state = "ok" if found.can_import else "already" if found.already else "refused"
            return text, state, len(found.items)
        finally:
            await runtime.close()

    text, state, count = asyncio.run(preview())
    _say(text)
    if state != "ok":
        # The same file again changes nothing, and says so: that is not a failure.
        return 0 if state == "already" else 1
    if not args.yes and not _confirmed(t("programme.ask", lang, count=count), lang):
        _say(t("programme.not_confirmed", lang))
        return 1

    async def run() -> tuple[str, bool]:
        runtime = open_runtime(settings)
        try:
            await runtime.services.core.load_org_settings()
            programme = runtime.services.programme
            result = await programme.import_file(data, path.name, args.year)
            if result.refusal is not None:
                return result.refusal, False
            if result.imported is None:  # imported by someone else meanwhile
                return programme.render_preview(result.preview, lang, chat=False), False
            year = result.preview.programme.year if result.preview.programme else args.year
            return t("programme.imported", lang, count=result.imported, year=year), True
        finally:
            await runtime.close()

    outcome, done = asyncio.run(run())
    _say(outcome, err=not done)
    return 0 if done else 1


def cmd_program_show(_: argparse.Namespace) -> int:
    settings = _settings()
    upgrade(settings.database_url)
    from bot.app import open_runtime

    async def run() -> str:
        runtime = open_runtime(settings)
        try:
            return await runtime.services.programme.show(settings.language)
        finally:
            await runtime.close()

    _say(asyncio.run(run()))
    return 0


def cmd_program_template(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from bot.intake.programme import template
    from bot.text.catalog import t

    settings = _settings()
    path = Path(args.file or "chuong-trinh-cong-tac.xlsx")
    if code := _target(path, settings.language, (".xlsx",), "dondoc program template", args.yes):
        return code
    year = args.year or datetime.now(UTC).astimezone(settings.tz).year + 1
    if (problem := _write(path, template(year), settings.language)) is not None:
        print(problem, file=sys.stderr)
        return 2
    _say(t("programme.template.written", settings.language, path=path))
    return 0


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    size = float(n)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:.1f} {unit}"


def _shown(database_url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(database_url).render_as_string(hide_password=True)


def cmd_backup(args: argparse.Namespace) -> int:
    """`dondoc backup [FILE]`: a consistent copy while the bot runs."""
    from datetime import UTC, datetime

    from bot.db import backup
    from bot.text.catalog import t

    settings = _settings()
    lang = settings.language
    url = settings.database_url
    now = datetime.now(UTC).astimezone(settings.tz)
    target = Path(args.file or backup.default_name(url, now))
    # The folder and a folder named as the file: said by backup.backup, in its own words.
    if target.parent.is_dir() and not target.is_dir():
        suffixes = (".db", ".sqlite", ".sqlite3") if backup.suffix(url) == ".db" else (".dump",)
        if code := _target(target, lang, suffixes, "dondoc backup", args.yes):
            return code
    try:
        size = backup.backup(url, target)
    except backup.BackupError as exc:
        _say(t(exc.key, lang, **in_language(exc.params, lang)), err=True)
        return 1
    _say(t("ops.backup.done", lang, path=target, size=_size(size)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """`dondoc restore FILE [--yes]`: refused while a bot runs on the database; asks first."""
    from bot.db import backup
    from bot.text.catalog import t

    settings = _settings()
    lang = settings.language
    url = settings.database_url
    source = Path(args.file)
    try:
        backup.check_file(url, source)
        held = backup.hold(url)
    except backup.BackupError as exc:
        _say(t(exc.key, lang, **in_language(exc.params, lang)), err=True)
        return 1
    if isinstance(held, backup.Busy):
        holder = held.holder
        since = "?"
        if holder.since is not None:
            since = holder.since.astimezone(settings.tz).strftime("%d/%m/%Y %H:%M:%S")
        pid = str(holder.pid) if holder.pid is not None else "?"
        _say(t("ops.restore.busy", lang, host=holder.host, pid=pid, since=since), err=True)
        return 1
    try:
        asked = t("ops.restore.ask", lang, database=_shown(url), path=source)
        if not args.yes and not _confirmed(asked, lang):
            _say(t("ops.restore.not_confirmed", lang))
            return 1
        try:
            backup.restore(url, source)
        except backup.BackupError as exc:
            _say(t(exc.key, lang, **in_language(exc.params, lang)), err=True)
            return 1
    finally:
        held.release()
    _say(t("ops.restore.done", lang, database=_shown(url), path=source))
    return 0


class _Formatter(argparse.HelpFormatter):
    usage_prefix = "usage: "

    def add_usage(
        self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None
    ) -> None:
        # argparse passes "" to name a subcommand (its prog): only the None prefix is ours.
        super().add_usage(usage, actions, groups, self.usage_prefix if prefix is None else prefix)


def _parser_in(lang: str) -> type[argparse.ArgumentParser]:
    """ArgumentParser saying its own words (usage, headings, -h) in `lang`."""

    class Formatter(_Formatter):
        usage_prefix = t("cli.help.usage", lang)

    class Parser(argparse.ArgumentParser):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", Formatter)
            # argparse would take `--y` for `--yes`: `dondoc restore --y FILE` replaced the
            # database. Options are written in full; subcommands share this class.
            super().__init__(**kwargs | {"add_help": False, "allow_abbrev": False})
            self._positionals.title = t("cli.help.positionals", lang)
            self._optionals.title = t("cli.help.options", lang)
            self.add_argument("-h", "--help", action="help", help=t("cli.help.help", lang))

        def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
            # argparse blames words left over on the top command; the one they followed
            # (`dondoc run x`: `run`) gives the example that helps.
            parsed, extras = self.parse_known_args(args, namespace)
            if extras:
                _chosen(self, parsed).error(f"unrecognized arguments: {' '.join(extras)}")
            return parsed

        def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
            # A shortened option is named as such before argparse says what else is missing
            # (`dondoc report --mon 2026-11` would be told that --month is required).
            if _commands(self) is None:
                for word in sys.argv[1:] if args is None else args:
                    if word == "--":
                        break
                    option = word.split("=")[0]
                    if option not in self._option_string_actions and _completions(self, option):
                        self.error(f"unrecognized arguments: {word}")
            return super().parse_known_args(args, namespace)

        def error(self, message: str) -> NoReturn:
            self.exit(2, _argument_error(self, message, lang) + "\n")

    return Parser


def _commands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any] | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def _chosen(parser: argparse.ArgumentParser, parsed: argparse.Namespace) -> argparse.ArgumentParser:
    """The innermost (sub)command named on the line."""
    while (commands := _commands(parser)) is not None:
        name = getattr(parsed, commands.dest, None)
        if name not in commands.choices:
            break
        parser = commands.choices[name]
    return parser


# argparse's own messages (English whatever the locale: Python ships no translation of them),
# each read back into the problem it names.
_ARGPARSE_ERRORS = (
    ("missing", re.compile(r"the following arguments are required: ([^,]+)")),
    ("unknown", re.compile(r"unrecognized arguments: (.+)")),
    ("choice", re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from")),
    ("value", re.compile(r"argument (\S+): expected one argument")),
    ("number", re.compile(r"argument (\S+): invalid \w+ value: (.+)")),
    ("no_value", re.compile(r"argument (\S+): ignored explicit argument (.+)")),
    ("own", re.compile(r"argument (\S+): (.+)")),
)


def _unquoted(text: str) -> str:
    """argparse quotes a word with repr: 'x'."""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def _completions(parser: argparse.ArgumentParser, option: str) -> list[str]:
    """The long options `option` is the start of: what a shortened option was meant to be."""
    if not option.startswith("--") or len(option) < 3:
        return []
    return sorted(
        name
        for action in parser._actions
        for name in action.option_strings
        if name.startswith(option) and name != option
    )


def _argument_error(parser: argparse.ArgumentParser, message: str, lang: str) -> str:
    """argparse's complaint as one line in `lang`: what is wrong, and the command written right."""
    commands = _commands(parser)
    choices = ", ".join(commands.choices) if commands is not None else ""
    problem = message
    for kind, pattern in _ARGPARSE_ERRORS:
        if (found := pattern.match(message.strip())) is None:
            continue
        name = found.group(1).split("/")[-1]
        if kind == "missing":
            if commands is not None and name == commands.dest:
                problem = say("cli.error.no_command", lang, choices=choices)
            elif name.startswith("-"):
                problem = say("cli.error.missing_option", lang, option=name)
            else:
                problem = say("cli.error.no_file", lang)
        elif kind == "unknown":
            if name.startswith("-"):
                option = name.split()[0].split("=")[0]
                meant = _completions(parser, option)
                if meant:
                    joined = say("cli.error.or", lang).join(meant)
                    problem = say("cli.error.abbreviated", lang, option=option, options=joined)
                else:
                    problem = say("cli.error.unknown_option", lang, option=option)
            else:
                problem = say("cli.error.extra", lang, words=name)
        elif kind == "choice":
            word = _unquoted(found.group(2))
            problem = say("cli.error.no_such_command", lang, word=word, choices=choices)
        elif kind == "value":
            problem = say("cli.error.needs_value", lang, option=name)
        elif kind == "number":
            problem = say("cli.error.not_a_number", lang, option=name, text=_unquoted(found[2]))
        elif kind == "no_value":
            problem = say("cli.error.takes_no_value", lang, option=name, text=_unquoted(found[2]))
        else:
            problem = f"{name}: {found.group(2)}"
        break
    path = parser.prog.split()[1:]
    example = say("cli.example." + (".".join(path) or "dondoc"), lang)
    return say("cli.error.line", lang, prog=parser.prog, problem=problem, example=example)


def parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The command line, its help in `lang` (default: DONDOC_LANGUAGE, Vietnamese when unset)."""
    lang = lang or configured_language()

    def h(key: str) -> str:
        return t(f"cli.help.{key}", lang)

    top = _parser_in(lang)(prog="dondoc", description=h("description"))
    sub = top.add_subparsers(dest="command", required=True, title=h("positionals"))
    sub.add_parser("run", help=h("run")).set_defaults(func=cmd_run)
    box = sub.add_parser("sandbox", help=h("sandbox"))
    box.add_argument("--db", help=h("sandbox.db"))
    box.add_argument("--host", help=h("sandbox.host"))
    box.add_argument("--port", type=_port, help=h("sandbox.port"))
    box.add_argument("--keep", action="store_true", help=h("sandbox.keep"))
    box.set_defaults(func=cmd_sandbox)
    db = sub.add_parser("db", help=h("db")).add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help=h("db.upgrade")).set_defaults(func=cmd_db_upgrade)
    org = sub.add_parser("org", help=h("org")).add_subparsers(dest="org_command", required=True)
    imp = org.add_parser("import", help=h("org.import"))
    imp.add_argument("file")
    imp.set_defaults(func=cmd_org_import)
    exp = org.add_parser("export", help=h("org.export"))
    exp.add_argument("--out", help=h("org.export.out"))
    exp.add_argument("--yes", action="store_true", help=h("yes.replace"))
    exp.set_defaults(func=cmd_org_export)
    bak = sub.add_parser("backup", help=h("backup"))
    bak.add_argument("file", nargs="?", help=h("backup.file"))
    bak.add_argument("--yes", action="store_true", help=h("yes.replace"))
    bak.set_defaults(func=cmd_backup)
    res = sub.add_parser("restore", help=h("restore"))
    res.add_argument("file")
    res.add_argument("--yes", action="store_true", help=h("yes"))
    res.set_defaults(func=cmd_restore)
    rep = sub.add_parser("report", help=h("report"))
    rep.add_argument("--month", required=True, help=h("report.month"))
    rep.add_argument("--out", help=h("report.out"))
    rep.add_argument("--yes", action="store_true", help=h("yes.replace"))
    rep.set_defaults(func=cmd_report)
    tal = sub.add_parser("tally", help=h("tally"))
    tal.add_argument("--week", help=h("tally.week"))
    tal.add_argument("--chart", help=h("tally.chart"))
    tal.add_argument("--yes", action="store_true", help=h("yes.replace"))
    tal.set_defaults(func=cmd_tally)
    pro = sub.add_parser("program", help=h("program"))
    prog = pro.add_subparsers(dest="program_command", required=True)
    pim = prog.add_parser("import", help=h("program.import"))
    pim.add_argument("file")
    pim.add_argument("--year", type=_year, help=h("program.year"))
    pim.add_argument("--yes", action="store_true", help=h("yes"))
    pim.set_defaults(func=cmd_program_import)
    prog.add_parser("show", help=h("program.show")).set_defaults(func=cmd_program_show)
    tem = prog.add_parser("template", help=h("program.template"))
    tem.add_argument("file", nargs="?", help=h("program.template.file"))
    tem.add_argument("--year", type=_year, help=h("program.template.year"))
    tem.add_argument("--yes", action="store_true", help=h("yes.replace"))
    tem.set_defaults(func=cmd_program_template)
    return top


def _year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(say("cli.not_a_year", configured_language(), text=text))
    return int(text)


def _port(text: str) -> int:
    # 99999 was taken as 34463 (the socket keeps 16 bits) and -5 reached the resolver, which
    # answered in English: a port is refused here, as DONDOC_SANDBOX_PORT is (bot.config).
    number = int(text)  # ValueError: argparse says a number is needed
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(say("cli.not_a_port", configured_language(), text=text))
    return number


def _quiet_closed_loop(args: threading.ExceptHookArgs) -> None:
    """aiosqlite's worker thread, answering a connection that failed (a read-only or full disk)
    after asyncio.run has closed its loop, raises "Event loop is closed": a consequence of the
    error already said in one line, not news. Everything else goes to the usual hook."""
    if isinstance(args.exc_value, RuntimeError) and "Event loop is closed" in str(args.exc_value):
        return
    threading.__excepthook__(args)


def main(argv: list[str] | None = None) -> None:
    threading.excepthook = _quiet_closed_loop
    args = parser().parse_args(argv)
    if args.func is cmd_run:
        # Start-up builds some 190,000 objects that live as long as the process (modules,
        # classes, mappers, the catalog, the roster); the collector walked them again and again
        # as they piled up, an eighth of the time to the first poll. Off until the bot runs:
        # post_init (bot/app.py) puts what start-up built out of its sight and turns it back on.
        gc.disable()
    try:
        code = args.func(args)
    except Exception as exc:
        # A database that cannot be reached or written is the operator's to fix: one line. Any
        # other failure is a bug and keeps its traceback.
        from bot.db.problems import describe

        line = describe(exc, _database[-1]) if _database else None
        if line is None:
            raise
        print(line.said(configured_language()), file=sys.stderr)
        # The driver's worker thread may still be failing on the same database: leave without
        # waiting for it, so its traceback does not follow the one line.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)
    raise SystemExit(code)


if __name__ == "__main__":
    main()
