"""Prometheus metrics of one process (`/metrics`, handlers/web.py). A registry of its own rather
than prometheus-client's global one: tests build several applications in one process."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from telegram import Update
from telegram.ext import TypeHandler

from handlers.context import Ctx, DondocApp

REGISTRY = CollectorRegistry(auto_describe=True)
UPDATES = Counter("dondoc_updates", "Telegram updates handled", registry=REGISTRY)
HANDLER_SECONDS = Histogram(
    "dondoc_update_handler_seconds",
    "Time from an update's first handler to its last",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
SENT = Counter("dondoc_messages_sent", "Queued messages sent", registry=REGISTRY)
FAILED = Counter("dondoc_messages_failed", "Queued messages refused for good", registry=REGISTRY)
RATE_LIMITED = Counter(
    "dondoc_messages_rate_limited", "Sends answered 429 by Telegram", registry=REGISTRY
)
OUTBOX = Gauge(
    "dondoc_outbox_pending",
    "Messages queued and not yet sent (pending, claimed, sending)",
    registry=REGISTRY,
)
SCAN_SECONDS = Histogram(
    "dondoc_scan_seconds",
    "One due-scan with its sending",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
    registry=REGISTRY,
)
LEADER = Gauge("dondoc_leader", "1 while this instance runs the scheduled work", registry=REGISTRY)
LAST_UPDATE_AGE = Gauge(
    "dondoc_last_update_age_seconds",
    "Seconds since the last update was handled (-1: none yet)",
    registry=REGISTRY,
)

# Outside every group the bot's handlers use, so that each update passes both: the first and
# the last thing PTB does with it.
FIRST_GROUP = -1_000_000
LAST_GROUP = 1_000_000


async def _began(update: Update, ctx: Ctx) -> None:
    started = ctx.bot_data.update_started
    if len(started) > 10_000:  # only an update stopped before the last group leaves one behind
        started.clear()
    started[update.update_id] = time.monotonic()


async def _ended(update: Update, ctx: Ctx) -> None:
    now = time.monotonic()
    began = ctx.bot_data.update_started.pop(update.update_id, None)
    UPDATES.inc()
    if began is not None:
        HANDLER_SECONDS.observe(now - began)
    ctx.bot_data.last_update_at = now


def instrument(app: DondocApp) -> None:
    app.add_handler(TypeHandler(Update, _began), group=FIRST_GROUP)
    app.add_handler(TypeHandler(Update, _ended), group=LAST_GROUP)
