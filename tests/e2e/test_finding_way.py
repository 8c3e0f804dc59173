"""Finding one's way (issue 11, point 5): /donvi lists the units, and the README's examples name
units the demo ward has, so copying them into the sandbox works."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
from support import CHAIRMAN, START, STRANGER, TCKH_HEAD, World

from bot.clock import ManualClock
from bot.sandbox.demo import CHAIRMAN as DEMO_CHAIRMAN
from bot.sandbox.demo import LEADERSHIP_CHAT as DEMO_LEADERS
from bot.sandbox.demo import demo
from bot.sandbox.runner import Sandbox, sandbox_settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
# A command example in the README's text: `/giao KTHT …`, `/dangky KTHT`, `/moi KTHT head`.
EXAMPLE = re.compile(r"`(/(?:giao|dangky|moi|viec|lich|chuyen|tonghop) [^`]*)`")


async def test_donvi_lists_codes_names_heads_and_groups(world: World) -> None:
    await world.say(TCKH_HEAD, TCKH_HEAD, "/donvi")
    text = world.last_text(TCKH_HEAD)
    lines = text.splitlines()
    assert lines[0] == "🏢 Các đơn vị (3) — dùng mã đơn vị trong lệnh:"
    assert lines[1:7] == [
        "• QLDT — Phòng Quản lý đô thị",
        "   tên khác: QLĐT · trưởng đơn vị: Vũ Văn Giang · nhóm chat: đã đăng ký",
        "• TCKH — Phòng Tài chính - Kế hoạch",
        "   tên khác: TC-KH, Tài chính · trưởng đơn vị: Trần Thị Dung · nhóm chat: đã đăng ký",
        "• TNMT — Phòng Tài nguyên và Môi trường",
        "   tên khác: TN&MT · chưa có trưởng đơn vị · nhóm chat: chưa đăng ký (/dangky TNMT)",
    ]
    assert "Nhóm lãnh đạo: đã đăng ký." in text
    assert "Ví dụ: /giao QLDT Báo cáo kết quả rà soát hạn 15/12" in text
    # Someone not on the roster is told how to get on it, and sees no units.
    await world.say(STRANGER, STRANGER, "/donvi")
    assert "chưa có trong danh sách" in world.last_text(STRANGER)
    assert "TCKH" not in world.last_text(STRANGER)
    _ = CHAIRMAN


def test_the_readme_names_only_units_of_the_demo_ward() -> None:
    names = {"lanhdao"}
    for unit in demo().spec.units:
        names |= {unit.code.casefold(), *(a.casefold() for a in unit.aliases)}
    examples = EXAMPLE.findall(README)
    assert len(examples) >= 6, examples
    for example in examples:
        words = example.split()
        if len(words) < 2 or words[1].startswith(("<", "[")):
            continue  # a usage line, not an example
        if words[0] in ("/tonghop",):
            continue  # its first word is a period
        for code in words[1].split(","):
            assert code.casefold() in names, example


async def test_the_readme_s_assignment_works_in_the_sandbox(tmp_path: Path) -> None:
    settings = sandbox_settings(f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", _env_file=None)
    box = await Sandbox.start(settings, port=0, clock=ManualClock(START))
    try:
        assignments = [
            e
            for e in EXAMPLE.findall(README)
            # A recurring example ("hạn ngày 20 hàng tháng") makes a series, tested on its own.
            if e.startswith("/giao ") and " hạn " in e and "hàng " not in e
        ]
        full = [
            e
            for e in assignments
            if len(e.split(" hạn ")[0].split()) > 2 and not e.split()[1].startswith("<")
        ]
        assert full, assignments
        async with aiohttp.ClientSession(base_url=box.url) as http:
            for number, example in enumerate(full, 1):
                form = {
                    "chat_id": str(DEMO_LEADERS),
                    "user_id": str(DEMO_CHAIRMAN),
                    "text": example,
                }
                async with http.post("/api/send", data=form) as response:
                    assert response.status == 200
                code = f"NV-{number:04d}"
                reply = await box.live.tg.wait_for_bot_message(
                    DEMO_LEADERS, lambda m, c=code: c in (m.get("text") or "")
                )
                assert "Thứ Ba, 15/12/2026 17:00" in reply["text"], (example, reply["text"])
    finally:
        await box.stop()
