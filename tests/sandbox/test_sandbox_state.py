"""The sandbox's world and text rules, without HTTP."""

from __future__ import annotations

import json

import aiohttp
import pytest

from bot.sandbox import FakeTelegram, RateLimits
from bot.sandbox.entities import EntityParseError, detect_entities, parse_html
from bot.sandbox.limits import RateLimiter
from bot.sandbox.state import TooLong

GROUP = -1009
AN = 7
BINH = 8
CHI = 9


def test_html_entities_in_utf16_units() -> None:
    text, entities = parse_html(
        '😀 <b>đậm <i>nghiêng</i></b> &amp; &#128512; a > b <a href="https://x.vn">link</a>'
    )
    assert text == "😀 đậm nghiêng & 😀 a > b link"
    assert entities == [
        {"offset": 3, "length": 11, "type": "bold"},
        {"offset": 7, "length": 7, "type": "italic"},
        {"offset": 26, "length": 4, "type": "text_link", "url": "https://x.vn"},
    ]


def test_html_pre_code_blockquote_spoiler() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote expandable>q</blockquote>"
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>'
    )
    assert text == "x = 1qst"
    assert [e["type"] for e in entities] == ["pre", "expandable_blockquote", "spoiler", "spoiler"]
    assert entities[0]["language"] == "python"


def test_html_strips_outer_whitespace_and_keeps_unknown_ampersands() -> None:
    text, entities = parse_html("  <b> Tom &amp; Jerry &nbsp;</b>\n")
    assert text == "Tom & Jerry &nbsp;"
    assert entities == [{"offset": 0, "length": 18, "type": "bold"}]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("Đà < b", 'Unsupported start tag "" at byte offset 5'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_html_errors_read_like_telegram(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    assert str(caught.value) == error


def test_detected_entities() -> None:
    assert detect_entities("/giao@dondoc_bot việc cho @an_nguyen #gấp") == [
        {"type": "bot_command", "offset": 0, "length": 16},
        {"type": "mention", "offset": 26, "length": 10},
        {"type": "hashtag", "offset": 37, "length": 4},
    ]
    assert detect_entities("a/b and path/x") == []


def test_rate_limiter_windows() -> None:
    now = [0.0]
    limiter = RateLimiter(RateLimits(per_chat=(100, 1.0)), lambda: now[0])
    for _ in range(20):
        assert limiter.retry_after(GROUP, is_group=True) == 0
        limiter.record(GROUP, is_group=True)
        now[0] += 1.0
    assert limiter.retry_after(GROUP, is_group=True) == 40  # the first one leaves at t=60
    assert limiter.retry_after(-1, is_group=True) == 0
    now[0] = 60.0
    assert limiter.retry_after(GROUP, is_group=True) == 0


def test_people_need_to_exist() -> None:
    tg = FakeTelegram()
    with pytest.raises(ValueError, match="unknown user"):
        tg.send_message(AN, AN, "hi")
    tg.add_user(AN, "An")
    with pytest.raises(ValueError, match="does not exist"):
        tg.send_message(GROUP, AN, "hi")
    with pytest.raises(ValueError, match="does not exist"):
        tg.send_message(AN, AN, "hi", reply_to=5)


def test_only_members_write_and_press_in_a_group() -> None:
    tg = FakeTelegram()
    tg.add_user(AN, "An")
    tg.add_user(BINH, "Bình")
    tg.add_user(CHI, "Chi")
    tg.add_group(GROUP, "Xã", members=[AN])
    sent = tg.send_message(GROUP, AN, "/menu")
    with pytest.raises(ValueError, match="not a member"):
        tg.send_message(GROUP, BINH, "cho tôi vào với")
    assert len(tg.messages(GROUP)) == 1  # nothing stored, nobody joined by writing
    tg.join(GROUP, BINH)
    tg.send_message(GROUP, BINH, "đã vào nhóm")
    assert len(tg.messages(GROUP)) == 2
    with pytest.raises(ValueError, match="not a member"):
        tg.press_button(GROUP, sent["message_id"], CHI, "x")


def test_privacy_mode_and_membership_updates() -> None:
    tg = FakeTelegram()
    tg.add_user(AN, "An")
    tg.add_group(GROUP, "Xã", added_by=AN)
    tg.send_message(GROUP, AN, "chuyện phiếm")
    tg.send_message(GROUP, AN, "hỏi @dondoc_bot")
    tg.kick_bot(GROUP, by=AN)
    tg.send_message(GROUP, AN, "/start")
    kinds = [next(k for k in u if k != "update_id") for u in tg.take_updates(None, 100)]
    assert kinds == ["my_chat_member", "message", "my_chat_member"]
    assert len(tg.messages(GROUP)) == 3
    json.dumps(tg.snapshot())


async def test_wait_for_bot_message_times_out_with_context() -> None:
    tg = FakeTelegram()
    tg.add_user(AN, "An")
    tg.send_message(AN, AN, "/start")
    with pytest.raises(TimeoutError, match="/start"):
        await tg.wait_for_bot_message(AN, timeout=0.05)


async def test_get_updates_offset_limit_and_allowed_updates(tg: FakeTelegram, url: str) -> None:
    tg.add_user(AN, "An")
    for i in range(3):
        tg.send_message(AN, AN, f"m{i}")
    base = f"{url}/bot{tg.token}/getUpdates"
    async with aiohttp.ClientSession() as session:
        async with session.post(base, data={"limit": "2"}) as response:
            first = (await response.json())["result"]
        assert [u["message"]["text"] for u in first] == ["m0", "m1"]
        async with session.get(base, params={"offset": str(first[-1]["update_id"] + 1)}) as r:
            rest = (await r.json())["result"]
        assert [u["message"]["text"] for u in rest] == ["m2"]
        await tg.wait_idle(timeout=2, quiet=0)

        async with session.post(
            base,
            data={
                "offset": str(rest[-1]["update_id"] + 1),
                "allowed_updates": '["callback_query"]',
            },
        ) as r:
            assert (await r.json())["result"] == []
        tg.send_message(AN, AN, "ignored")
        async with session.post(base, data={"timeout": "0"}) as r:
            assert (await r.json())["result"] == []
        assert tg.pending_updates() == 0


def test_a_persons_message_over_telegrams_limit_is_refused_and_not_stored() -> None:
    tg = FakeTelegram()
    tg.add_user(AN, "An")
    tg.send_message(AN, AN, "x" * 4096)  # the limit itself goes
    with pytest.raises(TooLong) as caught:
        tg.send_message(AN, AN, "x" * 4097)
    assert (caught.value.length, caught.value.limit) == (4097, 4096)
    assert "message is too long" in str(caught.value)
    # Counted as Telegram counts: in UTF-16 code units (an emoji is two).
    with pytest.raises(TooLong):
        tg.send_message(AN, AN, "📎" * 2049)
    with pytest.raises(TooLong) as caught:
        tg.send_message(AN, AN, document=("a.txt", b"a", "text/plain"), caption="y" * 1025)
    assert caught.value.limit == 1024
    assert len(tg.messages(AN)) == 1
