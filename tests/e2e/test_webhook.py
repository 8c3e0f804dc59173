"""`dondoc run` in webhook mode as a real process: the stand-in POSTs updates to it with the secret
it set; a request without the secret, or with a wrong one, gets 403 and is not handled;
/healthz and /metrics answer on the same server, and on DONDOC_HEALTH_PORT in polling mode."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
from support import TOKEN, make_settings

from bot.app import build_application, open_runtime
from bot.sandbox import BotApiServer, FakeTelegram
from bot.sandbox.processes import Runs, free_port
from handlers.web import WebServer

CHAIRMAN = 900001
STRANGER = 900099
SECRET = "s3cret-Token_for-tests-0123456789"


def forged_start(update_id: int, user: int) -> dict[str, object]:
    person = {"id": user, "is_bot": False, "first_name": "Giả"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_780_000_000,
            "chat": {"id": user, "type": "private", "first_name": "Giả"},
            "from": person,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_mode_handles_start_and_refuses_a_post_without_the_secret(
    tmp_path: Path, database_url: str
) -> None:
    tg = FakeTelegram(token=TOKEN)
    tg.add_user(CHAIRMAN, "An", "Nguyễn Văn")
    tg.add_user(STRANGER, "Giả")
    server = BotApiServer(tg)
    runs = Runs(tmp_path, await server.start(), database_url)
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram"
    try:
        run = await runs.start(
            DONDOC_WEBHOOK_URL=hook,
            DONDOC_WEBHOOK_SECRET=SECRET,
            DONDOC_WEBHOOK_PORT=str(port),
            DONDOC_LANGUAGE="en",
        )
        assert "webhook: " in await run.wait_for("webhook: "), run.output()
        assert tg.webhook_url == hook and tg.webhook_secret == SECRET
        # An update from Telegram (the stand-in, with the secret) is handled.
        tg.send_message(CHAIRMAN, CHAIRMAN, "/start")
        assert await tg.wait_for_bot_message(CHAIRMAN, timeout=20)
        for _ in range(100):  # the 200 comes once the update is handled, after the reply
            if tg.webhook_posts:
                break
            await asyncio.sleep(0.05)
        assert tg.webhook_posts and all(status == 200 for _, status in tg.webhook_posts)
        assert not tg.calls_to("getUpdates")  # webhook mode never polls

        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong-secret-0123456789"}):
                async with http.post(
                    hook, json=forged_start(10_000, STRANGER), headers=headers
                ) as r:
                    assert r.status == 403
            # Telegram's 200 means "handled": the reply is out before the answer comes back,
            # so a crash before the 200 leaves the update with Telegram, which sends it again.
            before = len(tg.bot_messages(CHAIRMAN))
            async with http.post(
                hook,
                json=forged_start(10_001, CHAIRMAN),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            ) as r:
                assert r.status == 200
            assert len(tg.bot_messages(CHAIRMAN)) > before
            async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                assert r.status == 200
                health = json.loads(await r.text())
            async with http.get(f"http://127.0.0.1:{port}/metrics") as r:
                assert r.status == 200
                exposition = await r.text()
        await asyncio.sleep(0.5)
        # The forged updates were not handled: nothing was said to the stranger.
        assert not [c for c in tg.calls_to("sendMessage") if c.get("chat_id") == STRANGER]
        assert health["database"] == "ok" and health["leader"] is True
        assert health["outbox_backlog"] == 0
        assert isinstance(health["last_update_age_seconds"], float)
        handled = _sample(exposition, "dondoc_updates_total")
        assert handled >= 1
        assert _sample(exposition, "dondoc_update_handler_seconds_count") == handled
        assert _sample(exposition, "dondoc_leader") == 1
        assert "dondoc_messages_sent_total" in exposition
        assert "dondoc_scan_seconds_bucket" in exposition
        assert await run.stop() == 0
    finally:
        await runs.close()
        await server.stop()
    out = run.output()
    assert "Traceback" not in out, out


def _sample(exposition: str, name: str) -> float:
    for line in exposition.splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics:\n{exposition}")


async def test_polling_mode_serves_health_on_its_port(tmp_path: Path) -> None:
    tg = FakeTelegram(token=TOKEN)
    tg.add_user(CHAIRMAN, "An", "Nguyễn Văn")
    server = BotApiServer(tg)
    runs = Runs(tmp_path, await server.start(), f"sqlite+aiosqlite:///{tmp_path / 'dondoc.db'}")
    port = free_port()
    try:
        run = await runs.start(DONDOC_HEALTH_PORT=str(port))
        assert "health: " in await run.wait_for("health: "), run.output()
        tg.send_message(CHAIRMAN, CHAIRMAN, "/start")
        assert await tg.wait_for_bot_message(CHAIRMAN, timeout=20)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                status, health = r.status, json.loads(await r.text())
            async with http.get(f"http://127.0.0.1:{port}/metrics") as r:
                exposition = await r.text()
            # Only the health server listens there: no webhook route in polling mode.
            async with http.post(f"http://127.0.0.1:{port}/", json={}) as r:
                assert r.status in (404, 405)
        assert await run.stop() == 0
    finally:
        await runs.close()
        await server.stop()
    assert status == 200 and health["database"] == "ok" and health["leader"] is True, health
    assert _sample(exposition, "dondoc_updates_total") >= 1
    assert "Traceback" not in run.output()


async def test_healthz_is_503_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    """A PostgreSQL address where nothing listens: /healthz says so, with 503."""
    nowhere = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/dondoc"
    runtime = open_runtime(make_settings(nowhere))
    app = build_application(runtime, TOKEN, "http://127.0.0.1:9", schedule=False)
    web = WebServer(app, "127.0.0.1", 0)
    port = await web.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                status, body = r.status, json.loads(await r.text())
            async with http.get(f"http://127.0.0.1:{port}/metrics") as r:
                assert r.status == 200
    finally:
        await web.stop()
        await runtime.close()
    assert status == 503
    assert body == {
        "database": "unreachable",
        "last_update_age_seconds": None,
        "outbox_backlog": None,
        "leader": True,
    }
