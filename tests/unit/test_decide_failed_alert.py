"""B-9: a client is never ignored silently. When ``decide`` raises, the message is kept,
the fault recorded, and the artist alerted through the outbox."""

from __future__ import annotations

import pytest

from core.usecases import inbound as inbound_usecase
from core.usecases.inbound import FAILED
from tests.unit.harness import CLIENT, Harness


def _broken(*_args: object) -> object:
    raise ValueError("boom while reading: my secret dragon idea")


async def test_B9_when_decide_raises_the_artist_gets_a_system_alert(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbound_usecase, "decide", _broken)
    outcome = await harness.say("my secret dragon idea")
    await harness.deliver()

    assert outcome.result == FAILED
    [alert] = harness.messenger.texts(harness.studio.artist_number)
    assert CLIENT in alert and "my secret dragon idea" in alert  # the artist can answer
    assert harness.messenger.texts(CLIENT) == []  # nothing automated to the client
    lead = await harness.lead()
    async with harness.store.uow() as uow:
        thread = await uow.leads.thread(lead.id)
        [event] = await uow.events(kind="decide_failed")
    assert [e.text for e in thread if e.direction == "in"] == ["my secret dragon idea"]
    assert event.level == "error" and event.detail["error"] == "ValueError"
    assert "secret" not in str(event.detail)  # the exception's text is not kept


async def test_B9_the_message_is_kept_even_when_the_alert_cannot_be_built(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbound_usecase, "decide", _broken)
    monkeypatch.setattr(inbound_usecase, "decide_failed", _broken)
    outcome = await harness.say("still here")

    assert outcome.result == FAILED
    lead = await harness.lead()
    async with harness.store.uow() as uow:
        thread = await uow.leads.thread(lead.id)
        assert [e.kind for e in await uow.events(kind="decide_failed")] == ["decide_failed"]
    assert [e.text for e in thread if e.direction == "in"] == ["still here"]
