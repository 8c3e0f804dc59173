"""A second sandbox started beside a running one never destroys the running one's data.

Real processes, as people start them (`dondoc run` without a token, `dondoc sandbox`), in one
working directory: the first serves a task, the second is started against it in every way a
newcomer would, and the first's task must still be there, on disk and in its answers.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.sandbox.demo import CHAIRMAN, LEADERSHIP_CHAT, demo

# `dondoc` processes run on the real clock.
pytestmark = pytest.mark.time_sensitive

ROOT = Path(__file__).resolve().parents[2]
KTHT_CHAT = next(u.chat for u in demo().spec.units if u.code == "KTHT")
BANNER = re.compile(r"^  Sandbox: (http://127\.0\.0\.1:(\d+))$", re.M)


def _env(**extra: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DONDOC_", "DATABASE_URL"))
    }
    return clean | {"PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)} | extra


class Running:
    def __init__(self, process: asyncio.subprocess.Process, url: str, port: int) -> None:
        self.process = process
        self.url = url
        self.port = port


async def _dondoc(cwd: Path, *args: str, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=_env(**env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip


async def _until_banner(process: asyncio.subprocess.Process) -> tuple[str, str, int]:
    assert process.stdout is not None
    seen = ""
    async with asyncio.timeout(60):
        while (found := BANNER.search(seen)) is None:
            line = await process.stdout.readline()
            if not line:
                raise AssertionError(f"the sandbox ended before serving:\n{seen}")
            seen += line.decode()
    return seen, found.group(1), int(found.group(2))


async def _stop(process: asyncio.subprocess.Process) -> int:
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
        try:
            return await asyncio.wait_for(process.wait(), timeout=30)
        except TimeoutError:
            process.kill()
    return await process.wait()


@pytest.fixture
async def first(tmp_path: Path) -> AsyncIterator[Running]:
    """`make run` without a token: the sandbox on data/sandbox.db, with one task assigned."""
    process = await _dondoc(tmp_path, "run", DONDOC_SANDBOX_PORT="0")
    try:
        _, url, port = await _until_banner(process)
        running = Running(process, url, port)
        await _say(url, LEADERSHIP_CHAT, CHAIRMAN, "/giao KTHT Kiểm tra vỉa hè hạn thường xuyên")
        await _wait_for_text(url, KTHT_CHAT, "Nhiệm vụ NV-0001")
        yield running
    finally:
        await _stop(process)


async def _say(url: str, chat_id: int, user_id: int, text: str) -> None:
    async with aiohttp.ClientSession(base_url=url) as http:
        form = {"chat_id": str(chat_id), "user_id": str(user_id), "text": text}
        async with http.post("/api/send", data=form) as response:
            assert response.status == 200, await response.text()


async def _texts(url: str, chat_id: int) -> list[str]:
    """What the bot has said in the chat."""
    async with aiohttp.ClientSession(base_url=url) as http, http.get("/api/state") as response:
        body: dict[str, Any] = await response.json()
    chat = next(c for c in body["chats"] if c["id"] == chat_id)
    return [m.get("text") or "" for m in chat["messages"] if m["from"]["is_bot"]]


async def _wait_for_text(url: str, chat_id: int, needle: str, after: int = 0) -> str:
    async with asyncio.timeout(30):
        while True:
            for text in (await _texts(url, chat_id))[after:]:
                if needle in text:
                    return text
            await asyncio.sleep(0.1)


def _codes_on_disk(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return [code for (code,) in db.execute("SELECT code FROM tasks ORDER BY code")]


async def _still_has_its_task(tmp_path: Path, first: Running) -> None:
    assert first.process.returncode is None, "the first sandbox stopped"
    assert _codes_on_disk(tmp_path / "data" / "sandbox.db") == ["NV-0001"]
    # And the running bot still answers from it (a new connection reads the file as it is now).
    seen = len(await _texts(first.url, LEADERSHIP_CHAT))
    await _say(first.url, LEADERSHIP_CHAT, CHAIRMAN, "/nv NV-0001")
    answer = await _wait_for_text(first.url, LEADERSHIP_CHAT, "NV-0001", after=seen)
    assert "Kiểm tra vỉa hè" in answer


async def test_a_second_make_run_on_the_same_port_says_so_and_deletes_nothing(
    tmp_path: Path, first: Running
) -> None:
    second = await _dondoc(tmp_path, "run", DONDOC_SANDBOX_PORT=str(first.port))
    output, _ = await asyncio.wait_for(second.communicate(), timeout=60)
    text = output.decode()
    assert second.returncode == 1, text
    assert (
        f"Cổng {first.port} (127.0.0.1) đang được dùng bởi sandbox đang chạy tại {first.url}"
        " (mở địa chỉ đó để dùng tiếp). Sandbox này không khởi động, không có dữ liệu nào bị xóa."
    ) in text
    advice = re.search(r"Chạy thêm một sandbox trên cổng khác: make run PORT=(\d+) ", text)
    assert advice is not None, text
    assert "Traceback" not in text
    await _still_has_its_task(tmp_path, first)

    # The advice works as printed: `make run PORT=…` sets DONDOC_SANDBOX_PORT for `dondoc run`.
    dry = subprocess.run(
        ["make", "-n", "run", f"PORT={advice.group(1)}"],
        cwd=ROOT, capture_output=True, text=True, check=True, env=_env(),
    )  # fmt: skip
    assert f"DONDOC_SANDBOX_PORT={advice.group(1)} .venv/bin/dondoc run" in dry.stdout
    third = await _dondoc(tmp_path, "run", DONDOC_SANDBOX_PORT=advice.group(1))
    try:
        log, url, port = await _until_banner(third)
        assert port == int(advice.group(1))
        # Its own database beside the first one's, which it leaves alone.
        assert f"data/sandbox.db đang được sandbox tại {first.url} dùng" in log
        assert f"sandbox này dùng data/sandbox-{port}.db" in log
        await _say(url, LEADERSHIP_CHAT, CHAIRMAN, "/viec")
        await _wait_for_text(url, LEADERSHIP_CHAT, "Không có nhiệm vụ nào đang mở")
        await _still_has_its_task(tmp_path, first)
    finally:
        assert await _stop(third) == 0
    assert _codes_on_disk(tmp_path / "data" / f"sandbox-{port}.db") == []


async def test_a_second_sandbox_named_on_the_same_database_is_refused(
    tmp_path: Path, first: Running
) -> None:
    second = await _dondoc(
        tmp_path, "sandbox", "--port", "0", "--db", "sqlite+aiosqlite:///data/sandbox.db",
        DONDOC_LANGUAGE="en",
    )  # fmt: skip
    output, _ = await asyncio.wait_for(second.communicate(), timeout=60)
    text = output.decode()
    assert second.returncode == 1, text
    assert (
        f"The database data/sandbox.db is in use by the sandbox at {first.url}, so it was left"
        " alone; this sandbox did not start."
    ) in text
    assert "Traceback" not in text
    await _still_has_its_task(tmp_path, first)


async def test_once_the_first_has_stopped_its_database_is_free_again(
    tmp_path: Path, first: Running
) -> None:
    assert await _stop(first.process) == 0
    # `--keep` after the first stopped: the same database, its task kept, no other file made.
    third = await _dondoc(tmp_path, "sandbox", "--port", "0", "--keep")
    try:
        log, url, _ = await _until_banner(third)
        assert "đang được" not in log
        await _say(url, LEADERSHIP_CHAT, CHAIRMAN, "/viec")
        assert "NV-0001" in await _wait_for_text(url, LEADERSHIP_CHAT, "NV-0001")
    finally:
        assert await _stop(third) == 0
    assert sorted(p.name for p in (tmp_path / "data").glob("sandbox*.db")) == ["sandbox.db"]
