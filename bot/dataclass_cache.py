"""The code that `@dataclass` writes for each class (__init__, __repr__, __eq__, a frozen class's
__setattr__, __delattr__ and __hash__), kept compiled between starts like any module's bytecode.

`dataclasses` writes those methods as Python source and exec()s it, one piece per method: for
the ~140 dataclasses a start defines that was ~600 pieces and 12% of the instructions to the
first getUpdates (callgrind: Python's parser and compiler, issue 13), paid again at every start
since the bytecode cache does not cover exec(). Here the source's compiled code is looked up by the
source's exact text; a text not yet seen is compiled as exec() compiles it. The functions made
from either are the same; only compiling them is skipped.

The compiled pieces live in one file beside the package's bytecode (importlib's rules: the
`__pycache__` folder or PYTHONPYCACHEPREFIX, and nothing written under PYTHONDONTWRITEBYTECODE),
tagged with the interpreter's bytecode magic number: another Python reads none of it."""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

HEADER = importlib.util.MAGIC_NUMBER + b"dataclasses\n"
_codes: dict[str, CodeType] = {}  # read from the file, or compiled here
_used: dict[str, CodeType] = {}  # what this process made: the file written holds these only
_unsaved: list[str] = []
compiled = 0  # pieces compiled in this process (the rest came from the file): for tests


def _path() -> Path:
    # Named as a module's bytecode would be, but not .pyc: no tool takes it for a module's.
    pyc = importlib.util.cache_from_source(str(Path(__file__).with_name("_dataclasses.py")))
    return Path(pyc).with_suffix(".code")


def _exec(source: object, globals: Any = None, locals: Any = None, /) -> None:
    global compiled
    if globals is None:  # exec() would take its caller's: dataclasses.py's, not this module's
        globals = sys._getframe(1).f_globals
    if not isinstance(source, str):
        builtins.exec(source, globals, locals)  # type: ignore[arg-type]
        return
    code = _codes.get(source)
    if code is None:
        # As exec() compiles a string given by dataclasses.py: no __future__ flags inherited.
        code = compile(source, "<string>", "exec", dont_inherit=True)
        _codes[source] = code
        _unsaved.append(source)
        compiled += 1
    _used[source] = code
    builtins.exec(code, globals, locals)


def install() -> None:
    """From here on, dataclasses take their methods' code from the cache (read once, now)."""
    if getattr(dataclasses, "exec", None) is _exec:
        return
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        data = _path().read_bytes()
        if data.startswith(HEADER):
            codes = marshal.loads(data[len(HEADER) :])
            if isinstance(codes, dict):
                _codes.update(codes)
    # A name of the module's own shadows the builtin for dataclasses.py alone.
    dataclasses.exec = _exec  # type: ignore[attr-defined]


def save() -> None:
    """Writes the pieces this process used, if it compiled any (so that the pieces of code since
    changed leave the file); atomically: a start reading it meanwhile sees the old or the new."""
    if not _unsaved or sys.dont_write_bytecode:
        return
    path = _path()
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(HEADER + marshal.dumps(_used))
        os.replace(temporary, path)
        _unsaved.clear()
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)
