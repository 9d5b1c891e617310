"""One WhatsApp message type to one provider-neutral ``Content`` (B-7, B-31).

Nothing here raises: a message type we do not read, or one that lacks the part we
need (a text without a body, media without an id), becomes ``Unsupported(kind)``,
which the core records and answers kindly.
"""

from __future__ import annotations

from core.domain.inbound import Choice, Content, LocationPin, Media, Text, Unsupported

from .wire import MediaObject, Message, Reply

MEDIA_KINDS = ("image", "document", "video", "audio", "sticker")


def content_of(message: Message) -> Content:
    kind = message.type or "unknown"
    if kind == "text":
        body = message.text.body if message.text else None
        return Text(body=body) if body is not None else Unsupported(kind=kind)
    if kind == "interactive":
        return _interactive(message)
    if kind == "button":
        return _quick_reply(message)
    if kind in MEDIA_KINDS:
        return _media(kind, getattr(message, kind))
    if kind == "location":
        return _location(message)
    return Unsupported(kind=kind)  # reaction, contacts, order, system, unsupported, new kinds


def _interactive(message: Message) -> Content:
    interactive = message.interactive
    if interactive is None:
        return Unsupported(kind="interactive")
    reply: Reply | None = None
    if interactive.type == "button_reply":
        reply = interactive.button_reply
    elif interactive.type == "list_reply":
        reply = interactive.list_reply
    if reply is None or not reply.id:
        return Unsupported(kind=f"interactive:{interactive.type or 'unknown'}")
    return Choice(id=reply.id, title=reply.title or "")


def _quick_reply(message: Message) -> Content:
    """A template quick-reply tap: ``payload`` is ours (falls back to the text)."""
    button = message.button
    choice_id = (button.payload or button.text) if button else None
    if button is None or not choice_id:
        return Unsupported(kind="button")
    return Choice(id=choice_id, title=button.text or "")


def _media(kind: str, media: MediaObject | None) -> Content:
    if media is None or not media.id:
        return Unsupported(kind=kind)
    return Media(
        kind=kind,
        media_id=media.id,
        caption=media.caption,
        mime_type=media.mime_type,
        url=media.url,
    )


def _location(message: Message) -> Content:
    pin = message.location
    if pin is None or pin.latitude is None or pin.longitude is None:
        return Unsupported(kind="location")
    return LocationPin(
        latitude=pin.latitude,
        longitude=pin.longitude,
        name=pin.name,
        address=pin.address,
    )
