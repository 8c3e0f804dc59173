"""`dondoc sandbox`: the real bot, a local Telegram stand-in, a demo ward and a web chat.

Two listeners: the web chat on ``host:port`` (default 127.0.0.1:8080, the address people open)
and the Bot API stand-in on a free port of 127.0.0.1, which only the bot itself talks to. Both
serve one :class:`~bot.sandbox.state.FakeTelegram`. The chats live in memory, so by default each
start begins from a fresh sandbox database (``--keep`` keeps the tasks of the last run).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy.engine import make_url

from bot.clock import Clock, OffsetClock
from bot.config import Settings, SettingsError, load_settings
from bot.db.engine import is_sqlite
from bot.sandbox.demo import ADMIN, Demo, seed
from bot.sandbox.live import LiveBot
from bot.sandbox.state import FakeTelegram
from bot.sandbox.web import SandboxWeb

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
    ) -> Sandbox:
        """Start the bot against the stand-in, seed the demo ward, then serve the web chat
        (``port=0``: any free port; :attr:`url` tells which)."""
        clock = clock or OffsetClock()
        tg = FakeTelegram(token=TOKEN, clock=clock.now)
        # The due-scan runs on its own too, so reminders arrive without pressing ⏩.
        live = await LiveBot.start(settings, tg, clock=clock, schedule=True)
        try:
            demo = await seed(live)
            page = SandboxWeb(live, demo)
            runner = web.AppRunner(page.app, access_log=None, shutdown_timeout=2.0)
            await runner.setup()
            try:
                await web.TCPSite(runner, host, port).start()
            except BaseException:
                await runner.cleanup()
                raise
        except BaseException:
            await live.stop()
            raise
        bound = runner.addresses[0][1]
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
        if ":" in shown:
            shown = f"[{shown}]"
        return cls(live, demo, page, runner, f"http://{shown}:{bound}")

    async def stop(self) -> None:
        """Close the page's live streams and the web server, then the bot and the stand-in."""
        try:
            await self.runner.cleanup()
        finally:
            await self.live.stop()


def banner(url: str) -> str:
    lines = [f"Sandbox: {url}", "Mở địa chỉ này trong trình duyệt. Ctrl-C để dừng."]
    rule = "=" * (max(len(line) for line in lines) + 4)
    return "\n".join(["", rule, *(f"  {line}" for line in lines), rule, ""])


async def serve(settings: Settings, host: str, port: int) -> int:
    """Run until Ctrl-C (SIGINT) or SIGTERM; returns the exit code."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        sandbox = await Sandbox.start(settings, host, port)
    except OSError as exc:
        print(
            f"Không mở được {host}:{port} ({exc.strerror}). Chọn cổng khác: "
            "`dondoc sandbox --port 8081` hoặc DONDOC_SANDBOX_PORT=8081.",
            file=sys.stderr,
        )
        return 1
    # Last, after the start-up logging, and framed: the one line a newcomer needs.
    print(banner(sandbox.url), flush=True)
    try:
        await stop.wait()
    finally:
        print("Đang dừng sandbox…", flush=True)
        await sandbox.stop()
    return 0


def _configured() -> Settings:
    """DONDOC_SANDBOX_HOST / DONDOC_SANDBOX_PORT, from the environment or .env like the rest."""
    try:
        return load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None


def default_host() -> str:
    return _configured().sandbox_host


def default_port() -> int:
    return _configured().sandbox_port


def run(
    database_url: str = DEFAULT_DB,
    host: str | None = None,
    port: int | None = None,
    keep: bool = False,
) -> int:
    """Blocking entry point for the CLI."""
    settings = sandbox_settings(database_url)
    if not keep:
        reset_database(settings.database_url)
    host = default_host() if host is None else host
    port = default_port() if port is None else port
    return asyncio.run(serve(settings, host, port))
