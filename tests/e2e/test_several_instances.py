"""Two real `dondoc run` processes in webhook mode on one PostgreSQL, behind a round-robin proxy
(the load balancer): both handle updates, one runs the scheduled work. The leader is killed with
SIGKILL in the middle of the 08:00 burst: the other takes the lead within 30 s, every reminder
arrives (a repeat only for what was in flight, marked), and /giao sent to both meanwhile gives
task codes that never repeat."""

from __future__ import annotations

import asyncio
import re
import signal
import time
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import text as sql
from support import TOKEN, WebhookProxy
from test_one_scheduler import MARK_VI, TASKS, UNITS, _seed, _until

from bot.db.engine import create_engine
from bot.sandbox import BotApiServer, FakeTelegram
from bot.sandbox.burst import BURST, burst_roster, deliveries_by_state, tasks_named
from bot.sandbox.processes import Run, Runs, free_port
from bot.services.tasks import task_code

SECRET = "several-instances-secret-0123456789"
CHAIRMAN = 800000  # burst_roster's
LEADERS = -1002000000000
LEADER_LINE = "now runs the scheduled work (leader)"
KILL_AFTER = 60  # messages the stand-in has received when the leader is killed
GIAO = 12  # /giao commands sent through the proxy, half before the kill and half after


class RoundRobin(WebhookProxy):
    """The load balancer: each POST goes to the next instance; one that does not answer is
    skipped (nginx's proxy_next_upstream)."""

    def __init__(self, backends: list[str]) -> None:
        super().__init__(backends)
        self.handled = [0] * len(backends)
        self.turn = 0

    async def forward(self, request: web.Request) -> web.Response:
        assert self.http is not None
        body = await request.read()
        for _ in range(len(self.backends)):
            n = self.turn % len(self.backends)
            self.turn += 1
            try:
                async with self.http.post(
                    self.backends[n], data=body, headers=dict(request.headers)
                ) as answer:
                    text = await answer.text()
                    if answer.status == 200:
                        self.handled[n] += 1
                    return web.Response(status=answer.status, text=text)
            except (aiohttp.ClientError, TimeoutError):
                continue
        return web.Response(status=502, text="no instance answered")


async def _codes(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return [str(c) for (c,) in await conn.execute(sql("SELECT code FROM tasks"))]
    finally:
        await engine.dispose()


async def test_two_instances_one_killed_in_the_burst(tmp_path: Path, database_url: str) -> None:
    if "sqlite" in database_url:
        pytest.skip("several instances need PostgreSQL (on SQLite a second one refuses)")
    tg = FakeTelegram(token=TOKEN)
    await _seed(database_url, tg)
    tg.join(LEADERS, CHAIRMAN)
    server = BotApiServer(tg)
    runs = Runs(tmp_path, await server.start(), database_url)
    ports = [free_port(), free_port()]
    proxy = RoundRobin([f"http://127.0.0.1:{p}/telegram" for p in ports])
    hook = await proxy.start(free_port())
    began = time.monotonic()

    def now() -> str:
        # Both clocks on one time line, starting 8 s before the burst: both instances are up
        # before anything falls due.
        return (
            BURST - timedelta(seconds=8) + timedelta(seconds=time.monotonic() - began)
        ).isoformat()

    def received() -> int:
        return len(tg.calls_to("sendMessage"))

    sent_giao = 0

    async def giao(count: int) -> None:
        nonlocal sent_giao
        for _ in range(count):
            sent_giao += 1
            tg.send_message(LEADERS, CHAIRMAN, f"/giao U001 Việc thêm số {sent_giao} hạn 15/12")
            await asyncio.sleep(0.05)

    try:
        started: list[Run] = []
        for port in ports:
            started.append(
                await runs.start(
                    DONDOC_FAKE_NOW=now(),
                    DONDOC_WEBHOOK_URL=hook,
                    DONDOC_WEBHOOK_SECRET=SECRET,
                    DONDOC_WEBHOOK_PORT=str(port),
                )
            )
        for run in started:
            assert "webhook: " in await run.wait_for("webhook: "), run.output()
        await _until(lambda: any(LEADER_LINE in r.output() for r in started), 30, "a leader")
        [leader] = [r for r in started if LEADER_LINE in r.output()]
        [follower] = [r for r in started if r is not leader]
        await giao(GIAO // 2)
        await _until(lambda: received() >= KILL_AFTER, 90, f"{KILL_AFTER} messages")
        # The next message reaches its group but its answer is held: the leader dies with it
        # (and whatever else) in flight.
        before = received()
        tg.delay_next("sendMessage", 3.0)
        await _until(lambda: received() > before, 30, "the held message")
        leader.process.kill()
        killed = time.monotonic()
        assert await leader.process.wait() == -signal.SIGKILL
        await giao(GIAO - GIAO // 2)
        await _until(lambda: LEADER_LINE in follower.output(), 60, "the follower to lead")
        takeover = time.monotonic() - killed
        async with asyncio.timeout(120):
            while True:
                states = await deliveries_by_state(database_url)
                if not set(states) & {"pending", "claimed", "sending"} and (
                    len(await _codes(database_url)) == TASKS + GIAO
                ):
                    break
                await asyncio.sleep(0.2)
        await tg.wait_idle(timeout=10)
        assert await follower.stop() == 0
    finally:
        await runs.close()
        await proxy.stop()
        await server.stop()

    plain, marked = tasks_named(tg, burst_roster(UNITS), MARK_VI)
    seeded = {task_code(n) for n in range(1, TASKS + 1)}
    lost = seeded - set(plain) - set(marked)
    found = re.search(r"; (\d+) were cut off while sending", follower.output())
    again = int(found.group(1)) if found else 0
    codes = await _codes(database_url)
    print(
        f"\ntwo instances: leader killed after {before} messages; the other led "
        f"{takeover:.1f} s later; {TASKS} reminders lost {len(lost)}, marked repeats "
        f"{sum(marked.values())} (cut off in flight: {again}); updates per instance "
        f"{proxy.handled}; {len(codes)} task codes, {len(codes) - len(set(codes))} repeated; "
        f"deliveries {states}"
    )
    assert takeover < 30
    assert not lost, sorted(lost)
    assert max(plain[c] for c in seeded & set(plain)) == 1
    assert not marked or max(marked.values()) == 1
    assert sum(marked.values()) == again <= 8
    assert set(states) == {"sent"}
    assert sorted(codes) == [task_code(n) for n in range(1, TASKS + GIAO + 1)]
    # Both instances handled updates (the proxy alternates), and every /giao was answered.
    assert all(n > 0 for n in proxy.handled), proxy.handled
    answered = [
        m for m in tg.bot_messages(LEADERS) if re.search(r"NV-0(2\d\d)", m.get("text") or "")
    ]
    assert len({re.search(r"NV-0\d{3}", m["text"]).group(0) for m in answered}) >= GIAO  # type: ignore[union-attr]
    for run in started:
        assert "Traceback" not in run.output(), run.output()
