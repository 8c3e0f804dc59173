"""Intake commands: /giao without a unit drafts a task list from a conclusion; /vanban."""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import TelegramError

from bot.services.drafts import DownloadError, Source, Upload
from handlers.adapt import actor_of, answer, command_tail, where_of
from handlers.context import Ctx


def source_of(message: Message, bot_id: int) -> Message | None:
    """The message a bare /giao drafts from: the one it replies to (not the bot's own), or the
    document it is the caption of. None when there is neither: then it is plain /giao."""
    replied = message.reply_to_message
    if replied is not None and not (replied.from_user and replied.from_user.id == bot_id):
        return replied
    if message.document is not None:
        return message
    return None


async def giao(update: Update, ctx: Ctx, source: Message) -> None:
    message = update.effective_message
    assert message is not None
    upload = None
    document = source.document
    if document is not None:
        file_id = document.file_id

        async def fetch() -> bytes:
            try:
                file = await ctx.bot.get_file(file_id)
                return bytes(await file.download_as_bytearray())
            except TelegramError as exc:
                raise DownloadError(str(exc)) from exc

        upload = Upload(file_id, document.file_name, document.file_size, fetch)
    # A caption that is the command itself is not the text to read.
    text = "" if source is message else (source.text or source.caption or "")
    outcome = await ctx.services.drafts.make(
        actor_of(update), where_of(update), Source(text=text, upload=upload, link=source.link)
    )
    await answer(update, ctx, outcome)


async def vanban(update: Update, ctx: Ctx) -> None:
    assert update.effective_message is not None
    outcome = await ctx.services.drafts.documents(
        actor_of(update), where_of(update), command_tail(update.effective_message)
    )
    await answer(update, ctx, outcome)
