"""Artist actions and payment events on the memory adapters (B-24, B-28, B-32 to B-34)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec
import pytest

from adapters.memory import FakePayments
from core.domain.actions import Approve, Reject, Reply, Resume
from core.domain.links import sign_action
from core.domain.status import Status
from core.usecases.actions import ArtistActions
from core.usecases.links import OneTap
from core.usecases.payments import DUPLICATE, PROCESSED, REFUSED, HandlePayment
from ports.outbox import HELD, PENDING
from ports.payments import PaymentEvent, PaymentsUnavailable
from tests.unit.convo import AFTER_SUMMARY, HAPPY_ANSWERS
from tests.unit.harness import CLIENT, Harness


class Desk:
    """The harness plus what the artist's side needs."""

    def __init__(self, harness: Harness) -> None:
        self.h = harness
        self.payments = FakePayments(base_url="https://ink.example")
        self.actions = ArtistActions(
            harness.store.uow, harness.clock, harness.deployment, self.payments
        )
        self.pay = HandlePayment(
            harness.store.uow, harness.clock, harness.deployment, self.payments
        )
        self.one_tap = OneTap(self.actions, harness.clock, harness.deployment)

    async def qualified(self) -> str:
        for text in ["hi", *HAPPY_ANSWERS, "yes", *AFTER_SUMMARY]:
            await self.h.say(text)
        await self.h.deliver()
        lead = await self.h.lead()
        assert lead.status == Status.PENDING_APPROVAL
        return lead.id

    async def sent_to_client(self) -> list[str]:
        await self.h.deliver()
        return self.h.messenger.texts(CLIENT)

    async def session(self) -> str:
        lead = await self.h.lead()
        assert lead.deposit is not None and lead.deposit.session_id is not None
        return lead.deposit.session_id


@pytest.fixture
def desk(harness: Harness) -> Desk:
    return Desk(harness)


async def test_B24_B32_B33_approve_then_pay_reaches_deposit_paid(desk: Desk) -> None:
    lead_id = await desk.qualified()
    before = len(await desk.sent_to_client())
    result = await desk.actions.approve(lead_id)
    assert (result.changed, result.status) == (True, "AWAITING_DEPOSIT")
    [request] = desk.payments.requests
    assert (request.lead_id, request.amount, request.attempt) == (lead_id, 8000, 1)  # 10x12 cm
    link_text = (await desk.sent_to_client())[before:]
    assert len(link_text) == 1 and f"https://ink.example/pay/cs_fake_{lead_id}_1" in link_text[0]
    outcome = await desk.pay(desk.payments.complete(await desk.session()), actor="fake_checkout")
    assert (outcome.result, outcome.status) == (PROCESSED, "DEPOSIT_PAID")
    lead = await desk.h.lead()
    assert lead.deposit is not None and lead.deposit.paid_at is not None
    said = (await desk.sent_to_client())[before + 1 :]
    assert len(said) == 1 and "£80" in said[0] and "non-refundable" in said[0]
    artist = desk.h.messenger.texts(desk.h.studio.artist_number)
    assert "Deposit of £80 paid" in artist[-1]
    async with desk.h.store.uow() as uow:
        actors = [(t.target, t.actor) for t in await uow.leads.transitions(lead_id)]
    assert actors[-2:] == [("AWAITING_DEPOSIT", "artist"), ("DEPOSIT_PAID", "fake_checkout")]


async def test_B24_approve_twice_sends_one_link_and_opens_one_checkout(desk: Desk) -> None:
    lead_id = await desk.qualified()
    first, again = await desk.actions.approve(lead_id), await desk.actions.approve(lead_id)
    assert (first.changed, again.changed, again.refusal) == (True, False, None)
    assert len(desk.payments.requests) == 1
    async with desk.h.store.uow() as uow:
        purposes = [i.message.purpose for i in await uow.outbox.for_lead(lead_id)]
    assert purposes.count("deposit_link") == 1


async def test_B24_a_wrong_status_is_refused_and_nothing_is_stored(desk: Desk) -> None:
    lead_id = await desk.qualified()
    await desk.actions.reject(lead_id)
    async with desk.h.store.uow() as uow:
        before = (await uow.leads.get(lead_id), len(await uow.outbox.for_lead(lead_id)))
    for action in (Approve(), Resume()):
        result = await desk.actions.act(lead_id, action)
        assert result.refusal and "REJECTED" in result.refusal and result.status == "REJECTED"
    async with desk.h.store.uow() as uow:
        after = (await uow.leads.get(lead_id), len(await uow.outbox.for_lead(lead_id)))
    assert after == before and desk.payments.requests == []


async def test_B32_no_checkout_no_change_when_payments_are_down(desk: Desk) -> None:
    lead_id = await desk.qualified()
    desk.payments.fail = True
    with pytest.raises(PaymentsUnavailable):
        await desk.actions.approve(lead_id)
    assert (await desk.h.lead()).status == Status.PENDING_APPROVAL
    desk.payments.fail = False
    assert (await desk.actions.approve(lead_id)).status == "AWAITING_DEPOSIT"


async def test_B33_twenty_concurrent_deliveries_of_one_event_have_one_effect(desk: Desk) -> None:
    lead_id = await desk.qualified()
    await desk.actions.approve(lead_id)
    event = desk.payments.complete(await desk.session())
    outcomes = await asyncio.gather(*(desk.pay(event) for _ in range(20)))
    assert sorted(o.result for o in outcomes) == [DUPLICATE] * 19 + [PROCESSED]
    second = msgspec.structs.replace(event, event_id="evt_another_object")
    assert (await desk.pay(second)).result == DUPLICATE  # same session, another Event object
    async with desk.h.store.uow() as uow:
        purposes = [i.message.purpose for i in await uow.outbox.for_lead(lead_id)]
    assert purposes.count("deposit_confirmed") == 1 and purposes.count("artist_deposit_paid") == 1


async def test_B33_a_session_mismatch_is_refused_and_recorded(desk: Desk) -> None:
    lead_id = await desk.qualified()
    await desk.actions.approve(lead_id)
    forged = PaymentEvent(
        event_id="evt_x",
        kind="paid",
        type="checkout.session.completed",
        session_id="cs_fake_someone_1",
        lead_ref=lead_id,
    )
    outcome = await desk.pay(forged)
    assert (outcome.result, outcome.reason) == (REFUSED, "session_mismatch")
    assert (await desk.h.lead()).status == Status.AWAITING_DEPOSIT
    async with desk.h.store.uow() as uow:
        [event] = await uow.events(kind="payment_refused")
    assert event.detail["session_id"] == "cs_fake_someone_1" and event.lead_id == lead_id


async def test_B33_an_unpaid_session_at_the_provider_is_not_fulfilled(desk: Desk) -> None:
    lead_id = await desk.qualified()
    await desk.actions.approve(lead_id)
    claimed = PaymentEvent(
        event_id="evt_early", kind="paid", session_id=await desk.session(), lead_ref=lead_id
    )  # signed, but the session is still open
    assert (await desk.pay(claimed)).result == REFUSED
    assert (await desk.h.lead()).status == Status.AWAITING_DEPOSIT


async def test_B34_expired_gets_one_fresh_link_then_is_ignored(desk: Desk) -> None:
    lead_id = await desk.qualified()
    await desk.actions.approve(lead_id)
    before = len(await desk.sent_to_client())
    first = desk.payments.expire(await desk.session())
    assert (await desk.pay(first)).result == PROCESSED
    fresh = await desk.session()
    assert fresh == f"cs_fake_{lead_id}_2"
    said = (await desk.sent_to_client())[before:]
    assert len(said) == 1 and f"/pay/{fresh}" in said[0]
    second_expiry = PaymentEvent(
        event_id="evt_expired_2", kind="expired", session_id=fresh, lead_ref=lead_id
    )
    assert (await desk.pay(second_expiry)).result == REFUSED  # once only
    assert len(await desk.sent_to_client()) == before + 1
    assert (await desk.h.lead()).status == Status.AWAITING_DEPOSIT


async def test_B34_a_payment_for_a_status_that_no_longer_expects_it_is_ignored(desk: Desk) -> None:
    lead_id = await desk.qualified()
    await desk.actions.approve(lead_id)
    session = await desk.session()
    await desk.pay(desk.payments.complete(session))
    late = PaymentEvent(event_id="evt_late", kind="expired", session_id=session, lead_ref=lead_id)
    assert (await desk.pay(late)).result == REFUSED
    lead = await desk.h.lead()
    assert lead.status == Status.DEPOSIT_PAID and lead.deposit is not None
    assert lead.deposit.attempt == 1


async def test_B24_reply_goes_to_the_client_in_the_thread_inside_the_window(desk: Desk) -> None:
    await desk.h.say("hi")
    await desk.h.say("HUMAN")
    lead = await desk.h.lead()
    result = await desk.actions.reply(lead.id, "Hi, it's Mia here, happy to help!")
    assert result.changed and result.status == "NEEDS_ARTIST_REPLY"
    assert (await desk.sent_to_client())[-1] == "Hi, it's Mia here, happy to help!"
    async with desk.h.store.uow() as uow:
        thread = await uow.leads.thread(lead.id)
    assert (thread[-1].direction, thread[-1].text) == ("out", "Hi, it's Mia here, happy to help!")
    desk.h.later(hours=25)
    late = await desk.actions.act(lead.id, Reply("Still there?"))
    assert late.refusal and "window is closed" in late.refusal


async def test_B28_release_sends_what_the_window_held(desk: Desk) -> None:
    await desk.h.say("hi")
    await desk.h.deliver()
    lead = await desk.h.lead()
    held = await desk.h.queue("A note without a template", "hold_reply", fallback=None)
    async with desk.h.store.uow() as uow:  # the relay held it while the window was closed
        [item] = [i for i in await uow.outbox.for_lead(lead.id) if i.message == held]
        await uow.outbox.mark_held(item.id, "window_closed_no_template", desk.h.clock.now())
        await uow.commit()
    await desk.h.say("hello again")  # the client writes: the window is open again
    await desk.h.deliver()
    result = await desk.actions.release(lead.id)
    assert result.changed
    assert "A note without a template" in await desk.sent_to_client()
    async with desk.h.store.uow() as uow:
        states = {i.id: i.state for i in await uow.outbox.for_lead(lead.id)}
    assert states[item.id] not in (HELD, PENDING)
    again = await desk.actions.release(lead.id)
    assert again.refusal == "no message is held for this lead"


async def test_B51_a_one_tap_link_acts_once(desk: Desk) -> None:
    lead_id = await desk.qualified()
    now = desk.h.clock.now()
    token = sign_action(b"k", lead_id, "approve", now + timedelta(days=1))
    assert desk.one_tap.read(token).lead_id == lead_id  # reading changes nothing
    assert (await desk.h.lead()).status == Status.PENDING_APPROVAL
    _, first = await desk.one_tap.confirm(token)
    _, again = await desk.one_tap.confirm(token)
    assert first is not None and first.changed and first.status == "AWAITING_DEPOSIT"
    assert again is not None and again.used
    reject = sign_action(b"k", lead_id, "reject", now + timedelta(days=1))
    _, refused = await desk.one_tap.confirm(reject)
    assert refused is not None and refused.refusal and refused.status == "AWAITING_DEPOSIT"
    expired = sign_action(b"k", lead_id, "reject", now - timedelta(seconds=1))
    assert (await desk.one_tap.confirm(expired))[0].state == "expired"
    assert (await desk.one_tap.confirm(token[:-2] + "xx"))[0].state == "invalid"


async def test_B24_actions_are_audited_with_the_actor(desk: Desk) -> None:
    lead_id = await desk.qualified()
    await desk.actions.act(lead_id, Reject(), actor="artist:link")
    async with desk.h.store.uow() as uow:
        [event] = await uow.events(kind="artist_action")
    assert (event.detail["action"], event.detail["actor"], event.lead_id) == (
        "reject",
        "artist:link",
        lead_id,
    )
