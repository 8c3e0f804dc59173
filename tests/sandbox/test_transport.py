"""PTB over aiohttp (handlers/transport.py) behaves as PTB over httpx, against the stand-in over
real HTTP: the same answers, the same errors, the same timeouts; and the thin calls of
handlers/botapi.py send what PTB's methods send."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.sandbox import FakeTelegram
from handlers import botapi
from handlers.transport import AiohttpRequest, Handover, SwitchingRequest, never_left

GROUP = -1001234567890
AN = 1001


def _request(kind: str, **timeouts: float) -> BaseRequest:
    return AiohttpRequest(**timeouts) if kind == "aiohttp" else HTTPXRequest(**timeouts)  # type: ignore[arg-type]


async def _answer(writer: asyncio.StreamWriter, answer: bytes) -> None:
    """A stand-in proxy's one answer: Telegram's JSON, then the connection closed."""
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(answer), answer)
    )
    await writer.drain()
    writer.close()


async def _read_body(reader: asyncio.StreamReader, lines: list[bytes]) -> None:
    length = next(
        (int(h.split(b":")[1]) for h in lines if h.lower().startswith(b"content-length:")), 0
    )
    await reader.readexactly(length)


def _only_http_proxy(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    """The environment names this port's proxy for http:// URLs, and nothing else."""
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")


async def _bot(url: str, kind: str, **timeouts: float) -> Bot:
    bot = Bot(
        "123:ABC",
        base_url=f"{url}/bot",
        base_file_url=f"{url}/file/bot",
        request=_request(kind, **timeouts),
        get_updates_request=_request(kind),
    )
    await bot.initialize()
    return bot


@pytest.fixture(params=["httpx", "aiohttp"])
async def bot(request: pytest.FixtureRequest, url: str, tg: FakeTelegram) -> AsyncIterator[Bot]:
    tg.add_user(AN, "An", "Nguyễn")
    tg.add_group(GROUP, "UBND xã", members=[AN])
    tg.open_private_chat(AN)
    made = await _bot(url, request.param)
    try:
        yield made
    finally:
        await made.shutdown()


async def test_messages_keyboards_and_files_go_through(bot: Bot, tg: FakeTelegram) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Đã nhận", callback_data="ack:7")]])
    sent = await bot.send_message(GROUP, "<b>Việc</b> 7", parse_mode="HTML", reply_markup=keyboard)
    assert sent.text == "Việc 7" and sent.reply_markup == keyboard
    photo = await bot.send_document(
        GROUP, InputFile(b"%PDF-1.4 x", filename="bao-cao.pdf"), caption="Báo cáo"
    )
    assert photo.document is not None and photo.document.file_name == "bao-cao.pdf"
    assert tg.calls_to("sendDocument")[0]["document"]["upload"] == "bao-cao.pdf"
    updates = await bot.get_updates(timeout=0)
    assert updates == ()


async def test_errors_map_as_under_httpx(bot: Bot, tg: FakeTelegram) -> None:
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(RetryAfter):
        await bot.send_message(GROUP, "x")
    tg.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden):
        await bot.send_message(AN, "x")
    with pytest.raises(BadRequest, match="not modified"):
        message_id = await botapi.send_text(bot, GROUP, "a")
        await botapi.edit_text(bot, GROUP, message_id, "a")
    tg.fail_next("sendMessage", 500, "Internal Server Error")
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(GROUP, "x")
    assert not isinstance(caught.value, BadRequest)


async def test_a_late_answer_is_a_timeout_after_the_message_went_out(
    url: str, tg: FakeTelegram
) -> None:
    tg.add_group(GROUP, "UBND xã", members=[])
    for kind in ("httpx", "aiohttp"):
        bot = await _bot(url, kind, read_timeout=0.3)
        try:
            tg.delay_next("sendMessage", 1.5)
            with pytest.raises(TimedOut) as caught:
                await botapi.send_text(bot, GROUP, kind)
            # It may have arrived: the sender must not take it for a request that never left.
            assert not never_left(caught.value.__cause__), kind
        finally:
            await bot.shutdown()
    assert [m["text"] for m in tg.bot_messages(GROUP)] == ["httpx", "aiohttp"]


@pytest.mark.parametrize("kind", ["httpx", "aiohttp"])
async def test_no_connection_is_an_error_that_never_left(kind: str) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    request = _request(kind)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot123:ABC/getMe")
    finally:
        await request.shutdown()
    assert never_left(caught.value.__cause__)


async def test_thin_calls_send_what_ptb_sends(bot: Bot, tg: FakeTelegram) -> None:
    """The same parameters reach Telegram as from PTB's own methods; only the answer is kept
    as a dict (its message id)."""
    keyboard = [[("Đã nhận", "ack:7"), ("Báo cáo", "rep:7")]]
    ptb = await bot.send_message(
        GROUP,
        "<b>Việc</b>",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in keyboard]
        ),
        reply_parameters={"message_id": 1, "allow_sending_without_reply": True},  # type: ignore[arg-type]
    )
    ours = await botapi.send_text(bot, GROUP, "<b>Việc</b>", botapi.keyboard(keyboard), reply_to=1)
    first, second = tg.calls_to("sendMessage")
    assert ours == ptb.message_id + 1
    assert first == second
    pressed = [tg.press_button(GROUP, ours, AN, "ack:7") for _ in range(4)]
    await bot.answer_callback_query(pressed[0], text="Đã nhận", show_alert=False)
    await botapi.answer_button(bot, pressed[1], "Đã nhận", show_alert=False)
    await bot.answer_callback_query(pressed[2])
    await botapi.answer_button(bot, pressed[3])
    answered = tg.calls_to("answerCallbackQuery")
    assert answered[0] == dict(answered[1], callback_query_id=pressed[0])
    assert answered[2] == dict(answered[3], callback_query_id=pressed[2])
    assert answered[0]["text"] == "Đã nhận" and "text" not in answered[2]
    await botapi.edit_text(bot, GROUP, ours, "<i>Đã nhận</i>")
    found = tg.find_message(GROUP, ours)
    assert found is not None and found["text"] == "Đã nhận" and not found.get("reply_markup")
    await botapi.send_text(bot, GROUP, "hỏi", dict(botapi.FORCE_REPLY))
    await botapi.drop_buttons(bot, GROUP, ptb.message_id)
    found = tg.find_message(GROUP, ptb.message_id)
    assert found is not None and not found.get("reply_markup", {}).get("inline_keyboard")
    tg.migrate_group(GROUP, -1009999999999)
    with pytest.raises(ChatMigrated) as caught:
        await botapi.send_text(bot, GROUP, "x")
    assert caught.value.new_chat_id == -1009999999999


@pytest.mark.parametrize("kind", ["httpx", "aiohttp"])
async def test_the_environments_proxy_is_used_unless_the_host_is_exempt(
    kind: str, url: str, tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An office that reaches Telegram only through its proxy (HTTPS_PROXY / HTTP_PROXY in the
    environment, as PTB over httpx honours them) keeps reaching it; NO_PROXY exempts a host."""
    seen: list[bytes] = []
    answer = b'{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Proxy"}}'

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head.split(b"\r\n", 1)[0])
        await _read_body(reader, head.split(b"\r\n"))
        await _answer(writer, answer)

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _only_http_proxy(monkeypatch, port)
    try:
        through = await _bot(url, kind)
        try:
            assert (await through.get_me()).first_name == "Proxy"
        finally:
            await through.shutdown()
        assert seen and seen[0].startswith(b"POST http://127.0.0.1:")  # the absolute form
        through_proxy = len(seen)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        direct = await _bot(url, kind)
        try:
            assert (await direct.get_me()).first_name != "Proxy"
        finally:
            await direct.shutdown()
        assert len(seen) == through_proxy
    finally:
        server.close()
        await server.wait_closed()


async def test_a_call_without_a_file_goes_as_json_one_with_a_file_as_a_form() -> None:
    """A call without a file is sent as a JSON body whose values are the texts PTB's form
    carried (the Bot API reads both alike); one with a file stays multipart."""
    from aiohttp import web

    seen: list[tuple[str, bytes]] = []
    answer = {
        "ok": True,
        "result": {"message_id": 5, "date": 0, "chat": {"id": 1, "type": "group"}},
    }

    async def record(request: web.Request) -> web.Response:
        if request.match_info["method"] == "getMe":
            me = {"id": 1, "is_bot": True, "first_name": "Đôn Đốc", "username": "dondoc_bot"}
            return web.json_response({"ok": True, "result": me})
        seen.append((request.content_type, await request.read()))
        return web.json_response(answer)

    app = web.Application()
    app.router.add_post("/bot123:ABC/{method}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    bot = Bot("123:ABC", base_url=f"http://127.0.0.1:{port}/bot", request=AiohttpRequest())
    try:
        await bot.initialize()
        keyboard = botapi.keyboard([[("Đã nhận", "ack:7")]])
        await botapi.send_text(bot, GROUP, "Rà soát <b>số liệu</b> đợt 2", keyboard, reply_to=3)
        await bot.send_document(GROUP, InputFile(b"%PDF-1.4 x", filename="bao-cao.pdf"))
    finally:
        await bot.shutdown()
        await runner.cleanup()
    (kind, body), (file_kind, _) = seen
    assert kind == "application/json" and file_kind == "multipart/form-data"
    sent = json.loads(body)
    assert sent["chat_id"] == str(GROUP) and sent["text"] == "Rà soát <b>số liệu</b> đợt 2"
    assert json.loads(sent["reply_markup"]) == keyboard
    assert json.loads(sent["reply_parameters"])["message_id"] == 3


async def test_a_start_goes_over_httpx_and_the_calls_after_its_first_poll_over_aiohttp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`dondoc run` polling (bot/app.py): the start's calls go over PTB's httpx, aiohttp being
    imported meanwhile (issue 13); from the first getUpdates on, the calls move to aiohttp,
    both through the environment's proxy. A call in flight over httpx at the move ends there."""
    seen: list[tuple[str, str]] = []  # (method, transport) in the order they reached the proxy
    held, release = asyncio.Event(), asyncio.Event()
    answers = {
        b"getMe": b'{"id":1,"is_bot":true,"first_name":"Proxy","username":"proxy_bot"}',
        b"getUpdates": b"[]",
        b"sendMessage": b'{"message_id":5,"date":0,"chat":{"id":1,"type":"private"},"text":"x"}',
    }

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        method = lines[0].split(b" ")[1].rsplit(b"/", 1)[1]
        # httpx asks for a compressed answer; AiohttpRequest does not (skip_auto_headers).
        compressed = any(h.lower().startswith(b"accept-encoding:") for h in lines)
        seen.append((method.decode(), "httpx" if compressed else "aiohttp"))
        await _read_body(reader, lines)
        if method == b"sendMessage":
            held.set()
            await release.wait()
        await _answer(writer, b'{"ok":true,"result":%s}' % answers[method])

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    _only_http_proxy(monkeypatch, port)
    handover = Handover()
    calls = SwitchingRequest(handover)
    polls = SwitchingRequest(handover, polls=True, connection_pool_size=1)
    bot = Bot(
        "123:ABC",
        base_url="http://telegram.invalid/bot",  # reached only through the proxy
        request=calls,
        get_updates_request=polls,
    )
    try:
        await bot.initialize()  # getMe
        sending = asyncio.create_task(bot.send_message(1, "x"))
        await held.wait()
        assert not calls.switched and not polls.switched
        assert await bot.get_updates(timeout=0) == ()
        await handover.done()
        assert calls.switched and polls.switched
        assert (await bot.get_me()).first_name == "Proxy"
        release.set()
        assert (await sending).message_id == 5
    finally:
        release.set()
        await bot.shutdown()
        server.close()
        await server.wait_closed()
    assert seen == [
        ("getMe", "httpx"),
        ("sendMessage", "httpx"),
        ("getUpdates", "httpx"),
        ("getMe", "aiohttp"),
    ]


async def test_a_start_call_closed_by_a_stop_signal_ends_quietly() -> None:
    """Ctrl-C during the start: PTB's run_polling closes its start-up coroutine, a call over
    httpx in it. Thrown through httpx's stack outside a task, GeneratorExit failed in sniffio
    and PTB reported an unreachable Telegram (exit 1, not 0)."""
    arrived = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        arrived.set()
        await reader.read()  # never answers; returns when the client lets go
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    request = SwitchingRequest(Handover())
    await request.initialize()
    starting = request.post(f"http://127.0.0.1:{port}/bot123:ABC/deleteWebhook")
    running = asyncio.ensure_future(starting)
    try:
        await arrived.wait()
        starting.close()  # as PTB's updater_coroutine.close(): must not raise
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await request.shutdown()
        server.close()
        await server.wait_closed()
