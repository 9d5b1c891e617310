"""The relay: delivers the outbox after commit, in order per recipient (B-25 to B-29).

A pass claims up to ``batch`` recipients, each with up to ``per_recipient`` of the
messages queued to it (a *chain*), and sends the chains side by side, each chain one message
after another. Each message is marked as its send completes (completions that
arrive together share one commit; when all were sent, one statement marks them and
says which chains go on), and the next message of its chain goes only once that mark
is committed and the message is still pending (B-8: a STOP committed mid-chain stops
it). A retry, hold, dead letter or cancellation ends the chain: the rest of it is
released, in order, for a later pass (B-26). A chain that used its whole share wakes
the run loop to claim the rest of its recipient's queue at once; a claim that took
fewer than ``batch`` recipients waits for a commit, a pass's end or ``idle_wait``
before the next. While a pass runs, a heartbeat renews the lease of what it still
holds every quarter lease; a send only starts with more than 60% of the lease left and
is cut off after 40%, so a second relay never takes over a message still on the wire or
not yet marked (docs/operations.md: what a crash can still repeat).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

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
    MessengerError,
    RateLimited,
    Sent,
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

    batch: int = 200  # recipients claimed per pass
    lease: timedelta = timedelta(seconds=10)  # renewed every quarter lease while sending
    per_recipient: int = 25  # messages of one recipient per pass, sent one after another
    concurrency: int = 16  # sends in flight at once (the HTTP client's connections)
    window: timedelta = timedelta(hours=24)
    base_backoff: float = 1.0  # seconds
    max_backoff: float = 300.0
    max_attempts: int = 12
    idle_wait: float = 1.0  # seconds between looks when nothing woke us
    mark_tries: int = 4  # attempts to record one outcome before leaving it to the lease

    @property
    def send_budget(self) -> float:
        """Seconds a send may take: 40% of the lease. One starts only with more than 60% of
        the lease left, so it ends, and its mark has 20% of the lease to commit, before
        another relay could take the message over (the heartbeat renews every 25%)."""
        return self.lease.total_seconds() * 0.4

    @property
    def send_start(self) -> float:
        """Seconds of lease a send needs left to start."""
        return self.lease.total_seconds() * 0.6


@dataclass(frozen=True, slots=True)
class Outcome:
    item: OutboxItem
    action: str  # sent, retry, dead, held, cancelled; unsent: not tried, lease too short
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
        self._sending = asyncio.Semaphore(self.policy.concurrency)
        self._chains = 0  # chains sending, over every pass in flight
        self._room = asyncio.Event()  # set while fewer than `concurrency` chains are sending
        # Set when a pass ends or a chain used its whole share: its recipients may have
        # more queued, claimable now (no commit will wake the loop for those).
        self._more = asyncio.Event()

    async def run_once(self) -> int:
        """Claim what is deliverable now, send it, record the outcomes. Returns how many
        messages it dealt with (sent, retried, held, dead or cancelled; not those released)."""
        started = await self._claim()
        return 0 if started is None else await started.run()

    async def _claim(self) -> _Pass | None:
        now = self._clock.now()
        policy = self.policy
        async with self._uow() as uow:
            items = await uow.outbox.claim(now, policy.batch, policy.lease, policy.per_recipient,
                                           commit=True)
            await uow.commit()
        return _Pass(self, items, now + policy.lease) if items else None

    async def run(self, stop: asyncio.Event, wait: Callable[[float], Awaitable[None]]) -> None:
        """Deliver until ``stop`` is set; ``wait`` returns early when a commit adds work.

        Passes overlap: once fewer chains are sending than ``concurrency``, the next claim
        starts (a long chain, such as a studio's artist notifications, never keeps the
        other recipients waiting for its pass to end). The claim skips what is leased."""
        passes: set[asyncio.Task[int]] = set()
        more = self._more

        def finished(task: asyncio.Task[int]) -> None:
            passes.discard(task)
            more.set()
            if not task.cancelled() and task.exception() is not None:
                log.error("relay pass failed", exc_info=task.exception())

        try:
            while not stop.is_set():
                if passes and self._chains >= self.policy.concurrency:
                    await self._wait_any(self._room.wait(), stop.wait())
                    continue
                more.clear()
                try:
                    started = await self._claim()
                except Exception:  # keep relaying: the outbox keeps the messages
                    log.exception("relay claim failed")
                    started = None
                if started is None:
                    await self._wait_any(wait(self.policy.idle_wait), more.wait(), stop.wait())
                    continue
                task = asyncio.create_task(started.run())
                passes.add(task)
                task.add_done_callback(finished)
                await asyncio.sleep(0)  # let its chains start before deciding on the next
                if started.recipients < self.policy.batch:
                    # It took every head deliverable then: claiming again at once would
                    # find nothing new; a commit, a pass's end or the timeout says when.
                    await self._wait_any(wait(self.policy.idle_wait), more.wait(), stop.wait())
        finally:
            if passes:
                await asyncio.gather(*passes, return_exceptions=True)

    @staticmethod
    async def _wait_any(*waits: Awaitable[object]) -> None:
        tasks = [asyncio.ensure_future(w) for w in waits]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def _chain_started(self) -> None:
        self._chains += 1
        if self._chains >= self.policy.concurrency:
            self._room.clear()

    def _chain_ended(self) -> None:
        self._chains -= 1
        if self._chains < self.policy.concurrency:
            self._room.set()

    def window_closed(self, item: OutboxItem) -> bool:
        if item.message.audience != CLIENT:
            return False
        seen = item.client_last_seen
        return seen is None or self._clock.now() - seen >= self.policy.window

    async def _deliver(self, item: OutboxItem, lease_left: Callable[[], float]) -> Outcome:
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
            sent = await self._send(messenger, sender, message.to, intent, lease_left)
            if sent is None:
                return Outcome(item, "unsent", "lease running out")
        except WindowClosed:
            if message.fallback is None or intent is message.fallback:
                return Outcome(item, "held", "window_closed_no_template")
            try:
                sent = await self._send(messenger, sender, message.to, message.fallback,
                                        lease_left)
            except MessengerError as exc:
                return self._failed(item, exc)
            if sent is None:
                return Outcome(item, "unsent", "lease running out")
        except MessengerError as exc:
            return self._failed(item, exc)
        return Outcome(item, "sent", provider_message_id=sent.provider_message_id)

    async def _send(
        self, messenger: Messenger, sender: str, to: str, intent: Intent,
        lease_left: Callable[[], float],
    ) -> Sent | None:
        """One send within the lease: None if too little of it is left to start one."""
        await self._throttle.acquire(sender)
        budget = self.policy.send_budget
        async with self._sending:
            if lease_left() <= self.policy.send_start:
                return None
            try:
                async with asyncio.timeout(budget):
                    return await messenger.send(sender, to, intent)
            except TimeoutError:
                raise TransientFailure(f"timeout: no answer within {budget:g} s") from None

    def _failed(self, item: OutboxItem, exc: MessengerError) -> Outcome:
        if isinstance(exc, RateLimited):
            return Outcome(
                item,
                "retry",
                f"rate_limited:{exc.code}",
                delay=max(exc.retry_after or 0.0, self._backoff(item.attempts)),
            )
        if isinstance(exc, TransientFailure):
            return Outcome(
                item,
                "retry",
                f"transient:{exc.code}:{exc.detail}"[:300],
                delay=self._backoff(item.attempts),
            )
        return Outcome(item, "dead", f"permanent:{exc.code}:{exc.detail}"[:300])

    def _backoff(self, attempts: int) -> float:
        """Exponential backoff with jitter: half the delay fixed, half random."""
        delay: float = min(self.policy.max_backoff, self.policy.base_backoff * 2.0**attempts)
        return delay / 2 + delay / 2 * self._jitter()

    async def _record(self, uow: UnitOfWork, outcome: Outcome) -> None:
        if outcome.action == "unsent":  # never sent (its lease ran short): nothing to record;
            return  # the lease lapses in moments and a later pass takes it, in order
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
        # Its transaction also marks other messages sent: if it fails, each outcome of
        # that commit is recorded again on its own (_Pass._write).
        try:
            lead = await uow.leads.lock_by_id(item.message.lead_id)
        except LeadNotFound:
            await self._event(uow, item, "dead_letter_without_lead", "error", detail)
            return
        now = self._clock.now()
        ctx = self._deployment.context(lead.studio, now)
        await apply(uow, delivery_failed(lead, ctx, item.message.purpose, detail), now)


@dataclass(slots=True)
class _Done:
    """One finished step of a chain, waiting for its commit."""

    outcome: Outcome
    rest: list[int]  # the ids queued behind it in this pass, in order
    carry_on: asyncio.Future[bool]  # resolved once committed: whether the next may go


class _Pass:
    """One claimed batch: its chains, the group commit of their outcomes, the heartbeat."""

    def __init__(self, relay: Relay, items: Sequence[OutboxItem], lease_until: datetime) -> None:
        self._relay = relay
        self._items = items
        self._held = {item.id for item in items}  # claimed, neither recorded nor released
        self._lease_until = lease_until
        self._queue: list[_Done] = []
        self._writer: asyncio.Task[None] | None = None
        self._writing = asyncio.Lock()  # a commit and a heartbeat never overlap
        self._recorded = 0
        self._chains: dict[str, list[OutboxItem]] = {}
        for item in items:
            self._chains.setdefault(item.message.to, []).append(item)
        for _ in self._chains:
            relay._chain_started()  # counted now: the run loop decides on the next claim

    @property
    def recipients(self) -> int:
        return len(self._chains)

    async def run(self) -> int:
        """Send every chain; returns how many outcomes were recorded."""
        chains = self._chains
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            await asyncio.gather(*(self._chain(chain) for chain in chains.values()),
                                 return_exceptions=True)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            if self._writer is not None:
                await self._writer
        return self._recorded

    def _lease_left(self) -> float:
        return (self._lease_until - self._relay._clock.now()).total_seconds()

    async def _chain(self, chain: list[OutboxItem]) -> None:
        try:
            for index, item in enumerate(chain):
                try:
                    outcome = await self._relay._deliver(item, self._lease_left)
                except Exception as exc:  # a bug, not the provider: retry later, keep order
                    log.exception("sending outbox %d failed unexpectedly", item.id)
                    outcome = Outcome(item, "retry", f"unexpected:{type(exc).__name__}"[:300],
                                      delay=self._relay._backoff(item.attempts))
                rest = [later.id for later in chain[index + 1 :]]
                if not await self._record(outcome, rest):
                    whole = not rest and len(chain) >= self._relay.policy.per_recipient
                    if whole and outcome.action == "sent":  # more may be queued behind it
                        self._relay._more.set()
                    return
        finally:
            self._relay._chain_ended()

    async def _record(self, outcome: Outcome, rest: list[int]) -> bool:
        done = _Done(outcome, rest, asyncio.get_running_loop().create_future())
        self._queue.append(done)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await done.carry_on

    async def _write_all(self) -> None:
        """Commit what completed since the last commit, until nothing is left (group commit)."""
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                await self._write(batch)
            except Exception:  # one bad outcome must not lose the others: one at a time
                log.warning("recording %d outcomes together failed; one at a time", len(batch),
                            exc_info=True)
                for done in batch:
                    await self._write_alone(done)

    async def _write_alone(self, done: _Done) -> None:
        tries = self._relay.policy.mark_tries
        for attempt in range(tries):
            try:
                await self._write([done])
                return
            except Exception:
                log.exception("recording outbox %d (%s) failed", done.outcome.item.id,
                              done.outcome.action)
                if attempt + 1 < tries:
                    await asyncio.sleep(0.1 * 3**attempt)  # 0.1, 0.3, 0.9 s
        # Left to its lease: sent but unrecorded, it goes again (docs/operations.md).
        self._held.difference_update([done.outcome.item.id, *done.rest])
        if not done.carry_on.done():
            done.carry_on.set_result(False)

    async def _write(self, batch: list[_Done]) -> None:
        relay = self._relay
        async with self._writing, relay._uow() as uow:
            if all(done.outcome.action == "sent" for done in batch):  # the common case
                sent = [(done.outcome.item.id, done.outcome.provider_message_id)
                        for done in batch]
                ready = await uow.outbox.sent_then_next(sent, relay._clock.now(),
                                                        [done.rest for done in batch], commit=True)
                go = {id(done) for done in batch if done.rest and done.rest[0] in ready}
            else:
                for done in batch:
                    await relay._record(uow, done.outcome)
                going = [done for done in batch if done.outcome.action == "sent" and done.rest]
                ready = await uow.outbox.sendable([done.rest[0] for done in going])
                go = {id(done) for done in going if done.rest[0] in ready}
                stopped = [i for done in batch if id(done) not in go for i in done.rest]
                await uow.outbox.release(stopped)
            await uow.commit()
        for done in batch:
            self._held.discard(done.outcome.item.id)
            self._recorded += done.outcome.action != "unsent"
            if id(done) not in go:
                self._held.difference_update(done.rest)
            if not done.carry_on.done():
                done.carry_on.set_result(id(done) in go)

    async def _heartbeat(self) -> None:
        """Renew the lease of what this pass still holds, every quarter lease."""
        relay = self._relay
        lease = relay.policy.lease
        while True:
            await asyncio.sleep(lease.total_seconds() / 4)
            async with self._writing:
                held = sorted(self._held)
                if not held:
                    continue
                now = relay._clock.now()
                try:
                    async with relay._uow() as uow:
                        await uow.outbox.renew(held, now + lease)
                        await uow.commit()
                except Exception:  # the sends stop on their own as the lease runs short
                    log.warning("renewing the lease of %d outbox messages failed", len(held),
                                exc_info=True)
                    continue
                self._lease_until = now + lease
