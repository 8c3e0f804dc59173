"""The sandbox in a real browser (headless Chromium via Playwright), as a newcomer would use it:
the chairman assigns, the unit head acknowledges and reports, the chairman approves.

Needs Debian's `chromium` (/usr/bin/chromium) and the Python `playwright` package (pip install
'.[browser]'); Playwright's own browser download is not used. Screenshots of every step go to
test-artifacts/.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from bot.clock import ManualClock, OffsetClock
from bot.sandbox.demo import CHAIRMAN, KTHT_HEAD, OFFICE
from bot.sandbox.runner import Sandbox, sandbox_settings
from bot.sandbox.web import SandboxWeb

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "browser test needs Chromium at /usr/bin/chromium (apt-get install chromium)",
        allow_module_level=True,
    )
playwright = pytest.importorskip(
    "playwright.async_api",
    reason="browser test needs the playwright package (pip install -e '.[browser]')",
)
expect = playwright.expect

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 11, 23, 9, 0, tzinfo=VN)  # a Monday
CARD = re.compile("Nhiệm vụ NV-0001")  # case-sensitive, unlike a plain has_text string
CHART_DRAWN = 60_000  # ms: a new Python process loading matplotlib, on a busy two-core host


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    settings = sandbox_settings(f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", _env_file=None)
    box = await Sandbox.start(settings, port=0, clock=ManualClock(START))
    try:
        yield box
    finally:
        await box.stop()


@pytest.fixture
async def page(sandbox: Sandbox) -> AsyncIterator[Any]:
    async with open_page(sandbox.url) as tab:
        yield tab


@pytest.fixture
async def running_page(tmp_path: Path) -> AsyncIterator[Any]:
    """The sandbox as `dondoc sandbox` runs it, on its flowing clock that ⏩ moves forward (a
    clock standing still cannot be fast-forwarded), started on a Monday of the test's choosing."""
    settings = sandbox_settings(f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", _env_file=None)
    box = await Sandbox.start(settings, port=0, clock=OffsetClock(START))
    try:
        async with open_page(box.url) as tab:
            yield tab
    finally:
        await box.stop()


@contextlib.asynccontextmanager
async def open_page(url: str, width: int = 1100, height: int = 700) -> AsyncIterator[Any]:
    async with playwright.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            context = await browser.new_context(
                viewport={"width": width, "height": height},
                locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh",
            )
            tab = await context.new_page()
            errors: list[str] = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            await tab.goto(url)
            yield tab
            assert errors == [], f"JavaScript errors on the page: {errors}"
        finally:
            await browser.close()


async def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"sandbox-{name}.png"))


async def act_as(page: Any, person: int, chat: str) -> None:
    await page.select_option("#persona", str(person))
    name = page.locator(".chat-name", has_text=chat)
    await page.locator(".chat-item", has=name).click()
    await expect(page.locator("#chat-title")).to_contain_text(chat)


async def test_assign_acknowledge_report_approve_in_the_browser(page: Any) -> None:
    # First load: the help says what to try.
    help_panel = page.locator("#help")
    await expect(help_panel).to_be_visible()
    await expect(help_panel).to_contain_text("Chủ tịch")
    await shot(page, "01-help")
    await page.click("#help-close")
    await expect(help_panel).to_be_hidden()
    await expect(page.locator("#clock")).to_contain_text("23/11/2026")

    # The chairman assigns a task in the leadership group; the units' groups are not his.
    await act_as(page, CHAIRMAN, "Lãnh đạo UBND phường")
    await expect(page.locator(".chat-name", has_text="Phòng Kinh tế")).to_have_count(0)
    await page.fill("#text", "/giao KTHT Rà soát lấn chiếm vỉa hè tuyến Trần Nhân Tông hạn 15/12")
    await page.press("#text", "Enter")
    await expect(page.locator(".msg.me").last).to_contain_text("/giao KTHT")
    confirm = page.locator(".msg.bot").last
    await expect(confirm).to_contain_text("NV-0001")
    await expect(confirm).to_contain_text("Thứ Ba, 15/12/2026 17:00")
    await expect(page.locator("#text")).to_have_value("")
    await shot(page, "02-assigned")

    # The unit head sees the card in the unit's group (bold rendered, mention styled).
    await act_as(page, KTHT_HEAD, "Phòng Kinh tế, Hạ tầng và Đô thị")
    card = page.locator(".msg.bot", has_text=CARD).first
    await expect(card).to_contain_text("Chưa tiếp nhận")
    await expect(card.locator("b", has_text=CARD)).to_be_visible()
    await expect(card.locator(".mention", has_text="Đỗ Văn Nam")).to_be_visible()
    await shot(page, "03-card")

    # ... acknowledges with the button: the answer shows, the card is edited in place.
    await card.get_by_role("button", name="Đã nhận").click()
    await expect(card).to_contain_text("Đang thực hiện")
    await expect(page.locator("#toast")).to_be_visible()
    await expect(card.get_by_role("button", name="Đã nhận")).to_have_count(0)
    await shot(page, "04-acknowledged")

    # ... reports the result: the ForceReply prompt is answered with text and a file.
    await card.get_by_role("button", name="Báo cáo kết quả").click()
    prompt = page.locator(".msg.bot", has=page.locator(".reply.force")).last
    await expect(prompt).to_be_visible()
    await expect(page.locator("#reply-bar")).to_be_visible()  # replying to the prompt already
    await page.set_input_files(
        "#file",
        files=[{"name": "Biên bản rà soát.pdf", "mimeType": "application/pdf", "buffer": b"%PDF"}],
    )
    await expect(page.locator("#file-bar")).to_contain_text("Biên bản rà soát.pdf")
    await page.fill("#text", "Đã rà soát 12 trường hợp, lập biên bản 5 trường hợp")
    await page.click("#send")
    mine = page.locator(".msg.me").last
    await expect(mine.locator(".quote")).to_be_visible()
    await expect(mine.locator("a.doc")).to_contain_text("Biên bản rà soát.pdf")
    await expect(page.locator(".msg.bot").last).to_contain_text("chờ lãnh đạo duyệt")
    await expect(card).to_contain_text("Chờ duyệt")
    await shot(page, "05-reported")

    # The chairman approves from the private chat with the bot.
    await act_as(page, CHAIRMAN, "chat riêng")
    review = page.locator(".msg.bot", has=page.get_by_role("button", name="Duyệt")).last
    await expect(review).to_contain_text("Đã rà soát 12 trường hợp")
    await review.get_by_role("button", name="Duyệt").click()
    await expect(review.get_by_role("button", name="Duyệt")).to_have_count(0)
    await shot(page, "06-approved")

    # The card in the unit's group shows the final state (the office sits in every unit's group).
    await act_as(page, OFFICE, "Phòng Kinh tế, Hạ tầng và Đô thị")
    await expect(card).to_contain_text("Đã hoàn thành")
    await expect(card.locator(".kb-btn")).to_have_count(0)
    await shot(page, "07-done")


async def test_the_bots_html_is_rebuilt_from_telegrams_tags_only(page: Any) -> None:
    rendered = await page.evaluate(
        """(html) => {
            const box = document.createElement("div");
            box.append(window.dondoc.sanitize(html));
            return box.innerHTML;
        }""",
        '<b onclick="x()">Đậm</b> <script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">lừa</a> <a href="tg://user?id=910001">Hùng</a> '
        '<a href="https://example.org/a">web</a> <tg-spoiler>kín</tg-spoiler> <div>khối</div>',
    )
    assert rendered == (
        '<b>Đậm</b> lừa <span class="mention" title="tg://user?id=910001">Hùng</span> '
        '<a href="https://example.org/a" target="_blank" rel="noopener noreferrer">web</a> '
        '<span class="spoiler">kín</span> khối'
    )


async def test_fast_forward_says_what_happened(page: Any) -> None:
    await page.click("#help-close")
    await page.click("#ff")
    alert = page.locator("#alert")
    await expect(alert).to_be_visible()
    await expect(alert).to_contain_text(re.compile("Chưa có gì được hẹn giờ|Đồng hồ sandbox"))
    await page.click("#alert-ok")
    await expect(alert).to_be_hidden()


async def test_a_sample_command_in_the_help_closes_it_for_good(page: Any) -> None:
    await page.locator("#help code.try", has_text="/viec").click()
    await expect(page.locator("#help")).to_be_hidden()
    await expect(page.locator("#text")).to_have_value("/viec")
    await page.reload()
    await expect(page.locator("#clock")).to_contain_text("23/11/2026")  # the page is up again
    await expect(page.locator("#help")).to_be_hidden()


async def test_a_stopped_sandbox_shows_a_banner_until_it_is_back(
    sandbox: Sandbox, page: Any
) -> None:
    await page.click("#help-close")
    banner = page.locator("#offline")
    await expect(page.locator("#clock")).to_contain_text("23/11/2026")
    await expect(banner).to_be_hidden()
    # The web server stops (as on Ctrl-C): the live stream ends and the page says so.
    port = int(sandbox.url.rsplit(":", 1)[1])
    await sandbox.runner.cleanup()
    await expect(banner).to_be_visible()
    await expect(banner).to_have_text("Mất kết nối với sandbox — đang thử lại…")
    await shot(page, "08-offline")
    # It comes back on the same address: the page reconnects by itself and the banner goes.
    runner = web.AppRunner(SandboxWeb(sandbox.live, sandbox.demo).app, shutdown_timeout=1.0)
    await runner.setup()
    sandbox.runner = runner  # the fixture stops this one
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await expect(banner).to_be_hidden(timeout=15_000)


async def fast_forward_until(page: Any, arrived: Any, tries: int = 12) -> None:
    """Press ⏩ (and the alert's OK) until ``arrived`` is on the page."""
    for _ in range(tries):
        if await arrived.count():
            return
        await page.click("#ff")
        # The alert comes when the scan has sent what fell due; a weekly post's chart is drawn
        # first, by a Python process of its own.
        await expect(page.locator("#alert")).to_be_visible(timeout=CHART_DRAWN)
        await page.click("#alert-ok")
    await expect(arrived.first).to_be_visible()


async def test_fast_forward_brings_the_nudge_and_the_weekly_chart(running_page: Any) -> None:
    page = running_page
    await page.click("#help-close")
    await act_as(page, CHAIRMAN, "Lãnh đạo UBND phường")
    due = (START + timedelta(days=10)).strftime("%d/%m/%Y")
    await page.fill("#text", f"/giao KTHT Báo cáo tiến độ giải phóng mặt bằng hạn {due}")
    await page.press("#text", "Enter")
    await expect(page.locator(".msg.bot").last).to_contain_text("NV-0001")

    # The unit's head watches the unit's group while the clock jumps: the reminder arrives.
    await act_as(page, KTHT_HEAD, "Phòng Kinh tế, Hạ tầng và Đô thị")
    nudge = page.locator(".msg.bot", has_text="Đôn đốc nhiệm vụ")
    await fast_forward_until(page, nudge)
    await expect(nudge.first).to_contain_text("NV-0001")
    await shot(page, "09-nudge")

    # On Friday the weekly tally reaches the leadership group, its chart shown as an image.
    await act_as(page, CHAIRMAN, "Lãnh đạo UBND phường")
    chart = page.locator(".msg.bot img")
    await fast_forward_until(page, chart)
    await chart.last.scroll_into_view_if_needed()

    # Loaded and decoded, however long the busy host takes: not polled for a fixed time.
    loaded = await chart.last.evaluate(
        """(img) => img.decode().then(() => img.naturalWidth > 0, () => false)"""
    )
    assert loaded, "the weekly chart did not load"
    await shot(page, "10-weekly-chart")


PHONE = 390  # an iPhone 12-15 held upright, in CSS pixels


async def inside_the_screen(locator: Any) -> None:
    await expect(locator).to_be_visible()
    box = await locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, box


async def test_the_sandbox_on_a_phone(sandbox: Sandbox) -> None:
    async with open_page(sandbox.url, width=PHONE, height=844) as page:
        # The help fits the screen and can be closed.
        await inside_the_screen(page.locator("#help .dialog"))
        await inside_the_screen(page.locator("#help-close"))
        await shot(page, "phone-01-help")
        await page.click("#help-close")

        # The persona picker, the clock and ⏩ are all on screen; nothing scrolls sideways.
        for selector in ("#persona", "#clock", "#ff", "#help-open"):
            await inside_the_screen(page.locator(selector))
        await expect(page.locator("#clock")).to_contain_text("23/11/2026")
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE
        # The picker shows every person's whole name (a long role and unit may run on: the
        # phone's own list of options shows them whole).
        room = await page.evaluate(
            """() => {
                const select = document.getElementById("persona");
                const ctx = document.createElement("canvas").getContext("2d");
                ctx.font = getComputedStyle(select).font;
                const widest = Math.max(...[...select.options].map(
                    (o) => ctx.measureText(o.text.split(" — ")[0] + " — Chủ tịch").width));
                return select.clientWidth - 28 - widest;  // 28: the arrow and the padding
            }"""
        )
        assert room >= 0, f"the longest name is cut by {-room:.0f} px"

        # One pane at a time: the chat list first, whole names on it.
        await act_as_on_a_phone(page, CHAIRMAN, "Lãnh đạo UBND phường")
        await shot(page, "phone-02-list")
        names = page.locator(".chat-name")
        for i in range(await names.count()):
            cut = await names.nth(i).evaluate("(n) => n.scrollWidth > n.clientWidth")
            assert not cut, await names.nth(i).text_content()
        await page.locator(
            ".chat-item", has=page.locator(".chat-name", has_text="Lãnh đạo")
        ).click()
        await expect(page.locator("#chats")).to_be_hidden()
        await inside_the_screen(page.locator("#back"))
        await inside_the_screen(page.locator("#send"))
        await page.fill(
            "#text", "/giao KTHT Rà soát lấn chiếm vỉa hè tuyến Trần Nhân Tông hạn 15/12"
        )
        await page.press("#text", "Enter")
        await expect(page.locator(".msg.bot").last).to_contain_text("NV-0001")
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE
        await shot(page, "phone-03-chat")
        # The tally reads on the phone: one line per unit, no table wider than the screen.
        clock = sandbox.live.runtime.services.core.clock
        assert isinstance(clock, ManualClock)
        clock.set(START + timedelta(hours=1))  # the task is in the 7 days to now
        await page.fill("#text", "/tonghop")
        await page.press("#text", "Enter")
        tally = page.locator(".msg.bot", has_text="Tổng hợp nhiệm vụ")
        await expect(tally).to_contain_text("KTHT ⏳ 1")
        # The chart follows the figures once a Python process of its own has loaded matplotlib
        # and drawn it: well over the usual 5 s on a busy two-core host.
        await expect(page.locator(".msg.bot img")).to_have_count(1, timeout=CHART_DRAWN)
        await inside_the_screen(tally)
        await tally.scroll_into_view_if_needed()
        await shot(page, "phone-03-tally")

        # Over Telegram's 4,096 characters: said on screen, nothing sent, the text kept.
        mine = await page.locator(".msg.me").count()
        await page.fill("#text", "Báo cáo " + "x" * 4092)
        await expect(page.locator("#count")).to_contain_text("4.100 / 4.096 ký tự")
        await page.press("#text", "Enter")
        await expect(page.locator("#toast")).to_contain_text(
            "Tin nhắn dài 4.100 ký tự, quá giới hạn 4.096 ký tự của Telegram, nên chưa được gửi."
        )
        await inside_the_screen(page.locator("#toast"))
        await shot(page, "phone-04-too-long")
        await page.wait_for_timeout(300)  # a send would have come back by now
        assert await page.locator(".msg.me").count() == mine
        assert len(await page.input_value("#text")) == 4100

        # Back to the list.
        await page.click("#back")
        await expect(page.locator("#chats")).to_be_visible()
        await expect(page.locator(".chat")).to_be_hidden()


async def act_as_on_a_phone(page: Any, person: int, chat: str) -> None:
    await page.select_option("#persona", str(person))
    await expect(page.locator(".chat-name", has_text=chat)).to_be_visible()


async def test_the_page_speaks_english_with_dondoc_language_en(tmp_path: Path) -> None:
    """DONDOC_LANGUAGE=en: the page's own words are English too, not only the bot's."""
    settings = sandbox_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}", _env_file=None, DONDOC_LANGUAGE="en"
    )
    box = await Sandbox.start(settings, port=0, clock=ManualClock(START))
    try:
        async with open_page(box.url) as page:
            help_panel = page.locator("#help")
            await expect(help_panel).to_be_visible()
            await expect(help_panel).to_contain_text("Try Đôn Đốc without Telegram")
            await expect(help_panel).to_contain_text("✅ Đã nhận (acknowledge)")
            await shot(page, "en-01-help")
            await page.locator("#help code.try", has_text="/viec").click()
            await expect(help_panel).to_be_hidden()
            await expect(page.locator("#send")).to_have_text("Send")
            await expect(page.locator("#offline")).to_have_text(
                "Lost the connection to the sandbox — trying again…"
            )
            await expect(page.locator("#clock")).to_contain_text("Monday")
            await expect(page.locator("#clock")).to_contain_text("23/11/2026")
            labels = await page.eval_on_selector_all(
                "#persona optgroup", "(g) => g.map(x => x.label)"
            )
            assert labels == ["Leaders, office", "Units"]
            await expect(page.locator("#persona option").first).to_have_text(
                "Nguyễn Văn Hùng — Chairman"
            )

            await act_as(page, CHAIRMAN, "private chat")
            await expect(page.locator("#chat-title")).to_have_text("🤖 Đôn Đốc (private chat)")
            await expect(page.locator("#chat-sub")).to_have_text("Nguyễn Văn Hùng’s")
            await expect(page.locator(".msg .reply").first).to_have_text("↩ Reply")
            await act_as(page, CHAIRMAN, "Lãnh đạo UBND phường")
            await expect(page.locator("#chat-sub")).to_have_text("group")

            await page.fill("#text", "Report " + "x" * 4093)
            await expect(page.locator("#count")).to_have_text("4,100 / 4,096 characters")
            await page.press("#text", "Enter")
            await expect(page.locator("#toast")).to_contain_text(
                "The message is 4,100 characters long, over Telegram's limit of 4,096"
            )
            await shot(page, "en-02-too-long")
            await page.fill("#text", "")

            await page.click("#ff")
            await expect(page.locator("#alert")).to_contain_text("Nothing is scheduled yet")
    finally:
        await box.stop()
