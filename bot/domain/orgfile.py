"""The roster file (YAML): reading it strictly, with file:line for every problem, and writing it.

This schema is a contract other tools rely on: extend it, never break it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.domain.model import UNIT_ROLES, Role
from bot.domain.policy import PolicyError, calendar_overrides, policy_from
from bot.domain.reportconfig import ReportSettingsError, report_settings_from
from bot.domain.unitnames import derived_keys, fold, written_keys
from bot.text.said import Said, os_reason

# Sections read by the scheduling and reporting features; kept as they are by import and export.
FUTURE_KEYS = ("policy", "calendar", "reports")
# The committee's name and the place written before the date on its documents (the monthly
# report's heading: "UBND phường Hoàn Kiếm", "Hoàn Kiếm, ngày 01 tháng 12 năm 2026"); text kept
# in `extra` like the sections.
TEXT_KEYS = ("name", "place")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
# What the database columns hold (bot/db/tables.py): PostgreSQL refuses longer values with a
# traceback mid-import; SQLite would take them silently.
MAX_ID = 2**63 - 1
NAME_LENGTH = 255
USERNAME_LENGTH = 64
# A roster of thousands of people is a few hundred KB; more is not a roster.
MAX_FILE_BYTES = 5_000_000
# Values the file may hold once its aliases are expanded: a 1 KB "billion laughs" file expands to
# hundreds of millions, which the reading would build before seeing anything wrong.
MAX_NODES = 200_000
# PyYAML's libyaml parser, where the C extension is installed: it composes the demo roster in a
# third of the pure-Python parser's instructions (~25 M of a start's, issue 13). The pure-Python
# parser stays the judge of every file libyaml refuses, and of any that nests deeper than
# SHALLOW or whose aliases loop: its messages and its RecursionError ("nested too deeply") are
# the reader's, and a file it reads the same either way is read by libyaml.
FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
SHALLOW = 32


class OrgFileError(Exception):
    """The whole file is refused: `problems` lists "file:line: what is wrong", each a Said: in
    English as a string, in the reader's language with ``lines(lang)``."""

    def __init__(self, problems: list[Said]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def lines(self, lang: str) -> list[str]:
        return [problem.said(lang) for problem in self.problems]


@dataclass(frozen=True, slots=True)
class UnitSpec:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    chat: int | None = None


@dataclass(frozen=True, slots=True)
class PersonSpec:
    telegram_id: int
    name: str
    role: Role
    unit: str | None = None
    supervises: tuple[str, ...] = ()
    username: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class OrgSpec:
    leadership_chat: int | None = None
    units: tuple[UnitSpec, ...] = ()
    people: tuple[PersonSpec, ...] = ()
    # Sections other features read (policy:, calendar:, reports:), kept as written.
    extra: dict[str, Any] = field(default_factory=dict)
    # "file:line: ..." for what is accepted but worth a look (a name two units share).
    warnings: tuple[Said, ...] = ()


def _jsonable(value: Any) -> Any:
    """YAML reads 2026-12-31 as a date; the sections are stored as JSON, so dates become text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _plain(node: yaml.Node) -> Any:
    return yaml.safe_load(yaml.serialize(node))


class _BadValue(Exception):
    """A scalar YAML reads but Python cannot hold (2027-02-30); `node` is where it is."""

    def __init__(self, node: yaml.Node, problem: Said) -> None:
        super().__init__(problem)
        self.node = node
        self.problem = problem


def _checked(node: yaml.Node) -> Any:
    """_plain, telling which value could not be read, with its line."""
    try:
        return _plain(node)
    except (ValueError, OverflowError, yaml.YAMLError):
        pass
    for child in _children(node):
        _checked(child)
    raise _BadValue(node, Said("roster.bad_value", value=getattr(node, "value", "")))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _Loop(Exception):
    """An alias that refers, through its children, to itself."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _fold_graph(root: yaml.Node, combine: Callable[[yaml.Node, list[int]], int]) -> None:
    """Post-order over the graph, aliases followed, once per node: `combine` gets each node with
    its children's results and may raise to stop; an alias loop raises _Loop."""
    results: dict[int, int] = {}
    busy: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            busy.discard(key)
            results[key] = combine(node, [results[id(c)] for c in _children(node)])
            continue
        if key in results:
            continue
        if key in busy:
            raise _Loop(node)
        busy.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in results)


def _expanded_size(root: yaml.Node, name: str) -> None:
    """Refuse a file whose aliases expand past MAX_NODES values, or refer to themselves,
    before anything walks the expanded tree."""

    def size(node: yaml.Node, children: list[int]) -> int:
        total = 1 + sum(children)
        if total > MAX_NODES:
            where = f"{name}:{node.start_mark.line + 1}"
            raise OrgFileError([Said("roster.too_many_values", where, limit=f"{MAX_NODES:,}")])
        return total

    try:
        _fold_graph(root, size)
    except _Loop as loop:
        where = f"{name}:{loop.node.start_mark.line + 1}"
        raise OrgFileError([Said("roster.alias_loop", where)]) from None


class _TooDeep(Exception):
    pass


def _shallow(root: yaml.Node) -> bool:
    """Whether no path down the tree, aliases followed, passes SHALLOW nodes (an alias loop is
    not shallow)."""

    def depth(node: yaml.Node, children: list[int]) -> int:
        if (deepest := 1 + max(children, default=0)) > SHALLOW:
            raise _TooDeep
        return deepest

    try:
        _fold_graph(root, depth)
    except (_Loop, _TooDeep):
        return False
    return True


def _compose(text: str) -> yaml.Node | None:
    """The file's node tree: libyaml's where it reads the file as the pure-Python parser would
    (see FAST_LOADER), the pure-Python parser's otherwise."""
    if FAST_LOADER is not None and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            root = yaml.compose(text, Loader=FAST_LOADER)
        except (yaml.YAMLError, ValueError):
            pass
        else:
            if root is None or _shallow(root):
                return root
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _key(mapping: yaml.Node, name: str) -> yaml.Node:
    """The key node itself: a block value starts on the line after its key."""
    return next((k for k, _ in mapping.value if str(k.value) == name), mapping)


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Said] = []
        self.warnings: list[Said] = []

    def where(self, node: yaml.Node) -> str:
        return f"{self.name}:{node.start_mark.line + 1}"

    def fail(self, node: yaml.Node, key: str, **params: object) -> None:
        self.problems.append(Said(key, self.where(node), **params))

    def fail_with(self, node: yaml.Node, problem: Said) -> None:
        self.problems.append(problem.at(self.where(node)))

    def warn(self, node: yaml.Node, key: str, **params: object) -> None:
        self.warnings.append(Said(key, self.where(node), **params))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node] | None:
        """``what``: file, unit or person."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"roster.not_mapping.{what}")
            return None
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in out:
                self.fail(key, "roster.duplicate_key", name=name)
            out[name] = value
        return out

    def string(
        self, node: yaml.Node | None, what: str, required: bool = True, each: bool = False
    ) -> str | None:
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            if required:
                self.fail(node, "roster.not_text.each" if each else "roster.not_text", field=what)
            return None
        return str(node.value).strip()

    def integer(self, node: yaml.Node | None, what: str, positive: bool = False) -> int | None:
        if node is None:
            return None
        try:
            value = _plain(node) if isinstance(node, yaml.ScalarNode) else None
        except (ValueError, OverflowError, yaml.YAMLError):
            value = None
        example = "900001" if positive else "-1001000000010"
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(node, "roster.not_integer", field=what, example=example)
            return None
        if positive and value <= 0:
            self.fail(node, "roster.not_positive", field=what, value=value)
            return None
        if value == 0 or abs(value) > MAX_ID:
            self.fail(node, "roster.not_telegram_id", field=what, value=value, example=example)
            return None
        return value

    def bounded(self, node: yaml.Node | None, text: str | None, what: str, limit: int) -> bool:
        """``what``: the field, or "aliases" for one of them."""
        if text is not None and node is not None and len(text) > limit:
            if what == "aliases":
                self.fail(node, "roster.too_long.alias", length=len(text), limit=limit)
            else:
                self.fail(node, "roster.too_long", field=what, length=len(text), limit=limit)
            return False
        return True

    def strings(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "roster.not_list", field=what)
            return ()
        out = []
        for item in node.value:
            text = self.string(item, what, each=True)
            if text:
                out.append(text)
        return tuple(out)


def parse_org(text: str, name: str = "<roster>") -> OrgSpec:
    reader = _Reader(name)
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", exc)
        raise OrgFileError([Said("roster.not_yaml", f"{name}:{line}", problem=problem)]) from None
    except RecursionError:
        raise OrgFileError([Said("roster.too_deep", f"{name}:1")]) from None
    if root is None:
        raise OrgFileError([Said("roster.empty", f"{name}:1")])
    _expanded_size(root, name)
    top = reader.mapping(root, "file")
    if top is None:
        raise OrgFileError(reader.problems)
    leadership = reader.integer(top.get("leadership_chat"), "leadership_chat")
    units = _units(reader, top.get("units"))
    codes = {u.code.upper() for u in units}
    people = _people(reader, top.get("people"), codes)
    chats = [u.chat for u in units if u.chat is not None]
    if leadership is not None and leadership in chats:
        reader.fail(top["leadership_chat"], "roster.leadership_is_unit_chat")
    extra: dict[str, Any] = {}
    for key, value in top.items():
        if key in ("leadership_chat", "units", "people"):
            continue
        if key in TEXT_KEYS:
            words = reader.string(value, key)
            if words:
                extra[key] = words
            continue
        if key not in FUTURE_KEYS:
            known = ", ".join(("leadership_chat", "units", "people", *FUTURE_KEYS, *TEXT_KEYS))
            reader.fail(_key(root, key), "roster.unknown_key", name=key, known=known)
        try:
            extra[key] = _jsonable(_checked(value))
        except _BadValue as exc:
            reader.fail_with(exc.node, exc.problem)
            continue
        try:
            if key == "policy":
                policy_from(extra[key])
            elif key == "calendar":
                calendar_overrides(extra[key])
            elif key == "reports":
                report_settings_from(extra[key])
        except (PolicyError, ReportSettingsError) as exc:
            for problem in exc.problems:
                reader.fail_with(_key(root, key), problem)
    if reader.problems:
        raise OrgFileError(reader.problems)
    return OrgSpec(leadership, tuple(units), tuple(people), extra, tuple(reader.warnings))


def _units(reader: _Reader, node: yaml.Node | None) -> list[UnitSpec]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        reader.fail(node, "roster.units_not_list")
        return []
    out: list[UnitSpec] = []
    seen_codes: dict[str, int] = {}
    seen_chats: dict[int, str] = {}
    seen_names: dict[str, str] = {}
    nodes: dict[str, yaml.Node] = {}
    for item in node.value:
        fields = reader.mapping(item, "unit")
        if fields is None:
            continue
        for key in fields:
            if key not in ("code", "name", "aliases", "chat"):
                reader.fail(_key(item, key), "roster.unknown_unit_key", name=key)
        code = reader.string(fields.get("code"), "code")
        if "code" not in fields:
            reader.fail(item, "roster.unit_no_code")
        elif code and not CODE_RE.match(code):
            reader.fail(fields["code"], "roster.bad_code", code=code)
            code = None
        name = reader.string(fields.get("name"), "name")
        if "name" not in fields:
            reader.fail(item, "roster.unit_no_name")
        aliases = reader.strings(fields.get("aliases"), "aliases")
        chat = reader.integer(fields.get("chat"), "chat")
        if code:
            if code.upper() in seen_codes:
                reader.fail(fields["code"], "roster.code_twice", code=code)
            seen_codes[code.upper()] = 1
        if chat is not None:
            if chat in seen_chats:
                reader.fail(fields["chat"], "roster.chat_twice", chat=chat, other=seen_chats[chat])
            seen_chats[chat] = code or "?"
        if not reader.bounded(fields.get("name"), name, "name", NAME_LENGTH):
            name = None
        for alias in aliases:
            reader.bounded(fields.get("aliases"), alias, "aliases", NAME_LENGTH)
        if code and name:
            # One written name must lead to one unit, or a task could land with the wrong one.
            for written, where in (
                (code, fields["code"]),
                (name, fields["name"]),
                *((alias, fields["aliases"]) for alias in aliases),
            ):
                key = fold(written).replace(" ", "")
                other = seen_names.setdefault(key, code)
                if other.upper() != code.upper():
                    reader.fail(where, "roster.name_taken", written=written, other=other)
            out.append(UnitSpec(code, name, aliases, chat))
            nodes[code] = fields["name"]
    _shared_names(reader, out, nodes)
    return out


def _shared_names(reader: _Reader, units: list[UnitSpec], nodes: dict[str, yaml.Node]) -> None:
    """Warn where a shorter name two units answer to once accents and "Phòng"/"Ban" are dropped
    ("Kinh tế" for "Phòng Kinh tế" and "Ban Kinh tế"). A real configuration, so not refused: a
    command naming it asks which unit is meant. A name written for one unit wins over the same
    name derived from another: said too, as it decides where such a task goes."""
    written: dict[str, UnitSpec] = {}
    for unit in units:
        for key in written_keys(unit.code, unit.name, unit.aliases):
            written.setdefault(key, unit)
            written.setdefault(key.replace(" ", ""), unit)
    derived: dict[str, list[UnitSpec]] = {}
    told: set[tuple[str, ...]] = set()
    for unit in units:
        own = written_keys(unit.code, unit.name, unit.aliases)
        for key in sorted(derived_keys(unit.code, unit.name, unit.aliases) - own):
            for variant in (key, key.replace(" ", "")):
                holder = written.get(variant)
                if holder is not None and holder is not unit:
                    pair = (unit.code, holder.code, "written")
                    if pair not in told:
                        told.add(pair)
                        reader.warn(
                            nodes[unit.code],
                            "roster.warn.written_elsewhere",
                            written=key,
                            code=unit.code,
                            name=unit.name,
                            other=holder.code,
                            other_name=holder.name,
                        )
                    continue
                sharing = derived.setdefault(variant, [])
                for other in sharing:
                    pair = (other.code, unit.code, "derived")
                    if other is not unit and pair not in told:
                        told.add(pair)
                        reader.warn(
                            nodes[unit.code],
                            "roster.warn.shared_name",
                            written=key,
                            other=other.code,
                            other_name=other.name,
                            code=unit.code,
                            name=unit.name,
                        )
                if unit not in sharing:
                    sharing.append(unit)


def _people(reader: _Reader, node: yaml.Node | None, codes: set[str]) -> list[PersonSpec]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        reader.fail(node, "roster.people_not_list")
        return []
    roles = ", ".join(r.value for r in Role)
    out: list[PersonSpec] = []
    seen: set[int] = set()
    allowed = ("telegram_id", "name", "role", "unit", "supervises", "username", "language")
    for item in node.value:
        fields = reader.mapping(item, "person")
        if fields is None:
            continue
        for key in fields:
            if key not in allowed:
                known = ", ".join(allowed)
                reader.fail(_key(item, key), "roster.unknown_person_key", name=key, known=known)
        tid = reader.integer(fields.get("telegram_id"), "telegram_id", positive=True)
        if "telegram_id" not in fields:
            reader.fail(item, "roster.person_no_id")
        elif tid is not None and tid in seen:
            reader.fail(fields["telegram_id"], "roster.id_twice", id=tid)
        if tid is not None:
            seen.add(tid)
        name = reader.string(fields.get("name"), "name")
        if "name" not in fields:
            reader.fail(item, "roster.person_no_name")
        if not reader.bounded(fields.get("name"), name, "name", NAME_LENGTH):
            name = None
        role_text = reader.string(fields.get("role"), "role")
        role: Role | None = None
        if "role" not in fields:
            reader.fail(item, "roster.person_no_role", roles=roles)
        elif role_text is not None:
            try:
                role = Role(role_text)
            except ValueError:
                reader.fail(fields["role"], "roster.bad_role", role=role_text, roles=roles)
        unit = reader.string(fields.get("unit"), "unit")
        if unit is not None and unit.upper() not in codes:
            reader.fail(fields["unit"], "roster.unknown_unit", unit=unit)
            unit = None
        if role in UNIT_ROLES and "unit" not in fields:
            reader.fail(item, "roster.person_no_unit", role=role)
        supervises = reader.strings(fields.get("supervises"), "supervises")
        for code in supervises:
            if code.upper() not in codes:
                reader.fail(fields["supervises"], "roster.unknown_supervised", code=code)
        if supervises and role is not Role.VICE_CHAIRMAN:
            reader.fail(_key(item, "supervises"), "roster.only_vice_supervises")
        language = reader.string(fields.get("language"), "language")
        if language is not None and language not in ("vi", "en"):
            reader.fail(fields["language"], "roster.bad_language")
        username = reader.string(fields.get("username"), "username")
        if not reader.bounded(fields.get("username"), username, "username", USERNAME_LENGTH):
            username = None
        if tid is not None and name and role is not None:
            out.append(PersonSpec(tid, name, role, unit, supervises, username, language))
    return out


def read_org_file(path: Path) -> OrgSpec:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            limit = f"{MAX_FILE_BYTES:,}"
            raise OrgFileError([Said("roster.too_big", str(path), limit=limit)])
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OrgFileError([Said("roster.unreadable", str(path), reason=os_reason(exc))]) from None
    except UnicodeDecodeError:
        raise OrgFileError([Said("roster.not_utf8", f"{path}:1")]) from None
    return parse_org(text, str(path))


def dump_org(spec: OrgSpec) -> str:
    data: dict[str, Any] = {k: spec.extra[k] for k in TEXT_KEYS if spec.extra.get(k)}
    if spec.leadership_chat is not None:
        data["leadership_chat"] = spec.leadership_chat
    data["units"] = [
        {
            "code": u.code,
            "name": u.name,
            **({"aliases": list(u.aliases)} if u.aliases else {}),
            **({"chat": u.chat} if u.chat is not None else {}),
        }
        for u in spec.units
    ]
    data["people"] = [
        {
            "telegram_id": p.telegram_id,
            "name": p.name,
            "role": p.role.value,
            **({"unit": p.unit} if p.unit else {}),
            **({"supervises": list(p.supervises)} if p.supervises else {}),
            **({"username": p.username} if p.username else {}),
            **({"language": p.language} if p.language else {}),
        }
        for p in spec.people
    ]
    data.update((k, v) for k, v in spec.extra.items() if k not in TEXT_KEYS)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
