"""Builders for WhatsApp webhook bodies shaped like PROVIDERS.md A3."""

from __future__ import annotations

import json
from typing import Any

CHANNEL = "112233445566778"
CLIENT = "447911123456"
TS = "1789041600"

_UNSET: Any = object()


def message(kind: str = "text", *, id: str = "wamid.1", **fields: Any) -> dict[str, Any]:
    """A ``messages[]`` item from CLIENT; ``from_=None`` leaves ``from`` out."""
    sender = fields.pop("from_", CLIENT)
    item: dict[str, Any] = {"id": id, "timestamp": fields.pop("timestamp", TS), "type": kind}
    if sender is not None:
        item["from"] = sender
    if kind == "text" and "text" not in fields:
        item["text"] = {"body": "hello"}
    item.update(fields)
    return item


def value(
    messages: list[Any] | None = None,
    *,
    statuses: list[Any] | None = None,
    contacts: list[Any] | None = _UNSET,
    errors: list[Any] | None = None,
    channel: str | None = CHANNEL,
) -> dict[str, Any]:
    val: dict[str, Any] = {"messaging_product": "whatsapp"}
    if channel is not None:
        val["metadata"] = {"display_phone_number": "447700900123", "phone_number_id": channel}
    if contacts is _UNSET:
        contacts = [{"profile": {"name": "Zoë"}, "wa_id": CLIENT}] if messages else None
    for key, items in (
        ("contacts", contacts),
        ("messages", messages),
        ("statuses", statuses),
        ("errors", errors),
    ):
        if items is not None:
            val[key] = items
    return val


def webhook(*values: dict[str, Any], per_entry: int = 1) -> bytes:
    """One ``entry`` per ``per_entry`` values, one ``change`` per value."""
    entries = []
    for start in range(0, len(values), per_entry):
        changes = [{"value": v, "field": "messages"} for v in values[start : start + per_entry]]
        entries.append({"id": "104455667788990", "changes": changes})
    return json.dumps({"object": "whatsapp_business_account", "entry": entries}).encode()


def status(id: str = "wamid.out.1", state: str = "delivered", **fields: Any) -> dict[str, Any]:
    return {"id": id, "status": state, "timestamp": TS, "recipient_id": CLIENT, **fields}
