"""/tonghop and /baocao through the stand-in, and `dondoc tally` / `dondoc report` on the side."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from reporting import documents, photos, workbook_of
from support import (
    CHAIRMAN,
    LEADERS,
    OFFICE,
    QLDT_CHAT,
    QLDT_HEAD,
    ROSTER,
    STRANGER,
    TCKH_CHAT,
    TCKH_HEAD,
    VN,
    World,
    make_settings,
)

from bot.domain.orgfile import parse_org
from bot.domain.rules import Visibility

SCRIPT = Path(sys.executable).parent / "dondoc"


def unit_visibility(world: World) -> None:
    core = world.services.core
    core.config = dataclasses.replace(core.config, visibility=Visibility.UNIT)


def at(day: int, month: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


async def test_tonghop_for_leaders_and_for_a_unit_head(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")
    await world.say(LEADERS, CHAIRMAN, "/giao QLDT Rà soát vỉa hè hạn 15/12")
    world.clock.set(at(27, 11, 10))

    await world.say(LEADERS, CHAIRMAN, "/tonghop")
    text = world.last_text(LEADERS) if not photos(world, LEADERS) else world.bot_texts(LEADERS)[-2]
    assert text.startswith("📊 Tổng hợp nhiệm vụ theo đơn vị chủ trì")
    assert "Kỳ: 10:00 20/11/2026 – 10:00 27/11/2026" in text
    assert "• NV-0001 · TCKH · 2 ngày · đôn đốc 0 lần" in text
    [chart] = photos(world, LEADERS)
    assert chart["caption"].startswith("📈 Nhiệm vụ theo đơn vị chủ trì")

    # A unit head sees their own unit only.
    await world.say(TCKH_CHAT, TCKH_HEAD, "/tonghop tuần")
    own = world.bot_texts(TCKH_CHAT)[-2]
    assert own.startswith("📊 Tổng hợp nhiệm vụ — Phòng Tài chính - Kế hoạch")
    assert "QLDT" not in own
    # Another unit's figures: public by default (DONDOC_VISIBILITY), refused with "unit".
    await world.say(TCKH_CHAT, TCKH_HEAD, "/tonghop QLDT")
    assert world.bot_texts(TCKH_CHAT)[-2].startswith("📊 Tổng hợp nhiệm vụ — Phòng Quản lý đô thị")
    unit_visibility(world)
    await world.say(TCKH_CHAT, TCKH_HEAD, "/tonghop QLDT")
    assert "chỉ xem được số liệu của đơn vị mình (Phòng Tài chính - Kế hoạch)" in world.last_text(
        TCKH_CHAT
    )
    # A leader may pick a unit and a month; a head's figures for a quiet period say so.
    await world.say(LEADERS, CHAIRMAN, "/tonghop tháng QLĐT")
    month = world.bot_texts(LEADERS)[-2]
    assert month.startswith("📊 Tổng hợp nhiệm vụ — Phòng Quản lý đô thị")
    assert "Kỳ: 01/11/2026 – 10:00 27/11/2026" in month
    await world.say(QLDT_CHAT, QLDT_HEAD, "/tonghop từ 01/10 đến 31/10")
    assert world.last_text(QLDT_CHAT) == (
        "📊 Tổng hợp nhiệm vụ 01/10/2026 – 31/10/2026 (Phòng Quản lý đô thị): không có nhiệm vụ."
    )
    await world.say(LEADERS, CHAIRMAN, "/tonghop từ hôm qua")
    assert "Cách dùng: /tonghop" in world.last_text(LEADERS)
    for words in ("hôm nay", "từ 15/11 đến 01/11"):
        await world.say(LEADERS, CHAIRMAN, f"/tonghop {words}")
        assert "Cách dùng: /tonghop" in world.last_text(LEADERS), words
    # Days without a year that have not come yet this year: last year's, and the answer says so.
    await world.say(LEADERS, CHAIRMAN, "/tonghop từ 28/11 đến 30/11")
    assert world.last_text(LEADERS) == (
        "📊 Tổng hợp nhiệm vụ 28/11/2025 – 30/11/2025: không có nhiệm vụ.\n"
        "Không ghi năm: đã lấy kỳ gần nhất đã bắt đầu, 28/11/2025 – 30/11/2025. Muốn năm khác"
        " thì ghi năm, ví dụ từ 28/11/2024 đến 30/11/2024."
    )
    await world.say(LEADERS, CHAIRMAN, "/tonghop tháng trước")
    assert "01/10/2026 – 31/10/2026: không có nhiệm vụ" in world.last_text(LEADERS)
    await world.say(LEADERS, CHAIRMAN, "/tonghop tháng 12/2026")
    assert world.last_text(LEADERS) == "Kỳ báo cáo chưa bắt đầu."
    await world.say(STRANGER, STRANGER, "/tonghop")
    assert "chưa có trong danh sách cán bộ" in world.last_text(STRANGER)


async def test_baocao_sends_the_workbook(world: World) -> None:
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH,QLDT Rà soát vỉa hè hạn 15/12")
    world.clock.set(at(27, 11, 10))
    unit_visibility(world)  # public (the default) lets everyone on the roster have it
    await world.say(TCKH_CHAT, TCKH_HEAD, "/baocao")
    assert "Chỉ lãnh đạo UBND, Văn phòng và quản trị viên" in world.last_text(TCKH_CHAT)
    assert documents(world, TCKH_CHAT) == []

    await world.say(OFFICE, OFFICE, "/baocao tháng 11/2026")
    [message] = documents(world, OFFICE)
    assert message["document"]["file_name"] == "bao-cao-nhiem-vu-2026-11.xlsx"
    assert message["caption"] == (
        "📑 Báo cáo nhiệm vụ tháng 11/2026: 2 nhiệm vụ, tỷ lệ đúng hạn 0%."
    )
    book = workbook_of(world, message)
    register = book["Danh sách nhiệm vụ"]
    assert [register.cell(row, 2).value for row in (2, 3)] == ["NV-0001", "NV-0002"]
    assert register["F3"].value == "QLDT"
    assert register["N2"].value == 2  # working days late on Friday 27/11 (24/11 is a holiday)
    summary = book["Tổng hợp"]
    assert [summary.cell(9, col).value for col in (2, 4, 9)] == ["TCKH", 2, 1]
    # No committee name anywhere yet: dots to fill in; made today, Friday 27/11.
    assert summary["A1"].value == "ỦY BAN NHÂN DÂN ……………"
    assert summary["I3"].value == "……………, ngày 27 tháng 11 năm 2026"

    await world.say(OFFICE, OFFICE, "/baocao tháng 13")
    assert "Cách dùng: /baocao" in world.last_text(OFFICE)

    # DONDOC_ORG_NAME names the committee; the roster's name: and place: win over it.
    world.settings = make_settings(world.settings.database_url, DONDOC_ORG_NAME="UBND xã Kim Liên")
    await world.restart()
    await world.say(OFFICE, OFFICE, "/baocao tháng 11/2026")
    summary = workbook_of(world, documents(world, OFFICE)[-1])["Tổng hợp"]
    assert summary["A1"].value == "UBND XÃ KIM LIÊN"
    assert summary["I3"].value == "Kim Liên, ngày 27 tháng 11 năm 2026"
    await world.services.roster.import_org(
        parse_org(ROSTER + "name: UBND phường Hoàn Kiếm\nplace: Hà Nội\n")
    )
    await world.say(OFFICE, OFFICE, "/baocao tháng 11/2026")
    summary = workbook_of(world, documents(world, OFFICE)[-1])["Tổng hợp"]
    assert summary["A1"].value == "UBND PHƯỜNG HOÀN KIẾM"
    assert summary["I3"].value == "Hà Nội, ngày 27 tháng 11 năm 2026"


@pytest.mark.time_sensitive
async def test_the_command_line_prints_the_tally_and_writes_the_workbook(
    world: World, database_url: str, tmp_path: Path
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the command line test reads the SQLite file")
    if not SCRIPT.exists():
        pytest.skip("the dondoc script is not installed")
    # In the past of the real clock the command line reads.
    world.clock.set(at(9, 11, 9))
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 11/11")
    await world.say(LEADERS, CHAIRMAN, "/giao QLDT Rà soát vỉa hè hạn thường xuyên")
    assert "NV-0002" in world.last_text(LEADERS), world.last_text(LEADERS)
    env = {
        "DATABASE_URL": database_url,
        "PYTHONIOENCODING": "utf-8",
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),  # this checkout's code
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPT), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
            encoding="utf-8", timeout=120, check=False,
        )  # fmt: skip

    result = run("tally", "--week", "2026-W46", "--chart", "w46.png")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "📊 Tổng hợp nhiệm vụ theo đơn vị chủ trì"
    assert lines[1] == "Kỳ: 09/11/2026 – 15/11/2026"
    assert lines[2] == "Tỷ lệ đúng hạn: 0%"
    assert "TCKH ⏰ 1 ▲1 · 0%" in lines
    assert "• NV-0001 · TCKH · 2 ngày · đôn đốc 0 lần" in lines
    assert (tmp_path / "w46.png").read_bytes().startswith(b"\x89PNG")

    result = run("report", "--month", "2026-11", "--out", "bc.xlsx")
    assert result.returncode == 0, result.stderr
    book = load_workbook(tmp_path / "bc.xlsx")
    assert book["Danh sách nhiệm vụ"]["B3"].value == "NV-0002"
    assert book["Danh sách nhiệm vụ"]["M3"].value == "Không có thời hạn"

    assert run("tally", "--week", "2026-W99").returncode == 2


async def test_the_chart_and_the_workbook_are_drawn_off_the_event_loop(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    # Imported where they are used (not at start-up): spied on in their own modules.
    import bot.reports.chart as chart
    import bot.reports.workbook as workbook

    threads: dict[str, int] = {}

    def spy(name: str, render: Callable[..., bytes]) -> Callable[..., bytes]:
        def wrapped(*args: Any) -> bytes:
            threads[name] = threading.get_ident()
            return render(*args)

        return wrapped

    monkeypatch.setattr(chart, "chart_png", spy("chart", chart.chart_png))
    monkeypatch.setattr(workbook, "workbook_bytes", spy("workbook", workbook.workbook_bytes))
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")
    world.clock.set(at(27, 11, 10))
    await world.say(LEADERS, CHAIRMAN, "/tonghop")
    await world.say(OFFICE, OFFICE, "/baocao tháng 11/2026")
    assert len(photos(world, LEADERS)) == 1 and len(documents(world, OFFICE)) == 1
    loop_thread = threading.get_ident()  # the test runs on the event loop's thread
    # The chart is drawn by a process of its own (bot.reports.drawing): not in this one at all
    # (its fallback, a worker thread, would have been seen here).
    assert set(threads) == {"workbook"}
    assert loop_thread not in threads.values()


async def test_reports_may_be_asked_for_in_the_all_units_group(world: World) -> None:
    from support import ROSTER

    from bot.domain.orgfile import parse_org

    all_units = -1001000000099
    # Before it is named the all-units group, the group is refused as unregistered.
    await world.say(all_units, CHAIRMAN, "/tonghop")
    assert "chưa được đăng ký" in world.last_text(all_units)
    await world.services.roster.import_org(
        parse_org(ROSTER + f"reports:\n  all_units_chat: {all_units}\n")
    )
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")
    await world.say(LEADERS, CHAIRMAN, "/giao QLDT Rà soát vỉa hè hạn 15/12")
    world.clock.set(at(27, 11, 10))
    # A leader sees every unit there, a unit head their own unit only.
    await world.say(all_units, CHAIRMAN, "/tonghop")
    everyone = world.bot_texts(all_units)[-2]
    assert everyone.startswith("📊 Tổng hợp nhiệm vụ theo đơn vị chủ trì")
    assert "QLDT" in everyone and "TCKH" in everyone
    await world.say(all_units, QLDT_HEAD, "/tonghop")
    own = world.bot_texts(all_units)[-2]
    assert own.startswith("📊 Tổng hợp nhiệm vụ — Phòng Quản lý đô thị")
    assert "TCKH" not in own
    unit_visibility(world)
    await world.say(all_units, QLDT_HEAD, "/baocao")
    assert "Chỉ lãnh đạo UBND, Văn phòng và quản trị viên" in world.last_text(all_units)


async def test_tonghop_says_the_figures_before_the_chart_is_drawn(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chart is drawn by a Python process of its own that loads matplotlib: seconds on a
    busy host. The figures go out first; the chart is drawn and follows."""
    from bot.reports import drawing

    said_when_drawn: list[str] = []
    real = drawing.chart_png

    async def chart_png(*args: Any) -> bytes:
        said_when_drawn.append(world.last_text(LEADERS))
        return await real(*args)

    monkeypatch.setattr(drawing, "chart_png", chart_png)
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 25/11")
    world.clock.set(at(27, 11, 10))
    await world.say(LEADERS, CHAIRMAN, "/tonghop")
    [before] = said_when_drawn
    assert before.startswith("📊 Tổng hợp nhiệm vụ theo đơn vị chủ trì"), before
    [chart] = photos(world, LEADERS)
    assert chart["caption"].startswith("📈 Nhiệm vụ theo đơn vị chủ trì")
