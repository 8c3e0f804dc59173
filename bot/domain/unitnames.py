"""Recognising units the way officials write them: "TCKH", "TC-KH", "Phòng Tài chính - Kế hoạch".

Matching is case- and accent-insensitive and ignores the punctuation inside abbreviations.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.model import Unit

_DROP = re.compile(r"[-–&./(),]")
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\s,;+]+|[,;+]")
_PREFIXES = ("phong ", "ban ", "doi ", "trung tam ")
MAX_KEY_WORDS = 12
# Words that open a unit's name; a name shortened after one of them ("Phòng Giáo dục" for
# "Phòng Giáo dục và Đào tạo") still names the unit when only one unit's name starts that way.
_NAME_OPENERS = ("phong", "ban", "doi", "trung tam", "chi cuc")
# Where a district or ward name ends a unit's name ("Chi cục Thuế quận"), officials often drop it.
_PLACE_SUFFIXES = (" quan", " phuong", " huyen", " xa")
# A phrase never runs across these when reading units inside running text.
_PHRASE_BREAKS = frozenset({";", ":", "(", ")", ".", "\n"})


class _Marks(dict[int, str | None]):
    """str.translate's table dropping combining marks (category Mn), filled as characters are
    first seen: the lookup is in C, where a generator asked unicodedata for every character.
    Only the lower planes are kept (Latin, Vietnamese and their marks live there), so text
    from a hostile client cannot grow it without end."""

    def __missing__(self, code: int) -> str | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else chr(code)
        if code < 0x3000:
            self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lowercase, strip Vietnamese accents (đ included) and abbreviation punctuation."""
    # Reading a unit list folds the same words and phrases many times over (each longer phrase
    # is tried first), and the roster's names at every change: short texts are remembered.
    return _fold_short(text) if len(text) <= CACHED_FOLD else _fold(text)


CACHED_FOLD = 100  # characters: the cache holds at most 4,096 texts this long


@functools.lru_cache(maxsize=4096)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = unicodedata.normalize("NFD", text).translate(_MARKS)
    bare = _DROP.sub(" ", bare.lower())
    return _SPACE.sub(" ", bare).strip()


def _squash(key: str) -> str:
    """ "tc kh" and "tckh" are the same abbreviation."""
    return key.replace(" ", "")


def written_keys(code: str, name: str, aliases: Iterable[str]) -> set[str]:
    """What a unit is written as: its code, name and aliases, folded."""
    return {k for k in (fold(code), fold(name), *(fold(a) for a in aliases)) if k}


def derived_keys(code: str, name: str, aliases: Iterable[str]) -> set[str]:
    """What a unit is also called: "Kinh tế" for "Phòng Kinh tế", "Phòng TCKH" for "TCKH"."""
    keys = set()
    for key in written_keys(code, name, aliases):
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                keys.add(key.removeprefix(prefix))
        keys.add("phong " + key)
    return {k for k in keys if k}


@dataclass(frozen=True, slots=True)
class UnitMatch:
    units: tuple[Unit, ...]  # lead first
    rest: str  # the text after the unit list, untouched
    unknown: str | None = None  # a word where a unit was expected
    suggestions: tuple[str, ...] = ()
    ambiguous: tuple[Unit, ...] = ()  # the units `unknown` could mean, when it names several


class UnitDirectory:
    def __init__(self, units: Iterable[Unit]) -> None:
        self._units = list(units)
        self._keys: dict[str, Unit] = {}
        # A derived name two units share ("Kinh tế" from "Phòng Kinh tế" and "Ban Kinh tế")
        # names neither: a task must not land with the first one by code order.
        self._shared: dict[str, list[Unit]] = {}
        # What a unit is written as (code, name, aliases) wins over what is derived from it
        # ("Kinh tế" from "Phòng Kinh tế"), so a unit whose alias is "Kinh tế" keeps it.
        for derived in (False, True):
            level: dict[str, Unit] = {}
            for unit in self._units:
                for key in self._keys_of(unit, derived):
                    for variant in {key, _squash(key)}:
                        if variant in self._keys:
                            continue
                        other = level.setdefault(variant, unit)
                        # Written names cannot collide (the roster import refuses that), so
                        # only derived ones are shared; among written ones the first stays.
                        if other is not unit and derived:
                            shared = self._shared.setdefault(variant, [other])
                            if unit not in shared:
                                shared.append(unit)
            for key, unit in level.items():
                if key not in self._shared:
                    self._keys[key] = unit
        self._scan: dict[str, tuple[Unit, ...]] = {}
        self._names: list[tuple[str, Unit]] = []
        self._build_scan()

    @staticmethod
    def _keys_of(unit: Unit, derived: bool) -> set[str]:
        make = derived_keys if derived else written_keys
        return make(unit.code, unit.name, unit.aliases)

    def ambiguous(self, text: str) -> tuple[Unit, ...]:
        """The units a name could mean when it names more than one (else empty)."""
        key = fold(text)
        if key in self._keys:
            return ()
        shared = self._shared.get(key) or self._shared.get(_squash(key)) or ()
        return tuple(sorted(shared, key=lambda u: u.id))  # as the roster lists them

    def _build_scan(self) -> None:
        """The index used to read units inside running text (``match_at``).

        Besides every key ``find`` knows, it holds the forms officials write in documents: the
        name without the district or ward ("Chi cục Thuế" for "Chi cục Thuế quận"), "Trung tâm
        PTQĐ" for a centre whose alias is "TT PTQĐ". A derived form two units share names both,
        so the reader can flag it instead of picking one.
        """
        scan: dict[str, set[Unit]] = {}
        for key, unit in self._keys.items():
            scan.setdefault(key, set()).add(unit)
        extra: dict[str, set[Unit]] = {}
        for unit in self._units:
            name = fold(unit.name)
            opener = next((o for o in _NAME_OPENERS if name.startswith(o + " ")), None)
            written = {fold(unit.code), name, *(fold(a) for a in unit.aliases)}
            forms: set[str] = set()
            for key in written:
                if not key:
                    continue
                if key.startswith("tt "):
                    forms.add("trung tam " + key[3:])
                if opener is not None and not key.startswith(opener + " "):
                    forms.add(f"{opener} {key}")
                for suffix in _PLACE_SUFFIXES:
                    if key.endswith(suffix) and key.count(" ") >= 2:
                        forms.add(key.removesuffix(suffix))
            for form in forms:
                if form not in scan:
                    extra.setdefault(form, set()).add(unit)
                    extra.setdefault(_squash(form), set()).add(unit)
        for form, units in extra.items():
            scan.setdefault(form, set()).update(units)
        self._scan = {k: tuple(sorted(v, key=lambda u: u.id)) for k, v in scan.items()}
        self._names = sorted(
            {fold(u.name): u for u in self._units}.items(), key=lambda item: item[0]
        )

    def match_at(self, words: Sequence[str], i: int) -> tuple[tuple[Unit, ...], int] | None:
        """The unit named by the words starting at ``words[i]``, and the index after it.

        The longest phrase wins; it may run across a comma inside a name but never across
        ``;``, ``:``, brackets or a full stop (tokens of their own in ``words``). Several units
        come back when the phrase names more than one ("Phòng Văn hóa" when both "Phòng Văn hóa -
        Xã hội" and "Phòng Văn hóa và Thông tin" exist): the caller must not pick one.
        """
        if i >= len(words) or words[i] in _PHRASE_BREAKS or words[i] == ",":
            return None
        end = i
        while end < len(words) and end - i < MAX_KEY_WORDS and words[end] not in _PHRASE_BREAKS:
            end += 1
        for j in range(end, i, -1):
            if words[j - 1] == ",":
                continue
            key = fold(" ".join(words[i:j]))
            units = self._scan.get(key) or self._scan.get(_squash(key))
            if units:
                return units, j
        return self._shortened_name_at(words, i, end)

    def _shortened_name_at(
        self, words: Sequence[str], i: int, end: int
    ) -> tuple[tuple[Unit, ...], int] | None:
        first = fold(words[i])
        pair = f"{first} {fold(words[i + 1])}" if i + 1 < end else first
        if pair in ("trung tam", "chi cuc"):
            opener_words = 2
        elif first in ("phong", "ban", "doi"):
            opener_words = 1
        else:
            return None
        for j in range(end, i + opener_words, -1):
            if words[j - 1] == ",":
                continue
            phrase = fold(" ".join(words[i:j]))
            found = tuple(
                sorted(
                    {u for name, u in self._names if name.startswith(phrase + " ")},
                    key=lambda u: u.id,
                )
            )
            if found:
                return found, j
        return None

    @property
    def units(self) -> list[Unit]:
        return list(self._units)

    def find(self, text: str) -> Unit | None:
        key = fold(text)
        return self._keys.get(key) or self._keys.get(_squash(key))

    def suggest(self, text: str, limit: int = 3) -> tuple[str, ...]:
        key = fold(text)
        codes: list[str] = []
        candidates = difflib.get_close_matches(key, list(self._keys), n=10, cutoff=0.5)
        for cand in candidates:
            code = self._keys[cand].code
            if code not in codes:
                codes.append(code)
        if not codes:
            codes = [u.code for u in self._units if fold(u.code).startswith(key[:1])]
        return tuple(codes[:limit])

    def parse_list(self, text: str) -> UnitMatch:
        """Read "TCKH,QLDT nội dung…" or "Phòng Tài chính, phối hợp QLĐT: nội dung…".

        The first unit leads; units joined by commas, "+", "và" or "phối hợp" cooperate. Reading
        stops at the first word that is not a unit; that is where the content starts.
        """
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        found: list[Unit] = []
        i = 0
        expect_unit = True
        last_end = 0
        while i < len(tokens):
            if expect_unit:
                i = self._skip_words(tokens, i, ("chu tri", "phoi hop", "giao"))
                hit = self._longest(tokens, i)
                if hit is None:
                    shared = self._longest_shared(tokens, i)
                    if shared is not None:
                        phrase, units = shared
                        return UnitMatch(tuple(found), text[last_end:], phrase, (), units)
                    if not found or tokens[i - 1][0] in ",;+":
                        word = tokens[i][0] if i < len(tokens) else ""
                        if found and not word:
                            break
                        return UnitMatch(
                            tuple(found), text[last_end:], word.strip(":"), self.suggest(word)
                        )
                    break
                unit, i = hit
                if unit not in found:
                    found.append(unit)
                last_end = tokens[i - 1][2]
                expect_unit = False
                continue
            word = fold(tokens[i][0])
            if tokens[i][0] in ",;+" or word == "va":
                expect_unit = True
                i += 1
                continue
            if self._skip_words(tokens, i, ("chu tri",)) != i:
                i += 2
                last_end = tokens[i - 1][2]
                continue
            nxt = self._skip_words(tokens, i, ("phoi hop",))
            if nxt != i and self._longest(tokens, nxt) is not None:
                i = nxt
                expect_unit = True
                continue
            break
        if not found:
            word = tokens[0][0] if tokens else ""
            return UnitMatch((), text, word, self.suggest(word) if word else ())
        rest = text[last_end:].lstrip(" \t,;:-–")
        return UnitMatch(tuple(found), rest)

    def _longest(self, tokens: Sequence[tuple[str, int, int]], i: int) -> tuple[Unit, int] | None:
        # A comma may sit inside a name ("Phòng Kinh tế, Hạ tầng và Đô thị"); the longest
        # phrase is tried first, so a whole name wins over reading its comma as a list break.
        # Each word folded once (and remembered across messages), the phrases joined from the
        # folded words: folding a phrase is folding its words (fold works character by
        # character, and a space stays a word break), where folding each phrase anew cost a
        # dozen unremembered folds of the message's opening per /giao.
        end = min(len(tokens), i + MAX_KEY_WORDS)
        words = [fold(t[0]) for t in tokens[i:end]]
        for j in range(end, i, -1):
            if any(t[0] in ";+" for t in tokens[i:j]) or tokens[j - 1][0] == ",":
                continue
            last = tokens[j - 1][0]
            # The phrase's trailing colons go, as `find(phrase.rstrip(":"))` would drop them.
            tail = words[j - 1 - i] if last[-1:] != ":" else fold(last.rstrip(":"))
            key = " ".join(w for w in (*words[: j - 1 - i], tail) if w)
            unit = self._keys.get(key) or self._keys.get(_squash(key))
            if unit is not None:
                return unit, j
        return None

    def _longest_shared(
        self, tokens: Sequence[tuple[str, int, int]], i: int
    ) -> tuple[str, tuple[Unit, ...]] | None:
        """The longest phrase from token i that several units answer to."""
        for j in range(min(len(tokens), i + MAX_KEY_WORDS), i, -1):
            if any(t[0] in ",;+" for t in tokens[i:j]):
                continue
            phrase = " ".join(t[0] for t in tokens[i:j]).rstrip(":")
            units = self.ambiguous(phrase)
            if units:
                return phrase, units
        return None

    @staticmethod
    def _skip_words(tokens: Sequence[tuple[str, int, int]], i: int, words: Sequence[str]) -> int:
        for phrase in words:
            n = phrase.count(" ") + 1
            if " ".join(fold(t[0]) for t in tokens[i : i + n]).rstrip(":") == phrase:
                return i + n
        return i
