"""Two `dondoc run` processes in webhook mode on one PostgreSQL. The first instance handles each
update and commits, but its 200 never reaches Telegram (it died, or the answer was cut off):
Telegram sends the update again, and the other instance gets it. The resend acts not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aiohttp import web
from support import LEADERS, ROSTER, START, TCKH_CHAT, TCKH_HEAD, TOKEN, WebhookProxy, people
from test_one_scheduler import _until

from bot.sandbox import BotApiServer, FakeTelegram
from bot.sandbox.processes import Runs, free_port

SECRET = "resend-secret-0123456789-abcdefgh"
CHAIRMAN = 900001


class LosesFirstAnswer(WebhookProxy):
    """The network between Telegram and the instances: an update's first POST goes to the first
    instance, which handles it, but the 200 is lost on the way back (502); Telegram sends the
    update again, and that goes to the second instance."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__([first, second])
        self.seen: dict[int, int] = {}  # update_id → POSTs
        self.answers: list[tuple[int, str, int]] = []  # update_id, instance, status

    async def forward(self, request: web.Request) -> web.Response:
        assert self.http is not None
        body = await request.read()
        update_id = int(json.loads(body)["update_id"])
        posts = self.seen[update_id] = self.seen.get(update_id, 0) + 1
        name, backend = ("first", self.backends[0]) if posts == 1 else ("second", self.backends[1])
        async with self.http.post(backend, data=body, headers=dict(request.headers)) as answer:
            status = answer.status
        self.answers.append((update_id, name, status))
        if posts == 1 and status == 200:
            return web.Response(status=502, text="the answer was lost")
        return web.Response(status=status, text="ok")

    def settled(self, updates: int) -> bool:
        """`updates` came, and each was answered 200 by the second instance too."""
        return len(self.seen) >= updates and all(
            any(u == update_id and n == "second" and s == 200 for u, n, s in self.answers)
            for update_id in self.seen
        )


def prompts(tg: FakeTelegram) -> list[str]:
    return [
        m.get("text") or ""
        for m in tg.bot_messages(TCKH_CHAT)
        if "NV-0001" in (m.get("text") or "") and m.get("reply_markup", {}).get("force_reply")
    ]


async def test_an_update_resent_after_a_lost_200_does_not_act_again_on_another_instance(
    tmp_path: Path, database_url: str
) -> None:
    if "sqlite" in database_url:
        pytest.skip("several instances need PostgreSQL (on SQLite a second one refuses)")
    tg = FakeTelegram(token=TOKEN)
    people(tg)
    org = tmp_path / "org.yaml"
    org.write_text(ROSTER, encoding="utf-8")
    server = BotApiServer(tg)
    runs = Runs(tmp_path, await server.start(), database_url)
    ports = [free_port(), free_port()]
    proxy = LosesFirstAnswer(*(f"http://127.0.0.1:{p}/telegram" for p in ports))
    hook = await proxy.start(free_port())
    try:
        started = []
        for port in ports:
            run = await runs.start(
                DONDOC_FAKE_NOW=START.isoformat(),
                DONDOC_ORG_FILE=str(org),
                DONDOC_WEBHOOK_URL=hook,
                DONDOC_WEBHOOK_SECRET=SECRET,
                DONDOC_WEBHOOK_PORT=str(port),
            )
            assert "webhook: " in await run.wait_for("webhook: "), run.output()
            started.append(run)

        tg.send_message(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
        await _until(lambda: proxy.settled(1), 30, "the /giao and its resend")
        [card] = [m for m in tg.bot_messages(TCKH_CHAT) if "NV-0001" in (m.get("text") or "")]
        rows = card["reply_markup"]["inline_keyboard"]
        buttons = {b["text"]: b["callback_data"] for row in rows for b in row}
        [report] = [data for label, data in buttons.items() if "Báo cáo" in label]

        # A button press: the first instance asks for the result (a prompt to reply to);
        # the same press sent again must not ask a second time.
        tg.press_button(TCKH_CHAT, card["message_id"], TCKH_HEAD, report)
        await _until(lambda: proxy.settled(2), 30, "the press and its resend")
        [ack] = [data for label, data in buttons.items() if "Đã nhận" in label]
        tg.press_button(TCKH_CHAT, card["message_id"], TCKH_HEAD, ack)
        await _until(lambda: proxy.settled(3), 30, "the acknowledgement and its resend")
        await tg.wait_idle(timeout=10)
        for run in started:
            assert await run.stop() == 0
    finally:
        for run in runs.started:
            print(run.output())
        await runs.close()
        await proxy.stop()
        await server.stop()

    assert [n for _, n, _ in proxy.answers].count("second") == 3, proxy.answers
    assert len(prompts(tg)) == 1, prompts(tg)
    # The acknowledgement was said once in the group, and the resend did not answer the
    # press a second time ("already acknowledged").
    said = [m.get("text") or "" for m in tg.bot_messages(TCKH_CHAT)]
    assert sum("đã tiếp nhận" in s.lower() for s in said) <= 1, said
    answers = [c.get("text") for c in tg.calls_to("answerCallbackQuery")]
    assert len(answers) == 2, answers
    for run in started:
        assert "Traceback" not in run.output(), run.output()


async def test_a_look_resent_to_the_instance_that_answered_it_is_not_answered_twice(
    tmp_path: Path,
) -> None:
    """/viec and /nv commit nothing, so leave no key in the database; the one instance (SQLite)
    that answered them remembers them, and a resend after a lost 200 is not answered again."""
    tg = FakeTelegram(token=TOKEN)
    people(tg)
    org = tmp_path / "org.yaml"
    org.write_text(ROSTER, encoding="utf-8")
    server = BotApiServer(tg)
    runs = Runs(tmp_path, await server.start(), f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    port = free_port()
    backend = f"http://127.0.0.1:{port}/telegram"
    proxy = LosesFirstAnswer(backend, backend)  # the resend comes back to the same instance
    hook = await proxy.start(free_port())
    try:
        run = await runs.start(
            DONDOC_FAKE_NOW=START.isoformat(),
            DONDOC_ORG_FILE=str(org),
            DONDOC_WEBHOOK_URL=hook,
            DONDOC_WEBHOOK_SECRET=SECRET,
            DONDOC_WEBHOOK_PORT=str(port),
        )
        assert "webhook: " in await run.wait_for("webhook: "), run.output()
        tg.send_message(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
        await _until(lambda: proxy.settled(1), 30, "the /giao and its resend")
        before = len(tg.bot_messages(LEADERS))
        tg.send_message(LEADERS, CHAIRMAN, "/viec")
        await _until(lambda: proxy.settled(2), 30, "the /viec and its resend")
        tg.send_message(LEADERS, CHAIRMAN, "/nv NV-0001")
        await _until(lambda: proxy.settled(3), 30, "the /nv and its resend")
        await tg.wait_idle(timeout=10)
        assert await run.stop() == 0
    finally:
        await runs.close()
        await proxy.stop()
        await server.stop()
    assert [n for _, n, _ in proxy.answers].count("second") == 3, proxy.answers
    answers = [m.get("text") or "" for m in tg.bot_messages(LEADERS)][before:]
    assert len(answers) == 2, answers  # one list, one task's card: each once
    assert "NV-0001" in answers[0] and "NV-0001" in answers[1]
    assert "Traceback" not in run.output(), run.output()
