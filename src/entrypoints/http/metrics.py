"""Prometheus metrics of one app (own registry: no global state, apps can coexist in tests)."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from typing import Any

from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

# Litestar appends the charset to text media types itself.
MEDIA_TYPE = CONTENT_TYPE_LATEST.replace("; charset=utf-8", "")


class GroupCommits(Collector):
    """The group commit's batches (issue 12), read from its counters at each scrape.

    ``batch`` is the container's ``HandleInboundBatch``; ``fallbacks`` gives how many
    batches left the PostgreSQL asyncpg path for the SQLAlchemy one (0 elsewhere).
    """

    def __init__(self, batch: Any, fallbacks: Callable[[], int]) -> None:
        self._batch = batch
        self._fallbacks = fallbacks

    def collect(self) -> Iterator[CounterMetricFamily]:
        batches = CounterMetricFamily(
            "inkbook_group_commits",
            "Group commits of inbound messages (PostgreSQL): committed as one transaction, or "
            "failed and decided one message at a time (each message still decided once)",
            labels=("result",),
        )
        batches.add_metric(("committed",), self._batch.committed)
        batches.add_metric(("one_by_one",), self._batch.one_by_one)
        yield batches
        yield CounterMetricFamily(
            "inkbook_group_commit_fallbacks",
            "Group commits that needed a store call the PostgreSQL fast path lacks "
            "(then one by one through SQLAlchemy); also counted as one_by_one",
            value=self._fallbacks(),
        )


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.webhooks = Counter(
            "inkbook_webhooks_received",
            "Webhook deliveries, by provider and result",
            ("provider", "result"),
            registry=self.registry,
        )
        self.messages = Counter(
            "inkbook_messages_decided",
            "Inbound client messages, by outcome (processed, duplicate, failed, unknown_channel)",
            ("provider", "result"),
            registry=self.registry,
        )
        self.signature_failures = Counter(
            "inkbook_signature_failures",
            "Webhooks refused for a missing or wrong signature",
            ("provider",),
            registry=self.registry,
        )
        self.webhook_latency = Histogram(
            "inkbook_webhook_seconds",
            "Time to verify, decode and durably record one webhook delivery",
            ("provider",),
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
            registry=self.registry,
        )

    def watch_group_commits(self, batch: Any, fallbacks: Callable[[], int]) -> None:
        self.registry.register(GroupCommits(batch, fallbacks))


@get("/metrics", include_in_schema=False, sync_to_thread=False)
def metrics(request: Request[object, object, State], state: State) -> Response[bytes]:
    """Prometheus text; behind ``Authorization: Bearer <INKBOOK_METRICS_TOKEN>`` when set."""
    token: str | None = state.settings.metrics_token
    if token:
        scheme, _sep, presented = request.headers.get("authorization", "").strip().partition(" ")
        given = presented.strip().encode("utf-8", "surrogateescape")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given, token.encode()):
            raise NotAuthorizedException(
                "a valid metrics token is required",
                headers={"WWW-Authenticate": 'Bearer realm="inkbook-metrics"'},
            )
    registry = state.metrics.registry
    return Response(generate_latest(registry), media_type=MEDIA_TYPE)
