"""/chuongtrinh: the office sends the annual programme as an .xlsx captioned with the command."""

from __future__ import annotations

from telegram import Document, Update

from handlers.adapt import actor_of, answer, command_tail, where_of
from handlers.context import Ctx


async def chuongtrinh(update: Update, ctx: Ctx) -> None:
    message = update.effective_message
    assert message is not None
    document: Document | None = message.document
    if document is None and message.reply_to_message is not None:
        # "/chuongtrinh" written as a reply to the workbook someone sent.
        document = message.reply_to_message.document
    fetch = None
    if document is not None:
        file_id = document.file_id

        async def fetch() -> bytes:
            file = await ctx.bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())

    outcome = await ctx.services.programme.preview_chat(
        actor_of(update),
        where_of(update),
        command_tail(message),
        document.file_name if document else None,
        document.file_size if document else None,
        fetch,
    )
    await answer(update, ctx, outcome)
