"""Text and entity helpers of the Bot API stand-in.

Telegram measures offsets and lengths in UTF-16 code units; everything here does the same.

- :func:`detect_entities`: the entities a Telegram client attaches to what a person typed
  (``bot_command``, ``mention``, ``url``, ``hashtag``).
- :func:`parse_html`: Telegram's HTML parse mode: plain text plus entities, or
  :class:`EntityParseError` with a message worded like Telegram's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

JsonDict = dict[str, Any]

__all__ = [
    "EntityParseError",
    "detect_entities",
    "parse_html",
    "utf16_len",
]


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram's limits and offsets."""
    return len(text.encode("utf-16-le")) // 2


_COMMAND = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")
_URL = re.compile(r"(?<![\w/])(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]'’]")
_HASHTAG = re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")


def detect_entities(text: str) -> list[JsonDict]:
    """Entities a Telegram client would attach to ``text`` typed by a person, sorted by offset."""
    found: list[tuple[int, int, str]] = []
    for kind, pattern in (
        ("bot_command", _COMMAND),
        ("mention", _MENTION),
        ("url", _URL),
        ("hashtag", _HASHTAG),
    ):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e, _ in found):
                continue
            found.append((start, end, kind))
    found.sort()
    return [
        {
            "type": kind,
            "offset": utf16_len(text[:start]),
            "length": utf16_len(text[start:end]),
        }
        for start, end, kind in found
    ]


class EntityParseError(ValueError):
    """The HTML could not be parsed; ``str(err)`` is the part after "can't parse entities: "."""


_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
_ALLOWED_TAGS = {*_SIMPLE_TAGS, "span", "a", "blockquote", "tg-emoji"}
_CHAR_REF = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|lt|gt|amp|quot);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"[A-Za-z0-9-]*")
_ATTR = re.compile(
    r"\s*([A-Za-z_:][A-Za-z0-9_:.-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?"
)

UserLookup = Callable[[int], JsonDict | None]


class _Open:
    __slots__ = ("attrs", "byte_offset", "name", "start")

    def __init__(self, name: str, attrs: dict[str, str], start: int, byte_offset: int) -> None:
        self.name = name
        self.attrs = attrs
        self.start = start
        self.byte_offset = byte_offset


def _unescape(raw: str) -> str:
    def repl(match: re.Match[str]) -> str:
        body = match.group(1)
        if body in _NAMED:
            return _NAMED[body]
        code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
        try:
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)

    return _CHAR_REF.sub(repl, raw)


def parse_html(source: str, lookup_user: UserLookup | None = None) -> tuple[str, list[JsonDict]]:
    """Parse Telegram-flavoured HTML into ``(text, entities)``.

    The result is what Telegram stores: leading and trailing whitespace stripped, entities in
    UTF-16 units sorted by offset. ``<a href="tg://user?id=N">`` becomes a ``text_mention`` when
    ``lookup_user(N)`` knows the user. Raises :class:`EntityParseError` for unknown or unclosed
    tags and a bare ``<``, like Telegram.
    """
    parts: list[str] = []
    length = 0  # UTF-16 units emitted so far
    stack: list[_Open] = []
    entities: list[JsonDict] = []
    i = 0
    n = len(source)

    def emit(chunk: str) -> None:
        nonlocal length
        if chunk:
            parts.append(chunk)
            length += utf16_len(chunk)

    while i < n:
        lt = source.find("<", i)
        if lt == -1:
            emit(_unescape(source[i:]))
            break
        emit(_unescape(source[i:lt]))
        byte_offset = len(source[:lt].encode("utf-8"))
        gt = source.find(">", lt)
        if source.startswith("</", lt):
            if gt == -1:
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset}")
            name = source[lt + 2 : gt].strip().lower()
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset}")
            top = stack.pop()
            if name != top.name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {byte_offset}, expected "</{top.name}>", '
                    f'found "</{name}>"'
                )
            entity = _make_entity(top, length, lookup_user)
            if entity is not None:
                entities.append(entity)
            i = gt + 1
            continue
        match = _TAG_NAME.match(source, lt + 1)
        name = match.group(0).lower() if match else ""
        if name not in _ALLOWED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
        if gt == -1:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset}")
        attrs = _parse_attrs(source[lt + 1 + len(name) : gt], byte_offset)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset}'
            )
        if name == "a" and "href" not in attrs:
            attrs["href"] = ""
        if name == "tg-emoji" and "emoji-id" not in attrs:
            raise EntityParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {byte_offset}'
            )
        stack.append(_Open(name, attrs, length, byte_offset))
        i = gt + 1

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    text = "".join(parts)
    return _strip(text, _merge_pre_code(entities))


def _parse_attrs(raw: str, byte_offset: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    raw = raw.rstrip()
    while pos < len(raw):
        match = _ATTR.match(raw, pos)
        if match is None or match.end() == pos:
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of a tag "
                f"at byte offset {byte_offset}"
            )
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attrs[match.group(1).lower()] = _unescape(value)
        pos = match.end()
    return attrs


def _make_entity(tag: _Open, end: int, lookup_user: UserLookup | None) -> JsonDict | None:
    length = end - tag.start
    if length <= 0:
        return None
    entity: JsonDict = {"offset": tag.start, "length": length}
    if tag.name in _SIMPLE_TAGS:
        entity["type"] = _SIMPLE_TAGS[tag.name]
        if tag.name == "code" and tag.attrs.get("class", "").startswith("language-"):
            entity["language"] = tag.attrs["class"].removeprefix("language-")
    elif tag.name == "span":
        entity["type"] = "spoiler"
    elif tag.name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
    elif tag.name == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    else:  # "a"
        href = tag.attrs["href"]
        user_id = _tg_user_id(href)
        user = lookup_user(user_id) if lookup_user is not None and user_id is not None else None
        if user is not None:
            entity["type"] = "text_mention"
            entity["user"] = user
        elif href:
            entity["type"] = "text_link"
            entity["url"] = href
        else:
            return None
    return entity


def _tg_user_id(href: str) -> int | None:
    match = re.fullmatch(r"tg://user\?id=(-?\d+)", href.strip())
    return int(match.group(1)) if match else None


def _merge_pre_code(entities: list[JsonDict]) -> list[JsonDict]:
    """``<pre><code class="language-x">`` is one ``pre`` entity with a language."""
    result: list[JsonDict] = []
    for entity in entities:
        if entity["type"] == "pre":
            inner = next(
                (
                    e
                    for e in result
                    if e["type"] == "code"
                    and e["offset"] == entity["offset"]
                    and e["length"] == entity["length"]
                ),
                None,
            )
            if inner is not None:
                result.remove(inner)
                if "language" in inner:
                    entity["language"] = inner["language"]
        result.append(entity)
    return result


def _strip(text: str, entities: list[JsonDict]) -> tuple[str, list[JsonDict]]:
    stripped = text.strip()
    head = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result: list[JsonDict] = []
    for entity in entities:
        start = max(entity["offset"] - head, 0)
        end = min(entity["offset"] + entity["length"] - head, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    result.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, result
