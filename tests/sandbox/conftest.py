"""Fixtures: a sandbox Bot API on a free port and a real PTB Application polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.sandbox import BotApiServer, FakeTelegram

TOKEN = "123:ABC"
App = Application[Any, Any, Any, Any, Any, Any]


def build_app(url: str, token: str = TOKEN) -> App:
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{url}/bot")
        .base_file_url(f"{url}/file/bot")
        .build()
    )


@pytest.fixture
def tg() -> FakeTelegram:
    return FakeTelegram(token=TOKEN)


@pytest.fixture
async def url(tg: FakeTelegram) -> AsyncIterator[str]:
    server = BotApiServer(tg)
    base = await server.start()
    yield base
    await server.stop()


@pytest.fixture
async def app(url: str) -> AsyncIterator[App]:
    """An initialized Application that does not poll (for direct Bot API calls)."""
    application = build_app(url)
    async with application:
        yield application


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    await update.effective_message.reply_text(f"Xin chào {update.effective_user.first_name}")


async def _menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Xác nhận", callback_data="ack:7")]])
    await update.effective_message.reply_text(
        "<b>Việc 7</b>", parse_mode="HTML", reply_markup=keyboard
    )


async def _ack(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Đã nhận việc", show_alert=True)
    await query.edit_message_text(f"Đã xác nhận {query.data}")


@pytest.fixture
async def polling_app(url: str) -> AsyncIterator[App]:
    """An echo bot polling the sandbox: /start, /menu (button) and its callback."""
    application = build_app(url)
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(CommandHandler("menu", _menu))
    application.add_handler(CallbackQueryHandler(_ack))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
