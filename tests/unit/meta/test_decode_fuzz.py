"""B-45 by property: no input makes the decoder raise anything but ``MalformedPayload``,
and odd items never cost the valid messages beside them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.meta import Batch, MalformedPayload, decode_webhook

from ._payloads import body, meta_names
from ._webhooks import message, status, value, webhook

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

MESSAGE_FIELDS = [
    "id",
    "from",
    "from_user_id",
    "timestamp",
    "type",
    "text",
    "interactive",
    "button",
    "image",
    "document",
    "video",
    "audio",
    "sticker",
    "location",
    "reaction",
    "contacts",
    "context",
    "errors",
]
STATUS_FIELDS = ["id", "status", "timestamp", "recipient_id", "errors"]


def _decode_or_malformed(raw: bytes) -> Batch | None:
    try:
        return decode_webhook(raw)
    except MalformedPayload:
        return None


@FUZZ
@given(st.binary(max_size=2048))
def test_b45_arbitrary_bytes_only_ever_raise_malformed_payload(raw: bytes) -> None:
    _decode_or_malformed(raw)


@FUZZ
@given(st.sampled_from(meta_names()), st.data())
def test_b45_damaged_samples_only_ever_raise_malformed_payload(name: str, data: Any) -> None:
    raw = bytearray(body(name))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    _decode_or_malformed(bytes(raw[:cut]) if data.draw(st.booleans()) else bytes(raw))


@FUZZ
@given(json_values)
def test_b45_any_json_document_only_ever_raises_malformed_payload(doc: Any) -> None:
    _decode_or_malformed(json.dumps(doc).encode())


@FUZZ
@given(
    st.sampled_from(
        [
            "object",
            "entry",
            "entry.0",
            "entry.0.changes",
            "entry.0.changes.0",
            "field",
            "value",
            "metadata",
            "contacts",
            "messages",
            "statuses",
            "errors",
        ]
    ),
    json_values,
)
def test_b45_any_value_anywhere_in_the_envelope_is_contained(where: str, odd: Any) -> None:
    doc = json.loads(webhook(value([message()], statuses=[status()])))
    change = doc["entry"][0]["changes"][0]
    targets = {
        "object": (doc, "object"),
        "entry": (doc, "entry"),
        "entry.0": (doc["entry"], 0),
        "entry.0.changes": (doc["entry"][0], "changes"),
        "entry.0.changes.0": (doc["entry"][0]["changes"], 0),
        "field": (change, "field"),
        "value": (change, "value"),
    }
    parent, key = targets.get(where, (change["value"], where))
    parent[key] = odd
    _decode_or_malformed(json.dumps(doc).encode())


@FUZZ
@given(st.sampled_from(MESSAGE_FIELDS), json_values, st.sampled_from(STATUS_FIELDS), json_values)
def test_b45_an_odd_field_never_loses_the_valid_items_beside_it(
    field: str, odd: Any, status_field: str, odd_status: Any
) -> None:
    strange = message(id="wamid.strange") | {field: odd}
    strange_status = status("wamid.out.strange") | {status_field: odd_status}
    raw = webhook(
        value(
            [message(id="wamid.a"), strange, message(id="wamid.b")],
            statuses=[status("wamid.out.a"), strange_status, status("wamid.out.b")],
        )
    )
    batch = decode_webhook(raw)
    ids = [m.message_id for m in batch.messages]
    assert ids[0] == "wamid.a" and ids[-1] == "wamid.b"
    assert len(batch.messages) + sum("messages[1]" in e for e in batch.errors) == 3
    status_ids = [s.provider_message_id for s in batch.statuses]
    assert status_ids[0] == "wamid.out.a" and status_ids[-1] == "wamid.out.b"
    assert len(batch.statuses) + sum("statuses[1]" in e for e in batch.errors) == 3
