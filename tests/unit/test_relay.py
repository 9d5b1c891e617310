"""The relay: order, retries, dead letters, the 24-hour window, throughput (B-25 to B-29)."""

from __future__ import annotations

import asyncio
import time

from adapters.system.throttle import SenderThrottle
from core.domain.outbound import TemplateIntent
from core.domain.status import Status
from ports.messenger import PermanentFailure, RateLimited, TransientFailure, WindowClosed
from tests.unit.harness import CLIENT, Harness

OTHER = "447000000777"


async def _outbox(harness: Harness, contact: str = CLIENT):  # type: ignore[no-untyped-def]
    lead = await harness.lead(contact)
    async with harness.store.uow() as uow:
        return await uow.outbox.for_lead(lead.id)


async def test_B25_messages_are_delivered_after_commit_through_the_messenger(
    harness: Harness,
) -> None:
    await harness.say("hi")
    assert harness.messenger.sent == []  # nothing is sent inside the decision
    assert await harness.deliver() == 2
    texts = harness.messenger.texts(CLIENT)
    assert harness.studio.questions[0].text in texts[1]
    assert harness.throttle.senders == [harness.studio.meta_phone_number_id] * 2


async def test_B26_one_recipient_in_order_while_others_proceed(harness: Harness) -> None:
    await harness.say("hi")
    await harness.say("hi", contact=OTHER)
    harness.messenger.fail_next(CLIENT, TransientFailure("502"))
    await harness.relay.run_once()  # one pass: each recipient's queue as a chain
    assert [m.to for m in harness.messenger.sent] == [OTHER, OTHER]  # the other client goes on
    assert await harness.relay.run_once() == 0  # CLIENT's question waits behind its retry
    assert [m.to for m in harness.messenger.sent] == [OTHER, OTHER]
    harness.later(seconds=5)
    await harness.deliver()
    _welcome, question = harness.messenger.texts(CLIENT)
    assert harness.studio.questions[0].text in question  # still in decided order


async def test_B27_transient_failures_retry_with_backoff_and_respect_retry_after(
    harness: Harness,
) -> None:
    await harness.say("hi")
    harness.messenger.fail_next(CLIENT, TransientFailure("500"),
                                RateLimited("429", 130429, retry_after=30))
    await harness.relay.run_once()  # 500 -> retry in ~1 s (base 1 s, half jitter)
    item = (await _outbox(harness))[0]
    assert item.state == "pending" and item.attempts == 1
    assert (item.next_attempt_at - harness.clock.now()).total_seconds() == 0.75
    harness.later(seconds=1)
    await harness.relay.run_once()  # 429 with Retry-After 30
    item = (await _outbox(harness))[0]
    assert (item.next_attempt_at - harness.clock.now()).total_seconds() == 30
    harness.later(seconds=29)
    assert await harness.relay.run_once() == 0
    harness.later(seconds=2)
    await harness.deliver()
    assert len(harness.messenger.sent) == 2


async def test_B27_permanent_failure_is_a_dead_letter_and_puts_the_lead_before_the_artist(
    harness: Harness,
) -> None:
    await harness.say("hi")
    await harness.deliver()
    await harness.say("A swallow")
    harness.messenger.fail_next(CLIENT, PermanentFailure("invalid number", 131026))
    await harness.deliver()
    lead = await harness.lead()
    assert lead.status == Status.NEEDS_ARTIST_REPLY
    assert lead.handover_reason == "permanent_failure"
    async with harness.store.uow() as uow:
        kinds = [e.kind for e in await uow.events(lead_id=lead.id)]
    assert "dead_letter" in kinds
    assert [i.state for i in await _outbox(harness)][-2:] == ["dead", "sent"]
    assert harness.messenger.to(harness.studio.artist_number)  # the artist heard


async def test_B27_gives_up_after_max_attempts(harness: Harness) -> None:
    await harness.say("hi")
    harness.messenger.fail_always(CLIENT, TransientFailure("down"))
    for _ in range(harness.relay.policy.max_attempts + 1):
        await harness.relay.run_once()
        harness.later(seconds=400)
    assert (await _outbox(harness))[0].state == "dead"


async def test_B28_closed_window_sends_the_template_for_that_intent(harness: Harness) -> None:
    await harness.say("hi")
    await harness.deliver()
    harness.later(hours=25)
    ref = harness.studio.templates["reminder"]
    template = TemplateIntent(ref.name, ref.language, ("Zoë",))
    await harness.queue("still there?", "reminder", template)
    await harness.deliver()
    assert isinstance(harness.messenger.sent[-1].intent, TemplateIntent)


async def test_B28_closed_window_without_a_template_holds_the_message(harness: Harness) -> None:
    await harness.say("hi")
    harness.later(hours=25)
    await harness.deliver()
    assert harness.messenger.sent == []
    assert {i.state for i in await _outbox(harness)} == {"held"}
    async with harness.store.uow() as uow:
        assert "message_held" in [e.kind for e in await uow.events()]


async def test_B28_provider_window_error_falls_back_to_the_template(harness: Harness) -> None:
    await harness.say("hi")
    await harness.deliver()
    message = await harness.queue("deposit received", "deposit_confirmed",
                                  TemplateIntent("deposit_confirmed", "en_US", ("£50",)))
    harness.messenger.fail_next(CLIENT, WindowClosed("131047", 131047))
    await harness.deliver()
    assert harness.messenger.sent[-1].intent == message.fallback


async def test_B29_the_throttle_never_exceeds_the_rate_per_sender() -> None:
    throttle = SenderThrottle(per_second=20)
    started = time.monotonic()
    await asyncio.gather(*(throttle.acquire("number-a") for _ in range(40)))
    # 40 sends at 20/s: the second 20 must wait for the first second to pass.
    assert time.monotonic() - started >= 0.9
    started = time.monotonic()
    await throttle.acquire("number-b")  # another sending number has its own budget
    assert time.monotonic() - started < 0.5


async def test_B25_relay_loop_wakes_and_stops(harness: Harness) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(harness.relay.run(stop, harness.store.wait_for_work))
    await harness.say("hi")
    for _ in range(50):
        if len(harness.messenger.sent) == 2:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 2)
    assert len(harness.messenger.sent) == 2


async def test_B25_a_relay_killed_between_claim_and_mark_delivers_after_restart(
    harness: Harness,
) -> None:
    await harness.say("hi")
    async with harness.store.uow() as uow:  # a relay claims, then dies before sending
        claimed = await uow.outbox.claim(harness.clock.now(), 10, harness.relay.policy.lease)
        await uow.commit()
    assert [i.message.purpose for i in claimed] == ["welcome"]
    assert await harness.relay.run_once() == 0  # its lease still holds: no double send
    harness.later(seconds=harness.relay.policy.lease.total_seconds() + 1)
    await harness.deliver()  # the restarted relay takes over
    assert [m.to for m in harness.messenger.sent] == [CLIENT, CLIENT]
    assert {i.state for i in await _outbox(harness)} == {"sent"}


async def test_B27_a_dead_letter_for_a_vanished_lead_does_not_resend_the_batch(
    harness: Harness,
) -> None:
    from core.domain.outbound import CLIENT as AUDIENCE
    from core.domain.outbound import Outgoing, TextIntent

    await harness.say("hi")
    orphan = Outgoing(lead_id="gone", studio=harness.studio.id, audience=AUDIENCE, to=OTHER,
                      intent=TextIntent("hello"), purpose="ask_question")
    async with harness.store.uow() as uow:
        await uow.outbox.append([orphan], harness.clock.now())
        await uow.commit()
    harness.messenger.fail_next(OTHER, PermanentFailure("blocked", 130403))
    harness.relay.window_closed = lambda item: False  # type: ignore[method-assign]
    await harness.deliver()
    harness.later(seconds=600)  # long past any lease
    await harness.deliver()
    assert len(harness.messenger.texts(CLIENT)) == 2  # welcome and question, once each
    async with harness.store.uow() as uow:
        assert "dead_letter_without_lead" in [e.kind for e in await uow.events()]


async def _sent_with_fallback(harness: Harness) -> str:
    """A client message with a template fallback, delivered; returns its provider id."""
    await harness.say("hi")
    await harness.deliver()
    await harness.queue("Your deposit arrived", "deposit_confirmed",
                        TemplateIntent("deposit_confirmed", "en_US", ("£50",)))
    await harness.deliver()
    return harness.messenger.ids[-1]


def _failed(provider_id: str, failure: str, code: int, at: object) -> object:
    from ports.messenger import DeliveryStatus

    return DeliveryStatus(provider_message_id=provider_id, status="failed", at=at,  # type: ignore[arg-type]
                          recipient=CLIENT, error_code=code, failure=failure)


async def test_B28_an_async_window_closed_failure_resends_the_template(harness: Harness) -> None:
    provider_id = await _sent_with_fallback(harness)
    await harness.record([_failed(provider_id, "window_closed", 131047, harness.clock.now())])
    await harness.deliver()
    assert harness.messenger.sent[-1].intent == TemplateIntent("deposit_confirmed", "en_US",
                                                               ("£50",))
    assert (await harness.lead()).status == Status.QUALIFYING  # nothing for the artist


async def test_B27_an_async_permanent_failure_puts_the_lead_before_the_artist(
    harness: Harness,
) -> None:
    provider_id = await _sent_with_fallback(harness)
    await harness.record([_failed(provider_id, "permanent", 131026, harness.clock.now())])
    lead = await harness.lead()
    assert lead.status == Status.NEEDS_ARTIST_REPLY
    assert lead.handover_reason == "permanent_failure"
    async with harness.store.uow() as uow:
        items = await uow.outbox.for_lead(lead.id)
    assert [i.delivery for i in items if i.provider_message_id == provider_id] == ["failed"]
