"""The sandbox web chat over real HTTP: the page, the state, acting as people, live events, files.

The sandbox runs as `dondoc sandbox` runs it (:class:`bot.sandbox.runner.Sandbox`), on a free
port, with the real bot and the demo ward, and a clock that stands still.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.clock import ManualClock, OffsetClock
from bot.sandbox.demo import (
    ADMIN,
    CHAIRMAN,
    KTHT_HEAD,
    KTHT_STAFF,
    LEADERSHIP_CHAT,
    OFFICE,
    VICE_CHAIRMAN,
    demo,
)
from bot.sandbox.runner import Sandbox, sandbox_settings

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 11, 23, 9, 0, tzinfo=VN)  # a Monday
KTHT_CHAT = next(u.chat for u in demo().spec.units if u.code == "KTHT")
Json = dict[str, Any]


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    settings = sandbox_settings(f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", _env_file=None)
    box = await Sandbox.start(settings, port=0, clock=ManualClock(START))
    try:
        yield box
    finally:
        await box.stop()


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=sandbox.url) as session:
        yield session


class Events:
    """The page's server-sent event stream, read as the browser would."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response
        self.seen: list[Json] = []

    async def next(self) -> Json:
        data = ""
        while True:
            line = (await self.response.content.readline()).decode()
            if not line:
                raise AssertionError(f"the event stream ended; seen: {self.seen}")
            if line.startswith("data: "):
                data += line[len("data: ") :].rstrip("\n")
            elif line == "\n" and data:
                event: Json = json.loads(data)
                self.seen.append(event)
                return event

    async def wait_for(self, match: Callable[[Json], bool], timeout: float = 10) -> Json:
        async with asyncio.timeout(timeout):
            while True:
                event = await self.next()
                if match(event):
                    return event


@pytest.fixture
async def events(http: aiohttp.ClientSession) -> AsyncIterator[Events]:
    async with http.get("/api/events") as response:
        assert response.status == 200
        assert response.content_type == "text/event-stream"
        yield Events(response)


async def state(http: aiohttp.ClientSession) -> Json:
    async with http.get("/api/state") as response:
        assert response.status == 200
        body: Json = await response.json()
        return body


def chat(snapshot: Json, chat_id: int) -> Json:
    found: Json = next(c for c in snapshot["chats"] if c["id"] == chat_id)
    return found


async def send(http: aiohttp.ClientSession, chat_id: int, user_id: int, **fields: Any) -> Any:
    # As browsers do: the file name as UTF-8 in quotes (aiohttp would percent-encode it).
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("chat_id", str(chat_id))
    form.add_field("user_id", str(user_id))
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, data, mime = value
            form.add_field(name, data, filename=filename, content_type=mime)
        else:
            form.add_field(name, str(value))
    async with http.post("/api/send", data=form) as response:
        return response.status, await response.json()


def is_card(code: str) -> Callable[[Json], bool]:
    def match(event: Json) -> bool:
        text = (event.get("message") or {}).get("text") or ""
        return event.get("chat_id") == KTHT_CHAT and f"Nhiệm vụ {code}" in text

    return match


def is_card_message(code: str) -> Callable[[Json], bool]:
    return lambda message: f"Nhiệm vụ {code}" in (message.get("text") or "")


def button(message: Json, label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for b in row:
            if label in b["text"]:
                return str(b["callback_data"])
    raise AssertionError(f"no {label!r} button on {message.get('text')!r}")


async def test_the_page_and_its_files_load_and_need_nothing_from_outside(
    http: aiohttp.ClientSession,
) -> None:
    bodies = {}
    for path, kind in (
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
    ):
        async with http.get(path) as response:
            assert response.status == 200, path
            assert response.content_type == kind
            assert response.charset == "utf-8"
            bodies[path] = await response.text()
    assert 'src="app.js"' in bodies["/"] and 'href="style.css"' in bodies["/"]
    assert "Chủ tịch" in bodies["/"] and "/giao" in bodies["/"]  # the first-load help
    assert "EventSource" in bodies["/app.js"]
    for path, body in bodies.items():  # fully offline: no CDN, no web fonts
        assert not re.search(
            r"""(src|href)=["']?(https?:)?//|@import|url\(\s*["']?https?:""", body
        ), path


async def test_state_lists_the_demo_chats_and_personas(http: aiohttp.ClientSession) -> None:
    snapshot = await state(http)
    titles = [c["title"] for c in snapshot["chats"] if c["type"] == "group"]
    assert titles == [
        "Lãnh đạo UBND phường",
        "Văn phòng HĐND và UBND",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Phòng Văn hóa - Xã hội",
        "Trung tâm Phục vụ hành chính công",
        "Công an phường",
    ]
    personas = {p["id"]: p for p in snapshot["personas"]}
    assert personas[CHAIRMAN]["name"] == "Nguyễn Văn Hùng"
    assert personas[CHAIRMAN]["role"] == "Chủ tịch" and personas[CHAIRMAN]["leader"]
    assert personas[KTHT_HEAD]["role"] == "Trưởng đơn vị, Phòng Kinh tế, Hạ tầng và Đô thị"
    assert not personas[KTHT_HEAD]["leader"]
    # Who is in which group, as in a ward: the leadership group holds the leaders and the office;
    # a unit's group its people, the office and its supervising vice-chairman, not the chairman.
    members = {c["id"]: set(c["members"]) for c in snapshot["chats"]}
    assert members[LEADERSHIP_CHAT] == {CHAIRMAN, VICE_CHAIRMAN, OFFICE, ADMIN}
    assert members[KTHT_CHAT] == {KTHT_HEAD, KTHT_STAFF, OFFICE, VICE_CHAIRMAN, ADMIN}
    vhxh = next(u.chat for u in demo().spec.units if u.code == "VHXH")
    assert VICE_CHAIRMAN not in members[vhxh] and OFFICE in members[vhxh]
    assert members[KTHT_HEAD] == {KTHT_HEAD}  # a private chat: its person only
    # Everyone pressed Start: each private chat holds /start and the bot's greeting by name.
    privates = {c["id"]: c for c in snapshot["chats"] if c["type"] == "private"}
    assert set(privates) == set(personas)
    greeting = privates[KTHT_HEAD]["messages"][-1]
    assert "Đỗ Văn Nam" in greeting["text"]
    assert datetime.fromisoformat(snapshot["clock"]["now"]) == START
    assert snapshot["clock"]["label"] == "Thứ Hai, 23/11/2026 09:00"


async def test_assign_and_acknowledge_as_people_with_live_events(
    http: aiohttp.ClientSession, events: Events
) -> None:
    status, sent = await send(http, LEADERSHIP_CHAT, CHAIRMAN, text="/giao KTHT Kiểm tra hạn 15/12")
    assert status == 200, sent
    assert sent["message"]["from"]["id"] == CHAIRMAN

    # The card reaches the unit's group, live and in the state.
    arrived = await events.wait_for(lambda e: e["type"] == "message" and is_card("NV-0001")(e))
    card = arrived["message"]
    assert "<b>Nhiệm vụ NV-0001</b>" in card["html"]
    assert "edit_history" not in card
    stored = chat(await state(http), KTHT_CHAT)["messages"]
    assert [m["message_id"] for m in stored if "NV-0001" in (m.get("text") or "")] == [
        card["message_id"]
    ]
    assert "Chưa tiếp nhận" in card["text"]

    # The unit head presses "Đã nhận": the answer comes back, the card is edited in place.
    async with http.post(
        "/api/press",
        json={
            "chat_id": KTHT_CHAT,
            "message_id": card["message_id"],
            "user_id": KTHT_HEAD,
            "data": button(card, "Đã nhận"),
        },
    ) as response:
        assert response.status == 200
        answer = (await response.json())["answer"]
    assert answer is not None and answer["text"]
    edited = await events.wait_for(lambda e: e["type"] == "edit" and is_card("NV-0001")(e))
    assert "Đang thực hiện" in edited["message"]["text"]
    assert "Đỗ Văn Nam" in edited["message"]["text"]
    now = next(
        m
        for m in chat(await state(http), KTHT_CHAT)["messages"]
        if m["message_id"] == card["message_id"]
    )
    assert "Đang thực hiện" in now["text"] and now["edit_date"]
    # The confirmation in the leadership group came live too, before the edit or after it.
    assert any(
        e["chat_id"] == LEADERSHIP_CHAT and "NV-0001" in (e["message"].get("text") or "")
        for e in events.seen
        if e["type"] == "message" and e["message"]["from"]["is_bot"]
    )


async def bot_answer(box: Sandbox, chat_id: int, sent: Json) -> str:
    """The bot's first message in the chat after a person's message, as plain text."""
    answer = await box.live.tg.wait_for_bot_message(
        chat_id, after_message_id=sent["message"]["message_id"], timeout=10
    )
    return str(answer.get("text") or "")


async def test_usage_examples_name_the_demo_wards_units_and_work_when_copied(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    # A newcomer types /giao alone: the example names units of this ward, not TCKH/QLDT.
    _, sent = await send(http, LEADERSHIP_CHAT, CHAIRMAN, text="/giao")
    usage = await bot_answer(sandbox, LEADERSHIP_CHAT, sent)
    found = re.search(r"Ví dụ: (/giao \S+ .*? hạn 15/12)", usage)
    assert found is not None, usage
    codes = found.group(1).split()[1].split(",")
    ward_codes = [u.code for u in demo().spec.units]
    assert codes == ward_codes[:2], usage
    # ... and copying it assigns a task instead of "Không tìm thấy đơn vị".
    _, sent = await send(http, LEADERSHIP_CHAT, CHAIRMAN, text=found.group(1))
    answer = await bot_answer(sandbox, LEADERSHIP_CHAT, sent)
    assert "Đã giao NV-0001" in answer, answer

    # The other usage lines that name a unit do too.
    for text, example in (
        ("/chuyen NV-0001", f"/chuyen NV-0042 {codes[1]}"),
        ("/moi", f"/moi {codes[0]} head"),
    ):
        _, sent = await send(http, OFFICE, OFFICE, text=text)
        assert example in await bot_answer(sandbox, OFFICE, sent), text
    _, sent = await send(http, ADMIN, ADMIN, text="/dangky")
    assert f"/dangky {codes[0]}" in await bot_answer(sandbox, ADMIN, sent)


async def test_a_document_goes_up_and_comes_back_byte_identical(
    http: aiohttp.ClientSession,
) -> None:
    data = bytes(range(256)) * 300 + "Báo cáo".encode()
    status, sent = await send(
        http,
        KTHT_CHAT,
        KTHT_STAFF,
        text="Báo cáo rà soát vỉa hè",
        file=("Báo cáo tháng 11.pdf", data, "application/pdf"),
    )
    assert status == 200, sent
    message = sent["message"]
    assert message["caption"] == "Báo cáo rà soát vỉa hè"  # with a file, the text is its caption
    document = message["document"]
    assert document["file_name"] == "Báo cáo tháng 11.pdf"
    async with http.get(f"/api/files/{document['file_id']}?download=1") as response:
        assert response.status == 200
        assert response.content_type == "application/pdf"
        assert await response.read() == data
        disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20th%C3%A1ng%2011.pdf" in disposition

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    status, sent = await send(http, KTHT_CHAT, KTHT_STAFF, file=("bieu-do.png", png, "image/png"))
    assert status == 200, sent
    async with http.get(f"/api/files/{sent['message']['document']['file_id']}") as response:
        assert response.headers["Content-Disposition"].startswith("inline;")  # shown in the page
        assert await response.read() == png
    async with http.get("/api/files/nope") as response:
        assert response.status == 404


async def test_a_reply_to_a_message_is_sent_as_a_reply(http: aiohttp.ClientSession) -> None:
    _, first = await send(http, KTHT_CHAT, KTHT_HEAD, text="Ai phụ trách tuyến Trần Nhân Tông?")
    status, second = await send(
        http, KTHT_CHAT, KTHT_STAFF, text="Em ạ", reply_to=first["message"]["message_id"]
    )
    assert status == 200, second
    replied = second["message"]["reply_to_message"]
    assert replied["message_id"] == first["message"]["message_id"]
    assert replied["text"] == "Ai phụ trách tuyến Trần Nhân Tông?"


async def test_bad_requests_are_refused_with_a_reason(http: aiohttp.ClientSession) -> None:
    status, body = await send(http, LEADERSHIP_CHAT, 123, text="xin chào")
    assert status == 400 and "123" in body["error"]
    status, body = await send(http, KTHT_HEAD, CHAIRMAN, text="chat riêng của người khác")
    assert status == 400
    status, body = await send(http, LEADERSHIP_CHAT, CHAIRMAN)
    assert status == 400 and "Tin nhắn trống" in body["error"]
    # Not a member of the group: refused with who and where, and nothing reaches the chat.
    before = len(chat(await state(http), KTHT_CHAT)["messages"])
    status, body = await send(http, KTHT_CHAT, CHAIRMAN, text="/viec")
    assert status == 400
    assert body["error"].startswith(
        "Nguyễn Văn Hùng không phải thành viên nhóm “Phòng Kinh tế, Hạ tầng và Đô thị”"
    )
    status, body = await send(http, LEADERSHIP_CHAT, KTHT_HEAD, text="chào các anh chị")
    assert status == 400 and "Đỗ Văn Nam không phải thành viên" in body["error"]
    assert len(chat(await state(http), KTHT_CHAT)["messages"]) == before
    payload = {"chat_id": KTHT_CHAT, "message_id": 999, "user_id": KTHT_HEAD, "data": "ack:1"}
    async with http.post("/api/press", json=payload) as response:
        assert response.status == 400
        assert "999" in (await response.json())["error"]
    async with http.post("/api/press", json={"chat_id": "x"}) as response:
        assert response.status == 400


async def test_a_message_over_4096_characters_is_refused_as_telegram_does(
    http: aiohttp.ClientSession,
) -> None:
    before = len(chat(await state(http), LEADERSHIP_CHAT)["messages"])
    status, body = await send(http, LEADERSHIP_CHAT, CHAIRMAN, text="Nội dung" + "." * 4092)
    assert status == 400
    assert body["error"].startswith(
        "Tin nhắn dài 4.100 ký tự, quá giới hạn 4.096 ký tự của Telegram, nên chưa được gửi."
    )
    assert len(chat(await state(http), LEADERSHIP_CHAT)["messages"]) == before
    status, body = await send(http, LEADERSHIP_CHAT, CHAIRMAN, text="/viec " + "x" * 4090)
    assert status == 200


async def test_fast_forward_answers_with_the_clock(http: aiohttp.ClientSession) -> None:
    async with http.post("/api/fast-forward") as response:
        assert response.status == 200
        body = await response.json()
    assert body["clock"]["tz"] == "Asia/Ho_Chi_Minh"
    if body["moved"]:
        assert "Đồng hồ sandbox" in body["text"]
    else:  # nothing is scheduled in an empty ward: the clock stays where it was
        assert "Chưa có gì được hẹn giờ" in body["text"]
        assert body["clock"]["label"] == "Thứ Hai, 23/11/2026 09:00"


async def test_the_sandbox_says_its_notices_in_the_bots_language(tmp_path: Path) -> None:
    settings = sandbox_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", _env_file=None, DONDOC_LANGUAGE="en"
    )
    box = await Sandbox.start(settings, port=0, clock=ManualClock(START))
    try:
        async with aiohttp.ClientSession(base_url=box.url) as http:
            async with http.post("/api/fast-forward") as response:
                body = await response.json()
            assert not body["moved"]
            assert body["text"].startswith("Nothing is scheduled yet")
            assert body["clock"]["label"] == "Monday, 23/11/2026 09:00"
            status, body = await send(http, LEADERSHIP_CHAT, CHAIRMAN, text="x" * 4100)
            assert status == 400
            assert body["error"].startswith(
                "The message is 4,100 characters long, over Telegram's limit of 4,096"
            )
            status, body = await send(http, LEADERSHIP_CHAT, KTHT_HEAD, text="chào")
            assert status == 400 and "is not a member of the group" in body["error"]
    finally:
        await box.stop()


VIETNAMESE = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]", re.I
)


def strings_of(page: str) -> Json:
    """The table of app.js's words the server puts in the page."""
    found = re.search(r'<script id="strings" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None, page
    table: Json = json.loads(found.group(1))
    return table


async def test_the_page_follows_the_bots_language(tmp_path: Path) -> None:
    """The page's own words (index.html, app.js) come from the catalog in DONDOC_LANGUAGE,
    as the bot's messages and the server's notices do: English when asked, Vietnamese else."""
    pages = {}
    for lang in ("vi", "en"):
        settings = sandbox_settings(
            f"sqlite+aiosqlite:///{tmp_path / lang}.db", _env_file=None, DONDOC_LANGUAGE=lang
        )
        box = await Sandbox.start(settings, port=0, clock=ManualClock(START))
        try:
            async with aiohttp.ClientSession(base_url=box.url) as http:
                async with http.get("/") as response:
                    pages[lang] = await response.text()
                snapshot = await state(http)
                async with http.get("/app.js") as response:
                    script = await response.text()
        finally:
            await box.stop()
        personas = {p["id"]: p["role"] for p in snapshot["personas"]}
        if lang == "en":
            assert personas[CHAIRMAN] == "Chairman"
            assert personas[KTHT_HEAD] == "Unit head, Phòng Kinh tế, Hạ tầng và Đô thị"
        else:
            assert personas[CHAIRMAN] == "Chủ tịch"
    vi, en = pages["vi"], pages["en"]
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert "{{" not in vi and "{{" not in en  # every slot filled
    assert "Thử Đôn Đốc không cần Telegram" in vi and "Đóng vai" in vi
    assert "Mất kết nối với sandbox — đang thử lại…" in vi
    assert "Try Đôn Đốc without Telegram" in en and "Acting as" in en
    assert "Lost the connection to the sandbox — trying again…" in en
    assert 'placeholder="Type a message or a command, like /giao KTHT' in en
    # The buttons the help names are the bot's own words in that language.
    assert "<b>✅ Đã nhận (acknowledge)</b>" in en and "<b>✅ Đã nhận</b>" in vi
    # The help's samples stay commands the bot takes as they are.
    assert '<code class="try">/giao KTHT Review the pavement encroachments' in en
    # Nothing Vietnamese is left in the English page but names, units, buttons and commands.
    words = re.sub(r"<script.*?</script>|<code.*?</code>", "", en, flags=re.S)
    for name in (
        "Đôn Đốc",
        "Nguyễn Văn Hùng",
        "Đỗ Văn Nam",
        "Lãnh đạo UBND",
        "phường",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Đã nhận",
        "Báo cáo kết quả",
        "Duyệt",
        "/giao KTHT … hạn 15/12",
    ):
        words = words.replace(name, "")
    assert not VIETNAMESE.search(words), VIETNAMESE.findall(words)
    vi_strings, en_strings = strings_of(vi), strings_of(en)
    assert set(vi_strings) == set(en_strings)
    assert vi_strings["private"] == "🤖 {bot} (chat riêng)"
    assert en_strings["private"] == "🤖 {bot} (private chat)"
    assert en_strings["locale"] == "en-GB" and vi_strings["locale"] == "vi-VN"
    assert en_strings["too_long"].startswith("The message is {size} characters long")
    # app.js holds no words of its own: all come from the table.
    assert "Đôn Đốc" in script.splitlines()[0]
    assert not VIETNAMESE.search("\n".join(script.splitlines()[1:]))


async def test_fast_forward_runs_the_next_nudge_on_the_sandbox_clock(tmp_path: Path) -> None:
    # The sandbox's own kind of clock (time flows, ⏩ moves it forward), started on a Monday
    # morning of the test's choosing: what ⏩ reaches first must not depend on the day the test
    # runs (on the last day of a month it used to be the monthly report).
    settings = sandbox_settings(f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", _env_file=None)
    box = await Sandbox.start(settings, port=0, clock=OffsetClock(START))
    try:
        async with aiohttp.ClientSession(base_url=box.url) as http:
            due = (START + timedelta(days=10)).strftime("%d/%m/%Y")
            status, _ = await send(
                http, LEADERSHIP_CHAT, CHAIRMAN, text=f"/giao KTHT Kiểm tra hạn {due}"
            )
            assert status == 200
            await box.live.tg.wait_for_bot_message(KTHT_CHAT, is_card_message("NV-0001"))
            before = box.live.runtime.services.core.clock.now()
            async with http.get("/api/events") as stream:
                events = Events(stream)
                async with http.post("/api/fast-forward") as response:
                    body = await response.json()
                clock = await events.wait_for(lambda e: e["type"] == "clock")
        assert body["moved"], body
        assert body["message"] >= 1
        assert "Phòng Kinh tế, Hạ tầng và Đô thị" in body["text"]
        assert clock["clock"] == body["clock"]
        assert datetime.fromisoformat(body["clock"]["now"]) > before
    finally:
        await box.stop()


@pytest.mark.time_sensitive
async def test_fast_forward_works_on_the_real_clock_whatever_the_day(tmp_path: Path) -> None:
    # As `dondoc sandbox` runs: the flowing clock starts now. What ⏩ reaches first depends on the
    # day (a nudge, the weekly post, the monthly report), so only what holds on any day is checked;
    # .ci/run runs this again on a month's last working day and on the Friday before Tết.
    settings = sandbox_settings(f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", _env_file=None)
    box = await Sandbox.start(settings, port=0)
    try:
        async with aiohttp.ClientSession(base_url=box.url) as http:
            clock = box.live.runtime.services.core.clock
            due = (clock.now().astimezone(VN) + timedelta(days=10)).strftime("%d/%m/%Y")
            status, _ = await send(
                http, LEADERSHIP_CHAT, CHAIRMAN, text=f"/giao KTHT Kiểm tra hạn {due}"
            )
            assert status == 200
            await box.live.tg.wait_for_bot_message(KTHT_CHAT, is_card_message("NV-0001"))
            before = clock.now()
            async with http.post("/api/fast-forward") as response:
                body = await response.json()
        assert body["moved"], body
        assert datetime.fromisoformat(body["clock"]["now"]) > before
        assert body["clock"]["label"] in body["text"]
    finally:
        await box.stop()


async def _read_until(stream: asyncio.StreamReader, needle: str, timeout: float) -> str:
    seen = ""
    async with asyncio.timeout(timeout):
        while needle not in seen:
            line = await stream.readline()
            if not line:
                break
            seen += line.decode()
    return seen


def _env(**extra: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DONDOC_", "DATABASE_URL"))
    }
    return clean | {"PYTHONIOENCODING": "utf-8"} | extra


async def _dondoc(cwd: Path, *args: str, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=_env(**env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


@pytest.mark.time_sensitive
@pytest.mark.parametrize("command", ["run", "sandbox"])
async def test_the_cli_starts_the_sandbox_and_ctrl_c_stops_it(tmp_path: Path, command: str) -> None:
    if command == "run":  # `make run` without a token
        process = await _dondoc(tmp_path, "run", DONDOC_SANDBOX_PORT="0")
        database = tmp_path / "data" / "sandbox.db"
    else:
        database = tmp_path / "elsewhere.db"
        url = f"sqlite+aiosqlite:///{database}"
        process = await _dondoc(tmp_path, "sandbox", "--port", "0", "--db", url)
    try:
        assert process.stdout is not None
        log = await _read_until(process.stdout, "Sandbox: http://", timeout=60)
        if command == "run":
            assert log.startswith("Chưa có TELEGRAM_BOT_TOKEN: mở sandbox"), log
            assert "@BotFather" in log
        # The address stands out: framed, on its own line.
        found = re.search(r"^=+\n  Sandbox: (http://127\.0\.0\.1:\d+)\n", log, re.M)
        assert found is not None, log
        async with aiohttp.ClientSession(base_url=found.group(1)) as session:
            async with session.get("/api/state") as response:
                assert response.status == 200
                assert len((await response.json())["personas"]) == len(demo().personas)
            # An open live stream must not hold up Ctrl-C.
            async with session.get("/api/events") as stream:
                await stream.content.readline()
                process.send_signal(signal.SIGINT)
                code = await asyncio.wait_for(process.wait(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert code == 0
    assert database.exists()


async def test_a_port_taken_by_another_program_is_reported_with_a_free_one(tmp_path: Path) -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        process = await _dondoc(tmp_path, "sandbox", DONDOC_SANDBOX_PORT=str(port))
        output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        server.close()
        await server.wait_closed()
    text = output.decode()
    assert process.returncode == 1, text
    assert f"Cổng {port} (127.0.0.1) đang được dùng (có thể bởi một sandbox" in text
    advice = r"make sandbox PORT=(\d+) \(hoặc \.venv/bin/dondoc sandbox --port (\d+)\)"
    found = re.search(advice, text)
    assert found is not None and found.group(1) == found.group(2), text
    assert int(found.group(1)) > port
    assert "Traceback" not in text
    assert not (tmp_path / "data").exists()  # refused before any database was touched


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("192.0.2.1", "địa chỉ này không thuộc máy này"),  # TEST-NET-1: never this machine's
        ("khong-co-may-nay.invalid", "không tìm thấy tên máy này"),
    ],
)
def test_an_address_that_cannot_be_listened_on_is_said_in_vietnamese(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    host: str,
    reason: str,
) -> None:
    """The system's reason was printed as Python gives it, in English ("Cannot assign
    requested address") inside the Vietnamese line."""
    from bot.sandbox import runner

    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("DONDOC_")]:
        monkeypatch.delenv(name)
    assert runner.run(host=host, port=0) == 1
    said = capsys.readouterr().err
    assert f"Không mở được {host}:0 ({reason})." in said, said
    assert "Chọn địa chỉ hoặc cổng khác:" in said
    assert not (tmp_path / "data").exists()


async def test_a_button_pressed_twice_or_an_empty_message_is_refused_in_vietnamese(
    http: aiohttp.ClientSession, events: Events
) -> None:
    """Two tabs, or a double tap: the second press finds the button gone from the edited card.
    The page showed the stand-in's English ("message 7 has no button with callback_data ...")."""
    await send(http, LEADERSHIP_CHAT, CHAIRMAN, text="/giao KTHT Kiểm tra hạn 15/12")
    card = (await events.wait_for(lambda e: e["type"] == "message" and is_card("NV-0001")(e)))[
        "message"
    ]
    payload = {
        "chat_id": KTHT_CHAT,
        "message_id": card["message_id"],
        "user_id": KTHT_HEAD,
        "data": button(card, "Đã nhận"),
    }
    async with http.post("/api/press", json=payload) as response:
        assert response.status == 200
    await events.wait_for(lambda e: e["type"] == "edit" and is_card("NV-0001")(e))
    async with http.post("/api/press", json=payload) as response:
        assert response.status == 400
        error = (await response.json())["error"]
    assert error == (
        f"Nút này không còn trên tin nhắn {card['message_id']} (tin nhắn đã đổi hoặc không còn): "
        "bấm nút trên tin nhắn như đang hiển thị."
    )
    status, body = await send(http, LEADERSHIP_CHAT, CHAIRMAN, text="  ")
    assert (status, body["error"]) == (400, "Tin nhắn trống: gõ nội dung hoặc đính kèm tệp.")
    status, body = await send(http, LEADERSHIP_CHAT, CHAIRMAN, text="Vâng", reply_to="99999")
    assert (status, body["error"]) == (
        400,
        "Không còn tin nhắn 99999 trong cuộc trò chuyện này để trả lời.",
    )
