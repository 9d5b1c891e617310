"""A verified WhatsApp webhook body to the messages and statuses it carries (B-7, B-45).

Call it only after ``verify_signature`` (B-42). It walks every entry, change,
message and status (Meta batches up to 1000 updates per POST, PROVIDERS.md A4).

- A body that is not UTF-8 JSON, or not the envelope ``{"entry": [...]}`` with
  change objects in it, raises ``MalformedPayload`` (a 4xx at the edge).
- One item it cannot use (bad shape, no id, no sender, bad timestamp) is skipped and
  described in ``Batch.errors``; the rest of the batch is kept.
- Texts in ``errors`` name positions and wamids, never phone numbers or bodies (B-44).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec

from ports.messenger import DeliveryStatus, Received

from . import wire
from .content import content_of
from .errors import failure_kind

WHATSAPP = "whatsapp_business_account"
# Ids, numbers and names never carry control characters (NUL among them, B-45).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class MalformedPayload(ValueError):
    """The body is not a WhatsApp webhook envelope at all; nothing in it was read."""


class Batch(msgspec.Struct, kw_only=True):
    messages: list[Received] = msgspec.field(default_factory=list)
    statuses: list[DeliveryStatus] = msgspec.field(default_factory=list)
    errors: list[str] = msgspec.field(default_factory=list)


class _Skip(Exception):
    """One item cannot be used; the message says why."""


def decode_webhook(body: bytes) -> Batch:
    envelope = _envelope(body)
    batch = Batch()
    if envelope.object is not None and envelope.object != WHATSAPP:
        batch.errors.append(f"ignored webhook for object {envelope.object!r}")
        return batch
    for e, entry in enumerate(envelope.entry):
        for c, change in enumerate(entry.changes):
            if change.field not in (None, "messages") or not change.value:
                continue  # another subscription (templates, account updates...): not ours
            where = f"entry[{e}].changes[{c}]"
            try:
                value = _item(wire.VALUE, change.value)
            except _Skip as why:
                batch.errors.append(f"{where}.value skipped: {why}")
                continue
            _read_value(value, where, batch)
    return batch


def _envelope(body: bytes) -> wire.Envelope:
    try:
        str(body, "utf-8")  # msgspec does not check the text it skips or keeps raw
    except UnicodeDecodeError as exc:
        raise MalformedPayload(f"webhook body is not valid UTF-8 (byte {exc.start})") from None
    try:
        return wire.ENVELOPE.decode(body)
    except msgspec.ValidationError as exc:
        raise MalformedPayload(f"not a WhatsApp webhook envelope: {exc}") from None
    except (msgspec.DecodeError, RecursionError) as exc:
        raise MalformedPayload(f"webhook body is not valid JSON: {exc}") from None


def _item(decoder: msgspec.json.Decoder[Any], raw: msgspec.Raw) -> Any:
    try:
        return decoder.decode(raw)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise _Skip(str(exc)) from None


def _read_value(value: wire.Value, where: str, batch: Batch) -> None:
    for i, raw in enumerate(value.errors):
        try:
            batch.errors.append(f"{where}: provider error {_item(wire.ERROR, raw).describe()}")
        except _Skip as why:
            batch.errors.append(f"{where}.errors[{i}] unreadable: {why}")
    for i, raw in enumerate(value.statuses):
        try:
            batch.statuses.append(_status(_item(wire.STATUS, raw)))
        except _Skip as why:
            batch.errors.append(f"{where}.statuses[{i}] skipped: {why}")
    if not value.messages:
        return
    channel = _sane(value.metadata.phone_number_id) if value.metadata else None
    contacts = _contacts(value.contacts, where, batch)
    for i, raw in enumerate(value.messages):
        try:
            if not channel:
                raise _Skip("no metadata.phone_number_id to route it by")
            batch.messages.append(_received(_item(wire.MESSAGE, raw), channel, contacts))
        except _Skip as why:
            batch.errors.append(f"{where}.messages[{i}] skipped: {why}")


def _contacts(raws: Iterable[msgspec.Raw], where: str, batch: Batch) -> list[wire.Contact]:
    """The readable contact cards; an odd one costs a name, not the message."""
    contacts = []
    for i, raw in enumerate(raws):
        try:
            contacts.append(_item(wire.CONTACT, raw))
        except _Skip as why:
            batch.errors.append(f"{where}.contacts[{i}] ignored: {why}")
    return contacts


def _received(message: wire.Message, channel: str, contacts: list[wire.Contact]) -> Received:
    message_id = _sane(message.id)
    if not message_id:
        raise _Skip("no message id")
    contact = _sane(message.from_) or _sane(message.from_user_id)
    profile = _match(contacts, message)
    if not contact and len(contacts) == 1:
        contact = _sane(contacts[0].wa_id) or _sane(contacts[0].user_id)
    if not contact:
        raise _Skip(f"{message_id}: no sender (from, from_user_id or contacts[])")
    name = _sane(profile.profile.name) if profile and profile.profile else None
    return Received(
        channel=channel,
        message_id=message_id,
        contact=contact,
        at=_at(message.timestamp, message_id),
        content=content_of(message),
        name=name or None,
    )


def _sane(value: str | None) -> str | None:
    """An id, number or name without control characters (``None`` stays ``None``)."""
    return _CONTROL.sub("", value).strip() if value else value


def _match(contacts: list[wire.Contact], message: wire.Message) -> wire.Contact | None:
    """The contact card of the sender; the only one if ids differ (A3: they may)."""
    ids = {message.from_, message.from_user_id} - {None}
    for contact in contacts:
        if contact.wa_id in ids or contact.user_id in ids:
            return contact
    return contacts[0] if len(contacts) == 1 else None


def _status(status: wire.Status) -> DeliveryStatus:
    if not status.id or not status.status:
        raise _Skip("status without id or status")
    error = status.errors[0] if status.errors else None
    return DeliveryStatus(
        provider_message_id=status.id,
        status=status.status,
        at=_at(status.timestamp, status.id),
        recipient=status.recipient_id,
        error_code=error.code if error else None,
        error_detail=_detail(error) if error else None,
        failure=failure_kind(error.code if error else None) if status.status == "failed" else None,
    )


def _detail(error: wire.WireError) -> str | None:
    details = error.error_data.details if error.error_data else None
    return details or error.message or error.title


def _at(timestamp: str | int | None, item_id: str) -> datetime:
    """Meta's string of Unix seconds as an aware UTC datetime (B-39)."""
    try:
        return datetime.fromtimestamp(int(timestamp), UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        raise _Skip(f"{item_id}: bad timestamp {str(timestamp)[:32]!r}") from None
