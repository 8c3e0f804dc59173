"""The update processor: one chat's updates in order, other chats' alongside."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from handlers.ordering import ChatOrderedProcessor

USER = User(1, "An", is_bot=False)


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "group" if chat_id < 0 else "private")
    message = Message(update_id, datetime(2026, 11, 30, tzinfo=UTC), chat, from_user=USER)
    return Update(update_id, message=message)


async def test_a_chats_updates_run_in_order_while_another_chats_run_alongside() -> None:
    processor = ChatOrderedProcessor(running=4)
    done: list[int] = []
    first_may_finish = asyncio.Event()
    other_chat_ran = asyncio.Event()

    async def handle(n: int) -> None:
        if n == 1:
            # Held until an update of another chat has run: it must not wait behind this one.
            await first_may_finish.wait()
        if n == 100:
            other_chat_ran.set()
            first_may_finish.set()
        await asyncio.sleep(0.001 * (5 - n % 5))  # later updates of the chat are quicker
        done.append(n)

    group = [(n, -1001) for n in range(1, 6)]
    tasks = [
        asyncio.create_task(processor.process_update(update(n, chat), handle(n)))
        for n, chat in [*group, (100, 42)]
    ]
    # One update at a time would never finish: the first waits for the other chat's.
    async with asyncio.timeout(5):
        await asyncio.gather(*tasks)
    assert other_chat_ran.is_set()
    assert [n for n in done if n < 100] == [1, 2, 3, 4, 5]
    assert processor._locks == {}  # no lock kept for chats with nothing waiting
