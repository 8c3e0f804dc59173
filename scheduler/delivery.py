"""Sending queued messages: claim (committed) → wait for the pacer's slot → sending (committed)
→ send → sent | failed. A crash before "sending" leaves the row claimed, and a restart sends it.
A crash after it, or a timeout, leaves it unknown whether the message arrived: it is sent once
more, marked as a repeat (a lost reminder costs a missed deadline, a repeat costs little), and
not a third time. Server errors and broken connections are retried with a backoff capped at two
minutes, a 429 after its retry_after; each is one WARNING line."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, InputFile
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.db.nudges import Delivery
from bot.services.chasing import ChasingService, Sent
from bot.services.container import Services
from bot.text.catalog import t
from handlers import botapi, transport
from scheduler.pacer import LANDING, Pacer

log = logging.getLogger(__name__)
CLAIM = 300
SHORT_WAIT = 1.5  # seconds worth waiting in line; longer, and the row is deferred instead
BACKOFF_FIRST = 5  # seconds after the first server error or broken connection, then doubling
BACKOFF_CAP = 120  # never longer between two tries: a reminder is worth trying every 2 minutes
IN_FLIGHT = 4  # sends overlapping their round trips; the pacer counts them as of now
GROUP = 2  # with others in flight, wait until this many may go, to mark them in one commit
PREFETCH = 60  # rows left of a full batch (2 s at 30/s) when the next one is claimed


@dataclass
class DeliveryStats:
    sent: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    resent: int = 0  # cut off in flight: put back to go out once more, marked
    rate_limited: int = 0
    taken_over: int = 0  # claimed here, then taken back by the instance that leads now
    errors: list[str] = field(default_factory=list)


@dataclass
class Faults:
    """Test hooks to stop the application at the two dangerous points."""

    after_claim: Callable[[], Awaitable[None]] | None = None
    after_send: Callable[[], Awaitable[None]] | None = None


def _markup(delivery: Delivery) -> botapi.JSON | None:
    if not delivery.buttons:
        return None
    return botapi.keyboard(((b["text"], b["data"]) for b in row) for row in delivery.buttons)


class _Sender:
    """Sends claimed rows: each chat's in order, the chats interleaved, so that while one chat
    waits for its own limits the overall rate is filled with other chats' messages; no fixed
    sleeps, only waits for what the pacer or a request in flight holds up. At most IN_FLIGHT
    requests overlap their round trips, one per chat. One commit marks a group of messages as
    leaving and records those that went out since the last one: at most 2 × IN_FLIGHT rows are
    "sending" at any moment (what a crash would send again, marked)."""

    def __init__(
        self,
        bot: Bot,
        services: Services,
        pacer: Pacer,
        stats: DeliveryStats,
        faults: Faults | None,
        leading: Callable[[], bool],
    ) -> None:
        self.bot = bot
        self.services = services
        self.pacer = pacer
        self.stats = stats
        self.faults = faults
        self.leading = leading
        self.tasks: set[asyncio.Task[None]] = set()
        self.busy = 0  # rows being marked "sending" or in flight
        self.done: list[Sent] = []  # went out, not yet recorded
        self.back = asyncio.Event()  # a request came back
        self.failure: BaseException | None = None
        self.stopped = False
        self.next: asyncio.Task[list[Delivery]] | None = None  # the next batch, claimed early

    async def send(self, rows: list[Delivery]) -> None:
        queues: OrderedDict[int, deque[Delivery]] = OrderedDict()
        for row in rows:
            queues.setdefault(row.chat_id, deque()).append(row)
        left = len(rows)
        while queues:
            if left <= PREFETCH and len(rows) == CLAIM and self.next is None:
                # A full batch nearly sent: claim the next one meanwhile, so that sending does
                # not stop while it is claimed.
                self.next = asyncio.create_task(self.services.chasing.claim(CLAIM))
            if self.failure is not None:
                raise self.failure
            if not self.leading():
                # Another instance may lead by now: what is claimed and not yet leaving goes
                # back to the queue for it (start_sending would refuse it anyway, once taken).
                await self._stop([row for queue in queues.values() for row in queue])
                return
            self.back.clear()
            free = IN_FLIGHT - self.busy
            room = min(free, self.pacer.room())
            group: list[Delivery] = []
            long_waits: list[tuple[int, float]] = []
            soonest = LANDING
            if self.busy and free < GROUP:
                room = 0  # a few more to come back first: one commit for several
            elif room <= 0 and free > 0:
                soonest = self.pacer.bot_ready_in()
            if room > 0:
                for chat in queues:
                    wait = self.pacer.chat_ready_in(chat)
                    if wait <= 0:
                        group.append(queues[chat][0])
                        if len(group) >= room:
                            break
                    elif wait != LANDING and wait > SHORT_WAIT:
                        long_waits.append((chat, wait))
                    else:
                        soonest = min(soonest, wait)
            for chat, wait in long_waits:
                # This chat's budget is spent for a while (a group's 20 a minute): its rows go
                # back to the queue until then, and this pass goes on with the other chats.
                deferred = list(queues.pop(chat))
                left -= len(deferred)
                await self._defer(deferred, wait)
            if group:
                left -= len(group)
                for row in group:
                    queue = queues[row.chat_id]
                    queue.popleft()
                    if queue:
                        queues.move_to_end(row.chat_id)
                    else:
                        del queues[row.chat_id]
                self._launch(group)
            elif queues:
                await self._wait(soonest)

    async def _wait(self, seconds: float) -> None:
        """Until a request comes back or the pacer's next slot opens, whichever comes first."""
        if seconds == LANDING or (self.tasks and seconds > 0):
            if seconds != LANDING and self.done:
                await self.record()  # nothing else to do meanwhile
            back = asyncio.ensure_future(self.back.wait())
            waits: set[asyncio.Future[Any]] = {back}
            if seconds != LANDING:
                waits.add(asyncio.ensure_future(self.pacer.wait(seconds)))
            elif not self.tasks:
                waits.add(asyncio.ensure_future(asyncio.sleep(0.05)))  # never happens; no hang
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiting in waits:
                    waiting.cancel()
        elif seconds > 0:
            if self.done:
                await self.record()
            await self.pacer.wait(seconds)

    def _launch(self, group: list[Delivery]) -> None:
        # The pacer's slots first, "sending" only then: a crash before the commit leaves the
        # rows claimed, to be sent after a restart; "sending" means the request is leaving now.
        # The commit runs beside the sender's loop, which meanwhile picks the next group.
        for row in group:
            self.pacer.sent(row.chat_id)
        self.busy += len(group)
        done, self.done = self.done, []
        self._start(self._commit(group, done))

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self._landed)

    async def _commit(self, group: list[Delivery], done: list[Sent]) -> None:
        try:
            taken = await self.services.chasing.start_sending([row.id for row in group], done)
        except BaseException:
            self.done = done + self.done
            for row in group:
                self._off(row, self.pacer.cancel)
            raise
        for row in group:
            if row.id in taken:
                self._start(self._fly(row))
            else:
                self._off(row, self.pacer.cancel)
                self.stats.taken_over += 1
        if len(taken) < len(group):
            log.warning(
                "%s claimed messages were taken back by the instance that leads now: not sent "
                "from here",
                len(group) - len(taken),
            )

    async def _fly(self, row: Delivery) -> None:
        try:
            message = await _send_one(self.bot, self.services, row, self.stats, self.faults)
            if message is not None:
                self.done.append(message)
        finally:
            self._off(row, self.pacer.landed)

    def _off(self, row: Delivery, how: Callable[[int], None]) -> None:
        how(row.chat_id)
        self.busy -= 1

    def _landed(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            self.failure = self.failure or error
        self.back.set()

    async def _defer(self, rows: list[Delivery], wait: float) -> None:
        at = self.services.core.clock.now() + timedelta(seconds=wait)
        await self.services.chasing.defer([row.id for row in rows], at)
        self.stats.deferred += len(rows)

    async def _stop(self, rows: list[Delivery]) -> None:
        self.stopped = True
        rows = rows + await self.claimed_early()
        released = await self.services.chasing.release([row.id for row in rows])
        log.warning(
            "no longer the leader: stopped sending; %s claimed messages handed back to the "
            "queue for the instance that leads now",
            released,
        )

    async def land(self) -> None:
        """Wait for the requests in flight; the first error among them is raised."""
        await self.settle()
        if self.failure is not None:
            raise self.failure

    async def claimed_early(self) -> list[Delivery]:
        """The next batch if it was claimed meanwhile (waited for), else nothing."""
        if self.next is None:
            return []
        claimed, self.next = self.next, None
        return await claimed

    async def settle(self) -> None:
        while self.tasks:  # a commit that lands starts its flights
            await asyncio.gather(*self.tasks, return_exceptions=True)

    async def record(self) -> None:
        if self.done:
            done, self.done = self.done, []
            try:
                await self.services.chasing.start_sending([], done)
            except BaseException:
                self.done = done + self.done
                raise


async def deliver(
    bot: Bot,
    services: Services,
    pacer: Pacer,
    faults: Faults | None = None,
    leading: Callable[[], bool] = lambda: True,
) -> DeliveryStats:
    """Send what is queued and due, within Telegram's limits, until nothing is left to send now
    or this instance no longer leads (`leading`, checked before each message)."""
    stats = DeliveryStats()
    chasing = services.chasing
    sender = _Sender(bot, services, pacer, stats, faults, leading)
    try:
        while leading():
            rows = await sender.claimed_early()
            if not rows:
                # What went out is recorded before the claim: its checks read the rows' states.
                await sender.record()
                rows = await chasing.claim(CLAIM)
            if not rows:
                if sender.tasks:
                    # What is in flight may come back to the queue (a group that moved).
                    await sender.land()
                    continue
                break
            if faults and faults.after_claim:
                await faults.after_claim()
            # The requests of the last pass may still be in flight: their chats wait for them.
            await sender.send(rows)
            if sender.stopped:
                break
            if sender.next is None and stats.deferred and not await _anything_due(services):
                break
        if sender.next is not None:  # the lead was lost meanwhile
            await services.chasing.release([row.id for row in await sender.claimed_early()])
        await sender.land()
    except BaseException:
        if sender.next is not None:
            with contextlib.suppress(Exception):
                await services.chasing.release([row.id for row in await sender.claimed_early()])
        await sender.settle()
        with contextlib.suppress(Exception):
            await sender.record()
        raise
    await sender.record()
    return stats


async def _anything_due(services: Services) -> bool:
    moment = await services.chasing.next_delivery_at()
    return moment is not None and moment <= services.core.clock.now()


async def _send_one(
    bot: Bot,
    services: Services,
    row: Delivery,
    stats: DeliveryStats,
    faults: Faults | None,
) -> Sent | None:
    """Send one row; an error is recorded here, a success returned to be recorded with the
    next commit."""
    chasing = services.chasing
    now = services.core.clock.now()
    try:
        message_id = await _send_content(bot, row)
    except RetryAfter as exc:
        seconds = _seconds(exc.retry_after)
        stats.rate_limited += 1
        log.warning(
            "Telegram asked to wait %.0f s (429) before message %s to chat %s: it goes out then",
            seconds,
            row.id,
            row.chat_id,
        )
        await chasing.mark(
            row.id, "pending", next_attempt_at=now + timedelta(seconds=seconds), error=str(exc)
        )
        return None
    except ChatMigrated as exc:
        # The group became a supergroup with a new id: follow it and send there.
        await chasing.chat_migrated(row.id, row.chat_id, exc.new_chat_id)
        stats.retried += 1
        return None
    except TimedOut as exc:
        if _never_left(exc):
            await _retry_later(chasing, row, now, stats, exc)
            return None
        # It may have gone out, or not: sent once more, marked.
        await _again(chasing, row, now, stats, exc)
        return None
    except Forbidden as exc:
        stats.failed += 1
        await chasing.mark(row.id, "failed", error=str(exc))
        if row.person_id is not None:
            # Blocked: no more private copies (mentioned in the group instead).
            await services.roster.cannot_message(row.person_id)
        if await chasing.first_refusal(row.chat_id, row.person_id):
            await _tell_admins(bot, services, row, str(exc))
        return None
    except BadRequest as exc:
        stats.failed += 1
        stats.errors.append(str(exc))
        await chasing.mark(row.id, "failed", error=str(exc))
        return None
    except NetworkError as exc:
        if exc.__cause__ is not None and not _never_left(exc):
            # The connection broke after the request was written: it may have gone out.
            await _again(chasing, row, now, stats, exc)
            return None
        # A 5xx answer or a connection that never opened: nothing went out, try again later.
        await _retry_later(chasing, row, now, stats, exc)
        return None
    except TelegramError as exc:
        # Anything else Telegram says (a token revoked, another instance polling...) fails
        # this row with its reason instead of leaving it stuck in "sending".
        stats.failed += 1
        stats.errors.append(str(exc))
        await chasing.mark(row.id, "failed", error=str(exc))
        return None
    if faults and faults.after_send:
        await faults.after_send()
    stats.sent += 1
    return Sent(row, message_id, now)


def _never_left(exc: TelegramError) -> bool:
    """Errors that prove the request never reached Telegram: no connection, no pool slot."""
    return transport.never_left(exc.__cause__)


def backoff(attempts: int) -> int:
    """Seconds to wait after a server error or a broken connection, `attempts` tries made
    before this one: 5, 10, 20, 40, 80, then every 2 minutes."""
    return int(min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** min(attempts, 10)))


async def _retry_later(
    chasing: ChasingService,
    row: Delivery,
    now: datetime,
    stats: DeliveryStats,
    exc: TelegramError,
) -> None:
    """Nothing went out (a 5xx answer, no connection): try again later, for as long as it
    takes. Giving up after a few tries would lose the reminders of a longer outage."""
    stats.retried += 1
    wait = backoff(row.attempts)
    log.warning(
        "message %s to chat %s was not sent (%s): trying again in %d s",
        row.id,
        row.chat_id,
        _reason(exc),
        wait,
    )
    await chasing.mark(
        row.id, "pending", next_attempt_at=now + timedelta(seconds=wait), error=str(exc)
    )


async def _again(
    chasing: ChasingService,
    row: Delivery,
    now: datetime,
    stats: DeliveryStats,
    exc: TelegramError,
) -> None:
    """The request left but no answer came back: it may have arrived or not. Sent once more,
    marked as a repeat; a repeat cut off the same way is not sent a third time."""
    if row.resent:
        stats.unknown += 1
        log.warning(
            "message %s to chat %s, already sent again once, may not have arrived (%s): "
            "not sent a third time",
            row.id,
            row.chat_id,
            _reason(exc),
        )
        await chasing.mark(row.id, "unknown", error=str(exc))
        return
    stats.resent += 1
    wait = backoff(row.attempts)
    log.warning(
        "message %s to chat %s may not have arrived (%s): sending it again, marked, in %d s",
        row.id,
        row.chat_id,
        _reason(exc),
        wait,
    )
    await chasing.mark(
        row.id,
        "pending",
        resent=row.resent + 1,
        next_attempt_at=now + timedelta(seconds=wait),
        error=str(exc),
    )


def _reason(exc: TelegramError) -> str:
    cause = exc.__cause__
    return f"{exc}: {cause!r}" if cause is not None and str(cause) != str(exc) else str(exc)


async def _send_content(bot: Bot, row: Delivery) -> int:
    """The text, or a file with the text as its caption (a report's chart or workbook); returns
    the message's id."""
    if row.document is None:
        return await botapi.send_text(bot, row.chat_id, row.text, _markup(row))
    name, kind, data = row.document
    caption = row.text[:1024] or None
    send = bot.send_photo if kind == "photo" else bot.send_document
    sent = await send(
        row.chat_id, InputFile(data, filename=name), caption=caption, parse_mode=ParseMode.HTML
    )
    return sent.message_id


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]


async def _tell_admins(bot: Bot, services: Services, row: Delivery, reason: str) -> None:
    lang = services.core.config.language
    if row.person_id is not None:
        person = await services.roster.person(row.person_id)
        name = html.escape(person.name) if person else str(row.chat_id)
        text = t("delivery.blocked", lang, name=name, chat=row.chat_id, reason=html.escape(reason))
    else:
        text = t("delivery.refused", lang, chat=row.chat_id, reason=html.escape(reason))
    for admin in await services.roster.admin_chats():
        try:
            await bot.send_message(admin, text, parse_mode=ParseMode.HTML)
        except (Forbidden, BadRequest, NetworkError):
            log.warning("could not tell admin %s that chat %s refuses the bot", admin, row.chat_id)
