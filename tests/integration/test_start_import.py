"""`dondoc run` with DONDOC_ORG_FILE imports the roster on the runtime it then runs with."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import pytest
from support import ROSTER, TOKEN

import bot.__main__ as cli
from bot import app as composition
from bot import serve


def test_the_start_imports_the_roster_on_the_runtime_it_runs_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The start built a runtime and an engine for the import, closed them, then built the
    ones the bot ran with: one engine, one event loop and the roster's first read thrown away
    at every start."""
    roster = tmp_path / "roster.yaml"
    roster.write_text(ROSTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    for name in [k for k in os.environ if k.startswith(("TELEGRAM_", "DONDOC_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'dondoc.db'}")
    monkeypatch.setenv("DONDOC_ORG_FILE", str(roster))
    monkeypatch.setattr("handlers.transport.prepare", lambda: None)
    monkeypatch.setattr(cli, "_LOCK", None)
    opened: list[Any] = []
    real = composition.open_runtime

    def open_runtime(*args: Any, **kwargs: Any) -> Any:
        opened.append(real(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(composition, "open_runtime", open_runtime)
    people: list[str] = []

    async def serve_polling(app: Any) -> None:
        # What post_init does first, then a look at the roster the bot would serve.
        for step in getattr(app.bot_data, "on_start", []):
            await step()
        core = app.bot_data.services.core
        async with core.uow(read_only=True) as uow:
            people.extend(p.name for p in (await core.roster(uow)).by_telegram.values())
        await opened[-1].close()

    monkeypatch.setattr(serve, "serve_polling", serve_polling)
    try:
        assert cli.cmd_run(argparse.Namespace()) == 0
    finally:
        if cli._LOCK is not None:
            cli._LOCK.release()  # type: ignore[attr-defined]
    assert len(opened) == 1
    assert "Nguyễn Văn An" in people
    assert "thêm cán bộ: 7" in capsys.readouterr().out
