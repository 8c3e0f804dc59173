"""PTB's objects built without a Python call for each attribute.

`TelegramObject.__setattr__` refuses an assignment to a frozen object (one whose constructor
has finished) and hands everything else to `object.__setattr__`. Being a Python method, it is
called for every attribute of every object PTB builds, while building it too: a `Message` sets
its ~115 attributes, most of them None, one call each. Reading a burst update's JSON into an
`Update` made ~270 such calls: a tenth of the bot's instructions per update (callgrind, issue
13), and about half of `Update.de_json`'s time.

Nothing in the bot assigns to PTB's objects or deletes their attributes (it would be a bug
whichever way it went), so here the guard guards nothing; with `object.__setattr__` and
`object.__delattr__` in its place, CPython sets the slots in C. Both go: CPython keeps one slot
for setting and deleting, and while either is a Python method every assignment still looks
`__setattr__` up and calls it through the slot's wrapper (with `__setattr__` alone replaced,
`Update.de_json` kept two fifths of the guard's instructions). What PTB relies on stays: a name
that is neither a slot nor settable (a property without a setter) still raises AttributeError,
which PTB's unpickling and deepcopy catch.
"""

from __future__ import annotations

from telegram import TelegramObject


def lift_assignment_guard() -> None:
    """Once, as the application is built (every update is read after this)."""
    TelegramObject.__setattr__ = object.__setattr__  # type: ignore[method-assign,assignment]
    TelegramObject.__delattr__ = object.__delattr__  # type: ignore[method-assign]
