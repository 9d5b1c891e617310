"""The shared Meta samples decode to the provider-neutral values the core expects."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.meta import decode_webhook
from core.domain.inbound import Choice, Content, Media, Text
from ports.messenger import DeliveryStatus

from ._payloads import body, meta_names

CHANNEL = "112233445566778"  # CONTRACT.md: the demo profile's meta_phone_number_id
CLIENT = "447911123456"

MESSAGES: dict[str, tuple[str, Content]] = {
    "meta_text.json": (
        "1789041600",
        Text(body="Hi! I'd love a fine-line swallow on my forearm, about 10x12cm"),
    ),
    "meta_button_reply.json": ("1789041725", Choice(id="pay_deposit", title="Yes")),
    "meta_list_reply.json": (
        "1789041690",
        Choice(id="slot_2026-09-12T20:00", title="Tue 15 Sep, 11:00"),
    ),
    "meta_image.json": (
        "1789041811",
        Media(
            kind="image",
            media_id="1837465029384756",
            caption="Reference for the swallow, but smaller",
            mime_type="image/jpeg",
            url="https://lookaside.fbsbx.com/whatsapp_business/attachments/"
            "?mid=1837465029384756&ext=1789041811&hash=ARn2Qq9d7vLk3oXcV1pW",
        ),
    ),
}

STATUSES = {
    "meta_status_read.json": DeliveryStatus(
        provider_message_id="wamid.HBgMNDQ3OTExMTIzNDU2FQIAERgSQjJGNEQ3QzlBMUUwM0Y1OEE2AA==",
        status="read",
        at=datetime.fromtimestamp(1789041718, UTC),
        recipient=CLIENT,
    ),
    "meta_status_failed.json": DeliveryStatus(
        provider_message_id="wamid.HBgMNDQ3OTExMTIzNDU2FQIAERgSMEM4QTJGNUQ2RTFCOTQ3QzNEAA==",
        status="failed",
        at=datetime.fromtimestamp(1789135202, UTC),
        recipient=CLIENT,
        error_code=131047,
        error_detail="More than 24 hours have passed since the recipient last replied "
        "to the sender number.",
        failure="window_closed",  # B-28: the relay must resend it as a template
    ),
}


def test_every_meta_sample_has_an_expectation() -> None:
    assert sorted([*MESSAGES, *STATUSES]) == meta_names()


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_sample_message_decodes_to_its_content(name: str) -> None:
    timestamp, content = MESSAGES[name]
    batch = decode_webhook(body(name))
    assert batch.statuses == [] and batch.errors == []
    [received] = batch.messages
    assert received.content == content
    assert received.channel == CHANNEL
    assert received.contact == CLIENT
    assert received.name == "Zoë Müller"  # from the \u00eb escapes Meta signs
    assert received.message_id.startswith("wamid.")
    assert received.at == datetime.fromtimestamp(int(timestamp), UTC)
    assert received.at.tzinfo is UTC
    assert received.provider == "meta"


@pytest.mark.parametrize("name", sorted(STATUSES))
def test_sample_status_decodes_to_a_delivery_status(name: str) -> None:
    batch = decode_webhook(body(name))
    assert batch.messages == [] and batch.errors == []
    assert batch.statuses == [STATUSES[name]]


def test_b28_failed_status_carries_the_window_closed_code() -> None:
    [failed] = decode_webhook(body("meta_status_failed.json")).statuses
    assert failed.status == "failed"
    assert failed.error_code == 131047


def test_received_routes_to_a_studio_as_an_inbound() -> None:
    [received] = decode_webhook(body("meta_text.json")).messages
    inbound = received.to_inbound("studio-1")
    assert inbound.studio == "studio-1"
    assert inbound.text().startswith("Hi! I'd love")
