"""A line the core says about a file or a setting, kept as a catalog key with its parameters.

`Said` is a `str` (its English, for logs, exceptions and the tests that read them) that can say
itself in the reader's language: ``line.said("vi")``. The roster file's problems and the
database's one-line failures are made of these, so the core needs no language of its own.
"""

from __future__ import annotations

from bot.text.catalog import t


class Said(str):
    """ "org.yaml:12: the file is empty" in English; ``said(lang)`` in any catalog language.
    ``where`` ("org.yaml:12", a path, or "") is written before the message, and is no word."""

    where: str
    key: str
    params: dict[str, object]

    def __new__(cls, key: str, where: str = "", /, **params: object) -> Said:
        self = super().__new__(cls, _line(where, key, "en", params))
        self.where, self.key, self.params = where, key, params
        return self

    def said(self, lang: str) -> str:
        return _line(self.where, self.key, lang, self.params)

    def at(self, where: str) -> Said:
        """The same message, placed (a section's problem given the line of its key)."""
        return Said(self.key, where, **self.params)

    def __reduce__(self) -> tuple[object, tuple[str, str, dict[str, object]]]:
        # copy and pickle rebuild it from its key, not from its English.
        return _rebuilt, (self.key, self.where, self.params)


def _rebuilt(key: str, where: str, params: dict[str, object]) -> Said:
    return Said(key, where, **params)


def _line(where: str, key: str, lang: str, params: dict[str, object]) -> str:
    text = t(key, lang, **params)
    return f"{where}: {text}" if where else text
