"""The sweeper (B-38, B-41, B-48): find due leads, claim each, decide, apply, commit.

One lead per unit of work, so one bad lead never blocks the others, and each lead is
claimed with ``SKIP LOCKED`` (or the SQLite writer lock): several sweepers, in one
process or many, handle each due lead once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from core.domain.decision import Context
from core.domain.erasure import RETENTION
from core.domain.events import Event
from core.domain.lead import Lead
from core.domain.profile import Studio
from core.domain.status import Status, Transition
from core.domain.sweep import CLOSED, decide_sweep, retention_due
from core.usecases.context import Deployment
from core.usecases.erase import erase_in
from core.usecases.persist import apply
from ports.clock import Clock
from ports.sweeps import CREATED, QUIET, UPDATED, DueQuery
from ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("inkbook.sweep")


@dataclass
class SweepReport:
    """What one pass did: how many leads moved to each status or got each message."""

    done: dict[str, int] = field(default_factory=dict)
    failed: int = 0

    def count(self, what: str) -> None:
        self.done[what] = self.done.get(what, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.done.values())


def due_queries(studio: Studio, now: datetime) -> list[DueQuery]:
    """A superset of the leads a job may be due for, per job (the decision picks)."""
    limits, s = studio.limits, studio.id
    quiet = min(limits.reminder_after, limits.abandon_after)
    return [
        DueQuery(studio=s, statuses=(Status.QUALIFYING,), since=QUIET, before=now - quiet),
        DueQuery(studio=s, statuses=(Status.AWAITING_DEPOSIT,), since=CREATED,
                 before=now - limits.deposit_deadline),
        DueQuery(studio=s, statuses=(Status.BOOKED,)),  # appointment care (B-48)
        # Created before the retention period began: closed no earlier than created.
        DueQuery(studio=s, statuses=tuple(sorted(CLOSED)), since=CREATED,
                 before=now - limits.retention),
    ]


def unoffered_paid(studio: Studio, now: datetime) -> DueQuery:
    """Paid leads still waiting for their slot offer (B-35): the offer after the payment
    failed (a fault, not a calendar outage: that moves the lead on, B-37)."""
    return DueQuery(studio=studio.id, statuses=(Status.DEPOSIT_PAID,), since=UPDATED,
                    before=now - studio.limits.offer_retry_after)


def entered_status(lead: Lead, transitions: list[Transition]) -> datetime:
    """When the lead entered its current status, from its audit trail."""
    for t in reversed(transitions):
        if t.target == lead.status:
            return t.at
    return lead.times.created


class Sweep:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        deployment: Deployment,
        batch: int = 500,
        offer: Callable[[str], Awaitable[object]] | None = None,  # OfferSlots (B-35)
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment
        self._batch = batch
        self._offer = offer

    async def run_once(self) -> SweepReport:
        report, now = SweepReport(), self._clock.now()
        for studio in self._deployment.studios:
            ids: list[str] = []
            paid: list[str] = []
            async with self._uow() as uow:
                for query in due_queries(studio, now):
                    ids.extend(i for i in await uow.sweeps.due(query, self._batch) if i not in ids)
                if self._offer is not None:
                    paid = await uow.sweeps.due(unoffered_paid(studio, now), self._batch)
            for lead_id in ids:
                await self._one(lead_id, report)
            for lead_id in paid:
                await self._offer_again(lead_id, report)
        async with self._uow() as uow:
            if await uow.privacy.forget_delivered():
                await uow.commit()
        return report

    async def _one(self, lead_id: str, report: SweepReport) -> None:
        now = self._clock.now()
        try:
            async with self._uow() as uow:
                lead = await uow.sweeps.try_lock(lead_id)
                if lead is None:
                    return  # another sweeper has it right now
                ctx = self._deployment.context(lead.studio, now)
                done = await self._decide(uow, lead, ctx)
                if done is not None:
                    await uow.commit()
                    report.count(done)
        except Exception as exc:  # one bad lead must not stop the others
            log.exception("sweep failed", extra={"lead_id": lead_id})
            report.failed += 1
            await self._failed(lead_id, now, exc)

    async def _offer_again(self, lead_id: str, report: SweepReport) -> None:
        """OfferSlots locks the lead itself and leaves it alone unless still DEPOSIT_PAID,
        so two sweepers at once offer once."""
        assert self._offer is not None
        try:
            offered = await self._offer(lead_id)
        except Exception as exc:
            log.exception("slot offer retry failed", extra={"lead_id": lead_id})
            report.failed += 1
            await self._failed(lead_id, self._clock.now(), exc)
            return
        if getattr(offered, "changed", False):
            report.count(str(getattr(offered, "status", "offered")))

    async def _decide(self, uow: UnitOfWork, lead: Lead, ctx: Context) -> str | None:
        entered = entered_status(lead, await uow.leads.transitions(lead.id))
        if retention_due(lead, ctx, entered):
            await erase_in(uow, lead, ctx, RETENTION)
            return "erased"
        decision = decide_sweep(lead, ctx, entered)
        if decision is None:
            return None
        await apply(uow, decision, ctx.now)
        if decision.lead.status != lead.status:
            return decision.lead.status
        return decision.outbound[0].purpose if decision.outbound else "updated"

    async def _failed(self, lead_id: str, now: datetime, exc: Exception) -> None:
        async with self._uow() as uow:
            await uow.record_event(Event(kind="sweep_failed", at=now, lead_id=lead_id,
                                         level="error", detail={"error": type(exc).__name__}))
            await uow.commit()

    async def run(self, stop: asyncio.Event, every: float) -> None:
        """Sweep every ``every`` seconds until ``stop`` is set."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("sweep pass failed")
            try:
                await asyncio.wait_for(stop.wait(), every)
            except TimeoutError:
                continue
