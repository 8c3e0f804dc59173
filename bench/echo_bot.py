"""The baselines of bench/throughput.py and bench/coldstart.py, bare python-telegram-bot bots that
import nothing but PTB, so their start-up is a bare bot's:

- echo (the default): PTB's defaults, one handler replying with the text, one answering button
  presses;
- floor: the Bot API calls Đôn Đốc makes for each kind of update in bench/throughput.py's mix
  (a reply and the unit's card for /giao; the callback answer, the card's edit and the notice for
  a button; reply, notice and card edit for /xong; one reply for /nv and /viec), with PTB's
  defaults and no database: what PTB's own request path costs for that work. Its updates are
  handled one at a time, as echo's: handled concurrently (256 at once), httpx's connection pool
  spent from 4.4 to 14 ms of CPU per update from run to run, the more the more requests waited
  in it, where one at a time gives a steady 2.2-2.4 ms.

    python bench/echo_bot.py http://127.0.0.1:PORT [floor]
"""

from __future__ import annotations

import sys

TOKEN = "123456:BENCH"


def main(api: str, kind: str) -> None:
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

    async def floor_message(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None
        text = message.text or ""
        reply = await message.reply_text(text, do_quote=True)
        if text.startswith(("/giao", "/xong")):
            await message.chat.send_message(text)  # the card, the assigner's notice
        if text.startswith("/xong"):
            await reply.edit_text(text + " ✓")  # the card's edit

    async def floor_press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer("ok")
        notice = await query.message.chat.send_message("ok")
        await notice.edit_text("ok ✓")  # the card's edit, on a message of the bot's own

    builder = ApplicationBuilder().token(TOKEN).base_url(f"{api}/bot")
    builder = builder.base_file_url(f"{api}/file/bot")
    if kind == "floor":
        app = builder.build()
        app.add_handler(MessageHandler(f.ALL, floor_message))
        app.add_handler(CallbackQueryHandler(floor_press))
    else:
        app = builder.build()
        app.add_handler(MessageHandler(f.ALL, echo))
        app.add_handler(CallbackQueryHandler(press))
    app.run_polling()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "echo")
