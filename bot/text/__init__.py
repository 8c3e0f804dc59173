"""Everything a user reads: the message catalog (Vietnamese first, English second) and renderers."""

from bot.text.catalog import t

__all__ = ["t"]
