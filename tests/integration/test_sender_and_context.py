"""Issue 7: senders that cannot be clients get no reply; an odd ``context`` costs nothing.

Through the signed webhook, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.integration.test_http_support import Api, message, webhook

IMPLAUSIBLE = ["STOP", "1'; DROP TABLE leads;--", "1" * 40, "0447911123456", "1234567", ""]


async def _queued(api: Api) -> int:
    async with api.store().uow() as uow:
        return await uow.outbox.pending_count()


@pytest.mark.parametrize("sender", IMPLAUSIBLE[:4])
async def test_an_implausible_sender_is_recorded_and_gets_no_reply(
    any_api: Api, sender: str
) -> None:
    response = await any_api.post_meta(webhook([message("wamid.odd", "hi", contact=sender)]))

    assert response.status_code == 200  # acknowledged: retrying would not make it a number
    assert await any_api.leads() == []
    assert await _queued(any_api) == 0
    [event] = await any_api.events("implausible_sender")
    assert event.detail["message_id"] == "wamid.odd"
    assert sender not in str(event.detail)  # the garbage is not kept


@pytest.mark.parametrize(
    "sender", ["447911123456", "+447911123456", "12025550123", "US.13491208655302741918"]
)
async def test_plausible_senders_are_answered(any_api: Api, sender: str) -> None:
    response = await any_api.post_meta(webhook([message("wamid.ok", "hi", contact=sender)]))

    assert response.status_code == 200
    [lead] = await any_api.leads()
    assert lead.contact == sender
    assert await _queued(any_api) > 0
    assert await any_api.events("implausible_sender") == []


@pytest.mark.parametrize(
    "context",
    [
        {"id": 5, "forwarded": "yes", "frequently_forwarded": [1], "from": {"x": 1}},
        "not an object",
        [1, 2, 3],
        None,
    ],
    ids=["wrong-field-types", "string", "list", "null"],
)
async def test_a_message_whose_context_has_the_wrong_types_is_kept_and_answered(
    any_api: Api, context: object
) -> None:
    response = await any_api.post_meta(
        webhook([message("wamid.ctx", "hi", context=context)])
    )

    assert response.status_code == 200
    assert response.json()["received"] == 1
    [lead] = await any_api.leads()
    async with any_api.store().uow() as uow:
        thread = await uow.leads.thread(lead.id)
    assert [e.text for e in thread if e.direction == "in"] == ["hi"]
    assert await _queued(any_api) > 0
