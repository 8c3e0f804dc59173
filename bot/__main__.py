"""The `dondoc` command: run the bot, migrate the database, import and export the roster."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

# PTB 22 reports retry_after as seconds unless asked for timedelta, and warns otherwise.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.config import Settings, SettingsError, load_settings
from bot.db.migrate import upgrade
from bot.domain.orgfile import OrgFileError, OrgSpec, dump_org, read_org_file

NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set: starting the sandbox, a local Telegram stand-in with a demo "
    "ward (to run on real Telegram, get a token from @BotFather with /newbot and put "
    "TELEGRAM_BOT_TOKEN=... in .env; see README.md)."
)

BAD_TOKEN = (
    "Telegram ({url}) refused TELEGRAM_BOT_TOKEN: copy the token @BotFather gave again "
    "(/mybots → the bot → API Token) into .env."
)
UNREACHABLE = (
    "Cannot reach the Telegram Bot API at {url} ({error}). Check the network, or set "
    "TELEGRAM_API_URL to a Bot API server this machine can reach; without a token, "
    "`make run` starts the local sandbox instead."
)


def _no_bootstrap_traceback(record: logging.LogRecord) -> bool:
    """A failed start is explained in one line below; PTB's traceback of it says nothing more."""
    if record.getMessage().startswith("Network Retry Loop (Bootstrap"):
        record.exc_info = None
    return True


# The database the command works on, for a one-line account of a failure to reach or write it.
_database: list[str] = []


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
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
    if token is None:
        print(NO_TOKEN, file=sys.stderr)
        from bot.sandbox import runner

        return runner.run()
    # Migrations run their own event loop, so they go before the bot's.
    upgrade(settings.database_url)
    if settings.org_file is not None and _import(settings, settings.org_file) != 0:
        return 1
    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application, open_runtime

    runtime = open_runtime(settings)
    app = build_application(runtime, token, settings.telegram_api_url)
    logging.getLogger("telegram.ext").addFilter(_no_bootstrap_traceback)
    try:
        app.run_polling(drop_pending_updates=False)
    except InvalidToken:
        print(BAD_TOKEN.format(url=settings.telegram_api_url), file=sys.stderr)
        return 1
    except NetworkError as exc:  # at start-up only: once polling, PTB retries on its own
        print(UNREACHABLE.format(url=settings.telegram_api_url, error=exc), file=sys.stderr)
        return 1
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox import runner

    try:
        settings = runner.sandbox_settings(args.db)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    _database.append(settings.database_url)
    _logging(settings)
    return runner.run(args.db, args.host, args.port, keep=args.keep)


def cmd_db_upgrade(_: argparse.Namespace) -> int:
    settings = _settings()
    upgrade(settings.database_url)
    print(f"Database is up to date: {settings.database_url}")
    return 0


def _read(path: Path) -> OrgSpec | None:
    """The roster file, or None after saying why it is refused."""
    try:
        spec = read_org_file(path)
    except OrgFileError as exc:
        print("The roster file was refused; nothing was written:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None
    for warning in spec.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return spec


def _import(settings: Settings, path: Path, spec: OrgSpec | None = None) -> int:
    from bot.app import open_runtime

    spec = spec or _read(path)
    if spec is None:
        return 1

    async def run() -> str:
        runtime = open_runtime(settings)
        try:
            report = await runtime.services.roster.import_org(spec)
        finally:
            await runtime.close()
        return report.summary()

    print(asyncio.run(run()))
    return 0


def cmd_org_import(args: argparse.Namespace) -> int:
    settings = _settings()
    # The file first: a refused file leaves even a new database uncreated.
    spec = _read(Path(args.file))
    if spec is None:
        return 1
    upgrade(settings.database_url)
    return _import(settings, Path(args.file), spec)


def cmd_org_export(args: argparse.Namespace) -> int:
    settings = _settings()
    upgrade(settings.database_url)
    from bot.app import open_runtime

    async def run() -> str:
        runtime = open_runtime(settings)
        try:
            return dump_org(await runtime.services.roster.export_org())
        finally:
            await runtime.close()

    text = asyncio.run(run())
    if args.out:
        if (problem := _write(Path(args.out), text.encode("utf-8"))) is not None:
            print(problem, file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0


def _writable(path: Path) -> str | None:
    """Why `path` cannot be written, checked before the work (None: it can be tried)."""
    if not path.parent.is_dir():
        return f"cannot write {path}: the folder {path.parent} does not exist"
    if path.is_dir():
        return f"cannot write {path}: it is a folder"
    return None


def _write(path: Path, data: bytes) -> str | None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None


def cmd_report(args: argparse.Namespace) -> int:
    """The monthly workbook without Telegram."""
    from datetime import UTC, date, datetime

    from bot.domain.reportconfig import parse_month

    try:
        year, month_no = parse_month(args.month)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    settings = _settings()
    # As /baocao: a month that has not begun has no figures (its period would end before it
    # starts).
    if date(year, month_no, 1) > datetime.now(UTC).astimezone(settings.tz).date():
        print(f"the month {month_no:02d}/{year} has not started yet", file=sys.stderr)
        return 2
    from bot.services.reports import workbook_name

    out = Path(args.out or workbook_name(year, month_no))
    if (problem := _writable(out)) is not None:
        print(problem, file=sys.stderr)
        return 2
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
    if (problem := _write(out, data)) is not None:
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
    now = datetime.now(UTC)
    try:
        if args.week:
            year, week = parse_iso_week(args.week)
        else:
            year, week, _ = now.astimezone(settings.tz).isocalendar()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    chart_path = Path(args.chart) if args.chart else None
    if chart_path is not None and (problem := _writable(chart_path)) is not None:
        print(problem, file=sys.stderr)
        return 2
    upgrade(settings.database_url)
    from bot.app import open_runtime
    from bot.services.reports import iso_week_period, plain

    try:
        period, previous = iso_week_period(year, week, now, settings.tz)
    except ValueError as exc:
        print(exc, file=sys.stderr)
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
            print("(no tasks: no chart drawn)", file=sys.stderr)
        elif (problem := _write(chart_path, chart)) is not None:
            print(problem, file=sys.stderr)
            return 2
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="dondoc", description="Đôn Đốc: giao và đôn đốc nhiệm vụ")
    sub = top.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (polling Telegram)").set_defaults(func=cmd_run)
    box = sub.add_parser(
        "sandbox", help="try the bot without Telegram: a local web chat with a demo ward"
    )
    box.add_argument("--db", default="sqlite+aiosqlite:///data/sandbox.db", help="sandbox database")
    box.add_argument("--host", help="web address (default $DONDOC_SANDBOX_HOST or 127.0.0.1)")
    box.add_argument("--port", type=int, help="web port (default $DONDOC_SANDBOX_PORT or 8080)")
    box.add_argument("--keep", action="store_true", help="keep the tasks of the last run")
    box.set_defaults(func=cmd_sandbox)
    db = sub.add_parser("db", help="database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)
    org = sub.add_parser("org", help="the roster").add_subparsers(dest="org_command", required=True)
    imp = org.add_parser("import", help="import the roster from a YAML file")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_org_import)
    exp = org.add_parser("export", help="write the roster as YAML")
    exp.add_argument("--out", help="file to write (default: standard output)")
    exp.set_defaults(func=cmd_org_export)
    rep = sub.add_parser("report", help="write the monthly report (.xlsx)")
    rep.add_argument("--month", required=True, help="the month, like 2026-11")
    rep.add_argument("--out", help="file to write (default: bao-cao-nhiem-vu-YYYY-MM.xlsx)")
    rep.set_defaults(func=cmd_report)
    tal = sub.add_parser("tally", help="print a week's tally per lead unit")
    tal.add_argument("--week", help="the ISO week, like 2026-W47 (default: this week)")
    tal.add_argument("--chart", help="also draw the chart into this PNG file")
    tal.set_defaults(func=cmd_tally)
    return top


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        code = args.func(args)
    except Exception as exc:
        # A database that cannot be reached or written is the operator's to fix: one line. Any
        # other failure is a bug and keeps its traceback.
        from bot.db.problems import describe

        line = describe(exc, _database[-1]) if _database else None
        if line is None:
            raise
        print(line, file=sys.stderr)
        code = 1
    raise SystemExit(code)


if __name__ == "__main__":
    main()
