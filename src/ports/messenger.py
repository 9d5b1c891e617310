"""Messenger: sends intents through a provider; typed errors drive the relay (B-27, B-28)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import msgspec

from core.domain.inbound import Content, Inbound
from core.domain.outbound import Intent


class Sent(msgspec.Struct, frozen=True):
    provider_message_id: str


class MessengerError(Exception):
    def __init__(self, detail: str = "", code: int | None = None) -> None:
        super().__init__(detail or self.__class__.__name__)
        self.detail = detail
        self.code = code


class TransientFailure(MessengerError):
    """Network trouble, 5xx, maintenance: try again later."""


class RateLimited(TransientFailure):
    """Too many messages; ``retry_after`` seconds if the provider said."""

    def __init__(self, detail: str = "", code: int | None = None, retry_after: float | None = None):
        super().__init__(detail, code)
        self.retry_after = retry_after


class WindowClosed(MessengerError):
    """Free-form message outside the 24-hour window: a template is needed."""


class PermanentFailure(MessengerError):
    """Invalid number, blocked, policy: retrying will not help."""


class Messenger(Protocol):
    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        """Send text, buttons, a list or a template from ``sender`` (the studio's number id)."""
        ...


class Received(msgspec.Struct, frozen=True, kw_only=True):
    """A client message as a provider adapter decoded it, before routing to a studio."""

    channel: str  # the studio's number id the client wrote to (routes the message, B-46)
    message_id: str
    contact: str
    at: datetime
    content: Content
    name: str | None = None
    provider: str = "meta"

    def to_inbound(self, studio: str) -> Inbound:
        return Inbound(
            message_id=self.message_id,
            studio=studio,
            contact=self.contact,
            at=self.at,
            content=self.content,
            name=self.name,
            provider=self.provider,
        )


class DeliveryStatus(msgspec.Struct, frozen=True, kw_only=True):
    """A provider's report on one outbound message (sent, delivered, read, failed)."""

    provider_message_id: str
    status: str
    at: datetime
    recipient: str | None = None
    error_code: int | None = None
    error_detail: str | None = None
    # For a failed message, what the provider's code means, provider-neutral:
    # "window_closed" (a template is needed, B-28), "transient" or "permanent".
    failure: str | None = None
