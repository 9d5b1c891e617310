"""Use cases wired to the in-memory adapters, as the container wires the real ones."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count
from typing import Any

from adapters.babel import BabelFormats
from adapters.memory import ManualClock, MemoryMessenger, MemoryStore
from core.domain.inbound import Content, Inbound, Text
from core.domain.outbound import Outgoing, TemplateIntent, TextIntent
from core.domain.profile import Studio
from core.domain.studios import Studios
from core.usecases.context import Deployment
from core.usecases.delivery import RecordDeliveries
from core.usecases.inbound import HandleInbound, Outcome
from core.usecases.relay import Relay, RelayPolicy

START = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
CLIENT = "447911123456"


class NoThrottle:
    def __init__(self) -> None:
        self.senders: list[str] = []

    async def acquire(self, sender: str) -> None:
        self.senders.append(sender)


class Harness:
    def __init__(self, studio: Studio, gazetteer: object, store: Any = None) -> None:
        self.studio = studio
        self.store = store if store is not None else MemoryStore()
        self.clock = ManualClock(START)
        self.messenger = MemoryMessenger()
        self.throttle = NoThrottle()
        self.deployment = Deployment(Studios([studio]), gazetteer, BabelFormats(),  # type: ignore[arg-type]
                                     secret=b"k")
        self.handle = HandleInbound(self.store.uow, self.clock, self.deployment)
        self.relay = Relay(self.store.uow, self.messenger, self.clock, self.deployment,
                           self.throttle, RelayPolicy(), jitter=lambda: 0.5)
        self.record = RecordDeliveries(self.store.uow, self.clock, self.deployment)
        self._ids = count(1)

    def inbound(self, content: str | Content, contact: str = CLIENT,
                message_id: str | None = None, at: datetime | None = None) -> Inbound:
        return Inbound(
            message_id=message_id or f"wamid.{next(self._ids)}",
            studio=self.studio.id,
            contact=contact,
            at=at or self.clock.now().replace(microsecond=0),
            content=Text(content) if isinstance(content, str) else content,
        )

    async def say(self, content: str | Content, contact: str = CLIENT, **kw: object) -> Outcome:
        self.clock.advance(seconds=30)
        return await self.handle(self.inbound(content, contact, **kw))  # type: ignore[arg-type]

    async def deliver(self) -> int:
        total = 0
        while n := await self.relay.run_once():
            total += n
        return total

    async def lead(self, contact: str = CLIENT):  # type: ignore[no-untyped-def]
        async with self.store.uow() as uow:
            return await uow.leads.lock(self.studio.id, contact, self.clock.now())

    async def queue(self, text: str, purpose: str, fallback: TemplateIntent | None) -> Outgoing:
        """Put a client message in the outbox as a decision would (for relay tests)."""
        lead = await self.lead()
        message = Outgoing(lead_id=lead.id, studio=lead.studio, audience="client", to=CLIENT,
                           intent=TextIntent(text), purpose=purpose, fallback=fallback)
        async with self.store.uow() as uow:
            await uow.outbox.append([message], self.clock.now())
            await uow.commit()
        return message

    def later(self, **kw: float) -> None:
        self.clock.advance(**kw)
