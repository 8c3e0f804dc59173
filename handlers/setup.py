"""Handler registration, in the order PTB tries them (first match wins within a group)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import BotCommand, BotCommandScopeDefault, Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.text.catalog import COMMANDS
from handlers import buttons, chasing, directory, drafts, onboarding, programme, reports, tasks
from handlers.adapt import ignored
from handlers.context import Ctx, DondocApp
from handlers.errors import on_error


class _AddressedCommand(filters.MessageFilter):
    """A message starting with "/command@<this bot's username>"."""

    def filter(self, message: Message) -> bool:
        first = (message.text or "").split(maxsplit=1)[0] if message.text else ""
        command, _, target = first.partition("@")
        username = message.get_bot().username
        return command.startswith("/") and bool(target) and target.lower() == username.lower()


ADDRESSED_COMMAND = _AddressedCommand(name="ADDRESSED_COMMAND")


async def _drop(update: object, _: Ctx) -> None:
    if ignored(update):
        raise ApplicationHandlerStop


Handler = Callable[[Update, Ctx], Awaitable[None]]
COMMAND_ROUTES: dict[str, Handler] = {
    "start": onboarding.start,
    "help": onboarding.help_,
    "trogiup": onboarding.help_,
    "lang": onboarding.lang,
    "dangky": onboarding.dangky,
    "moi": onboarding.moi,
    "giao": tasks.giao,
    "nhan": tasks.nhan,
    "xong": tasks.xong,
    "giahan": tasks.giahan,
    "huy": tasks.huy,
    "chuyen": tasks.chuyen,
    "viec": tasks.viec,
    "nv": tasks.nv,
    "vanban": drafts.vanban,
    "dinhky": tasks.dinhky,
    "nhac": chasing.nhac,
    "lich": chasing.lich,
    "tonghop": reports.tonghop,
    "baocao": reports.baocao,
    "donvi": directory.donvi,
    "chuongtrinh": programme.chuongtrinh,
}


async def _command(update: Update, ctx: Ctx) -> None:
    """The command's own handler; CommandHandler has checked that the message starts with one
    of COMMAND_ROUTES, alone or addressed to this bot, in any case."""
    message = update.effective_message
    assert message is not None and message.text is not None and message.entities
    name = message.text[1 : message.entities[0].length].partition("@")[0].lower()
    await COMMAND_ROUTES[name](update, ctx)


def register(app: DondocApp) -> None:
    # 0. Before everything, in a group of its own: updates no handler below may see (a channel
    #    post, a button on an inline message), dropped silently instead of tripping on a
    #    missing sender or chat.
    app.add_handler(TypeHandler(Update, _drop), group=-1)
    # 1. Commands, all in one handler (`_command`): PTB tries a group's handlers one after
    #    another, and each CommandHandler read the message's text again only to refuse it. A
    #    report with a file arrives as a document whose *caption* is "/xong …"; CommandHandler
    #    reads only message text, so that case gets its own caption handler.
    app.add_handler(CommandHandler(list(COMMAND_ROUTES), _command))
    app.add_handler(MessageHandler(filters.CaptionRegex(r"^/xong(@\w+)?(\s|$)"), tasks.xong))
    app.add_handler(MessageHandler(filters.CaptionRegex(r"^/giao(@\w+)?(\s|$)"), tasks.giao))
    app.add_handler(
        MessageHandler(filters.CaptionRegex(r"^/chuongtrinh(@\w+)?(\s|$)"), programme.chuongtrinh)
    )
    # 2. Buttons: authorization happens in the services, against the roster.
    app.add_handler(CallbackQueryHandler(buttons.button))
    # 3. Replies to the bot's prompts and cards; after the commands, so a reply that is itself
    #    a command ("/xong …") stays a command.
    app.add_handler(MessageHandler(filters.REPLY & ~filters.COMMAND, tasks.reply))
    # 4. Last in the same group, so it sees only what nothing above took: a hint pointing to
    #    /help. In a private chat, any new text or command (the person is talking to the bot).
    #    In a group, only a command written to this bot ("/xyz@dondoc_bot"): plain chat is for
    #    people, and a bare "/xyz" may be meant for another bot in the group.
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE
            & filters.TEXT
            & (filters.ChatType.PRIVATE | (filters.ChatType.GROUPS & ADDRESSED_COMMAND)),
            onboarding.unknown,
        )
    )
    app.add_error_handler(on_error)


async def publish_commands(app: DondocApp) -> None:
    """The command menu: Vietnamese for everyone, English for English-language clients. The
    languages' calls go out together: one round trip to Telegram at start, not one each."""
    await asyncio.gather(
        *(
            app.bot.set_my_commands(
                [BotCommand(name, description) for name, description in items],
                scope=BotCommandScopeDefault(),
                language_code=None if lang == "vi" else lang,
            )
            for lang, items in COMMANDS.items()
        )
    )
