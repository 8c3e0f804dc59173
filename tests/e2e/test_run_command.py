"""`dondoc run` as an office would start it, pointed at the Bot API stand-in instead of Telegram."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from asyncio.subprocess import Process
from pathlib import Path

import pytest
from support import ROSTER, TOKEN

from bot.sandbox import BotApiServer, FakeTelegram

CHAIRMAN = 900001
# `dondoc run` runs on the system clock.
pytestmark = pytest.mark.time_sensitive


async def _read_until(stream: asyncio.StreamReader, needle: str, timeout: float) -> str:
    seen = ""
    async with asyncio.timeout(timeout):
        while needle not in seen:
            line = await stream.readline()
            if not line:
                break
            seen += line.decode()
    return seen


async def test_run_polls_the_api_and_answers(tmp_path: Path) -> None:
    tg = FakeTelegram(token=TOKEN)
    tg.add_user(CHAIRMAN, "An", "Nguyễn Văn")
    server = BotApiServer(tg)
    url = await server.start()
    roster = tmp_path / "roster.yaml"
    roster.write_text(ROSTER, encoding="utf-8")
    process = await _start(
        tmp_path,
        TOKEN,
        url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'dondoc.db'}",
        DONDOC_ORG_FILE=str(roster),
    )
    try:
        assert process.stdout is not None
        log = await _read_until(process.stdout, "Bot @dondoc_bot đang chạy", timeout=60)
        assert "Bot @dondoc_bot đang chạy" in log, log
        assert "thêm cán bộ: 7" in log  # the roster file was imported on start
        assert "event loop: uvloop" in log  # DONDOC_EVENT_LOOP=auto, uvloop installed
        tg.send_message(CHAIRMAN, CHAIRMAN, "/start")
        reply = await tg.wait_for_bot_message(CHAIRMAN, timeout=10)
        assert "Xin chào Nguyễn Văn An" in reply["text"]
        # What a start asks Telegram before its first poll (issue 13: each is a round trip):
        # the bot's identity once, the menu in both languages, polling mode, then the updates.
        first_poll = next(i for i, (method, _) in enumerate(tg.calls) if method == "getUpdates")
        before = sorted(method for method, _ in tg.calls[:first_poll])
        assert before == ["deleteWebhook", "getMe", "setMyCommands", "setMyCommands"]
        assert {c.get("language_code") for c in tg.calls_to("setMyCommands")} == {None, "en"}
    finally:
        process.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(process.wait(), timeout=30)
        await server.stop()
    assert code == 0
    assert (tmp_path / "data" / "dondoc.db").exists()


async def _start(tmp_path: Path, token: str, url: str, **settings: str) -> Process:
    """`python -m bot run` as an office starts it, with only these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DONDOC_"))} | {
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'dondoc.db'}",
        **settings,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def _run_once(tmp_path: Path, token: str, url: str, **settings: str) -> tuple[int, str]:
    process = await _start(tmp_path, token, url, **settings)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return await process.wait(), out.decode()


async def test_a_refused_token_or_an_unreachable_api_is_one_clear_line(tmp_path: Path) -> None:
    server = BotApiServer(FakeTelegram(token=TOKEN))
    url = await server.start()
    try:
        code, out = await _run_once(tmp_path, "123:not-the-token", url)
    finally:
        await server.stop()
    assert code == 1
    assert "từ chối TELEGRAM_BOT_TOKEN" in out and "Traceback" not in out, out
    # Nothing listens on the stopped server's port any more.
    code, out = await _run_once(tmp_path, TOKEN, url, DONDOC_LANGUAGE="en")
    assert code == 1
    assert f"Cannot reach the Telegram Bot API at {url}" in out and "Traceback" not in out, out
