"""The sandbox Bot API, driven by a real PTB Application over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
from typing import Any

import aiohttp
import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application

from bot.sandbox import FakeTelegram, SandboxEvent

TOKEN = "123:ABC"  # the token the conftest fixtures use

App = Application[Any, Any, Any, Any, Any, Any]
GROUP = -1001234567890
AN = 1001
BINH = 1002


def _people(tg: FakeTelegram) -> None:
    tg.add_user(AN, "An", "Nguyễn", username="an_nguyen")
    tg.add_user(BINH, "Bình", language_code="en")
    tg.add_group(GROUP, "UBND xã", members=[AN, BINH], admins=[AN])


# ---------------------------------------------------------------- a polling bot


async def test_get_me_returns_the_username(app: App) -> None:
    me = await app.bot.get_me()
    assert me.username == "dondoc_bot"
    assert me.is_bot and me.id == 123
    assert app.bot.username == "dondoc_bot"


async def test_start_in_private_chat_gets_a_reply(tg: FakeTelegram, polling_app: App) -> None:
    _people(tg)
    sent = tg.send_message(AN, AN, "/start")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

    reply = await tg.wait_for_bot_message(AN)

    assert reply["text"] == "Xin chào An"
    assert reply["chat"] == {
        "id": AN,
        "type": "private",
        "username": "an_nguyen",
        "first_name": "An",
        "last_name": "Nguyễn",
    }
    assert "reply_to_message" not in reply  # PTB's reply_text quotes only in groups
    assert [m["text"] for m in tg.messages(AN)] == ["/start", "Xin chào An"]
    assert tg.last_bot_message(AN) == reply


async def test_start_with_bot_username_in_a_group(tg: FakeTelegram, polling_app: App) -> None:
    _people(tg)
    tg.send_message(GROUP, BINH, "/start@dondoc_bot")
    reply = await tg.wait_for_bot_message(GROUP)
    assert reply["text"] == "Xin chào Bình"
    assert reply["chat"]["type"] == "supergroup"
    assert reply["chat"]["title"] == "UBND xã"
    assert reply["reply_to_message"]["text"] == "/start@dondoc_bot"

    # A command for another bot is delivered but not handled; plain chatter is not delivered.
    tg.send_message(GROUP, BINH, "/start@other_bot")
    tg.send_message(GROUP, AN, "chào cả nhà")
    await tg.wait_idle(timeout=5)
    assert len(tg.bot_messages(GROUP)) == 1
    assert tg.pending_updates() == 0


async def test_button_press_reaches_the_callback_handler(
    tg: FakeTelegram, polling_app: App
) -> None:
    _people(tg)
    events: list[SandboxEvent] = []
    unsubscribe = tg.subscribe(events.append)
    tg.send_message(AN, AN, "/menu")
    menu = await tg.wait_for_bot_message(AN)
    assert menu["text"] == "Việc 7"
    assert menu["html"] == "<b>Việc 7</b>"
    assert menu["entities"] == [{"type": "bold", "offset": 0, "length": 6}]

    with pytest.raises(ValueError, match=r"(?i)no button"):
        tg.press_button(AN, menu["message_id"], AN, "ack:8")
    query_id = tg.press_button(AN, menu["message_id"], AN, "ack:7")

    answer = await tg.wait_for_callback_answer(query_id)
    assert answer == {"text": "Đã nhận việc", "show_alert": True}
    edited = await tg.wait_for_bot_message(AN, lambda m: "edit_date" in m)
    assert edited["text"] == "Đã xác nhận ack:7"
    assert "reply_markup" not in edited  # editMessageText without markup drops the keyboard
    assert edited["edit_history"][0]["text"] == "Việc 7"
    unsubscribe()
    kinds = [e["type"] for e in events if e["type"] != "update"]
    assert kinds == ["message", "message", "callback_answer", "edit"]
    assert tg.calls_to("answerCallbackQuery")[0]["show_alert"] is True


# ---------------------------------------------------------------- files


async def test_send_document_then_download_the_same_bytes(tg: FakeTelegram, app: App) -> None:
    _people(tg)
    payload = "Báo cáo tháng 5\n".encode() * 100
    message = await app.bot.send_document(
        GROUP, document=payload, filename="bao-cao.txt", caption="<i>Báo cáo</i>", parse_mode="HTML"
    )
    assert message.document is not None
    assert message.document.file_name == "bao-cao.txt"
    assert message.document.mime_type == "text/plain"
    assert message.caption == "Báo cáo"

    file = await app.bot.get_file(message.document.file_id)
    assert file.file_size == len(payload)
    assert bytes(await file.download_as_bytearray()) == payload

    again = await app.bot.send_document(GROUP, document=message.document.file_id)
    assert again.document is not None and again.document.file_id == message.document.file_id
    assert tg.calls_to("sendDocument")[0]["document"]["upload"] == "bao-cao.txt"


async def test_people_send_documents_the_bot_can_download(tg: FakeTelegram, app: App) -> None:
    _people(tg)
    sent = tg.send_message(AN, AN, document=("kq.pdf", b"%PDF-1.4 x", None), caption="Kết quả")
    assert sent["document"]["mime_type"] == "application/pdf"
    file = await app.bot.get_file(sent["document"]["file_id"])
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 x"


async def test_send_photo(tg: FakeTelegram, app: App) -> None:
    _people(tg)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x08" + b"\0" * 20
    message = await app.bot.send_photo(GROUP, photo=png, caption="Ảnh")
    assert (message.photo[-1].width, message.photo[-1].height) == (16, 8)


# ---------------------------------------------------------------- Telegram's refusals


async def test_private_message_to_someone_who_never_started_is_forbidden(
    tg: FakeTelegram, app: App
) -> None:
    _people(tg)
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
        await app.bot.send_message(AN, "Chào anh")

    tg.send_message(AN, AN, "hello")
    await app.bot.send_message(AN, "Chào anh")

    tg.block_bot(AN)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await app.bot.send_message(AN, "Chào anh")

    tg.kick_bot(GROUP)
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the supergroup chat"):
        await app.bot.send_message(GROUP, "Chào cả nhà")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await app.bot.send_message(-100999, "?")


async def test_flood_limit_answers_retry_after(
    tg: FakeTelegram, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns on RetryAfter.retry_after unless PTB_TIMEDELTA opts into timedelta.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    _people(tg)
    tg.enforce_limits = True
    await app.bot.send_message(GROUP, "một")
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(GROUP, "hai")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert tg.rate_limited == 1
    assert tg.rate_limited_per_chat == {GROUP: 1}
    assert [m["text"] for m in tg.bot_messages(GROUP)] == ["một"]


async def test_bad_html_is_refused(tg: FakeTelegram, app: App) -> None:
    _people(tg)
    for html in ("<foo>x</foo>", "a < b", "<b>unclosed", "<b>x</i>"):
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await app.bot.send_message(GROUP, html, parse_mode="HTML")

    message = await app.bot.send_message(
        GROUP,
        '<b>Việc</b> &lt;gấp&gt; cho <a href="tg://user?id=1001">anh An</a> 😀 <i>hạn</i>',
        parse_mode="HTML",
    )
    assert message.text == "Việc <gấp> cho anh An 😀 hạn"
    kinds = [(e.type, e.offset, e.length) for e in message.entities]
    assert kinds == [("bold", 0, 4), ("text_mention", 15, 6), ("italic", 25, 3)]
    assert message.entities[1].user is not None and message.entities[1].user.id == AN


async def test_text_limits(tg: FakeTelegram, app: App) -> None:
    _people(tg)
    await app.bot.send_message(GROUP, "x" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await app.bot.send_message(GROUP, "😀" * 2049)  # 4098 UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await app.bot.send_message(GROUP, "  ")
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await app.bot.send_document(GROUP, b"x", filename="a.txt", caption="c" * 1025)
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await app.bot.send_message(GROUP, "nút", reply_markup=long_data)
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await app.bot.send_message(GROUP, "trả lời", reply_to_message_id=999)
    assert tg.calls_to("sendMessage")[-1]["reply_parameters"] == {"message_id": 999}


async def test_edits(tg: FakeTelegram, app: App) -> None:
    _people(tg)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    message = await app.bot.send_message(GROUP, "Việc", reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_text("Việc", GROUP, message.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("Khác", GROUP, 999)

    edited = await app.bot.edit_message_reply_markup(GROUP, message.message_id)
    assert not isinstance(edited, bool) and edited.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_reply_markup(GROUP, message.message_id)

    assert await app.bot.delete_message(GROUP, message.message_id)
    assert tg.messages(GROUP) == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await app.bot.delete_message(GROUP, message.message_id)


# ---------------------------------------------------------------- fault injection


async def test_injected_500_is_a_network_error(tg: FakeTelegram, app: App) -> None:
    _people(tg)
    tg.fail_next("sendMessage", 500, "Internal Server Error")
    with pytest.raises(NetworkError) as caught:
        await app.bot.send_message(GROUP, "một")
    assert type(caught.value) is NetworkError
    assert tg.bot_messages(GROUP) == []
    await app.bot.send_message(GROUP, "hai")  # only the next call failed


async def test_injected_retry_after_for_one_chat(
    tg: FakeTelegram, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    _people(tg)
    tg.send_message(AN, AN, "hi")
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7, chat_id=AN)
    await app.bot.send_message(GROUP, "nhóm vẫn gửi được")
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(AN, "riêng")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)


async def test_delayed_answer_is_a_timeout_but_the_message_went_out(
    tg: FakeTelegram, app: App
) -> None:
    _people(tg)
    tg.delay_next("sendMessage", 2.0)
    with pytest.raises(TimedOut):
        await app.bot.send_message(GROUP, "có đến không?", read_timeout=0.2)
    assert [m["text"] for m in tg.bot_messages(GROUP)] == ["có đến không?"]


# ---------------------------------------------------------------- the rest of the API


async def test_wrong_token_is_invalid_token(url: str) -> None:
    bot = Bot("999:WRONG", base_url=f"{url}/bot", base_file_url=f"{url}/file/bot")
    try:
        with pytest.raises(InvalidToken):
            await bot.initialize()
    finally:
        await bot.shutdown()


async def test_unknown_method_is_400(app: App, url: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)method not found"):
        await app.bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/bot{TOKEN}/sendTelepathy") as response:
            assert response.status == 400
            body = await response.json()
        async with session.get(f"{url}/botWRONG/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
    assert body == {"ok": False, "error_code": 400, "description": "Bad Request: method not found"}


async def test_json_body_and_commands(tg: FakeTelegram, app: App, url: str) -> None:
    _people(tg)
    await app.bot.set_my_commands([BotCommand("giao", "Giao việc")], language_code="vi")
    await app.bot.set_my_commands([BotCommand("assign", "Assign a task")], language_code="en")
    assert [c["language_code"] for c in tg.calls_to("setMyCommands")] == ["vi", "en"]
    commands = await app.bot.get_my_commands(language_code="en")
    assert [c.command for c in commands] == ["assign"]
    assert tg.commands_for(AN)[0]["command"] == "giao"
    assert tg.commands_for(BINH)[0]["command"] == "assign"

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{url}/bot{TOKEN}/sendMessage",
            json={"chat_id": GROUP, "text": "JSON", "reply_markup": {"force_reply": True}},
        ) as response,
    ):
        body = await response.json()
    assert body["ok"] is True and body["result"]["text"] == "JSON"
    assert "reply_markup" not in body["result"]
    assert tg.last_bot_message(GROUP) is not None


async def test_chat_and_members(tg: FakeTelegram, app: App) -> None:
    _people(tg)
    chat = await app.bot.get_chat(GROUP)
    assert chat.title == "UBND xã" and chat.type == "supergroup"
    member = await app.bot.get_chat_member(GROUP, BINH)
    assert member.status == "member" and member.user.first_name == "Bình"
    assert (await app.bot.get_chat_member(GROUP, 123)).status == "administrator"
    admins = await app.bot.get_chat_administrators(GROUP)
    assert {a.user.id for a in admins} == {123, AN}


async def test_a_newer_poll_ends_the_older_one_with_409(url: str) -> None:
    async with aiohttp.ClientSession() as session:

        async def poll() -> int:
            async with session.post(
                f"{url}/bot{TOKEN}/getUpdates", data={"timeout": "2"}
            ) as response:
                return response.status

        first = asyncio.create_task(poll())
        await asyncio.sleep(0.2)
        second = asyncio.create_task(poll())
        assert await first == 409
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second


async def test_dates_come_from_the_injected_clock(url: str) -> None:
    moment = dtm.datetime(2026, 3, 2, 8, 30, tzinfo=dtm.UTC)
    tg = FakeTelegram(clock=lambda: moment)
    tg.add_user(AN, "An")
    message = tg.send_message(AN, AN, "Chào 😀 /start @an_nguyen https://example.vn")
    assert message["date"] == int(moment.timestamp())
    assert message["entities"] == [
        {"type": "bot_command", "offset": 8, "length": 6},
        {"type": "mention", "offset": 15, "length": 10},
        {"type": "url", "offset": 26, "length": 18},
    ]
    assert tg.snapshot()["chats"][0]["messages"][0]["text"].startswith("Chào")


async def test_a_webhook_gets_each_update_with_the_secret_until_it_answers_200(
    tg: FakeTelegram, app: App
) -> None:
    from aiohttp import web

    got: list[tuple[int, str]] = []
    answers = [500, 200, 200]

    async def hook(request: web.Request) -> web.Response:
        update = await request.json()
        got.append(
            (update["update_id"], request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""))
        )
        return web.Response(status=answers.pop(0) if answers else 200)

    site = web.Application()
    site.router.add_post("/hook", hook)
    runner = web.AppRunner(site)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        tg.add_user(5001, "Lan")
        assert await app.bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="abc_123")
        tg.send_message(5001, 5001, "/start")
        tg.send_message(5001, 5001, "/help")
        async with asyncio.timeout(10):
            while tg.pending_updates():
                await asyncio.sleep(0.05)
        with pytest.raises(TelegramError, match="webhook is active"):
            await app.bot.get_updates()
    finally:
        await runner.cleanup()
    first, second = sorted({u for u, _ in got})
    # The first was answered 500, so it came again; then each once, in order, with the secret.
    assert [u for u, _ in got] == [first, first, second]
    assert {s for _, s in got} == {"abc_123"}
    assert [(u, s) for u, s in tg.webhook_posts] == [(first, 500), (first, 200), (second, 200)]
