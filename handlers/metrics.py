"""Prometheus metrics of one process (`/metrics`, handlers/web.py).

The numbers are kept here as plain counters, gauges and histograms; prometheus-client is loaded
only when /metrics is first asked for, and reads them through a collector of its own (issue 13:
its import was a fiftieth of a start, for a page that only some deployments serve). A registry
of its own rather than prometheus-client's global one: tests build several applications in one
process."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from telegram import Update
from telegram.ext import TypeHandler

from handlers.context import Ctx, DondocApp

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry
    from prometheus_client.metrics_core import Metric

Sample = tuple[str, dict[str, str], float]


class _Metric:
    kind = ""

    def __init__(self, name: str, documentation: str) -> None:
        self.name = name
        self.documentation = documentation
        self.created = time.time()

    def samples(self) -> list[Sample]:
        raise NotImplementedError


class Counter(_Metric):
    kind = "counter"

    def __init__(self, name: str, documentation: str) -> None:
        super().__init__(name, documentation)
        self.value = 0.0

    def inc(self, amount: float = 1) -> None:
        if amount < 0:
            raise ValueError("Counters can only be incremented by non-negative amounts.")
        self.value += amount

    def samples(self) -> list[Sample]:
        return [("_total", {}, self.value), ("_created", {}, self.created)]


class Gauge(_Metric):
    kind = "gauge"

    def __init__(self, name: str, documentation: str) -> None:
        super().__init__(name, documentation)
        self.value = 0.0

    def set(self, value: float) -> None:
        self.value = float(value)

    def samples(self) -> list[Sample]:
        return [("", {}, self.value)]


class Histogram(_Metric):
    kind = "histogram"

    def __init__(self, name: str, documentation: str, buckets: tuple[float, ...]) -> None:
        super().__init__(name, documentation)
        self.bounds = (*(float(b) for b in buckets), float("inf"))
        self.counts = [0.0] * len(self.bounds)  # per bucket, not cumulative
        self.sum = 0.0

    def observe(self, amount: float) -> None:
        self.sum += amount
        for i, bound in enumerate(self.bounds):
            if amount <= bound:
                self.counts[i] += 1
                break

    def samples(self) -> list[Sample]:
        from prometheus_client.utils import floatToGoString

        out: list[Sample] = []
        total = 0.0
        for bound, count in zip(self.bounds, self.counts, strict=True):
            total += count
            le = floatToGoString(bound)  # type: ignore[no-untyped-call]
            out.append(("_bucket", {"le": le}, total))
        out += [("_count", {}, total), ("_sum", {}, self.sum), ("_created", {}, self.created)]
        return out


UPDATES = Counter("dondoc_updates", "Telegram updates handled")
HANDLER_SECONDS = Histogram(
    "dondoc_update_handler_seconds",
    "Time from an update's first handler to its last",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SENT = Counter("dondoc_messages_sent", "Queued messages sent")
FAILED = Counter("dondoc_messages_failed", "Queued messages refused for good")
RATE_LIMITED = Counter("dondoc_messages_rate_limited", "Sends answered 429 by Telegram")
OUTBOX = Gauge(
    "dondoc_outbox_pending", "Messages queued and not yet sent (pending, claimed, sending)"
)
SCAN_SECONDS = Histogram(
    "dondoc_scan_seconds",
    "One due-scan with its sending",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
LEADER = Gauge("dondoc_leader", "1 while this instance runs the scheduled work")
LAST_UPDATE_AGE = Gauge(
    "dondoc_last_update_age_seconds", "Seconds since the last update was handled (-1: none yet)"
)
ALL: tuple[_Metric, ...] = (
    UPDATES,
    HANDLER_SECONDS,
    SENT,
    FAILED,
    RATE_LIMITED,
    OUTBOX,
    SCAN_SECONDS,
    LEADER,
    LAST_UPDATE_AGE,
)


class Collector:
    """What prometheus-client's registry reads at each scrape: the numbers above, as its own
    Counter, Gauge and Histogram would have shown them."""

    def __init__(self, metrics: tuple[_Metric, ...]) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.metrics_core import Metric

        for metric in self.metrics:
            family = Metric(metric.name, metric.documentation, metric.kind)
            for suffix, labels, value in metric.samples():
                family.add_sample(metric.name + suffix, labels, value)
            yield family


_registry: list[CollectorRegistry] = []


def registry() -> CollectorRegistry:
    """The registry /metrics is rendered from, built at the first scrape."""
    if not _registry:
        from prometheus_client import CollectorRegistry

        built = CollectorRegistry(auto_describe=True)
        built.register(Collector(ALL))
        _registry.append(built)
    return _registry[0]


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
