"""Handle inbound: claim, lock, decide, save and outbox in one unit of work (B-3, B-6, B-13)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core.usecases.inbound import DUPLICATE, PROCESSED
from tests.unit.harness import CLIENT, Harness


async def test_B3_a_redelivered_message_id_is_processed_once(harness: Harness) -> None:
    await harness.say("hi")
    message = harness.inbound("A swallow", message_id="wamid.same")
    first, again = await harness.handle(message), await harness.handle(message)
    assert (first.result, again.result) == (PROCESSED, DUPLICATE)
    async with harness.store.uow() as uow:
        lead = await uow.leads.lock(harness.studio.id, CLIENT, harness.clock.now())
        answers = await uow.leads.answers(lead.id)
    assert lead.step == 1 and [a.text for a in answers] == ["A swallow"]
    assert await harness.deliver() == 3  # welcome + question 1 + question 2, nothing twice


async def test_B3_twenty_concurrent_deliveries_of_one_id_give_one_answer_one_reply(
    harness: Harness,
) -> None:
    await harness.say("hi")
    await harness.deliver()
    message = harness.inbound("A swallow", message_id="wamid.storm")
    outcomes = await asyncio.gather(*(harness.handle(message) for _ in range(20)))
    assert sorted(o.result for o in outcomes).count(PROCESSED) == 1
    lead = await harness.lead()
    assert lead.step == 1
    assert await harness.deliver() == 1


async def test_B6_messages_of_one_lead_are_decided_one_at_a_time(harness: Harness) -> None:
    await harness.say("hi")
    # Each text is a valid answer to any of the first four questions (and volunteers no
    # detail for another, B-47), so whatever order the database grants the lock in, every
    # message must advance once.
    answers = ["large", "medium", "small", "tiny"]
    messages = [harness.inbound(text) for text in answers]
    await asyncio.gather(*(harness.handle(m) for m in messages))
    lead = await harness.lead()
    assert lead.step == 4  # one advance per answer, none lost, none doubled
    assert sorted(a.text for a in lead.answers.values()) == answers


async def test_B13_the_next_question_is_in_the_outbox_when_the_step_advances(
    harness: Harness,
) -> None:
    await harness.say("hi")
    await harness.deliver()
    await harness.say("A swallow")
    lead = await harness.lead()
    async with harness.store.uow() as uow:
        pending = [i for i in await uow.outbox.for_lead(lead.id) if i.state == "pending"]
    assert lead.step == 1 and [i.message.purpose for i in pending] == ["ask_question"]


async def test_B13_nothing_is_stored_when_the_unit_of_work_fails(harness: Harness) -> None:
    await harness.say("hi")

    class Boom(Exception):
        pass

    original = harness.store.uow

    def failing_uow():  # type: ignore[no-untyped-def]
        uow = original()
        async def append(*_a: object, **_k: object) -> list[int]:
            raise Boom
        uow.outbox.append = append  # type: ignore[method-assign]
        return uow

    harness.handle._uow = failing_uow  # type: ignore[attr-defined]
    with pytest.raises(Boom):
        await harness.say("A swallow", message_id="wamid.fails")
    harness.handle._uow = original  # type: ignore[attr-defined]
    lead = await harness.lead()
    assert lead.step == 0 and "idea" not in lead.answers
    again = await harness.say("A swallow", message_id="wamid.fails")  # the retry works
    assert again.result == PROCESSED and (await harness.lead()).step == 1


async def test_B46_two_clients_are_two_leads_of_the_studio(harness: Harness) -> None:
    await harness.say("hi", contact="447000000001")
    await harness.say("hi", contact="447000000002")
    async with harness.store.uow() as uow:
        leads = await uow.leads.list(studio=harness.studio.id)
    assert sorted(lead.contact for lead in leads) == ["447000000001", "447000000002"]


async def test_thread_records_both_directions_in_order(harness: Harness) -> None:
    await harness.say("hi")
    await harness.say("A swallow")
    lead = await harness.lead()
    async with harness.store.uow() as uow:
        thread = await uow.leads.thread(lead.id)
    assert [e.direction for e in thread] == ["in", "out", "out", "in", "out"]
    assert thread[3].text == "A swallow"


async def test_B5_a_split_answer_is_merged_not_advanced_twice(harness: Harness) -> None:
    await harness.say("hi")
    written = harness.clock.now().replace(microsecond=0)
    harness.later(seconds=5)  # the webhook of the first part arrives late
    await harness.handle(harness.inbound("A swallow", at=written))
    await harness.handle(harness.inbound("with a banner", at=written + timedelta(seconds=2)))
    lead = await harness.lead()
    assert lead.step == 1
    assert lead.answers["idea"].text == "A swallow\nwith a banner"
    async with harness.store.uow() as uow:
        pending = [i.message.purpose for i in await uow.outbox.for_lead(lead.id)]
    assert pending.count("ask_question") == 2  # question 0 and question 1, nothing more


async def test_B4_an_older_message_is_kept_in_the_thread_and_sends_nothing(
    harness: Harness,
) -> None:
    await harness.say("hi")
    await harness.say("A swallow")
    await harness.deliver()
    before = await harness.lead()
    written = before.times.last_client_message - timedelta(minutes=5)
    late = harness.inbound("left forearm", at=written)
    outcome = await harness.handle(late)
    assert outcome.result == PROCESSED
    after = await harness.lead()
    assert (after.step, after.answers) == (before.step, before.answers)
    assert await harness.deliver() == 0  # the client receives nothing
    async with harness.store.uow() as uow:
        thread = await uow.leads.thread(after.id)
        events = await uow.events(lead_id=after.id, kind="out_of_order")
    assert thread[-1].direction == "in" and thread[-1].text == "left forearm"
    assert len(events) == 1
