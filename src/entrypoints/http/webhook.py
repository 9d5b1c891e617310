"""Record one verified Meta webhook delivery: messages, delivery statuses, faults (A4, B-42).

The controller in ``meta.py`` reads the raw body and answers; this module decides
whether the body is authentic and records what it carries:

- on PostgreSQL the client messages join a group commit (``GroupCommit``, issue 12)
  with those of concurrent deliveries: one transaction decides them all, each lead's
  in order (B-6), and this delivery is answered once they are committed;
- elsewhere (SQLite, memory, ``INKBOOK_INBOUND_BATCH=1``) every client message goes
  through the ``HandleInbound`` use case; the messages of one lead one after another,
  in batch order (B-6), different leads at once when the store has parallel writers;
  each commits on its own and is idempotent (B-3), so a retried batch is safe after
  a partial failure;
- a message for a number no studio owns, every delivery status and every item
  the decoder had to skip are recorded in one more unit of work.

Anything that raises here means "not durably recorded": the caller answers 503
and Meta retries.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import msgspec
from litestar import Response
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from adapters.meta import Batch, verify_signature
from core.domain.contacts import plausible_sender
from core.domain.events import Event
from core.domain.inbound import Inbound
from core.usecases.inbound import Outcome
from core.usecases.inbound_batch import GroupCommit
from entrypoints.logs import describe_error
from ports.messenger import Received

from .errors import error_response
from .metrics import Metrics

log = logging.getLogger("inkbook.webhooks.meta")

RETRY_AFTER = "5"  # seconds, on a 503; the providers retry with their own backoff anyway

PROVIDER = "meta"
FAILED = "failed"
MAX_RECORDED_ERRORS = 50
REFUSAL_EVENT_INTERVAL = timedelta(seconds=1)


class Ack(msgspec.Struct, frozen=True):
    """What the webhook answers once everything in the batch is committed."""

    received: int
    statuses: int


class MetaWebhook:
    """Authenticity and recording of Meta deliveries, over the container's providers.

    Providers are resolved per call (they are singletons: cheap), so overrides made
    on the container after the app was built are honoured.
    """

    provider = PROVIDER  # metrics labels and event details (TwilioWebhook: "twilio")

    def __init__(self, container: Any, metrics: Metrics) -> None:
        self._container = container
        self._metrics = metrics
        # A flood of forged posts must not become a flood of writes: at most one
        # signature_failed event per interval, carrying how many were left out.
        self.refusal_event_interval = REFUSAL_EVENT_INTERVAL
        self._last_refusal_event: datetime | None = None
        self._unrecorded_refusals = 0

    # -- authenticity (B-42) -----------------------------------------------------------

    def refusal(self, body: bytes, header: str | None) -> str | None:
        """Why the delivery must be refused (401), or None when it is authentic."""
        settings = self._container.settings()
        # Always signed: console mode gets the published development secret from the
        # settings, never an unsigned path.
        # During a secret roll two are configured ("new,old"): either one signs (issue 7).
        secrets = settings.meta_app_secrets
        if secrets:
            if not header:
                return "missing_signature"
            if not any(verify_signature(secret, body, header) for secret in secrets):
                return "bad_signature"
            return None
        return "no_app_secret"

    async def refuse(self, reason: str) -> None:
        """Record the refusal as a system event; nothing of the payload is kept."""
        self._metrics.signature_failures.labels(self.provider).inc()
        log.warning("%s webhook refused: %s", self.provider, reason)
        moment = self._now()
        last = self._last_refusal_event
        if last is not None and abs(moment - last) < self.refusal_event_interval:
            self._unrecorded_refusals += 1
            return
        self._last_refusal_event = moment
        detail: dict[str, Any] = {"provider": self.provider, "reason": reason}
        if self._unrecorded_refusals:
            detail["unrecorded_before"] = self._unrecorded_refusals
            self._unrecorded_refusals = 0
        event = Event(kind="signature_failed", at=moment, level="warning", detail=detail)
        try:
            async with self._container.store().uow() as uow:
                await uow.record_event(event)
                await uow.commit()
        except Exception as exc:  # the 401 stands even if the database is down
            log.error("could not record signature_failed: %s", describe_error(exc))

    # -- recording -----------------------------------------------------------------------

    async def record(self, batch: Batch) -> Ack:
        studios = self._container.studios()
        now = self._now()
        notes: list[Event] = []
        by_lead: dict[tuple[str, str], list[Inbound]] = {}
        for received in batch.messages:
            studio = studios.for_channel(received.channel)
            if studio is None:
                notes.append(_unknown_channel(received, now))
                self._metrics.messages.labels(self.provider, "unknown_channel").inc()
                continue
            if not plausible_sender(received.contact):  # "STOP", SQL, 40 digits (issue 7)
                notes.append(_implausible_sender(received, now))
                self._metrics.messages.labels(PROVIDER, "implausible_sender").inc()
                continue
            key = (studio.id, received.contact)
            by_lead.setdefault(key, []).append(received.to_inbound(studio.id))
        await self._decide(list(by_lead.values()))
        if batch.errors:
            log.warning(
                "%s webhook: %d item(s) skipped or reported: %s",
                self.provider,
                len(batch.errors),
                "; ".join(batch.errors[:5]),
            )
            notes.append(
                Event(
                    kind="webhook_items_skipped",
                    at=now,
                    level="warning",
                    detail={
                        "provider": self.provider,
                        "errors": batch.errors[:MAX_RECORDED_ERRORS],
                    },
                )
            )
        if batch.statuses:
            await self._container.record_deliveries()(batch.statuses)
        if notes:
            async with self._container.store().uow() as uow:
                for note in notes:
                    await uow.record_event(note)
                await uow.commit()
        return Ack(received=len(batch.messages), statuses=len(batch.statuses))

    async def _decide(self, leads: list[list[Inbound]]) -> None:
        """Each lead's messages in order; different leads at once where the store allows.

        On PostgreSQL (a store with ``group_commit``) with ``INKBOOK_INBOUND_BATCH`` above 1, the
        messages join a group commit with those of concurrent deliveries (issue 12):
        this returns once they are all committed, or raises.
        """
        store = self._container.store()
        parallel = getattr(store, "parallel_writers", True)
        if getattr(store, "group_commit", False) and self._container.settings().inbound_batch > 1:
            group: GroupCommit = self._container.group_commit()
            outcomes = await group.submit([m for messages in leads for m in messages])
            for result, count in Counter(o.result for o in outcomes).items():
                self._metrics.messages.labels(self.provider, result).inc(count)
            return
        handle = self._container.handle_inbound()

        async def in_order(messages: list[Inbound]) -> None:
            for inbound in messages:
                outcome: Outcome = await handle(inbound)
                self._metrics.messages.labels(self.provider, outcome.result).inc()

        if len(leads) <= 1 or not parallel:  # SQLite: one writer at a time anyway
            for messages in leads:
                await in_order(messages)
            return
        slots = asyncio.Semaphore(self._container.settings().parallel_leads)

        async def bounded(messages: list[Inbound]) -> None:
            async with slots:
                await in_order(messages)

        # Every lead runs to its end (no cancellation mid-transaction); then the first
        # failure, if any, makes the delivery a 503 and Meta retries it (B-3 makes it safe).
        results = await asyncio.gather(*(bounded(m) for m in leads), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    def _now(self) -> datetime:
        now: datetime = self._container.clock().now()
        return now


def _unknown_channel(received: Received, now: datetime) -> Event:
    log.warning(
        "meta webhook: message %s for unknown phone number id %s",
        received.message_id,
        received.channel,
    )
    return _not_decided("unknown_channel", received, now)


def _implausible_sender(received: Received, now: datetime) -> Event:
    """Recorded for the operator; no lead, no reply, the sender itself not kept (B-44)."""
    log.warning("meta webhook: message %s from an implausible sender", received.message_id)
    return _not_decided("implausible_sender", received, now, sender_length=len(received.contact))


def _not_decided(kind: str, received: Received, now: datetime, **extra: object) -> Event:
    """A message no lead decides: what it was and where it came, never who sent it."""
    detail = {
        "provider": received.provider,
        "channel": received.channel,
        "message_id": received.message_id,
        "kind": type(received.content).__name__.lower(),
        **extra,
    }
    return Event(kind=kind, at=now, level="warning", detail=detail)


async def record_or_503(
    hook: MetaWebhook, batch: Any, metrics: Metrics, started: float
) -> Ack | Response[Any]:
    """Record a verified, decoded delivery (Meta's or Twilio's): its Ack, counted and timed;
    or, if it could not be recorded durably, the 503 that makes the provider retry."""
    provider = hook.provider
    try:
        ack: Ack = await hook.record(batch)
    except Exception:
        metrics.webhooks.labels(provider, "unavailable").inc()
        log.exception("%s webhook not recorded: answering 503 so it is retried", provider)
        return error_response(
            HTTP_503_SERVICE_UNAVAILABLE,
            "temporarily unavailable",
            headers={"Retry-After": RETRY_AFTER},
        )
    metrics.webhooks.labels(provider, "ok").inc()
    metrics.webhook_latency.labels(provider).observe(time.perf_counter() - started)
    return ack
