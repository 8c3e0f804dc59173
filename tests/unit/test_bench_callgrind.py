"""bench/throughput.py --callgrind's wiring: valgrind starts with counting off (the start-up and
the preparation are not counted) and the count is read from callgrind's summary."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "throughput.py"


@pytest.fixture(scope="module")
def throughput():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_throughput", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_collected_reads_the_last_summary(throughput) -> None:  # type: ignore[no-untyped-def]
    log = (
        "==4242== Callgrind, a call-graph generating cache profiler\n"
        "bot output mentioning Collected : 1\n"
        "==4242== Events    : Ir\n"
        "==4242== Collected : 441234567\n"
        "==4242== \n"
        "==4242== I   refs:      441,234,567\n"
    )
    assert throughput.collected(log) == 441234567
    with pytest.raises(RuntimeError):
        throughput.collected("Collected : 12\n")


def test_bots_start_under_callgrind_with_counting_off(
    throughput,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[list[str]] = []

    def popen(argv: list[str], stdout, **_):  # type: ignore[no-untyped-def]
        stdout.close()
        started.append(argv)

    monkeypatch.setattr(throughput.subprocess, "Popen", popen)
    monkeypatch.setattr(throughput, "CALLGRIND", tmp_path)
    for kind in ("echo", "dondoc"):
        throughput.spawn(kind, "http://127.0.0.1:1", "sqlite+aiosqlite://", tmp_path)
    for kind, argv in zip(("echo", "dondoc"), started, strict=True):
        assert argv[:3] == ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
        assert argv[3] == f"--callgrind-out-file={tmp_path / f'callgrind.out.{kind}'}"
        assert argv[4] == sys.executable
    # Đôn Đốc's due-scan, on the wall clock, is kept out of the count.
    assert started[1][5:9] == ["-c", throughput.KEEP_SCAN_OUT, "-m", "bot"]
    assert started[0][5:6] == [str(BENCH.with_name("echo_bot.py"))]
