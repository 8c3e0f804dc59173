"""Long user text (an assignment of several thousand characters) cut into pieces that Telegram
takes whole, at the places a reader expects a break: a line's end, else a sentence's end, else a
space. Nothing is dropped: the pieces joined again give the text back."""

from __future__ import annotations

from bot.patterns import lazy

# Telegram counts a message's text after its HTML is parsed: 4,096 characters. The pieces leave
# room for the header line each one carries.
PIECE_LIMIT = 3800

_SENTENCE_END = lazy(r"[.!?…;:](?:[\"”’)\]]*)\s+")


def split_text(text: str, limit: int = PIECE_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, broken at the last line end that
    fits, else the last sentence end, else the last space (a word longer than ``limit`` is cut)."""
    if limit < 1:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        # A break in the first half would make a short piece and many more pieces: only a
        # space is taken that early.
        half = limit // 2
        cut = window.rfind("\n")
        if cut < half:
            ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() <= limit]
            cut = ends[-1] if ends and ends[-1] >= half else window.rfind(" ")
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def excerpt(text: str, limit: int) -> str:
    """The beginning of ``text``, ending at a sentence or line end when one falls in the second
    half of ``limit``, with "…" when something follows."""
    text = text.strip()
    if len(text) <= limit:
        return text
    first = split_text(text, limit - 1)[0]
    if len(first) < limit // 2:
        first = text[: limit - 1].rstrip()
    return first + "…"
