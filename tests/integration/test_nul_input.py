"""B-45: a NUL character in any field of a signed message is stored safely and answered.

PostgreSQL refuses ``\\x00`` in TEXT and JSONB: before the guard every retry of such
a message was a 503, and Meta retries for 7 days. Each field, on both backends,
end to end through the signed webhook.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_http_support import CHANNEL, CLIENT, Api, message, webhook

SHOWN_AS = "\u2400"


async def _lead_and_replies(api: Api) -> tuple[Any, list[Any], list[Any]]:
    [lead] = await api.leads()
    async with api.store().uow() as uow:
        thread = await uow.leads.thread(lead.id)
        queued = [i for i in await uow.outbox.for_lead(lead.id) if i.message.audience == "client"]
    return lead, thread, queued


async def test_B45_nul_in_the_text_body_is_stored_and_answered(any_api: Api) -> None:
    body = webhook([message("wamid.nul.text", "hello\u0000world")])
    response = await any_api.post_meta(body)

    assert response.status_code == 200
    _lead, thread, queued = await _lead_and_replies(any_api)
    [received] = [e for e in thread if e.direction == "in"]
    assert received.text == f"hello{SHOWN_AS}world"  # the thread shows where the NUL was
    assert queued  # the client got the welcome and the first question


async def test_B45_nul_in_the_profile_name_is_stored_and_answered(any_api: Api) -> None:
    body = webhook([message("wamid.nul.name", "hi")], name="Zo\u0000ë")
    response = await any_api.post_meta(body)

    assert response.status_code == 200
    lead, _thread, queued = await _lead_and_replies(any_api)
    assert lead.name == "Zoë"
    assert queued


async def test_B45_nul_in_the_message_id_is_stored_and_answered(any_api: Api) -> None:
    body = webhook([message("wamid.nul\u0000id", "hi")])
    response = await any_api.post_meta(body)
    again = await any_api.post_meta(body)  # Meta's retry: still one message

    assert (response.status_code, again.status_code) == (200, 200)
    _lead, thread, queued = await _lead_and_replies(any_api)
    assert [e.message_id for e in thread if e.direction == "in"] == ["wamid.nulid"]
    assert await any_api.claimed("wamid.nulid")
    assert queued


async def test_B45_nul_in_the_phone_number_id_is_stored_and_answered(any_api: Api) -> None:
    channel = CHANNEL[:5] + "\u0000" + CHANNEL[5:]
    body = webhook([message("wamid.nul.channel", "hi")], channel=channel)
    response = await any_api.post_meta(body)

    assert response.status_code == 200
    lead, _thread, queued = await _lead_and_replies(any_api)
    assert lead.contact == CLIENT
    assert queued


@pytest.mark.parametrize("where", ["answer", "event"])
async def test_B45_nul_in_an_answer_or_an_event_detail_is_stored(any_api: Api, where: str) -> None:
    from core.domain.events import Event

    await any_api.post_meta(webhook([message("wamid.nul.1", "hi")]))
    if where == "answer":
        response = await any_api.post_meta(webhook([message("wamid.nul.2", "a rose\u0000, small")]))
        assert response.status_code == 200
        [lead] = await any_api.leads()
        async with any_api.store().uow() as uow:
            answers = await uow.leads.answers(lead.id)
        assert answers and SHOWN_AS in answers[-1].text
    else:
        async with any_api.store().uow() as uow:
            probe = Event(kind="probe", at=lead_time(), detail={"x\u0000": "a\u0000"})
            await uow.record_event(probe)
            await uow.commit()
        [event] = await any_api.events("probe")
        assert event.detail == {f"x{SHOWN_AS}": f"a{SHOWN_AS}"}


def lead_time() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
