"""The relay: delivers the outbox after commit, in order per recipient (B-25 to B-29)."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from core.domain.events import Event
from core.domain.failures import delivery_failed
from core.domain.optout import CANCEL_REASON, may_send
from core.domain.outbound import CLIENT, Intent, TemplateIntent
from core.usecases.context import Deployment
from core.usecases.persist import apply
from core.usecases.routing import route
from ports.clock import Clock
from ports.lead_repo import LeadNotFound
from ports.messenger import (
    Messenger,
    PermanentFailure,
    RateLimited,
    TransientFailure,
    WindowClosed,
)
from ports.outbox import OutboxItem
from ports.throttle import Throttle
from ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("inkbook.relay")


@dataclass(frozen=True, slots=True)
class RelayPolicy:
    """The relay's limits; ``inkbook`` builds it from the INKBOOK_RELAY_* settings."""

    batch: int = 200
    lease: timedelta = timedelta(seconds=60)
    window: timedelta = timedelta(hours=24)
    base_backoff: float = 1.0  # seconds
    max_backoff: float = 300.0
    max_attempts: int = 12
    idle_wait: float = 1.0  # seconds between looks when nothing woke us


@dataclass(frozen=True, slots=True)
class Outcome:
    item: OutboxItem
    action: str  # sent, retry, dead, held, cancelled
    detail: str = ""
    provider_message_id: str = ""
    delay: float = 0.0


class Relay:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        messenger: Messenger,
        clock: Clock,
        deployment: Deployment,
        throttle: Throttle,
        policy: RelayPolicy | None = None,
        jitter: Callable[[], float] = random.random,
        provider: str = "meta",
        messengers: Mapping[str, Messenger] | None = None,
    ) -> None:
        self._uow = uow
        self._messenger = messenger
        self._clock = clock
        self._deployment = deployment
        self._throttle = throttle
        self.policy = policy or RelayPolicy()
        self._jitter = jitter
        self._provider = provider
        # Issue 13: one messenger per provider, in INKBOOK_MESSENGER's order (routing.py).
        self._messengers = dict(messengers or {})

    async def run_once(self) -> int:
        """Claim what is deliverable now, send it, record the outcomes. Returns the count."""
        now = self._clock.now()
        async with self._uow() as uow:
            items = await uow.outbox.claim(now, self.policy.batch, self.policy.lease)
            await uow.commit()
        if not items:
            return 0
        outcomes = await asyncio.gather(*(self._deliver(item) for item in items))
        async with self._uow() as uow:
            for outcome in outcomes:
                await self._record(uow, outcome)
            await uow.commit()
        return len(items)

    async def run(self, stop: asyncio.Event, wait: Callable[[float], Awaitable[None]]) -> None:
        """Deliver until ``stop`` is set; ``wait`` returns early when a commit adds work."""
        while not stop.is_set():
            try:
                count = await self.run_once()
            except Exception:  # keep relaying: the outbox keeps the messages
                log.exception("relay pass failed")
                count = 0
            if count == 0:
                await wait(self.policy.idle_wait)

    def window_closed(self, item: OutboxItem) -> bool:
        if item.message.audience != CLIENT:
            return False
        seen = item.client_last_seen
        return seen is None or self._clock.now() - seen >= self.policy.window

    async def _deliver(self, item: OutboxItem) -> Outcome:
        message = item.message
        intent: Intent = message.intent
        if not may_send(message, item.client_opted_out):
            return Outcome(item, "cancelled", CANCEL_REASON)  # B-8: STOP won the race
        if self.window_closed(item) and not isinstance(intent, TemplateIntent):
            if message.fallback is None:
                return Outcome(item, "held", "window_closed_no_template")
            intent = message.fallback
        messenger, sender = route(
            item, self._deployment.studios, self._messengers, (self._messenger, self._provider)
        )
        try:
            await self._throttle.acquire(sender)
            try:
                sent = await messenger.send(sender, message.to, intent)
            except WindowClosed:
                if message.fallback is None or intent is message.fallback:
                    return Outcome(item, "held", "window_closed_no_template")
                await self._throttle.acquire(sender)
                sent = await messenger.send(sender, message.to, message.fallback)
        except RateLimited as exc:
            return Outcome(
                item,
                "retry",
                f"rate_limited:{exc.code}",
                delay=max(exc.retry_after or 0.0, self._backoff(item.attempts)),
            )
        except TransientFailure as exc:
            return Outcome(
                item,
                "retry",
                f"transient:{exc.code}:{exc.detail}"[:300],
                delay=self._backoff(item.attempts),
            )
        except (PermanentFailure, WindowClosed) as exc:
            return Outcome(item, "dead", f"permanent:{exc.code}:{exc.detail}"[:300])
        return Outcome(item, "sent", provider_message_id=sent.provider_message_id)

    def _backoff(self, attempts: int) -> float:
        """Exponential backoff with jitter: half the delay fixed, half random."""
        delay: float = min(self.policy.max_backoff, self.policy.base_backoff * 2.0**attempts)
        return delay / 2 + delay / 2 * self._jitter()

    async def _record(self, uow: UnitOfWork, outcome: Outcome) -> None:
        item, now = outcome.item, self._clock.now()
        if outcome.action == "retry" and item.attempts + 1 >= self.policy.max_attempts:
            outcome = Outcome(item, "dead", f"gave up after {item.attempts + 1}: {outcome.detail}")
        match outcome.action:
            case "sent":
                await uow.outbox.mark_sent(item.id, outcome.provider_message_id, now)
            case "retry":
                await uow.outbox.mark_retry(
                    item.id, outcome.detail, now + timedelta(seconds=outcome.delay)
                )
            case "held":
                await uow.outbox.mark_held(item.id, outcome.detail, now)
                await self._event(uow, item, "message_held", "warning", outcome.detail)
            case "cancelled":
                await uow.outbox.mark_cancelled(item.id, outcome.detail, now)
                await self._event(uow, item, "message_cancelled", "info", outcome.detail)
            case _:
                await uow.outbox.mark_dead(item.id, outcome.detail, now)
                await self._event(uow, item, "dead_letter", "error", outcome.detail)
                if item.message.audience == CLIENT:
                    await self._hand_to_artist(uow, item, outcome.detail)

    async def _event(
        self, uow: UnitOfWork, item: OutboxItem, kind: str, level: str, detail: str
    ) -> None:
        message = item.message
        await uow.record_event(
            Event(
                kind=kind,
                at=self._clock.now(),
                lead_id=message.lead_id,
                studio=message.studio,
                level=level,
                detail={"outbox_id": item.id, "purpose": message.purpose, "error": detail},
            )
        )

    async def _hand_to_artist(self, uow: UnitOfWork, item: OutboxItem, detail: str) -> None:
        # Never let this fail the batch: its transaction also marks the messages sent,
        # and a rollback there would send them all again after the lease.
        try:
            lead = await uow.leads.lock_by_id(item.message.lead_id)
        except LeadNotFound:
            await self._event(uow, item, "dead_letter_without_lead", "error", detail)
            return
        now = self._clock.now()
        ctx = self._deployment.context(lead.studio, now)
        await apply(uow, delivery_failed(lead, ctx, item.message.purpose, detail), now)
