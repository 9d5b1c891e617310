"""A verified Twilio form body to the messages and statuses it carries (B-7, PROVIDERS.md C).

Call it only after ``verify_signature``. Twilio posts one message per request, as
``application/x-www-form-urlencoded`` fields, and "will occasionally add new
parameters without advance notice": unknown fields are ignored, and one odd field
(a bad ``NumMedia``, a media URL missing) costs that part only, described in
``Batch.errors``. Twilio's inbound bodies carry no timestamp: the time of
reception (``now``, from the caller's clock) stands in.

- A body that is not UTF-8 form data raises ``MalformedPayload`` (a 400 at the edge);
  so does a message without ``MessageSid`` or ``From``: there is nothing to keep.
- A message with ``N`` media is ``N`` received items (one reference image each, as
  Meta sends them); the first keeps the ``MessageSid`` (dedupe, B-3) and the caption.
- Texts in ``errors`` name fields and sids, never phone numbers or bodies (B-44).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import parse_qsl

import msgspec

from core.domain.inbound import Choice, Content, LocationPin, Media, Text, Unsupported
from ports.messenger import DeliveryStatus, Received

from .addresses import channel_of, contact_of
from .errors import failure_kind
from .media import media_id_of

PROVIDER = "twilio"
MAX_MEDIA = 10  # Twilio's own limit per message
MEDIA_KINDS = ("image", "video", "audio")
# Twilio's MessageStatus values the core knows; "undelivered" is a failure too.
STATUSES = {"sent": "sent", "delivered": "delivered", "read": "read", "failed": "failed",
            "undelivered": "failed"}
QUIET_STATUSES = frozenset({"accepted", "queued", "sending", "scheduled", "receiving", "received"})

Form = Mapping[str, str]


class MalformedPayload(ValueError):
    """The body is not a usable Twilio webhook at all; nothing in it was read."""


class Batch(msgspec.Struct, kw_only=True):
    messages: list[Received] = msgspec.field(default_factory=list)
    statuses: list[DeliveryStatus] = msgspec.field(default_factory=list)
    errors: list[str] = msgspec.field(default_factory=list)


def parse_form(body: bytes) -> dict[str, str]:
    """The form fields (the last value of a repeated name wins)."""
    try:
        text = str(body, "utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedPayload(f"webhook body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)))
    except ValueError as exc:
        raise MalformedPayload(f"not form-encoded: {exc}") from None


def decode_message(form: Form, now: datetime) -> Batch:
    sid, sender, to = _field(form, "MessageSid"), _field(form, "From"), _field(form, "To")
    if not sid:
        raise MalformedPayload("no MessageSid")
    if not sender or not contact_of(sender):
        raise MalformedPayload(f"{sid}: no From")
    batch = Batch()
    if not to:
        batch.errors.append(f"{sid}: skipped, no To to route it by")
        return batch
    contents = _contents(form, sid, batch.errors)
    for n, content in enumerate(contents):
        batch.messages.append(
            Received(
                channel=channel_of(to),
                message_id=sid if n == 0 else f"{sid}/{n}",
                contact=contact_of(sender) or contact_of(_field(form, "WaId")),
                at=now,
                content=content,
                name=_field(form, "ProfileName") or None,
                provider=PROVIDER,
            )
        )
    return batch


def decode_status(form: Form, now: datetime) -> Batch:
    batch = Batch()
    sid, raw = _field(form, "MessageSid"), _field(form, "MessageStatus").lower()
    if not sid or not raw:
        raise MalformedPayload("status callback without MessageSid or MessageStatus")
    status = STATUSES.get(raw)
    if status is None:
        if raw not in QUIET_STATUSES:
            batch.errors.append(f"{sid}: unknown MessageStatus {raw[:32]!r} ignored")
        return batch
    code = _int(form, "ErrorCode", sid, batch.errors)
    batch.statuses.append(
        DeliveryStatus(
            provider_message_id=sid,
            status=status,
            at=now,
            recipient=contact_of(_field(form, "To")) or None,
            error_code=code,
            error_detail=(_field(form, "ErrorMessage") or None) if status == "failed" else None,
            failure=failure_kind(code) if status == "failed" else None,
        )
    )
    return batch


def _contents(form: Form, sid: str, errors: list[str]) -> list[Content]:
    body = _field(form, "Body")
    payload = _field(form, "ButtonPayload")
    if payload:
        return [Choice(id=payload, title=_field(form, "ButtonText") or body)]
    media = _media(form, sid, body, errors)
    if media:
        return media
    latitude, longitude = _float(form, "Latitude"), _float(form, "Longitude")
    if latitude is not None and longitude is not None:
        label, place = _field(form, "Label") or None, _field(form, "Address") or None
        return [LocationPin(latitude=latitude, longitude=longitude, name=label, address=place)]
    if body:
        return [Text(body=body)]
    return [Unsupported(kind=_field(form, "MessageType") or "unknown")]


def _media(form: Form, sid: str, caption: str, errors: list[str]) -> list[Content]:
    count = _int(form, "NumMedia", sid, errors) or 0
    if count > MAX_MEDIA:
        errors.append(f"{sid}: NumMedia {count} over {MAX_MEDIA}, the rest ignored")
    items: list[Content] = []
    for n in range(min(max(count, 0), MAX_MEDIA)):
        url = _field(form, f"MediaUrl{n}")
        if not url:
            errors.append(f"{sid}: MediaUrl{n} missing")
            continue
        mime = _field(form, f"MediaContentType{n}") or None
        kind = (mime or "").partition("/")[0]
        items.append(
            Media(
                kind=kind if kind in MEDIA_KINDS else "document",
                media_id=media_id_of(url),  # MessageSid/MediaSid: the inbox fetches it
                caption=(caption or None) if not items else None,
                mime_type=mime,
                url=url,
            )
        )
    return items


def _field(form: Form, name: str) -> str:
    return (form.get(name) or "").strip()


def _int(form: Form, name: str, sid: str, errors: list[str]) -> int | None:
    raw = _field(form, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors.append(f"{sid}: {name} {raw[:16]!r} is not a number, ignored")
        return None


def _float(form: Form, name: str) -> float | None:
    try:
        value = float(_field(form, name))
    except ValueError:
        return None
    return value if -180.0 <= value <= 180.0 else None
