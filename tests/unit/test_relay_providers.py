"""Several providers at once (issue 13): replies go back the way the client wrote (B-31, B-46)."""

from __future__ import annotations

import msgspec

from adapters.memory import MemoryMessenger
from core.usecases.relay import Relay, RelayPolicy
from tests.unit.harness import CLIENT, Harness

META_ID, TWILIO_SENDER = "112233445566778", "+14155238886"  # the demo studio's numbers


def _providers(harness: Harness, *order: str) -> dict[str, MemoryMessenger]:
    messengers = {name: MemoryMessenger(id_prefix=f"{name}.") for name in order}
    harness.relay = Relay(harness.store.uow, messengers[order[0]], harness.clock,
                          harness.deployment, harness.throttle, RelayPolicy(),
                          jitter=lambda: 0.5, provider=order[0], messengers=messengers)
    return messengers


async def _say(harness: Harness, text: str, provider: str) -> None:
    harness.clock.advance(seconds=30)
    inbound = msgspec.structs.replace(harness.inbound(text), provider=provider)
    await harness.handle(inbound)


async def test_B31_a_client_on_twilio_is_answered_on_twilio_from_the_studio_sender(
    harness: Harness,
) -> None:
    sent = _providers(harness, "meta", "twilio")

    await _say(harness, "hi", "twilio")
    await harness.deliver()

    assert sent["meta"].sent == []
    assert {(m.sender, m.to) for m in sent["twilio"].sent} == {(TWILIO_SENDER, CLIENT)}
    assert harness.throttle.senders == [TWILIO_SENDER] * 2  # the rate limit is per number
    assert (await harness.lead()).provider == "twilio"


async def test_B31_the_next_message_through_meta_moves_the_replies_to_meta(
    harness: Harness,
) -> None:
    sent = _providers(harness, "meta", "twilio")
    await _say(harness, "hi", "twilio")
    await harness.deliver()

    await _say(harness, "A koi fish", "meta")
    await harness.deliver()

    assert len(sent["twilio"].sent) == 2  # welcome and first question
    assert [(m.sender, m.to) for m in sent["meta"].sent] == [(META_ID, CLIENT)]


async def test_B46_artist_notifications_go_through_the_studios_own_first_provider(
    harness: Harness,
) -> None:
    sent = _providers(harness, "twilio", "meta")

    await _say(harness, "hi", "meta")
    await _say(harness, "human", "meta")  # the client asks for the artist
    await harness.deliver()

    artist = harness.studio.artist_number
    assert [m.sender for m in sent["twilio"].sent if m.to == artist] == [TWILIO_SENDER]
    assert all(m.to == CLIENT for m in sent["meta"].sent)


async def test_B31_a_provider_no_longer_enabled_falls_back_to_the_studios_own(
    harness: Harness,
) -> None:
    sent = _providers(harness, "meta")

    await _say(harness, "hi", "twilio")  # e.g. Twilio was switched off since
    await harness.deliver()

    assert [(m.sender, m.to) for m in sent["meta"].sent] == [(META_ID, CLIENT)] * 2


async def test_B25_one_provider_as_before_uses_the_studio_number(harness: Harness) -> None:
    await _say(harness, "hi", "meta")  # the harness relay: one messenger, no provider map
    await harness.deliver()

    assert {m.sender for m in harness.messenger.sent} == {META_ID}
