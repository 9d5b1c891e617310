"""Group commit: the inbound messages of concurrent webhooks decided in one unit of work.

:class:`GroupCommit` gathers what concurrent webhook deliveries (Meta and Twilio)
hand it within a few milliseconds; :class:`HandleInboundBatch` decides the lot in
one transaction: one claim for all provider ids (B-3), one lock for all leads in
one stable order (B-6), each lead's messages decided in order, every write staged
and sent as one multi-row statement per table, one commit (B-25). A delivery is
answered only once its messages are committed.

Messages that leave the one-transaction path keep the one-message path
(:class:`HandleInbound`) and its semantics: a slot choice books through the
calendar outside the transaction (B-36); a ``decide`` that raises records the
fault and alerts the artist (B-9). Such a message, and the later messages of its
lead, are handed back: their claims are released and, after the batch commits,
each goes through ``HandleInbound`` in order. If anything in the batch fails, the
whole batch is rolled back and every message goes through ``HandleInbound`` on
its own, so one bad message never fails the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from core.domain.inbound import Inbound
from core.usecases import inbound as one_message
from core.usecases.context import Deployment
from core.usecases.erase import erased_optouts, silence
from core.usecases.inbound import DUPLICATE, PROCESSED, HandleInbound, Outcome
from core.usecases.persist import Staging
from ports.clock import Clock
from ports.unit_of_work import UnitOfWorkFactory

log = logging.getLogger("inkbook.inbound")

Result = list[Outcome] | BaseException
"""What one delivery gets back: an outcome per message, in its order, or the failure."""


def claim_key(inbound: Inbound) -> str:
    return f"{inbound.provider}:{inbound.message_id}"


class HandleInboundBatch:
    """Decide many deliveries' messages in one unit of work (see the module docstring).

    ``parallel``: how many leads at once on the one-message fallback. ``committed`` and
    ``one_by_one`` count the batches that committed as one transaction and those that
    failed and went one message at a time (``/metrics``).
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        deployment: Deployment,
        single: HandleInbound,
        parallel: int = 8,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment
        self._single = single
        self._parallel = parallel
        self.committed = 0
        self.one_by_one = 0

    async def __call__(self, deliveries: Sequence[Sequence[Inbound]]) -> list[Result]:
        """``deliveries``: each one's messages, every lead's in order; a result per delivery."""
        messages = [(d, i) for d, delivery in enumerate(deliveries) for i in range(len(delivery))]
        leads: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for d, i in messages:
            inbound = deliveries[d][i]
            leads.setdefault((inbound.studio, inbound.contact), []).append((d, i))
        outcomes: dict[tuple[int, int], Outcome] = {}
        try:
            handed_back = await self._batch(deliveries, leads, outcomes)
            self.committed += 1
        except Exception:
            self.one_by_one += 1
            log.warning("inbound batch of %d message(s) failed: one by one", len(messages),
                        exc_info=True)
            outcomes.clear()
            handed_back = list(leads.values())
        failures = await self._one_by_one(deliveries, handed_back, outcomes)
        results: list[Result] = []
        for d, delivery in enumerate(deliveries):
            failure = next((failures[(d, i)] for i in range(len(delivery)) if (d, i) in failures),
                           None)
            results.append(
                failure if failure is not None else [outcomes[(d, i)] for i in range(len(delivery))]
            )
        return results

    async def _batch(
        self,
        deliveries: Sequence[Sequence[Inbound]],
        leads: dict[tuple[str, str], list[tuple[int, int]]],
        outcomes: dict[tuple[int, int], Outcome],
    ) -> list[list[tuple[int, int]]]:
        """One transaction; returns the runs of messages handed back to the one-message path."""
        now = self._clock.now()
        handed_back: list[list[tuple[int, int]]] = []
        async with self._uow() as uow:
            keys = [claim_key(deliveries[d][i]) for run in leads.values() for d, i in run]
            claimed = await uow.claim_many(keys)
            first: set[tuple[int, int]] = set()  # the claimed copy of each key (Meta repeats)
            seen: set[str] = set()
            for run in leads.values():
                for d, i in run:
                    key = claim_key(deliveries[d][i])
                    if key in claimed and key not in seen:
                        first.add((d, i))
                    seen.add(key)
            wanted = [contact for contact, run in leads.items() if any(m in first for m in run)]
            locked = await uow.leads.lock_many(wanted, now) if wanted else {}
            staging = Staging(uow, now)
            released: list[str] = []
            contexts = {contact: self._deployment.context(contact[0], now) for contact in locked}
            silenced = await erased_optouts(  # new leads of erased numbers that said STOP
                uow, [(lead, contexts[contact]) for contact, lead in locked.items()])
            for contact, run in leads.items():
                if contact not in locked:  # every message a duplicate: no lead is created
                    outcomes.update((m, Outcome(DUPLICATE)) for m in run)
                    continue
                ctx = contexts[contact]
                lead = locked[contact]
                if lead.id in silenced:
                    lead = await silence(uow, lead, ctx)
                for position, (d, i) in enumerate(run):
                    inbound = deliveries[d][i]
                    if (d, i) not in first:
                        outcomes[(d, i)] = Outcome(DUPLICATE)
                        continue
                    decision = None
                    # The one-message path's own decide and pick: one way to decide.
                    if one_message.pick(lead, inbound, ctx) is None:  # books outside (B-36)
                        try:
                            decision = one_message.decide(lead, inbound, ctx)
                        except Exception:  # the one-message path records it and alerts (B-9)
                            decision = None
                    if decision is None:
                        rest = run[position:]
                        handed_back.append(rest)
                        released.extend(claim_key(deliveries[m[0]][m[1]])
                                        for m in rest if m in first)
                        for m in rest:
                            outcomes.pop(m, None)
                        break
                    await staging.add(decision, inbound)
                    lead = decision.lead
                    outcomes[(d, i)] = Outcome(PROCESSED, lead.id, lead.status,
                                               len(decision.outbound))
            await staging.flush()
            if released:
                await uow.release(released)
            await uow.commit()
        return handed_back

    async def _one_by_one(
        self,
        deliveries: Sequence[Sequence[Inbound]],
        runs: list[list[tuple[int, int]]],
        outcomes: dict[tuple[int, int], Outcome],
    ) -> dict[tuple[int, int], BaseException]:
        """Each run's messages through ``HandleInbound`` in order; runs side by side.

        A failure stops its run (the later messages of that lead wait for the retry,
        B-6) and fails the deliveries of the messages left.
        """
        failures: dict[tuple[int, int], BaseException] = {}
        slots = asyncio.Semaphore(self._parallel)

        async def in_order(run: list[tuple[int, int]]) -> None:
            async with slots:
                for position, (d, i) in enumerate(run):
                    try:
                        outcomes[(d, i)] = await self._single(deliveries[d][i])
                    except Exception as exc:
                        failures.update((m, exc) for m in run[position:])
                        return

        await asyncio.gather(*(in_order(run) for run in runs))
        return failures


@dataclass
class _Waiting:
    messages: list[Inbound]
    done: asyncio.Future[Result]


@dataclass
class GroupCommit:
    """Gather concurrent deliveries for ``window`` seconds (at most ``max_batch``
    messages), then hand them to ``run`` as one batch; ``concurrency`` batches at once.

    While every batch slot is busy, new deliveries keep gathering for the next one:
    the busier the server, the larger its batches. Each batch runs in its own task,
    so a caller that goes away never cancels a transaction half-way.
    """

    run: Callable[[Sequence[Sequence[Inbound]]], Awaitable[list[Result]]]
    window: float = 0.002
    max_batch: int = 64
    concurrency: int = 2
    _waiting: list[_Waiting] = field(default_factory=list, init=False)
    _count: int = field(default=0, init=False)
    _timer: asyncio.TimerHandle | None = field(default=None, init=False)
    _slots: asyncio.Semaphore | None = field(default=None, init=False)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set, init=False)

    async def submit(self, messages: Sequence[Inbound]) -> list[Outcome]:
        """Decide ``messages`` (one delivery's, each lead's in order); raises if not recorded."""
        if not messages:
            return []
        loop = asyncio.get_running_loop()
        waiting = _Waiting(list(messages), loop.create_future())
        self._waiting.append(waiting)
        self._count += len(messages)
        if self._count >= self.max_batch:
            self._start()
        elif self._timer is None:
            self._timer = loop.call_later(self.window, self._start)
        result = await asyncio.shield(waiting.done)
        if isinstance(result, BaseException):
            raise result
        return result

    def _start(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        task = asyncio.get_running_loop().create_task(self._flush())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        async with self._slots:
            # Taken when a slot is free: what arrived meanwhile joins this batch.
            batch: list[_Waiting] = []
            count = 0
            while self._waiting and (not batch or count + len(self._waiting[0].messages)
                                     <= self.max_batch):
                waiting = self._waiting.pop(0)
                batch.append(waiting)
                count += len(waiting.messages)
            self._count -= count
            if self._waiting and self._timer is None:
                self._start()  # left over (this batch is full): the next batch gathers them
            if not batch:
                return
            try:
                results = await self.run([w.messages for w in batch])
                if len(results) != len(batch):  # pragma: no cover - a bug: nobody waits forever
                    raise RuntimeError(f"{len(results)} results for {len(batch)} deliveries")
            except BaseException as exc:  # every caller hears of it
                results = [exc] * len(batch)
            for waiting, result in zip(batch, results, strict=True):
                if not waiting.done.done():
                    waiting.done.set_result(result)
