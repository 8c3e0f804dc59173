"""The baseline of bench/throughput.py and bench/coldstart.py: a bare python-telegram-bot echo bot
with PTB's defaults (one handler replying with the text, one answering button presses). Imports
nothing but PTB, so its start-up is a bare bot's.

    python bench/echo_bot.py http://127.0.0.1:PORT
"""

from __future__ import annotations

import sys

TOKEN = "123456:BENCH"


def main(api: str) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
    from telegram.ext import filters as f

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            update.effective_message.text or "", do_quote=True
        )

    async def press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("ok")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .build()
    )
    app.add_handler(MessageHandler(f.ALL, echo))
    app.add_handler(CallbackQueryHandler(press))
    app.run_polling()


if __name__ == "__main__":
    main(sys.argv[1])
