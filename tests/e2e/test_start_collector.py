"""`dondoc run` starts with the garbage collector off (issue 13: it walked the start-up heap
again and again) and the running bot has it on, with what start-up built frozen."""

from __future__ import annotations

import argparse
import gc

import pytest
from support import CHAIRMAN, LEADERS, World

import bot.__main__ as cli


def test_only_run_starts_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def run(_: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    def upgrade(_: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli, "cmd_run", run)
    monkeypatch.setattr(cli, "cmd_db_upgrade", upgrade)
    for argv in (["run"], ["db", "upgrade"]):  # each in a process of its own
        try:
            with pytest.raises(SystemExit):
                cli.main(argv)
        finally:
            gc.enable()
    assert seen == [False, True]


async def test_the_running_bot_has_the_collector_on(world: World) -> None:
    gc.disable()  # as `dondoc run` leaves it before post_init
    try:
        await world.restart()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.enable()
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Rà soát hồ sơ hạn 15/12")
    assert "Đã giao NV-0001" in world.last_text(LEADERS)
