"""`dondoc sandbox`: the real bot, a local Telegram stand-in, a demo ward and a web chat.

Two listeners: the web chat on ``host:port`` (default 127.0.0.1:8080, the address people open)
and the Bot API stand-in on a free port of 127.0.0.1, which only the bot itself talks to. Both
serve one :class:`~bot.sandbox.state.FakeTelegram`. The chats live in memory, so by default each
start begins from a fresh sandbox database (``--keep`` keeps the tasks of the last run).

A start never destroys a running sandbox's data: the port is taken first (a busy port stops the
start before the database is touched), and a SQLite sandbox database is held with an exclusive
lock next to it (``sandbox.db.lock``) for the life of the process, so a second sandbox never
deletes it.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from aiohttp import web
from sqlalchemy.engine import make_url

from bot import loop as event_loop
from bot.clock import Clock, OffsetClock
from bot.config import Settings, SettingsError, configured_language, load_settings
from bot.db.engine import is_sqlite
from bot.sandbox.demo import ADMIN, Demo, seed
from bot.sandbox.live import LiveBot
from bot.sandbox.state import FakeTelegram
from bot.sandbox.web import SandboxWeb
from bot.text.catalog import t

DEFAULT_DB = "sqlite+aiosqlite:///data/sandbox.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
TOKEN = "123456:SANDBOX-TOKEN"


def sandbox_settings(database_url: str, **extra: Any) -> Settings:
    """The bot's settings in the sandbox: `.env` as usual (time zone, office hours, language),
    with the sandbox's token, database and administrator."""
    overrides: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "DATABASE_URL": database_url,
        "DONDOC_ADMINS": str(ADMIN),
        "DONDOC_ORG_FILE": "",
    }
    return load_settings(**(overrides | extra))


def reset_database(database_url: str) -> None:
    """Delete a SQLite sandbox database (and its WAL files); other databases are left alone."""
    if not is_sqlite(database_url):
        return
    database = make_url(database_url).database
    if not database or database == ":memory:":
        return
    for suffix in ("", "-wal", "-shm"):
        Path(database + suffix).unlink(missing_ok=True)


def database_file(database_url: str) -> Path | None:
    """The file of a SQLite database (None for other databases and in-memory SQLite)."""
    if not is_sqlite(database_url):
        return None
    database = make_url(database_url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


class DatabaseLock:
    """An exclusive lock on ``<database>.lock``, held while the sandbox runs: a second sandbox sees
    the database is in use and leaves it alone. The lock file also names the running sandbox's
    address, for the second one to point at. The kernel drops the lock when the process ends,
    however it ends, so a crash never leaves the database locked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    @classmethod
    def of(cls, database_url: str) -> DatabaseLock | None:
        database = database_file(database_url)
        return None if database is None else cls(database.with_name(database.name + ".lock"))

    def acquire(self) -> bool:
        """Take the lock (True), or find another process holding it (False)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def holder(self) -> str:
        """The address the process holding the lock wrote ('' if none yet)."""
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def announce(self, url: str) -> None:
        assert self._file is not None, "announce() needs the lock"
        self._file.seek(0)
        self._file.truncate()
        self._file.write(url + "\n")
        self._file.flush()

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the flock
            self._file = None


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, taken before anything else is done (OSError if not)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        # As asyncio's own servers do on POSIX: a port the last run left in TIME_WAIT is free,
        # while a port some process listens on stays busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def free_port(host: str, after: int) -> int:
    """The first port after ``after`` that can be listened on now (for the advice)."""
    for candidate in range(after + 1, min(after + 100, 65535) + 1):
        try:
            listen(host, candidate).close()
        except OSError:
            continue
        return candidate
    return after + 1


def display_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


@dataclass
class Sandbox:
    live: LiveBot
    demo: Demo
    page: SandboxWeb
    runner: web.AppRunner
    url: str

    @classmethod
    async def start(
        cls,
        settings: Settings,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        clock: Clock | None = None,
        sock: socket.socket | None = None,
    ) -> Sandbox:
        """Start the bot against the stand-in, seed the demo ward, then serve the web chat
        (``port=0``: any free port; :attr:`url` tells which). ``sock``: a socket already
        listening, served instead of ``host:port``."""
        clock = clock or OffsetClock()
        tg = FakeTelegram(token=TOKEN, clock=clock.now)
        # The due-scan runs on its own too, so reminders arrive without pressing ⏩.
        live = await LiveBot.start(settings, tg, clock=clock, schedule=True)
        try:
            demo = await seed(live)
            page = SandboxWeb(live, demo)
            runner = web.AppRunner(page.app, access_log=None, shutdown_timeout=2.0)
            await runner.setup()
            site: web.BaseSite = (
                web.TCPSite(runner, host, port) if sock is None else web.SockSite(runner, sock)
            )
            try:
                await site.start()
            except BaseException:
                await runner.cleanup()
                raise
        except BaseException:
            await live.stop()
            raise
        bound = runner.addresses[0][1]
        return cls(live, demo, page, runner, display_url(host, bound))

    async def stop(self) -> None:
        """Close the page's live streams and the web server, then the bot and the stand-in."""
        try:
            await self.runner.cleanup()
        finally:
            await self.live.stop()


def banner(url: str, lang: str = "vi") -> str:
    lines = [f"Sandbox: {url}", t("cli.sandbox.banner", lang)]
    rule = "=" * (max(len(line) for line in lines) + 4)
    return "\n".join(["", rule, *(f"  {line}" for line in lines), rule, ""])


async def serve(
    settings: Settings, host: str, sock: socket.socket, lock: DatabaseLock | None = None
) -> int:
    """Run until Ctrl-C (SIGINT) or SIGTERM; returns the exit code."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    sandbox = await Sandbox.start(settings, host, sock=sock)
    if lock is not None:
        lock.announce(sandbox.url)
    # Last, after the start-up logging, and framed: the one line a newcomer needs.
    print(banner(sandbox.url, settings.language), flush=True)
    try:
        await stop.wait()
    finally:
        print(t("cli.sandbox.stopping", settings.language), flush=True)
        await sandbox.stop()
    return 0


def _advice(command: str, port: int, lang: str) -> str:
    """A command that starts a sandbox on ``port``, in the form the person used."""
    make = f"make {'run' if command == 'run' else 'sandbox'} PORT={port}"
    return t("cli.sandbox.command", lang, make=make, port=port)


def _holder(lock: DatabaseLock, lang: str) -> str:
    url = lock.holder()
    return t("cli.sandbox.holder", lang, url=url) if url else t("cli.sandbox.holder.unknown", lang)


def run(
    database_url: str | None = None,
    host: str | None = None,
    port: int | None = None,
    keep: bool = False,
    command: str = "sandbox",
) -> int:
    """Blocking entry point for the CLI (``command``: "run" or "sandbox", for the advice).

    ``database_url`` None means the default, data/sandbox.db; while another sandbox holds that
    one, this sandbox takes data/sandbox-<port>.db instead, so `make run PORT=8081` works beside
    a running `make run`."""
    try:
        settings = sandbox_settings(database_url or DEFAULT_DB)
    except SettingsError as exc:
        print(exc.line(configured_language()), file=sys.stderr)
        return 2
    lang = settings.language
    host = settings.sandbox_host if host is None else host
    port = settings.sandbox_port if port is None else port
    lock = DatabaseLock.of(settings.database_url)
    # The port first: a start that cannot serve must not touch any database.
    try:
        sock = listen(host, port)
    except OSError as exc:
        advice = _advice(command, free_port(host, port), lang)
        if exc.errno == errno.EADDRINUSE:
            url = lock.holder() if lock is not None else ""
            running = url if url and url.endswith(f":{port}") else ""
            by = (
                t("cli.sandbox.port_taken.by_sandbox", lang, url=running)
                if running
                else t("cli.sandbox.port_taken.by_other", lang)
            )
            message = t("cli.sandbox.port_taken", lang, host=host, port=port, by=by, command=advice)
        else:
            reason = exc.strerror or str(exc)
            message = t(
                "cli.sandbox.cannot_listen", lang, host=host, port=port, reason=reason,
                command=advice,
            )  # fmt: skip
        print(message, file=sys.stderr)
        return 1
    try:
        if lock is not None and not lock.acquire():
            taken = database_file(settings.database_url)
            if database_url is not None:  # asked for by name: never another one instead
                print(t("cli.sandbox.db_in_use", lang, db=taken, holder=_holder(lock, lang)),
                      file=sys.stderr)  # fmt: skip
                return 1
            bound = sock.getsockname()[1]
            own = f"sqlite+aiosqlite:///data/sandbox-{bound}.db"
            print(t("cli.sandbox.own_db", lang, db=taken, holder=_holder(lock, lang),
                    own=database_file(own)), file=sys.stderr)  # fmt: skip
            settings = sandbox_settings(own)
            lock = DatabaseLock.of(own)
            assert lock is not None
            if not lock.acquire():
                print(t("cli.sandbox.db_in_use", lang, db=database_file(own),
                        holder=_holder(lock, lang)), file=sys.stderr)  # fmt: skip
                return 1
        if not keep:
            reset_database(settings.database_url)
        return event_loop.run(serve(settings, host, sock, lock), settings.event_loop)
    finally:
        sock.close()
        if lock is not None:
            lock.release()
