"""The long-running processes' event loop (bot/loop.py, DONDOC_EVENT_LOOP)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot import loop
from bot.config import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DONDOC_EVENT_LOOP", raising=False)
    monkeypatch.chdir(tmp_path)


async def _kind() -> str:
    return type(asyncio.get_running_loop()).__module__.split(".")[0]


def test_auto_is_uvloop_where_it_is_installed() -> None:
    """uvloop is a dependency on Linux and macOS (pyproject.toml): installed here."""
    assert loop.available()
    assert load_settings(_env_file=None).event_loop == "auto"
    assert loop.chosen("auto") == "uvloop"
    assert loop.run(_kind(), "auto") == "uvloop"
    assert loop.run(_kind(), "uvloop") == "uvloop"


def test_asyncio_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_EVENT_LOOP", "ASYNCIO")
    setting = load_settings(_env_file=None).event_loop
    assert setting == "asyncio"
    assert loop.chosen(setting) == "asyncio"
    assert loop.run(_kind(), setting) == "asyncio"


def test_auto_without_uvloop_is_asyncios_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loop, "available", lambda: False)
    assert loop.chosen("auto") == "asyncio"
    assert loop.run(_kind(), "auto") == "asyncio"


def test_uvloop_asked_for_where_it_is_missing_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loop, "available", lambda: False)
    monkeypatch.setenv("DONDOC_EVENT_LOOP", "uvloop")
    with pytest.raises(SettingsError) as caught:
        load_settings(_env_file=None)
    assert caught.value.line("vi") == (
        "Cấu hình sai DONDOC_EVENT_LOOP: uvloop chưa được cài trên máy này (pip install uvloop),"
        " hoặc để auto"
    )


def test_the_loop_is_left_as_it_was() -> None:
    """A run leaves no loop policy or current loop behind: the tests and the short commands
    that follow keep asyncio's own."""
    policy = asyncio.get_event_loop_policy()
    loop.run(_kind(), "uvloop")
    assert asyncio.get_event_loop_policy() is policy
    assert type(policy).__module__.startswith("asyncio")
