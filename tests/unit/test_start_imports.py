"""What `dondoc run` loads before it polls: only what a start needs. A report's, a web
server's, a migration's or an intake's libraries are loaded when first used (issue 13: cold
start under 2x a bare bot)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What cmd_run imports on its way to polling (bot/__main__.py).
START = """
import json, sys
import bot.__main__
from bot.app import build_application, open_runtime
from bot.config import load_settings
from bot.db.engine import is_sqlite
from bot.db.instance import InstanceLock
from bot.db.migrate import upgrade
from bot.domain.orgfile import read_org_file
from bot.clock import StartedClock
from bot.serve import serve_polling, serve_webhook, with_health_server
from scheduler import jobs
print(json.dumps(sorted(sys.modules)))
"""
DEFERRED = (
    "alembic",  # only when the schema is not at head (bot.db.migrate.at_head)
    # aiohttp's client carries the Bot API requests once polling has begun (handlers/transport.py:
    # the start's calls go over httpx); its web server only with DONDOC_HEALTH_PORT or a webhook.
    "aiohttp",
    "openpyxl",  # the monthly workbook
    "matplotlib",  # the weekly chart
    "docx",  # intake: a .docx
    "pypdf",  # intake: a PDF
    "holidays",  # at the first working-day count (bot.calendar.workdays)
    "sqlalchemy.dialects.postgresql",  # on PostgreSQL only (bot.db.repositories._insert_for)
    "prometheus_client",  # at the first scrape of /metrics (handlers.metrics.registry)
    # bot/config.py reads the settings itself: pydantic's import and model build were ~10%
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
)


def test_a_start_loads_none_of_what_only_some_updates_need() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PTB_TIMEDELTA="true")
    out = subprocess.run(
        [sys.executable, "-c", START], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout))
    assert "bot.app" in loaded and "telegram.ext" in loaded  # the check itself works
    early = sorted(m for m in loaded if any(m == d or m.startswith(d + ".") for d in DEFERRED))
    assert not early, early


# Where the readers of deadlines, recurrences and documents keep their few hundred patterns:
# compiled at import they were ~5% of a start; bot.patterns.lazy compiles each at first use.
LAZY_PATTERNS = ("bot.calendar", "bot.intake", "bot.text")


def test_a_start_compiles_no_reader_pattern_at_import() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PTB_TIMEDELTA="true")
    out = subprocess.run(
        [sys.executable, "-c", START], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    loaded = [m for m in json.loads(out.stdout) if m.startswith(LAZY_PATTERNS)]
    assert "bot.calendar.deadline" in loaded and "bot.intake.reading" in loaded
    eager = []
    for module in loaded:
        path = ROOT / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = ROOT / module.replace(".", "/") / "__init__.py"
        for statement in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue  # compiled when called
            for node in ast.walk(statement):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "compile"
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "re"
                ):
                    eager.append(f"{module}:{node.lineno}")
    assert not eager, eager


def test_the_tables_annotations_are_objects_not_strings() -> None:
    # Strings would be cleaned up and evaluated by SQLAlchemy one column at a time at every
    # start (bot/db/tables.py says why it has no `from __future__ import annotations`).
    from bot.db import tables

    strings = [
        f"{row.__name__}.{name}"
        for row in tables.Base.__subclasses__()
        for name, annotation in vars(row).get("__annotations__", {}).items()
        if isinstance(annotation, str)
    ]
    assert tables.Base.__subclasses__() and not strings, strings
