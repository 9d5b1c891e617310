"""Provider reports on sent messages: recorded, and acted on when one failed (B-27, B-28).

A message the provider could not deliver because the 24-hour window had closed is
sent again as its approved template; without one it is held for the artist. Any
other failure of a client message puts the lead in front of the artist.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from core.domain.events import Event
from core.domain.failures import delivery_failed
from core.domain.optout import CANCEL_REASON, may_send, opted_out
from core.domain.outbound import CLIENT, Outgoing, TemplateIntent
from core.usecases.context import Deployment
from core.usecases.persist import apply
from ports.clock import Clock
from ports.lead_repo import LeadNotFound
from ports.messenger import DeliveryStatus
from ports.outbox import OutboxItem
from ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

FAILED = "failed"


class RecordDeliveries:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, deployment: Deployment) -> None:
        self._uow = uow
        self._clock = clock
        self._deployment = deployment

    async def __call__(self, statuses: Sequence[DeliveryStatus]) -> None:
        """Apply a batch of reports in one unit of work (monotonic per message)."""
        async with self._uow() as uow:
            for status in statuses:
                item = await uow.outbox.record_delivery(
                    status.provider_message_id, status.status, status.at, status.error_code
                )
                if status.status == FAILED:
                    await self._failed(uow, status, item)
            await uow.commit()

    async def _failed(
        self, uow: UnitOfWork, status: DeliveryStatus, item: OutboxItem | None
    ) -> None:
        now = self._clock.now()
        message = item.message if item is not None else None
        detail = {
            "provider_message_id": status.provider_message_id,
            "error_code": status.error_code,
            "error": status.error_detail,
            "failure": status.failure,
            "known": item is not None,
            "purpose": message.purpose if message else None,
        }
        await uow.record_event(
            Event(
                kind="delivery_failed_async",
                at=now,
                level="error",
                detail=detail,
                lead_id=message.lead_id if message else None,
                studio=message.studio if message else None,
            )
        )
        if message is None or message.audience != CLIENT:
            return
        fallback = message.fallback
        if status.failure == "window_closed" and not isinstance(message.intent, TemplateIntent):
            if fallback is not None and not await self._may_resend(uow, message):
                await uow.record_event(
                    Event(
                        kind="message_cancelled",
                        at=now,
                        level="info",
                        lead_id=message.lead_id,
                        studio=message.studio,
                        detail={**detail, "error": CANCEL_REASON},
                    )
                )
                return
            if fallback is not None:
                again = msgspec.structs.replace(message, intent=fallback, fallback=None)
                await uow.outbox.append([again], now)
                return
            await uow.record_event(
                Event(
                    kind="message_held",
                    at=now,
                    level="warning",
                    lead_id=message.lead_id,
                    studio=message.studio,
                    detail={**detail, "reason": "window_closed_no_template"},
                )
            )
        try:
            lead = await uow.leads.lock_by_id(message.lead_id)
        except LeadNotFound:
            return
        ctx = self._deployment.context(lead.studio, now)
        reason = f"async:{status.failure}:{status.error_code}"
        await apply(uow, delivery_failed(lead, ctx, message.purpose, reason), now)

    @staticmethod
    async def _may_resend(uow: UnitOfWork, message: Outgoing) -> bool:
        """No template resend to a client who opted out since (B-8)."""
        lead = await uow.leads.get(message.lead_id)
        return may_send(message, lead is not None and opted_out(lead.status))
