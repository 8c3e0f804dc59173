"""A local stand-in of the Telegram Bot API for end-to-end tests and the sandbox web chat.

- :class:`FakeTelegram` (:mod:`bot.sandbox.state`): the in-memory world, acted on as people.
- :class:`BotApiServer` (:mod:`bot.sandbox.botapi`): serves it over HTTP to a real PTB bot.
"""

from bot.sandbox.botapi import BotApiServer
from bot.sandbox.limits import RateLimits
from bot.sandbox.state import ApiError, FakeTelegram, SandboxEvent

__all__ = ["ApiError", "BotApiServer", "FakeTelegram", "RateLimits", "SandboxEvent"]
