"""A line the core says about a file or a setting, kept as a catalog key with its parameters.

`Said` is a `str` (its English, for logs, exceptions and the tests that read them) that can say
itself in the reader's language: ``line.said("vi")``. The roster file's problems and the
database's one-line failures are made of these, so the core needs no language of its own.
"""

from __future__ import annotations

import errno
import socket

from bot.text.catalog import t

# Python's reasons (strerror) are English whatever the locale: the common ones, said by us.
_OS_REASONS = {
    errno.ENOENT: "os.no_such_file",
    errno.EACCES: "os.permission",
    errno.EPERM: "os.permission",
    errno.EISDIR: "os.is_folder",
    errno.ENOTDIR: "os.not_a_folder",
    errno.ENOSPC: "os.disk_full",
    errno.EROFS: "os.read_only",
    errno.EADDRINUSE: "os.address_in_use",
    errno.EADDRNOTAVAIL: "os.not_this_machine",
}


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
    text = t(key, lang, **in_language(params, lang))
    return f"{where}: {text}" if where else text


def in_language(params: dict[str, object], lang: str) -> dict[str, object]:
    """Parameters that are themselves Said (an OS error's reason) said in `lang` too."""
    return {k: v.said(lang) if isinstance(v, Said) else v for k, v in params.items()}


def os_reason(exc: OSError) -> str:
    """Why the system refused, as a Said when it is a common reason."""
    # A host name the resolver does not know: its errno (EAI_*) is not the system's own.
    if isinstance(exc, socket.gaierror):
        return Said("os.unknown_host")
    key = _OS_REASONS.get(exc.errno or 0)
    return Said(key) if key is not None else str(exc.strerror or exc)
