"""The core (domain, services, db, calendar, text) never imports the Telegram side or the scheduler.

Reads the source with `ast`, so an import inside a function or under TYPE_CHECKING counts too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ("bot/domain", "bot/services", "bot/db", "bot/calendar", "bot/text", "bot/intake")
FORBIDDEN = (
    "telegram",
    "apscheduler",
    "handlers",
    "scheduler",
    "aiohttp",
    "bot.sandbox",
    "bot.app",
    "bot.__main__",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """Every module an import statement names, relative imports resolved, with its line."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield node.lineno, target
            # `from bot import app` imports bot.app.
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def is_forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    return sorted(
        {
            f"{module}:{line} imports {name}"
            for line, name in imported_modules(source, module, is_package)
            if is_forbidden(name)
        }
    )


def core_files() -> list[Path]:
    files = sorted(p for d in CORE for p in (ROOT / d).rglob("*.py"))
    return files


def test_the_core_is_where_we_look() -> None:
    files = core_files()
    names = {module_name(p) for p in files}
    for expected in (
        "bot.domain.rules",
        "bot.domain.orgfile",
        "bot.services.tasks",
        "bot.services.roster",
        "bot.db.repositories",
        "bot.db.migrations.env",
        "bot.calendar.workdays",
        "bot.text.catalog",
    ):
        assert expected in names
    assert len(files) >= 20


def test_the_core_imports_no_telegram_scheduler_or_entry_points() -> None:
    found = []
    for path in core_files():
        module = module_name(path)
        found += violations(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    assert found == []


# --- the checker itself catches what it must --------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import telegram\n",
        "import telegram.ext as tx\n",
        "from telegram import Update\n",
        "from telegram.constants import ParseMode\n",
        "import apscheduler.schedulers.asyncio\n",
        "from handlers.tasks import register\n",
        "import scheduler\n",
        "from scheduler import jobs\n",
        "import aiohttp\n",
        "from bot.sandbox import FakeTelegram\n",
        "from bot import sandbox\n",
        "from bot import app\n",
        "from bot.app import open_runtime\n",
        "from .. import app\n",
        "from ..sandbox.live import LiveBot\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from telegram import Bot\n",
        "def f():\n    import telegram\n",
        "import importlib\nimportlib.import_module('handlers.tasks')\n",
        "import os, aiohttp\n",
    ],
)
def test_checker_catches_forbidden_imports(source: str) -> None:
    assert violations(source, "bot.services.example") != []


@pytest.mark.parametrize(
    "source",
    [
        "import bot.domain.model\n",
        "from bot.domain.model import Task\n",
        "from . import common\n",
        "from .common import Core\n",
        "from ..db.uow import UnitOfWork\n",
        "import calendar as _stdcal\n",
        "from bot.calendar import WorkCalendar\n",
        "import sqlalchemy\n",
        "import telegramish\n",  # a different package whose name merely starts the same
        "from bot.application_notes import x\n",
    ],
)
def test_checker_allows_core_imports(source: str) -> None:
    assert violations(source, "bot.services.example") == []


def test_relative_imports_are_resolved() -> None:
    found = violations("from ..sandbox import x\n", "bot.services.example")
    assert found == [
        "bot.services.example:1 imports bot.sandbox",
        "bot.services.example:1 imports bot.sandbox.x",
    ]
    in_package = violations("from .. import app\n", "bot.services", is_package=True)
    assert in_package == ["bot.services:1 imports bot.app"]
