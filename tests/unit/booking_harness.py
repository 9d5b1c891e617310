"""The memory harness with a working-hours calendar: inbound, offer and manual booking wired
as the container wires them (issue 9)."""

from __future__ import annotations

from typing import Any

import msgspec

from adapters.memory import MemoryCalendar, MemoryCalendars
from core.domain.lead import Deposit, Lead
from core.domain.profile import Studio
from core.domain.slots import rules_for
from core.domain.status import Status
from core.usecases.book_by_hand import BookByHand
from core.usecases.booking import OfferSlots
from core.usecases.inbound import HandleInbound
from tests.unit.harness import CLIENT, Harness


class BookingHarness(Harness):
    def __init__(self, studio: Studio, gazetteer: object, store: Any = None,
                 calendar: Any = "hours") -> None:
        super().__init__(studio, gazetteer, store)
        if calendar == "hours":
            rules = rules_for(studio)
            calendar = MemoryCalendar([(h.weekday, h.opens, h.closes) for h in rules.hours],
                                      rules.zone, buffer=rules.buffer, step=rules.step)
        self.calendar = calendar
        self.calendars = MemoryCalendars({studio.id: calendar} if calendar else {})
        args = (self.store.uow, self.clock, self.deployment)
        self.handle = HandleInbound(*args, calendars=self.calendars)
        self.offer = OfferSlots(*args, self.calendars)
        self.book = BookByHand(*args, self.calendars)

    async def paid(self, contact: str = CLIENT, status: str = Status.DEPOSIT_PAID) -> Lead:
        """A lead that has just paid its deposit (stored as the deposits flow leaves it)."""
        now = self.clock.now()
        async with self.store.uow() as uow:
            lead = await uow.leads.lock(self.studio.id, contact, now)
            lead = msgspec.structs.replace(
                lead, status=status, name="Zoë",
                deposit=Deposit(amount=5000, currency="GBP", paid_at=now),
                times=msgspec.structs.replace(lead.times, deposit_paid=now,
                                            last_client_message=now),
            )
            await uow.leads.save(lead)
            await uow.commit()
        return lead

    async def offered(self, contact: str = CLIENT) -> Lead:
        lead = await self.paid(contact)
        await self.offer(lead.id)
        await self.deliver()
        return await self.lead(contact)
