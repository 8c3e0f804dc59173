"""The roster file is composed by libyaml where PyYAML's C extension is installed (issue 13: ~25 M
of a start's instructions on the demo roster) and read exactly as the pure-Python parser reads
it: same spec, same problems with the same lines, whichever parser composed it."""

from __future__ import annotations

import pytest
import yaml
from support import ROSTER

from bot.domain import orgfile
from bot.domain.orgfile import OrgFileError, parse_org
from bot.sandbox.demo import DEMO_ROSTER

needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")


@needs_libyaml
def test_a_roster_is_composed_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[str] = []
    compose = yaml.compose

    def counted(text: str, Loader: type) -> object:
        used.append(Loader.__name__)
        return compose(text, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", counted)
    parse_org(DEMO_ROSTER, "demo.yaml")
    assert used == ["CSafeLoader"]


def read(text: str) -> str:
    try:
        return repr(parse_org(text, "org.yaml"))
    except OrgFileError as exc:
        return "refused: " + repr(exc.problems)
    except RecursionError:  # pragma: no cover - parse_org says this itself
        return "RecursionError"


NESTED = "units: " + "[" * 40 + "]" * 40 + "\n"  # deeper than SHALLOW, read by either parser
TEXTS = [
    ROSTER,
    DEMO_ROSTER,
    "",
    "# only a comment\n",
    "units:\n  - code: A\n name: x\n",
    "units:\n\t- code: A\n",
    "units: []\nunits: []\n",
    "units: &u [*u]\n",
    NESTED,
    "units: " + "[" * 500 + "]" * 500 + "\n",  # libyaml reads it; Python's parser recurses
    "units: " + "[" * 3000 + "]" * 3000 + "\n",  # libyaml refuses it past 1,000 levels
    "units:\n  - &a {code: A, name: A}\n  - *a\n",
    "units:\n  - code: A\n    name: A\n    chat: 2027-02-30\n",
    "leadership_chat: 1\nunits:\n  - code: A\n    name: A\n    chat: 1\n",
    "units:\n  - code: A\n    name: \x07bell\n",
    "people:\n  - telegram_id: 1\n    name: X\n    role: chairman\n    language: fr\n",
    "policy: {nudge: [1, 2]}\nunits: []\npeople: []\n",
    "units:\r\n  - code: A\r\n    name: A\r\n    chat: x\r\n",
    "units:\n  - code: A\n    name: A\u2028    chat: x\n",
    "\ufeffunits:\n  - code: A\n    name: A\n",
]


@needs_libyaml
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_either_parser_reads_a_file_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = read(text)
    monkeypatch.setattr(orgfile, "FAST_LOADER", None)
    assert fast == read(text)
