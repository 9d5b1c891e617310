"""What a client can send us, provider-neutral (a tagged union)."""

from __future__ import annotations

from datetime import datetime

import msgspec


class Text(msgspec.Struct, frozen=True, tag="text"):
    body: str


class Choice(msgspec.Struct, frozen=True, tag="choice"):
    """A tap on a reply button or a list row: ``id`` is ours, ``title`` is what they saw."""

    id: str
    title: str


class Media(msgspec.Struct, frozen=True, tag="media"):
    kind: str  # image, document, video, audio, sticker
    media_id: str
    caption: str | None = None
    mime_type: str | None = None
    url: str | None = None


class LocationPin(msgspec.Struct, frozen=True, tag="location"):
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


class Unsupported(msgspec.Struct, frozen=True, tag="unsupported"):
    """Reactions, contacts, unknown kinds: recorded, never crash anything (B-7)."""

    kind: str


Content = Text | Choice | Media | LocationPin | Unsupported


class Inbound(msgspec.Struct, frozen=True, kw_only=True):
    """One client message as the core sees it."""

    message_id: str  # provider message id, claimed once (B-3)
    studio: str  # studio id, routed by the number the client wrote to (B-46)
    contact: str  # client's number (wa_id) or business-scoped id
    at: datetime  # provider timestamp, timezone-aware UTC
    content: Content
    name: str | None = None  # profile name as the provider reports it
    provider: str = "meta"

    def text(self) -> str:
        """The text a person would read in this message (caption, button title...)."""
        match self.content:
            case Text(body=body):
                return body
            case Choice(title=title):
                return title
            case Media(caption=caption):
                return caption or ""
            case LocationPin(name=name, address=address):
                return ", ".join(p for p in (name, address) if p)
            case _:
                return ""
