"""Who leads and who cooperates in one item, the way conclusions write it.

* The lead is named where the action starts: right after "Giao", "Yêu cầu", "Đề nghị" (the
  issuer before them, "UBND phường giao", "Chủ tịch UBND quận yêu cầu", is not a unit), or at
  the very start of the item ("Phòng TC-KH chủ trì …", "Trưởng phòng Văn hóa - Xã hội …": a
  person named by office stands for their unit). An opening "Đối với …:" is skipped.
* Units listed with the lead ("Giao Phòng Tư pháp, Phòng TN&MT thẩm định …") and units after
  "phối hợp (với)" anywhere in the item cooperate. Units named anywhere else (the recipient of a
  report, "gửi về Phòng …", "(thông qua Phòng …)", "ý kiến của các phòng: …", a place) do not.
* A class of units ("các phòng, ban liên quan", "UBND các phường", "Thủ trưởng các đơn vị") in
  either place is flagged: someone must choose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.model import Unit
from bot.domain.unitnames import UnitDirectory, fold
from bot.patterns import lazy

_TOKEN = lazy(r"[,;:()]|[^\s,;:()]+")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    folded: str


def tokenize(text: str) -> list[Token]:
    """Words and the punctuation that bounds unit names; a full stop ending a word is its own
    token ("quận." → "quận", "."), dots inside a word ("25.5.2027", "TP.HCM") are kept."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        if word.endswith("./.") and len(word) > 3:  # the official closing
            word = word[:-3]
            tokens.append(Token(word, start, start + len(word), fold(word)))
            tokens.append(Token(".", start + len(word), m.end(), "."))
            continue
        stripped = word.rstrip("./")
        if stripped and stripped != word and not stripped[-1].isdigit():
            tokens.append(Token(stripped, start, start + len(stripped), fold(stripped)))
            tokens.append(Token(".", start + len(stripped), m.end(), "."))
            continue
        tokens.append(Token(word, start, m.end(), fold(word) if word not in ",;:()" else word))
    return tokens


# Accented forms: folded, "giao" would also be "giáo" (education) and "đề nghị" nothing else.
_TRIGGERS = ("giao cho", "giao", "yêu cầu", "đề nghị", "chỉ đạo", "phân công")
_TRIGGERS_ASCII = ("giao cho", "giao", "yeu cau", "de nghi", "chi dao", "phan cong")
# A person named by office stands for their unit: skip the office, read the unit after it.
_TITLES = (
    "dong chi",
    "pho truong phong",
    "truong phong",
    "pho giam doc",
    "giam doc",
    "pho chanh",
    "chanh",
    "pho chu tich",
    "chu tich",
    "pho truong ban",
    "truong ban",
    "pho truong",
    "truong",
    "chi cuc truong",
    "chi huy truong",
    "doi truong",
    "lanh dao",
)
_ISSUER = lazy(
    r"(?:(?:pho\s+)?chu\s+tich\s+)?(?:ubnd|uy\s+ban\s+nhan\s+dan)"
    r"(?:\s+(?:quan|phuong|xa|huyen|thi\s+xa|thanh\s+pho|tinh))?(?:\s+[a-z0-9]+){0,3}?$"
)
_CLASS = lazy(
    r"(?:thu\s+truong\s+|lanh\s+dao\s+)?(?:cac|toan\s+the(?:\s+cac)?|tat\s+ca(?:\s+cac)?)\s+"
    r"(?:phong|ban|don\s+vi|co\s+quan|nganh|phuong|xa|truong|to\s+chuc|dia\s+phuong)"
    r"|(?:ubnd|uy\s+ban\s+nhan\s+dan|chu\s+tich\s+ubnd)\s+cac\s+(?:phuong|xa)"
)
_CLASS_TAIL = lazy(
    r"(?:\s*,?\s*(?:phong|ban|nganh|don\s+vi|co\s+quan|doan\s+the|to\s+chuc|dia\s+phuong"
    r"|lien\s+quan|thuoc\s+quan|tren\s+dia\s+ban|co\s+lien\s+quan|va))*"
)
_COOP = lazy(r"phoi\s+hop(?:\s+chat\s+che)?(?:\s+(?:voi|cung))?")


@dataclass
class Roles:
    lead: Unit | None = None
    cooperating: list[Unit] = field(default_factory=list)
    lead_found: bool = False  # an action start with a unit, a class or an ambiguous name
    ambiguous: list[str] = field(default_factory=list)  # phrases naming several units
    classes: list[str] = field(default_factory=list)  # phrases naming a class of units
    outside: list[str] = field(default_factory=list)  # cooperating bodies not on the roster
    starts_task: bool = False  # begins with Giao / Yêu cầu / Đề nghị or names a lead


def _is_trigger(tokens: list[Token], i: int) -> int:
    """The number of tokens of the trigger at i (0 when none)."""
    for accented, ascii_ in zip(_TRIGGERS, _TRIGGERS_ASCII, strict=True):
        n = accented.count(" ") + 1
        words = tokens[i : i + n]
        if len(words) < n:
            continue
        written = " ".join(t.text.lower() for t in words)
        if written == accented or (written.isascii() and written == ascii_):
            return n
    return 0


def _skip_phrase(tokens: list[Token], i: int, phrases: tuple[str, ...]) -> int:
    for phrase in phrases:
        n = phrase.count(" ") + 1
        if " ".join(t.folded for t in tokens[i : i + n]) == phrase:
            return i + n
    return i


def _skip_titles(tokens: list[Token], i: int) -> int:
    """ "Đồng chí Trưởng phòng …", "Phó Giám đốc …": every office word before the unit."""
    while (j := _skip_phrase(tokens, i, _TITLES)) != i:
        i = j
    return i


def _class_at(tokens: list[Token], i: int) -> int:
    """The index after a class of units starting at i, or i."""
    rest = " ".join(t.folded for t in tokens[i : i + 14])
    m = _CLASS.match(rest)
    if m is None:
        return i
    tail = _CLASS_TAIL.match(rest, m.end())
    end_char = tail.end() if tail is not None else m.end()
    # "… và các đơn vị" may end on a dangling "và": give it back.
    phrase = rest[:end_char].rstrip()
    if phrase.endswith(" va"):
        phrase = phrase[:-3]
    count = len(phrase.replace(" , ", " ").split())
    j, seen = i, 0
    while j < len(tokens) and seen < count:
        if tokens[j].text != ",":
            seen += 1
        j += 1
    return j


def action_start(tokens: list[Token], directory: UnitDirectory) -> tuple[int, bool]:
    """Where the action's subject starts, and whether a trigger word opened it."""
    # "Đối với đơn của bà …: Giao Thanh tra quận …": the subject follows the first colon.
    colon = next((k for k, t in enumerate(tokens) if t.text == ":"), None)
    for start in [0] + ([colon + 1] if colon is not None else []):
        n = _is_trigger(tokens, start)
        if n:
            return start + n, True
        # The issuer, then a trigger: "Chủ tịch UBND phường An Lạc giao …".
        for k in range(start + 1, min(len(tokens), start + 9)):
            n = _is_trigger(tokens, k)
            if n and _ISSUER.fullmatch(" ".join(t.folded for t in tokens[start:k])):
                return k + n, True
        if _subject_at(tokens, start, directory):
            return start, False
    return 0, False


def _subject_at(tokens: list[Token], i: int, directory: UnitDirectory) -> bool:
    j = _skip_titles(tokens, i)
    return directory.match_at([t.text for t in tokens], j) is not None or _class_at(tokens, j) != j


def read_roles(text: str, directory: UnitDirectory) -> Roles:
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    roles = Roles()
    i, triggered = action_start(tokens, directory)
    roles.starts_task = triggered
    i = _skip_titles(tokens, i)
    listed: list[tuple[tuple[Unit, ...], str]] = []
    # The subject: one unit, or several joined by "," / "và" before the action's verb.
    while i < len(tokens):
        hit = directory.match_at(words, i)
        if hit is not None:
            units, j = hit
            listed.append((units, text[tokens[i].start : tokens[j - 1].end]))
            i = j
        else:
            j = _class_at(tokens, i)
            if j == i:
                break
            roles.classes.append(text[tokens[i].start : tokens[j - 1].end])
            listed.append(((), ""))
            i = j
        nxt = i
        if nxt < len(tokens) and (tokens[nxt].text == "," or tokens[nxt].folded == "va"):
            after = _skip_titles(tokens, nxt + 1)
            if directory.match_at(words, after) is not None or _class_at(tokens, after) != after:
                i = after
                continue
        break
    if listed:
        roles.lead_found = True
        roles.starts_task = True
        first_units, first_phrase = listed[0]
        if len(first_units) == 1:
            roles.lead = first_units[0]
        elif len(first_units) > 1:
            roles.ambiguous.append(first_phrase)
        for units, phrase in listed[1:]:
            _add_cooperating(roles, units, phrase)
    # "… phối hợp (với) Y, Z …" anywhere in the item.
    for k, token in enumerate(tokens):
        if token.folded != "phoi":
            continue
        rest = " ".join(t.folded for t in tokens[k : k + 4])
        m = _COOP.match(rest)
        if m is None:
            continue
        j = k + len(m.group(0).split())
        _read_cooperating(tokens, j, text, directory, roles)
    return roles


def _add_cooperating(roles: Roles, units: tuple[Unit, ...], phrase: str) -> None:
    if len(units) > 1:
        if phrase not in roles.ambiguous:
            roles.ambiguous.append(phrase)
        return
    for unit in units:
        if unit is not roles.lead and unit not in roles.cooperating:
            roles.cooperating.append(unit)


def _read_cooperating(
    tokens: list[Token], i: int, text: str, directory: UnitDirectory, roles: Roles
) -> None:
    words = [t.text for t in tokens]
    while i < len(tokens):
        i = _skip_titles(tokens, i)
        hit = directory.match_at(words, i)
        if hit is not None:
            units, j = hit
            _add_cooperating(roles, units, text[tokens[i].start : tokens[j - 1].end])
            i = j
        else:
            j = _class_at(tokens, i)
            if j != i:
                roles.classes.append(text[tokens[i].start : tokens[j - 1].end])
                i = j
            elif tokens[i].text[:1].isupper() and tokens[i].text[:1].isalpha():
                # A body outside the roster ("Ủy ban Mặt trận Tổ quốc quận"): step over its name,
                # and keep it, so the draft can say it was not taken as a unit.
                start, stop = i, min(len(tokens), i + 8)
                while i < stop and tokens[i].text not in ",;:.()" and tokens[i].folded != "va":
                    i += 1
                name = _body_name(tokens[start:i], text)
                if name not in roles.outside:
                    roles.outside.append(name)
            else:
                return
        if i < len(tokens) and (tokens[i].text == "," or tokens[i].folded in ("va", "cung")):
            i += 1
            continue
        return


# Lower-case words that end a body's name after its last capitalised word ("Ủy ban Mặt trận Tổ
# quốc quận", "Trung tâm Y tế phường", "Ban Chỉ huy Quân sự"), compared folded.
_NAME_TAILS = frozenset(
    {"quoc", "su", "te", "nu", "nien", "binh", "dan", "quan", "phuong", "xa", "huyen", "tinh"}
    | {"thi", "tran", "pho"}
)


def _body_name(tokens: list[Token], text: str) -> str:
    """The name of a body outside the roster from the words after "phối hợp": up to its last
    capitalised word and the usual tails, not the action that follows ("Trung tâm VH-TT&TT
    tổ chức giải chạy …" → "Trung tâm VH-TT&TT")."""
    last = max(k for k, token in enumerate(tokens) if token.text[:1].isupper())
    while last + 1 < len(tokens) and tokens[last + 1].folded in _NAME_TAILS:
        last += 1
    return text[tokens[0].start : tokens[last].end]


# -- the action without its roles ----------------------------------------------------------------


def action_text(text: str, directory: UnitDirectory) -> str:
    """The item without the roles phrase it opens with ("Giao Phòng Kinh tế chủ trì, phối hợp
    Công an phường rà soát …" → "rà soát …"), for a draft's line, which names the units apart:
    a phone then shows the work itself. "phối hợp …" stays when it names a body outside the
    roster, which the line's units do not show. The text as it is when it does not open with
    its units (an opening "Đối với …:" is context, and kept) or when nothing would be left."""
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    i, _ = action_start(tokens, directory)
    colon = next((k for k, t in enumerate(tokens) if t.text == ":"), None)
    if colon is not None and i > colon:
        return text
    i = _skip_titles(tokens, i)
    end = None
    while i < len(tokens):
        hit = directory.match_at(words, i)
        if hit is not None:
            i = hit[1]
        else:
            j = _class_at(tokens, i)
            if j == i:
                break
            i = j
        end = i
        if i < len(tokens) and (tokens[i].text == "," or tokens[i].folded == "va"):
            after = _skip_titles(tokens, i + 1)
            if directory.match_at(words, after) is not None or _class_at(tokens, after) != after:
                i = after
                continue
        break
    if end is None:
        return text
    i = _past_commas(tokens, end)
    if " ".join(t.folded for t in tokens[i : i + 2]) == "chu tri":
        i = _past_commas(tokens, i + 2)
    m = _COOP.match(" ".join(t.folded for t in tokens[i : i + 4]))
    if m is not None:
        end, outside = _cooperating_end(tokens, i + len(m.group(0).split()), directory)
        if not outside:
            i = end
    while i < len(tokens) and tokens[i].text in (",", ";", ":", "-", "–"):
        i += 1
    action = text[tokens[i].start :].strip() if i < len(tokens) else ""
    return action if action.strip(" .;,:()-–") else text


def _past_commas(tokens: list[Token], i: int) -> int:
    while i < len(tokens) and tokens[i].text == ",":
        i += 1
    return i


def _cooperating_end(tokens: list[Token], i: int, directory: UnitDirectory) -> tuple[int, bool]:
    """Where the list after "phối hợp (với)" ends: units, classes of units and bodies outside
    the roster (up to the end of their name, as _body_name reads it), joined by "," or "và";
    and whether it names a body outside the roster."""
    words = [t.text for t in tokens]
    outside = False
    while i < len(tokens):
        j = _skip_titles(tokens, i)
        hit = directory.match_at(words, j)
        if hit is not None:
            end = hit[1]
        elif (k := _class_at(tokens, j)) != j:
            end = k
        elif tokens[j].text[:1].isupper() and tokens[j].text[:1].isalpha():
            end = _body_end(tokens, j)
            outside = True
        else:
            return i, outside
        i = end
        if i < len(tokens) and (tokens[i].text == "," or tokens[i].folded in ("va", "cung")):
            after = _skip_titles(tokens, i + 1)
            nxt = tokens[after] if after < len(tokens) else None
            if nxt is not None and (
                directory.match_at(words, after) is not None
                or _class_at(tokens, after) != after
                or (nxt.text[:1].isupper() and nxt.text[:1].isalpha())
            ):
                i = after
                continue
        return i, outside
    return i, outside


def _body_end(tokens: list[Token], start: int) -> int:
    """After the name of a body outside the roster starting at ``start``: its last capitalised
    word and the usual tails, as _body_name reads it ("Chi cục Thuế phường", not "Chi cục Thuế
    rà soát")."""
    stop, end = min(len(tokens), start + 8), start
    while end < stop and tokens[end].text not in ",;:.()" and tokens[end].folded != "va":
        end += 1
    last = max(k for k in range(start, max(end, start + 1)) if tokens[k].text[:1].isupper())
    while last + 1 < len(tokens) and tokens[last + 1].folded in _NAME_TAILS:
        last += 1
    return last + 1
