"""Sending queued messages: claim (committed) → wait for the pacer's slot → sending (committed)
→ send → sent | failed. A crash before "sending" leaves the row claimed, and a restart sends it.
A crash after it, or a timeout, leaves it unknown whether the message arrived: it is sent once
more, marked as a repeat (a lost reminder costs a missed deadline, a repeat costs little), and
not a third time. Server errors and broken connections are retried with a backoff capped at two
minutes, a 429 after its retry_after; each is one WARNING line."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
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
from bot.services.chasing import ChasingService
from bot.services.container import Services
from bot.text.catalog import t
from scheduler.pacer import Pacer

log = logging.getLogger(__name__)
CLAIM = 300
SHORT_WAIT = 1.5  # seconds worth waiting in line; longer, and the row is deferred instead
BACKOFF_FIRST = 5  # seconds after the first server error or broken connection, then doubling
BACKOFF_CAP = 120  # never longer between two tries: a reminder is worth trying every 2 minutes
IN_FLIGHT = 8  # sends overlapping their round trips; the pacer still spaces their starts


@dataclass
class DeliveryStats:
    sent: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    resent: int = 0  # cut off in flight: put back to go out once more, marked
    rate_limited: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Faults:
    """Test hooks to stop the application at the two dangerous points."""

    after_claim: Callable[[], Awaitable[None]] | None = None
    after_send: Callable[[], Awaitable[None]] | None = None


def _markup(delivery: Delivery) -> InlineKeyboardMarkup | None:
    if not delivery.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b["text"], callback_data=b["data"]) for b in row]
            for row in delivery.buttons
        ]
    )


class _Flights:
    """Sends overlapping their round trips: at most IN_FLIGHT at once, one per chat."""

    def __init__(
        self,
        bot: Bot,
        services: Services,
        pacer: Pacer,
        stats: DeliveryStats,
        faults: Faults | None,
    ) -> None:
        self.bot = bot
        self.services = services
        self.pacer = pacer
        self.stats = stats
        self.faults = faults
        self.busy: set[int] = set()
        self.slots = asyncio.Semaphore(IN_FLIGHT)
        self.tasks: set[asyncio.Task[None]] = set()

    async def launch(self, row: Delivery) -> None:
        await self.slots.acquire()
        self.busy.add(row.chat_id)
        task = asyncio.create_task(self._fly(row))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _fly(self, row: Delivery) -> None:
        try:
            # The pacer's slot first, "sending" only then: a crash while waiting for the slot
            # leaves the row claimed, to be sent after a restart; "sending" means the request is
            # leaving now.
            while (wait := self.pacer.ready_in(row.chat_id)) > 0:
                await self.pacer.wait(wait)
            # Taken before the commit, so that no other flight takes it meanwhile; counted
            # from after it, since Telegram counts arrivals and the commit takes a variable time.
            stamp = self.pacer.sent(row.chat_id)
            await self.services.chasing.mark(row.id, "sending", attempts=row.attempts + 1)
            stamp = self.pacer.restamp(row.chat_id, stamp)
            try:
                await _send_one(self.bot, self.services, row, self.stats, self.faults)
            finally:
                self.pacer.landed(row.chat_id, stamp)
        finally:
            self.busy.discard(row.chat_id)
            self.slots.release()

    async def land(self) -> None:
        if self.tasks:
            await asyncio.gather(*self.tasks)


async def deliver(
    bot: Bot, services: Services, pacer: Pacer, faults: Faults | None = None
) -> DeliveryStats:
    """Send what is queued and due, within Telegram's limits, until nothing is left to send now."""
    stats = DeliveryStats()
    chasing = services.chasing
    clock = services.core.clock
    while True:
        rows = await chasing.claim(CLAIM)
        if not rows:
            return stats
        if faults and faults.after_claim:
            await faults.after_claim()
        flights = _Flights(bot, services, pacer, stats, faults)
        waiting = list(rows)
        while waiting:
            # Send whatever may go now, in order; a chat still inside its own interval waits
            # its turn while other chats go (this keeps a burst near the overall limit).
            later = []
            for row in waiting:
                wait = pacer.ready_in(row.chat_id)
                if wait > SHORT_WAIT:
                    # This chat's budget is spent for a while: hand it back to the queue.
                    await chasing.mark(
                        row.id, "pending", next_attempt_at=clock.now() + timedelta(seconds=wait)
                    )
                    stats.deferred += 1
                elif wait > 0 or row.chat_id in flights.busy:
                    later.append(row)
                else:
                    await flights.launch(row)
            if later:
                await pacer.wait(max(0.01, min(pacer.ready_in(r.chat_id) for r in later)))
            waiting = later
        await flights.land()
        if stats.deferred and not await _anything_due(services):
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
) -> None:
    chasing = services.chasing
    now = services.core.clock.now()
    try:
        message = await _send_content(bot, row)
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
        return
    except ChatMigrated as exc:
        # The group became a supergroup with a new id: follow it and send there.
        await chasing.chat_migrated(row.id, row.chat_id, exc.new_chat_id)
        stats.retried += 1
        return
    except TimedOut as exc:
        if _never_left(exc):
            await _retry_later(chasing, row, now, stats, exc)
            return
        # It may have gone out, or not: sent once more, marked.
        await _again(chasing, row, now, stats, exc)
        return
    except Forbidden as exc:
        stats.failed += 1
        await chasing.mark(row.id, "failed", error=str(exc))
        if row.person_id is not None:
            # Blocked: no more private copies (mentioned in the group instead).
            await services.roster.cannot_message(row.person_id)
        if await chasing.first_refusal(row.chat_id, row.person_id):
            await _tell_admins(bot, services, row, str(exc))
        return
    except BadRequest as exc:
        stats.failed += 1
        stats.errors.append(str(exc))
        await chasing.mark(row.id, "failed", error=str(exc))
        return
    except NetworkError as exc:
        if exc.__cause__ is not None and not _never_left(exc):
            # The connection broke after the request was written: it may have gone out.
            await _again(chasing, row, now, stats, exc)
            return
        # A 5xx answer or a connection that never opened: nothing went out, try again later.
        await _retry_later(chasing, row, now, stats, exc)
        return
    except TelegramError as exc:
        # Anything else Telegram says (a token revoked, another instance polling...) fails
        # this row with its reason instead of leaving it stuck in "sending".
        stats.failed += 1
        stats.errors.append(str(exc))
        await chasing.mark(row.id, "failed", error=str(exc))
        return
    if faults and faults.after_send:
        await faults.after_send()
    stats.sent += 1
    await chasing.sent(row, sent_at=now, message_id=message.message_id, error=None)


def _never_left(exc: TelegramError) -> bool:
    """Errors that prove the request never reached Telegram: no connection, no pool slot."""
    return isinstance(exc.__cause__, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


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


async def _send_content(bot: Bot, row: Delivery) -> Message:
    """The text, or a file with the text as its caption (a report's chart or workbook)."""
    if row.document is None:
        return await bot.send_message(
            row.chat_id, row.text, parse_mode=ParseMode.HTML, reply_markup=_markup(row)
        )
    name, kind, data = row.document
    caption = row.text[:1024] or None
    if kind == "photo":
        return await bot.send_photo(
            row.chat_id, InputFile(data, filename=name), caption=caption, parse_mode=ParseMode.HTML
        )
    return await bot.send_document(
        row.chat_id, InputFile(data, filename=name), caption=caption, parse_mode=ParseMode.HTML
    )


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
