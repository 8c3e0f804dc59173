"""What the tests share: the roster, the people, and the World the tests act in (the real bot
polling the Bot API stand-in over HTTP, on a real database, with a clock the tests move)."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from aiohttp import web

from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.sandbox import FakeTelegram
from bot.sandbox.live import LiveBot
from scheduler.delivery import Faults
from scheduler.jobs import RunResult, run_once

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TOKEN = "123:ABC"
# Monday 23 November 2026, 09:00 in Hà Nội.
START = datetime(2026, 11, 23, 9, 0, tzinfo=VN)

LEADERS = -1001000000001
TCKH_CHAT = -1001000000010
QLDT_CHAT = -1001000000020
CHAIRMAN = 900001
VICE = 900002
OFFICE = 900003
TCKH_HEAD = 900010
TCKH_STAFF = 900011
QLDT_HEAD = 900020
ADMIN = 900099
STRANGER = 999999

ROSTER = f"""\
leadership_chat: {LEADERS}
units:
  - code: TCKH
    name: Phòng Tài chính - Kế hoạch
    aliases: [TC-KH, Tài chính]
    chat: {TCKH_CHAT}
  - code: QLDT
    name: Phòng Quản lý đô thị
    aliases: [QLĐT]
    chat: {QLDT_CHAT}
  - code: TNMT
    name: Phòng Tài nguyên và Môi trường
    aliases: [TN&MT]
people:
  - telegram_id: {CHAIRMAN}
    name: Nguyễn Văn An
    role: chairman
  - telegram_id: {VICE}
    name: Lê Thị Bình
    role: vice_chairman
    supervises: [QLDT]
  - telegram_id: {OFFICE}
    name: Phạm Văn Cường
    role: office
  - telegram_id: {TCKH_HEAD}
    name: Trần Thị Dung
    role: head
    unit: TCKH
  - telegram_id: {TCKH_STAFF}
    name: Hoàng Văn Em
    role: staff
    unit: TCKH
  - telegram_id: {QLDT_HEAD}
    name: Vũ Văn Giang
    role: head
    unit: QLDT
  - telegram_id: {ADMIN}
    name: Đỗ Quản Trị
    role: admin
"""

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
DB_KINDS = ["sqlite", "postgres"]


def make_settings(database_url: str, **extra: Any) -> Settings:
    return load_settings(
        TELEGRAM_BOT_TOKEN=TOKEN,
        DATABASE_URL=database_url,
        DONDOC_ADMINS=str(ADMIN),
        _env_file=None,
        **extra,
    )


class World:
    """The test plays the people: writes, replies, presses buttons, reads what they would see."""

    def __init__(self, live: LiveBot, clock: ManualClock, settings: Settings) -> None:
        self.live = live
        self.tg = live.tg
        self.clock = clock
        self.settings = settings
        self.services = live.runtime.services

    async def tick(self, faults: Faults | None = None) -> RunResult:
        """One pass of the scheduler's due-scan at the current (test) time."""
        result = await run_once(self.live.app, faults)
        await self.live.settled()
        return result

    async def at(self, moment: datetime) -> RunResult:
        self.clock.set(moment)
        return await self.tick()

    async def restart(self, **options: Any) -> None:
        """Stop the bot where it stands and start it again on the same database and Telegram."""
        await self.live.stop()
        self.live = await LiveBot.start(self.settings, self.tg, clock=self.clock, **options)
        self.services = self.live.runtime.services

    async def say(
        self,
        chat: int,
        user: int,
        text: str | None = None,
        reply_to: int | None = None,
        document: tuple[str, bytes, str | None] | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Send as a person and wait until the bot has handled it and gone quiet."""
        sent = self.tg.send_message(
            chat, user, text, reply_to=reply_to, document=document, caption=caption
        )
        await self.live.settled()
        return sent

    async def press(
        self, chat: int, message_id: int, user: int, data: str, forged: bool = False
    ) -> dict[str, Any]:
        query_id = self.tg.press_button(chat, message_id, user, data, forged=forged)
        answer = await self.tg.wait_for_callback_answer(query_id, timeout=10)
        await self.live.settled()
        return answer

    def bot_texts(self, chat: int) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self.tg.bot_messages(chat)]

    def message(self, chat: int, message_id: int) -> dict[str, Any]:
        """A message as it is now (after edits); it must exist."""
        found = self.tg.find_message(chat, message_id)
        assert found is not None, f"message {message_id} is gone from chat {chat}"
        return found

    def last(self, chat: int) -> dict[str, Any]:
        message = self.tg.last_bot_message(chat)
        assert message is not None, f"the bot said nothing in {chat}"
        return message

    def last_text(self, chat: int) -> str:
        message = self.last(chat)
        return str(message.get("text") or message.get("caption") or "")

    def card(self, chat: int, code: str) -> dict[str, Any]:
        for message in reversed(self.tg.bot_messages(chat)):
            if f"Nhiệm vụ {code}" in (message.get("text") or ""):
                return message
        raise AssertionError(f"no card for {code} in {chat}: {self.bot_texts(chat)}")

    @staticmethod
    def buttons(message: dict[str, Any]) -> dict[str, str]:
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        return {b["text"]: b["callback_data"] for row in rows for b in row}

    def button(self, message: dict[str, Any], label: str) -> str:
        for text, data in self.buttons(message).items():
            if label in text:
                return data
        raise AssertionError(f"no button {label!r} on {message.get('text')!r}")

    def advance(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))


def people(tg: FakeTelegram) -> None:
    tg.add_user(CHAIRMAN, "An", "Nguyễn Văn")
    tg.add_user(VICE, "Bình", "Lê Thị")
    tg.add_user(OFFICE, "Cường", "Phạm Văn")
    tg.add_user(TCKH_HEAD, "Dung", "Trần Thị")
    tg.add_user(TCKH_STAFF, "Em", "Hoàng Văn", language_code="en")
    tg.add_user(QLDT_HEAD, "Giang", "Vũ Văn")
    tg.add_user(ADMIN, "Trị", "Đỗ Quản")
    tg.add_user(STRANGER, "Lạ", "Người")
    everyone = [CHAIRMAN, VICE, OFFICE, TCKH_HEAD, TCKH_STAFF, QLDT_HEAD, ADMIN, STRANGER]
    tg.add_group(LEADERS, "Lãnh đạo UBND", members=everyone)
    tg.add_group(TCKH_CHAT, "Phòng TC-KH", members=everyone)
    tg.add_group(QLDT_CHAT, "Phòng QLĐT", members=everyone)
    tg.add_group(-1001000000099, "Nhóm lạ", members=everyone)


class WebhookProxy:
    """What stands between Telegram and the instances in webhook mode (a load balancer):
    a subclass says where each POST goes (`forward`)."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.app = web.Application()
        self.app.router.add_post("/telegram", self.forward)
        self.runner: web.AppRunner | None = None
        self.http: aiohttp.ClientSession | None = None

    async def start(self, port: int) -> str:
        self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self.runner = web.AppRunner(self.app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        return f"http://127.0.0.1:{port}/telegram"

    async def stop(self) -> None:
        if self.http is not None:
            await self.http.close()
        if self.runner is not None:
            await self.runner.cleanup()

    async def forward(self, request: web.Request) -> web.Response:
        raise NotImplementedError
