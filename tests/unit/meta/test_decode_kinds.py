"""B-7: every WhatsApp message kind decodes to a Content, or is recorded as Unsupported."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.meta import Batch, decode_webhook
from core.domain.inbound import Choice, Content, LocationPin, Media, Text, Unsupported

from ._webhooks import CHANNEL, CLIENT, message, status, value, webhook

MEDIA = {"id": "m1", "mime_type": "x/y", "sha256": "abc=", "caption": "ref", "url": "https://u"}

KINDS: list[tuple[dict[str, Any], Content]] = [
    (message("text", text={"body": "hi"}), Text(body="hi")),
    (
        message(
            "interactive",
            interactive={"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}},
        ),
        Choice(id="yes", title="Yes"),
    ),
    (
        message(
            "interactive",
            interactive={
                "type": "list_reply",
                "list_reply": {"id": "slot_1", "title": "Tue", "description": "3 h"},
            },
        ),
        Choice(id="slot_1", title="Tue"),
    ),
    (
        message("button", button={"payload": "STOP", "text": "Stop"}),
        Choice(id="STOP", title="Stop"),
    ),
    (message("button", button={"text": "Yes please"}), Choice(id="Yes please", title="Yes please")),
    *[
        (
            message(kind, **{kind: MEDIA}),
            Media(kind=kind, media_id="m1", caption="ref", mime_type="x/y", url="https://u"),
        )
        for kind in ("image", "document", "video", "audio", "sticker")
    ],
    (
        message("document", document={"id": "d1", "filename": "ref.pdf"}),
        Media(kind="document", media_id="d1"),
    ),
    (
        message(
            "location",
            location={
                "latitude": 51.5,
                "longitude": -0.12,
                "name": "Studio",
                "address": "1 Ink St",
            },
        ),
        LocationPin(latitude=51.5, longitude=-0.12, name="Studio", address="1 Ink St"),
    ),
    (message("location", location={"latitude": 0, "longitude": 0}), LocationPin(0.0, 0.0)),
    (
        message("reaction", reaction={"message_id": "wamid.0", "emoji": "👍"}),
        Unsupported("reaction"),
    ),
    (message("contacts", contacts=[{"name": {"formatted_name": "A"}}]), Unsupported("contacts")),
    (
        message("unsupported", errors=[{"code": 131051, "title": "Message type unknown"}]),
        Unsupported("unsupported"),
    ),
    (message("order", order={"catalog_id": "1"}), Unsupported("order")),
    (message("hologram", hologram={"x": [1, 2]}), Unsupported("hologram")),
    (message(None), Unsupported("unknown")),  # type: ignore[arg-type]
    (message("text", text={}), Unsupported("text")),
    (message("image", image={"caption": "no id"}), Unsupported("image")),
    (message("location", location={"name": "no coordinates"}), Unsupported("location")),
    (message("interactive"), Unsupported("interactive")),
    (
        message("interactive", interactive={"type": "nfm_reply", "nfm_reply": {}}),
        Unsupported("interactive:nfm_reply"),
    ),
    (
        message("interactive", interactive={"type": "button_reply"}),
        Unsupported("interactive:button_reply"),
    ),
    (message("button", button={}), Unsupported("button")),
]


def _one(raw: bytes) -> Batch:
    batch = decode_webhook(raw)
    assert batch.errors == []
    return batch


@pytest.mark.parametrize(("item", "content"), KINDS, ids=[f"{i.get('type')}" for i, _ in KINDS])
def test_b7_each_message_kind_decodes_or_is_unsupported(item: dict[str, Any], content: Content):
    [received] = _one(webhook(value([item]))).messages
    assert received.content == content
    assert received.contact == CLIENT and received.channel == CHANNEL


def test_b45_a_batch_of_1000_updates_decodes_all_in_order() -> None:
    values = [
        value([message(id=f"wamid.{i}.{j}", text={"body": f"m{i}.{j}"}) for j in range(10)])
        for i in range(90)
    ] + [value(statuses=[status(f"wamid.out.{i}") for i in range(100)])]
    batch = decode_webhook(webhook(*values, per_entry=7))
    assert batch.errors == []
    assert len(batch.messages) == 900 and len(batch.statuses) == 100
    assert [m.message_id for m in batch.messages][:3] == ["wamid.0.0", "wamid.0.1", "wamid.0.2"]
    assert batch.messages[-1].content == Text(body="m89.9")


def test_b45_a_single_change_of_1000_messages_decodes_all() -> None:
    items = [message(id=f"wamid.{i}") for i in range(1000)]
    assert len(_one(webhook(value(items))).messages) == 1000


def test_business_scoped_user_id_without_from_is_the_contact() -> None:
    item = message(from_=None, from_user_id="US.13491208655302741918")
    contacts = [{"profile": {"name": "Ana"}, "user_id": "US.13491208655302741918"}]
    [received] = _one(webhook(value([item], contacts=contacts))).messages
    assert received.contact == "US.13491208655302741918"
    assert received.name == "Ana"


def test_without_from_or_from_user_id_the_single_contact_card_is_the_sender() -> None:
    contacts = [{"profile": {"name": "Ana"}, "user_id": "US.1"}]
    [received] = _one(webhook(value([message(from_=None)], contacts=contacts))).messages
    assert (received.contact, received.name) == ("US.1", "Ana")


def test_name_comes_from_the_matching_contact_card_among_several() -> None:
    contacts = [
        {"profile": {"name": "Other"}, "wa_id": "1"},
        {"profile": {"name": "Zoë"}, "wa_id": CLIENT},
    ]
    [received] = _one(webhook(value([message()], contacts=contacts))).messages
    assert received.name == "Zoë"


def test_name_from_a_single_card_even_when_wa_id_and_from_differ() -> None:
    """PROVIDERS A3: "A WhatsApp user's ID and phone number may not always match"."""
    contacts = [{"profile": {"name": "Zoë"}, "wa_id": "5511987654321"}]
    [received] = _one(webhook(value([message(from_="551187654321")], contacts=contacts))).messages
    assert (received.contact, received.name) == ("551187654321", "Zoë")


def test_no_contacts_means_no_name() -> None:
    [received] = _one(webhook(value([message()], contacts=None))).messages
    assert received.name is None


def test_numeric_timestamp_is_accepted() -> None:
    [received] = _one(webhook(value([message(timestamp=1789041600)]))).messages
    assert received.at == datetime(2026, 9, 10, 12, 0, tzinfo=UTC)
