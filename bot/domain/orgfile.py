"""The roster file (YAML): reading it strictly, with file:line for every problem, and writing it.

This schema is a contract other tools rely on: extend it, never break it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.domain.model import UNIT_ROLES, Role
from bot.domain.policy import PolicyError, calendar_overrides, policy_from
from bot.domain.reportconfig import ReportSettingsError, report_settings_from
from bot.domain.unitnames import derived_keys, fold, written_keys

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


class OrgFileError(Exception):
    """The whole file is refused: `problems` lists "file:line: what is wrong"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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
    warnings: tuple[str, ...] = ()


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

    def __init__(self, node: yaml.Node, problem: str) -> None:
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
    raise _BadValue(node, f"'{getattr(node, 'value', '')}' is not a real date or value")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _expanded_size(root: yaml.Node, name: str) -> None:
    """Refuse a file whose aliases expand past MAX_NODES values, or refer to themselves,
    before anything walks the expanded tree. Counted over the graph, once per node."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            busy.discard(key)
            total = 1 + sum(sizes[id(c)] for c in _children(node))
            if total > MAX_NODES:
                raise OrgFileError(
                    [
                        f"{name}:{node.start_mark.line + 1}: the file holds more than "
                        f"{MAX_NODES:,} values once its aliases (*name) are expanded; write the "
                        "values out instead"
                    ]
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in busy:
            raise OrgFileError(
                [f"{name}:{node.start_mark.line + 1}: an alias (*name) refers to itself"]
            )
        busy.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)


def _key(mapping: yaml.Node, name: str) -> yaml.Node:
    """The key node itself: a block value starts on the line after its key."""
    return next((k for k, _ in mapping.value if str(k.value) == name), mapping)


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.append(f"{self.name}:{node.start_mark.line + 1}: {message}")

    def warn(self, node: yaml.Node, message: str) -> None:
        self.warnings.append(f"{self.name}:{node.start_mark.line + 1}: {message}")

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping (key: value)")
            return None
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in out:
                self.fail(key, f"duplicate key '{name}'")
            out[name] = value
        return out

    def string(self, node: yaml.Node | None, what: str, required: bool = True) -> str | None:
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            if required:
                self.fail(node, f"{what} must be text")
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
            self.fail(node, f"{what} must be a whole number (a Telegram id, like {example})")
            return None
        if positive and value <= 0:
            self.fail(node, f"{what} {value} must be positive (a Telegram user id, like 900001)")
            return None
        if value == 0 or abs(value) > MAX_ID:
            self.fail(node, f"{what} {value} is not a Telegram id (like {example})")
            return None
        return value

    def bounded(self, node: yaml.Node | None, text: str | None, what: str, limit: int) -> bool:
        if text is not None and node is not None and len(text) > limit:
            self.fail(node, f"{what} is {len(text)} characters long; at most {limit}")
            return False
        return True

    def strings(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} must be a list, like [TC-KH, Tài chính]")
            return ()
        out = []
        for item in node.value:
            text = self.string(item, f"each of {what}")
            if text:
                out.append(text)
        return tuple(out)


def parse_org(text: str, name: str = "<roster>") -> OrgSpec:
    reader = _Reader(name)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", exc)
        raise OrgFileError([f"{name}:{line}: not valid YAML ({problem})"]) from None
    except RecursionError:
        raise OrgFileError([f"{name}:1: the file is nested too deeply to be a roster"]) from None
    if root is None:
        raise OrgFileError([f"{name}:1: the file is empty"])
    _expanded_size(root, name)
    top = reader.mapping(root, "the file")
    if top is None:
        raise OrgFileError(reader.problems)
    leadership = reader.integer(top.get("leadership_chat"), "leadership_chat")
    units = _units(reader, top.get("units"))
    codes = {u.code.upper() for u in units}
    people = _people(reader, top.get("people"), codes)
    chats = [u.chat for u in units if u.chat is not None]
    if leadership is not None and leadership in chats:
        reader.fail(top["leadership_chat"], "leadership_chat is also a unit's chat")
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
            reader.fail(_key(root, key), f"unknown key '{key}' (expected {known})")
        try:
            extra[key] = _jsonable(_checked(value))
        except _BadValue as exc:
            reader.fail(exc.node, exc.problem)
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
                reader.fail(_key(root, key), problem)
        except ValueError as exc:
            reader.fail(_key(root, key), str(exc))
    if reader.problems:
        raise OrgFileError(reader.problems)
    return OrgSpec(leadership, tuple(units), tuple(people), extra, tuple(reader.warnings))


def _units(reader: _Reader, node: yaml.Node | None) -> list[UnitSpec]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        reader.fail(node, "units must be a list of units, each starting with '- code:'")
        return []
    out: list[UnitSpec] = []
    seen_codes: dict[str, int] = {}
    seen_chats: dict[int, str] = {}
    seen_names: dict[str, str] = {}
    nodes: dict[str, yaml.Node] = {}
    for item in node.value:
        fields = reader.mapping(item, "a unit")
        if fields is None:
            continue
        for key in fields:
            if key not in ("code", "name", "aliases", "chat"):
                reader.fail(
                    _key(item, key),
                    f"unknown key '{key}' in a unit (expected code, name, aliases, chat)",
                )
        code = reader.string(fields.get("code"), "code")
        if "code" not in fields:
            reader.fail(item, "a unit needs a code, like 'code: TCKH'")
        elif code and not CODE_RE.match(code):
            reader.fail(fields["code"], f"code '{code}' must be letters, digits, - or _ (max 32)")
            code = None
        name = reader.string(fields.get("name"), "name")
        if "name" not in fields:
            reader.fail(item, "a unit needs a name, like 'name: Phòng Tài chính - Kế hoạch'")
        aliases = reader.strings(fields.get("aliases"), "aliases")
        chat = reader.integer(fields.get("chat"), "chat")
        if code:
            if code.upper() in seen_codes:
                reader.fail(fields["code"], f"unit code '{code}' appears twice")
            seen_codes[code.upper()] = 1
        if chat is not None:
            if chat in seen_chats:
                reader.fail(
                    fields["chat"], f"chat {chat} is already the chat of {seen_chats[chat]}"
                )
            seen_chats[chat] = code or "?"
        if not reader.bounded(fields.get("name"), name, "name", NAME_LENGTH):
            name = None
        for alias in aliases:
            reader.bounded(fields.get("aliases"), alias, "an alias", NAME_LENGTH)
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
                    reader.fail(where, f"'{written}' already names unit {other}")
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
                            f"'{key}' (from {unit.code}, {unit.name}) is written as a name of "
                            f"{holder.code} ({holder.name}): a command naming it goes to "
                            f"{holder.code}",
                        )
                    continue
                sharing = derived.setdefault(variant, [])
                for other in sharing:
                    pair = (other.code, unit.code, "derived")
                    if other is not unit and pair not in told:
                        told.add(pair)
                        reader.warn(
                            nodes[unit.code],
                            f"'{key}' names both {other.code} ({other.name}) and {unit.code} "
                            f"({unit.name}) once accents and 'Phòng', 'Ban' are dropped: a "
                            "command naming it will ask which unit is meant (write the code)",
                        )
                if unit not in sharing:
                    sharing.append(unit)


def _people(reader: _Reader, node: yaml.Node | None, codes: set[str]) -> list[PersonSpec]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        reader.fail(node, "people must be a list, each starting with '- telegram_id:'")
        return []
    roles = ", ".join(r.value for r in Role)
    out: list[PersonSpec] = []
    seen: set[int] = set()
    allowed = ("telegram_id", "name", "role", "unit", "supervises", "username", "language")
    for item in node.value:
        fields = reader.mapping(item, "a person")
        if fields is None:
            continue
        for key in fields:
            if key not in allowed:
                reader.fail(
                    _key(item, key),
                    f"unknown key '{key}' in a person (expected {', '.join(allowed)})",
                )
        tid = reader.integer(fields.get("telegram_id"), "telegram_id", positive=True)
        if "telegram_id" not in fields:
            reader.fail(item, "a person needs a telegram_id, like 'telegram_id: 900001'")
        elif tid is not None and tid in seen:
            reader.fail(fields["telegram_id"], f"telegram_id {tid} appears twice")
        if tid is not None:
            seen.add(tid)
        name = reader.string(fields.get("name"), "name")
        if "name" not in fields:
            reader.fail(item, "a person needs a name")
        if not reader.bounded(fields.get("name"), name, "name", NAME_LENGTH):
            name = None
        role_text = reader.string(fields.get("role"), "role")
        role: Role | None = None
        if "role" not in fields:
            reader.fail(item, f"a person needs a role, one of: {roles}")
        elif role_text is not None:
            try:
                role = Role(role_text)
            except ValueError:
                reader.fail(fields["role"], f"role '{role_text}' is not one of: {roles}")
        unit = reader.string(fields.get("unit"), "unit")
        if unit is not None and unit.upper() not in codes:
            reader.fail(fields["unit"], f"unit '{unit}' is not among the units of this file")
            unit = None
        if role in UNIT_ROLES and "unit" not in fields:
            reader.fail(item, f"a person with role {role} needs a unit, like 'unit: TCKH'")
        supervises = reader.strings(fields.get("supervises"), "supervises")
        for code in supervises:
            if code.upper() not in codes:
                reader.fail(fields["supervises"], f"supervised unit '{code}' is not in this file")
        if supervises and role is not Role.VICE_CHAIRMAN:
            reader.fail(_key(item, "supervises"), "only a vice_chairman supervises units")
        language = reader.string(fields.get("language"), "language")
        if language is not None and language not in ("vi", "en"):
            reader.fail(fields["language"], "language must be vi or en")
        username = reader.string(fields.get("username"), "username")
        if not reader.bounded(fields.get("username"), username, "username", USERNAME_LENGTH):
            username = None
        if tid is not None and name and role is not None:
            out.append(PersonSpec(tid, name, role, unit, supervises, username, language))
    return out


def read_org_file(path: Path) -> OrgSpec:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise OrgFileError([f"{path}: larger than {MAX_FILE_BYTES:,} bytes: not a roster"])
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OrgFileError([f"{path}: cannot read ({exc.strerror})"]) from None
    except UnicodeDecodeError:
        raise OrgFileError([f"{path}:1: not UTF-8 text"]) from None
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
