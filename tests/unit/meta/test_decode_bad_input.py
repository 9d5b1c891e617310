"""B-45: bad input is contained: one clear error for a bad body, a note for a bad item."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.meta import Batch, MalformedPayload, decode_webhook
from core.domain.inbound import Text

from ._webhooks import CHANNEL, CLIENT, message, status, value, webhook


def _one(raw: bytes) -> Batch:
    batch = decode_webhook(raw)
    assert batch.errors == []
    return batch


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({k: v for k, v in message().items() if k != "id"}, "no message id"),
        (message(id=""), "no message id"),
        (message(from_=None), "no sender"),
        (message(timestamp="yesterday"), "bad timestamp"),
        (message(timestamp="9" * 30), "bad timestamp"),
        ({k: v for k, v in message().items() if k != "timestamp"}, "bad timestamp"),
        (message(text="not an object"), "Expected `object | null`"),
        (message(location={"latitude": "51.5", "longitude": 0}), "$.location.latitude"),
        ("not a message", "Expected `object`"),
    ],
)
def test_b45_an_unusable_message_is_skipped_and_reported_the_rest_kept(item: Any, reason: str):
    good = [message(id="wamid.before"), message(id="wamid.after")]
    batch = decode_webhook(webhook(value([good[0], item, good[1]], contacts=None)))
    assert [m.message_id for m in batch.messages] == ["wamid.before", "wamid.after"]
    [error] = batch.errors
    assert "entry[0].changes[0].messages[1] skipped" in error
    assert reason in error
    assert CLIENT not in error and "hello" not in error  # B-44: no numbers, no bodies


def test_b45_unusable_statuses_are_skipped_and_reported() -> None:
    statuses = [status("wamid.a"), {"status": "read"}, status("wamid.b", timestamp="x"), 7]
    batch = decode_webhook(webhook(value(statuses=statuses)))
    assert [s.provider_message_id for s in batch.statuses] == ["wamid.a"]
    assert len(batch.errors) == 3


def test_status_error_detail_falls_back_to_message_and_title() -> None:
    statuses = [
        status("wamid.a", "failed", errors=[{"code": 131026, "title": "Undeliverable"}]),
        status("wamid.b", "failed", errors=[{"code": 131000, "message": "Something"}]),
    ]
    batch = _one(webhook(value(statuses=statuses)))
    assert [(s.error_code, s.error_detail) for s in batch.statuses] == [
        (131026, "Undeliverable"),
        (131000, "Something"),
    ]


def test_messages_without_a_channel_are_skipped_but_statuses_kept() -> None:
    batch = decode_webhook(webhook(value([message()], statuses=[status()], channel=None)))
    assert batch.messages == [] and len(batch.statuses) == 1
    assert "phone_number_id" in batch.errors[0]


def test_value_level_errors_are_reported_as_text() -> None:
    errors = [
        {
            "code": 131047,
            "title": "Re-engagement message",
            "message": "Re-engagement message",
            "error_data": {"details": "More than 24 hours have passed"},
        },
        {"title": "Bare"},
        3,
    ]
    batch = decode_webhook(webhook(value(errors=errors)))
    assert batch.errors[0].endswith(
        "provider error (131047) Re-engagement message: More than 24 hours have passed"
    )
    assert batch.errors[1].endswith("provider error Bare")
    assert "errors[2] unreadable" in batch.errors[2]


def test_b45_unknown_fields_everywhere_are_ignored() -> None:
    item = message(brand_new={"x": 1}, text={"body": "hi", "markup": [1]})
    val = value([item]) | {"future": True, "metadata": {"phone_number_id": CHANNEL, "n": 1}}
    raw = json.dumps(
        {
            "object": "whatsapp_business_account",
            "extra": 1,
            "entry": [
                {"id": "1", "time": 5, "changes": [{"field": "messages", "value": val, "x": None}]}
            ],
        }
    )
    [received] = _one(raw.encode()).messages
    assert received.content == Text(body="hi")


def test_b45_a_10000_character_message_is_kept_whole() -> None:
    [received] = _one(webhook(value([message(text={"body": "ë" * 10_000})]))).messages
    assert received.content == Text(body="ë" * 10_000)


def test_other_subscriptions_are_ignored_silently() -> None:
    raw = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "changes": [
                        {"field": "message_template_status_update", "value": {"event": "APPROVED"}},
                        {"field": "messages"},
                    ]
                }
            ],
        }
    ).encode()
    assert decode_webhook(raw) == Batch()


def test_a_null_or_wrong_value_is_reported() -> None:
    raw = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "changes": [
                        {"field": "messages", "value": None},
                        {"field": "messages", "value": {"messages": "nope"}},
                    ]
                }
            ],
        }
    ).encode()
    batch = decode_webhook(raw)
    assert batch.messages == [] and len(batch.errors) == 2


def test_other_webhook_objects_are_ignored_with_a_note() -> None:
    batch = decode_webhook(b'{"object": "page", "entry": [{"changes": []}]}')
    assert batch.messages == [] and batch.errors == ["ignored webhook for object 'page'"]


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"{'entry': []}", "not valid JSON"),
        (b'{"entry": []} trailing', "not valid JSON"),
        (b'{"entry": ["\\ud800"]}', "not valid JSON"),
        (b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b', "entry": []}', "not valid JSON"),
        (b"[" * 100_000, "not a WhatsApp webhook envelope"),
        (b'{"entry": [], "x": "\xff"}', "not valid UTF-8"),
        (b'{"entry": [{"changes": [{"value": {"messages": ["\xc3"]}}]}]}', "not valid UTF-8"),
        (b"\xef\xbb\xbf{}", "not valid JSON"),
        (b"[]", "not a WhatsApp webhook envelope"),
        (b'"text"', "not a WhatsApp webhook envelope"),
        (b"{}", "not a WhatsApp webhook envelope"),
        (b'{"object": "whatsapp_business_account"}', "not a WhatsApp webhook envelope"),
        (b'{"entry": {}}', "not a WhatsApp webhook envelope"),
        (b'{"entry": [1]}', "not a WhatsApp webhook envelope"),
        (b'{"entry": [{"changes": [1]}]}', "not a WhatsApp webhook envelope"),
        (b'{"entry": [], "object": 5}', "not a WhatsApp webhook envelope"),
    ],
)
def test_b45_malformed_bodies_raise_one_clear_error(raw: bytes, says: str) -> None:
    with pytest.raises(MalformedPayload, match=says) as caught:
        decode_webhook(raw)
    assert isinstance(caught.value, ValueError)
    assert caught.value.__cause__ is None


def test_an_empty_entry_list_is_an_empty_batch() -> None:
    assert decode_webhook(b'{"object": "whatsapp_business_account", "entry": []}') == Batch()


def test_an_odd_contact_card_costs_the_name_not_the_message() -> None:
    contacts = [{"profile": "Zoë", "wa_id": CLIENT}]
    batch = decode_webhook(webhook(value([message()], contacts=contacts)))
    [received] = batch.messages
    assert (received.contact, received.name) == (CLIENT, None)
    assert batch.errors == [
        "entry[0].changes[0].contacts[0] ignored: "
        "Expected `object | null`, got `str` - at `$.profile`"
    ]
