"""/tonghop (the tally, with its chart) and /baocao (the monthly workbook)."""

from __future__ import annotations

from telegram import InputFile, ReplyParameters, Update
from telegram.constants import ParseMode

from bot.services.reports import Answer
from handlers.adapt import actor_of, answer, command_tail, where_of
from handlers.context import Ctx


async def _send(update: Update, ctx: Ctx, result: Answer) -> None:
    await answer(update, ctx, result.outcome)
    message = update.effective_message
    assert message is not None
    reply = ReplyParameters(message.message_id, allow_sending_without_reply=True)
    files = [*result.files, *(await result.later() if result.later is not None else [])]
    for file in files:
        upload = InputFile(file.data, filename=file.name)
        if file.kind == "photo":
            await ctx.bot.send_photo(
                message.chat_id, upload, caption=file.caption, parse_mode=ParseMode.HTML,
                reply_parameters=reply,
            )  # fmt: skip
        else:
            await ctx.bot.send_document(
                message.chat_id, upload, caption=file.caption, parse_mode=ParseMode.HTML,
                reply_parameters=reply,
            )  # fmt: skip


async def tonghop(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    result = await ctx.services.reports.tonghop(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await _send(update, ctx, result)


async def baocao(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    result = await ctx.services.reports.baocao(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await _send(update, ctx, result)
