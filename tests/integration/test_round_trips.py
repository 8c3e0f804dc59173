"""Round trips to PostgreSQL per update, counted on the wire: every exchange the bot waits for
(a statement, a prepare, BEGIN, COMMIT, ROLLBACK), whoever sends it (bot.db.direct, SQLAlchemy,
the pool). On PostgreSQL each one suspends the update's task for a socket round trip and an
event-loop iteration, which cost more than the statement's own work: bench/throughput.py's mix
spent most of PostgreSQL's extra CPU per update over SQLite there. The statement budget
(test_statement_budget) counts statements on both databases; this one counts what PostgreSQL
is sent, transaction control included."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from asyncpg.protocol import Protocol
from support import CHAIRMAN, LEADERS, TCKH_CHAT, TCKH_HEAD, World

# A writing use case: BEGIN, its statements, COMMIT; then, for each card or prompt the handler
# sent, its message id in one INSERT that commits by itself (bot.db.uow's `one_statement`). A
# reading one: its statements alone, without BEGIN nor ROLLBACK. /giao: the roster's stamp, the
# update's key, the code's counter, the task, its event, its first nudge; then the unit's card.
# "Đã nhận": the task, its update, its event, the old plan cancelled, the next nudge. /xong: the
# same with the update's key; then the leader's review prompt. /nv: the task's statement. /viec:
# the stamp, the open tasks, their counts, the decisions waiting.
BUDGET = {
    "/giao": 1 + 6 + 1 + 1,
    "Đã nhận": 1 + 5 + 1,
    "/xong": 1 + 6 + 1 + 1,
    "/nv": 1,
    "/viec": 4,
}


def _exchanges(data: bytes, names: dict[bytes, str]) -> Iterator[str]:
    """The exchanges one write of the frontend protocol asks for (each Sync, each simple Query
    is answered once, and waited for), named by their SQL."""
    at, pending = 0, ""
    while at + 5 <= len(data):
        kind = data[at : at + 1]
        (length,) = struct.unpack("!i", data[at + 1 : at + 5])
        body = data[at + 5 : at + 1 + length]
        at += 1 + length
        if kind == b"Q":
            yield body.split(b"\0")[0].decode()
        elif kind == b"P":
            name, sql = body.split(b"\0")[:2]
            names[name] = sql.decode()
            pending = pending or f"prepare {sql.decode()}"
        elif kind == b"B":
            statement = body.split(b"\0")[1]
            pending = pending or names.get(statement, statement.decode())
        elif kind == b"S":
            yield " ".join((pending or "sync").split())[:160]
            pending = ""
        elif kind not in b"DECH":
            yield f"message {kind!r}"


class Wire:
    """What the bot's PostgreSQL connections waited for, read from asyncio's socket transport
    for the whole test (the statements' names are those of prepares made before counting)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.names: dict[bytes, str] = {}

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        start = len(self.sent)
        counted: list[str] = []
        yield counted
        counted.extend(self.sent[start:])


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Wire:
    wire = Wire()
    transport = asyncio.selector_events._SelectorSocketTransport  # type: ignore[attr-defined]
    write = transport.write

    def counting(self: Any, data: Any) -> None:
        if isinstance(self._protocol, Protocol):
            wire.sent.extend(_exchanges(bytes(data), wire.names))
        write(self, data)

    monkeypatch.setattr(transport, "write", counting)
    return wire


def within(name: str, sent: list[str]) -> None:
    listing = "\n".join(sent)
    assert len(sent) <= BUDGET[name], f"{name}: {len(sent)} round trips\n{listing}"


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_round_trips_per_update_stay_within_budget(world: World, wire: Wire) -> None:
    # Twice, as after a start: the roster is read into memory, the statements prepared.
    for _ in range(2):
        await world.say(LEADERS, CHAIRMAN, "/viec")
        await world.say(TCKH_CHAT, TCKH_HEAD, "/viec")

    with wire.counting() as giao:
        await world.say(LEADERS, CHAIRMAN, "/giao TCKH Báo cáo giải ngân hạn 15/12")
    assert "NV-0001" in world.last_text(LEADERS)

    card = world.card(TCKH_CHAT, "NV-0001")
    with wire.counting() as ack:
        answer = await world.press(
            TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận")
        )
    assert "NV-0001" in answer["text"]

    with wire.counting() as nv:
        await world.say(TCKH_CHAT, TCKH_HEAD, "/nv NV-0001")
    assert "Đang thực hiện" in world.last_text(TCKH_CHAT)

    with wire.counting() as viec:
        await world.say(TCKH_CHAT, TCKH_HEAD, "/viec")
    assert "NV-0001" in world.last_text(TCKH_CHAT)

    with wire.counting() as xong:
        await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0001 Đã giải ngân 80%")
    assert "NV-0001" in world.last_text(TCKH_CHAT)

    # The first of each kind prepared its statements: the second, as the bench's steady state.
    await world.say(LEADERS, CHAIRMAN, "/giao TCKH Kiểm tra hồ sơ hạn 16/12")
    with wire.counting() as giao:
        await world.say(LEADERS, CHAIRMAN, "/giao TCKH Tổng hợp số liệu hạn 17/12")
    assert "NV-0003" in world.last_text(LEADERS)
    card = world.card(TCKH_CHAT, "NV-0002")
    await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    card = world.card(TCKH_CHAT, "NV-0003")
    with wire.counting() as ack:
        await world.press(TCKH_CHAT, card["message_id"], TCKH_HEAD, world.button(card, "Đã nhận"))
    with wire.counting() as nv:
        await world.say(TCKH_CHAT, TCKH_HEAD, "/nv NV-0002")
    with wire.counting() as viec:
        await world.say(TCKH_CHAT, TCKH_HEAD, "/viec")
    await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0002 Xong")
    with wire.counting() as xong:
        await world.say(TCKH_CHAT, TCKH_HEAD, "/xong NV-0003 Xong")
    assert "NV-0003" in world.last_text(TCKH_CHAT)

    for name, sent in (
        ("/giao", giao),
        ("Đã nhận", ack),
        ("/xong", xong),
        ("/nv", nv),
        ("/viec", viec),
    ):
        within(name, sent)
