"""`dondoc run` keeps the code `@dataclass` writes compiled between starts (bot/dataclass_cache.py,
issue 13: compiling it was ~16% of a start's instructions): a second start compiles none of it,
and the classes behave as dataclasses written afresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What cmd_run imports on its way to polling (as in test_start_imports), then what was compiled.
START = """
import dataclasses, json
import bot.__main__
from bot.app import build_application, open_runtime
from bot.serve import serve_polling
from scheduler import jobs
from bot import dataclass_cache

@dataclasses.dataclass(frozen=True, slots=True)
class Probe:
    a: int
    b: str = "x"

probe = Probe(1)
try:
    probe.a = 2
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
print(json.dumps({
    "compiled": dataclass_cache.compiled,
    "repr": repr(probe),
    "eq": probe == Probe(1, "x") and probe != Probe(2),
    "hash": hash(probe) == hash((1, "x")),
    "frozen": frozen,
    "replace": repr(dataclasses.replace(probe, b="y")),
}))
dataclass_cache.save()
"""


def start(cache: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(ROOT), "PTB_TIMEDELTA": "true", "PYTHONPYCACHEPREFIX": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", START], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_a_second_start_compiles_no_dataclass_code(tmp_path: Path) -> None:
    first, second = start(tmp_path), start(tmp_path)
    assert isinstance(first["compiled"], int) and first["compiled"] > 300
    assert second["compiled"] == 0
    for made in (first, second):
        assert {k: v for k, v in made.items() if k != "compiled"} == {
            "repr": "Probe(a=1, b='x')",
            "eq": True,
            "hash": True,
            "frozen": True,
            "replace": "Probe(a=1, b='y')",
        }
