"""/metrics without prometheus-client at start (issue 13): handlers.metrics keeps the numbers
itself and shows them exactly as prometheus-client's own Counter, Gauge and Histogram do."""

from __future__ import annotations

import re

import prometheus_client as prom
import pytest

from handlers import metrics

BUCKETS = (0.005, 0.01, 0.5, 1, 2.5, 120)


def _text(registry: prom.CollectorRegistry) -> str:
    # The _created series are the moments each metric was made: two makings, two moments.
    exposed = prom.generate_latest(registry).decode()
    return re.sub(r"(_created(?:\{[^}]*\})?) \S+", r"\1 T", exposed)


def test_the_exposition_is_prometheus_clients_own() -> None:
    theirs = prom.CollectorRegistry(auto_describe=True)
    ours = (
        metrics.Counter("x_updates", "Updates handled"),
        metrics.Histogram("x_seconds", "Time taken", buckets=BUCKETS),
        metrics.Gauge("x_backlog", "Messages waiting"),
    )
    native = (
        prom.Counter("x_updates", "Updates handled", registry=theirs),
        prom.Histogram("x_seconds", "Time taken", buckets=BUCKETS, registry=theirs),
        prom.Gauge("x_backlog", "Messages waiting", registry=theirs),
    )
    for counter in (ours[0], native[0]):
        counter.inc()
        counter.inc(2.5)
    for histogram in (ours[1], native[1]):
        for seconds in (0.001, 0.005, 0.0051, 0.7, 1, 119.9, 121, 0):
            histogram.observe(seconds)
    for gauge in (ours[2], native[2]):
        gauge.set(7)
        gauge.set(-1.5)
    registry = prom.CollectorRegistry(auto_describe=True)
    registry.register(metrics.Collector(ours))
    assert _text(registry) == _text(theirs)
    with pytest.raises(ValueError, match="non-negative"):
        ours[0].inc(-1)


def test_the_bots_metrics_are_all_shown() -> None:
    exposed = prom.generate_latest(metrics.registry()).decode()
    for metric in metrics.ALL:
        assert f"# HELP {metric.name}" in exposed
    assert metrics.registry() is metrics.registry()
