"""`dondoc run` asks for its first updates before it loads aiohttp (issue 13: importing aiohttp's
client was ~130 ms of a 0.57 s start): the start's calls go over PTB's httpx, and once the first
getUpdates is on its way the calls move to aiohttp (handlers/transport.py). In a real process,
counting the aiohttp modules loaded at each call."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

import pytest
from support import TOKEN

from bot.sandbox import BotApiServer, FakeTelegram

CHAIRMAN = 900001
pytestmark = pytest.mark.time_sensitive  # `dondoc run` runs on the system clock

# `dondoc run`, each Bot API call logged with its transport and the aiohttp modules then loaded.
CHILD = """
import sys
from telegram.request import HTTPXRequest
from handlers import transport

def logged(cls, name):
    inner = cls.do_request
    async def do_request(self, url, *args, **kwargs):
        loaded = sum(1 for m in list(sys.modules) if m.partition(".")[0] == "aiohttp")
        print(f"call {name} {url.rsplit('/', 1)[1]} aiohttp={loaded}", flush=True)
        return await inner(self, url, *args, **kwargs)
    cls.do_request = do_request

def moved(inner):
    async def switch(self):
        await inner(self)
        print("moved", flush=True)
    return switch

logged(HTTPXRequest, "httpx")
logged(transport.AiohttpRequest, "aiohttp")
if hasattr(transport, "SwitchingRequest"):
    transport.SwitchingRequest.switch = moved(transport.SwitchingRequest.switch)
from bot.__main__ import main
main(["run"])
"""
CALL = re.compile(r"^call (\w+) (\w+) aiohttp=(\d+)$", re.MULTILINE)


async def test_the_first_poll_goes_out_before_aiohttp_is_loaded_and_the_rest_over_it(
    tmp_path: Path,
) -> None:
    tg = FakeTelegram(token=TOKEN)
    tg.add_user(CHAIRMAN, "An", "Nguyễn Văn")
    server = BotApiServer(tg)
    url = await server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DONDOC_"))} | {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'dondoc.db'}",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, cwd=tmp_path, env=env, stdout=out, stderr=out
        )

    async def logged(needle: str, times: int = 1) -> str:
        async with asyncio.timeout(60):
            while (text := log.read_text(encoding="utf-8")).count(needle) < times:
                assert process.returncode is None, text
                await asyncio.sleep(0.05)
        return text

    try:
        start = CALL.findall(await logged(" getUpdates "))
        # What a start asks before it polls, all over httpx with nothing of aiohttp loaded, up
        # to and including the first getUpdates.
        assert [method for _, method, _ in start][-1] == "getUpdates", start
        assert sorted(method for _, method, _ in start[:-1]) == [
            "deleteWebhook",
            "getMe",
            "setMyCommands",
            "setMyCommands",
        ], start
        assert {(kind, int(loaded)) for kind, _, loaded in start} == {("httpx", 0)}, start
        # Both requests (the bot's calls, its getUpdates) move to aiohttp meanwhile: the answer
        # to /start and the polls after it go over aiohttp.
        await logged("moved", times=2)
        tg.send_message(CHAIRMAN, CHAIRMAN, "/start")
        assert await tg.wait_for_bot_message(CHAIRMAN, timeout=20)
        calls = CALL.findall(await logged("call aiohttp getUpdates"))
        assert ("aiohttp", "sendMessage") in {(kind, method) for kind, method, _ in calls}, calls
    finally:
        process.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(process.wait(), timeout=30)
        await server.stop()
    assert code == 0
    assert "Traceback" not in log.read_text(encoding="utf-8")
