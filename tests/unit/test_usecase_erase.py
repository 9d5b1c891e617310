"""Erasure and subject access (B-40, B-49): nothing findable, STOP kept as a keyed hash."""

from __future__ import annotations

import msgspec

from core.domain.status import Status
from tests.unit.harness import CLIENT, Harness
from tests.unit.sweeping import (
    NAME,
    eraser,
    exporter,
    named_conversation,
    stored,
    sweeper,
    texts_to,
)


async def test_B40_erasure_leaves_nothing_findable_and_confirms_to_the_client(
    harness: Harness,
) -> None:
    lead = await named_conversation(harness)
    assert CLIENT in await stored(harness) and "Quixote" in await stored(harness)
    erased = await eraser(harness)(lead.id)
    assert erased is not None and not erased.already
    await harness.deliver()
    confirmation = texts_to(harness)[-1]
    assert confirmation == harness.studio.copy["erasure_confirmation"][0].format(
        studio=harness.studio.name)
    await sweeper(harness).run_once()  # forgets the delivered confirmation's address
    everything = await stored(harness)
    assert CLIENT not in everything and "Quixote" not in everything and "Zoë" not in everything
    async with harness.store.uow() as uow:
        kept = await uow.leads.get(lead.id)
        answers, thread = await uow.leads.answers(lead.id), await uow.leads.thread(lead.id)
        transitions = await uow.leads.transitions(lead.id)
    assert kept is not None and kept.times.erased is not None
    assert (kept.studio, kept.status, kept.times.created) == (lead.studio, lead.status,
                                                               lead.times.created)
    assert kept.name is None and kept.answers == {} and answers == []
    assert [e.kind for e in thread] == ["erasure_confirmation"]  # the generic text only
    assert [t.target for t in transitions] == [Status.QUALIFYING]  # statuses and dates stay


async def test_B40_erasing_twice_changes_nothing_the_second_time(harness: Harness) -> None:
    lead = await named_conversation(harness)
    await eraser(harness)(lead.id)
    again = await eraser(harness)(lead.id)
    assert again is not None and again.already
    await harness.deliver()
    assert texts_to(harness).count(texts_to(harness)[-1]) == 1  # one confirmation
    assert await eraser(harness)("no-such-lead") is None


async def test_B40_a_later_message_from_an_erased_number_starts_a_fresh_lead(
    harness: Harness,
) -> None:
    lead = await named_conversation(harness)
    await eraser(harness)(lead.id)
    await harness.deliver()
    await harness.say("hi")
    fresh = await harness.lead()
    assert fresh.id != lead.id and fresh.status == Status.QUALIFYING and fresh.step == 0
    await harness.deliver()
    assert harness.studio.questions[0].text in texts_to(harness)[-1]


async def test_B40_stop_then_erase_keeps_the_number_silenced(harness: Harness) -> None:
    await harness.say("hi")
    await harness.say("STOP")
    await harness.deliver()
    lead, sent = await harness.lead(), len(harness.messenger.sent)
    assert lead.status == Status.OPTOUT
    await eraser(harness)(lead.id)
    await harness.deliver()
    assert len(harness.messenger.sent) == sent  # no confirmation to an opted-out number
    assert CLIENT not in await stored(harness)
    await harness.say("hello?")
    await harness.deliver()
    again = await harness.lead()
    assert again.id != lead.id and again.status == Status.OPTOUT
    assert len(harness.messenger.sent) == sent  # silenced: nothing automated, ever
    await harness.say("START")  # the client's own restart still works (B-8)
    await harness.deliver()
    assert (await harness.lead()).status == Status.QUALIFYING


async def test_B40_pending_messages_to_the_erased_number_are_dropped(harness: Harness) -> None:
    lead = await named_conversation(harness)
    await harness.say("on my ankle")  # the next question now waits in the outbox
    waiting = harness.studio.questions[2].text
    async with harness.store.uow() as uow:
        queued = await uow.outbox.for_lead(lead.id)
    assert any(waiting in getattr(i.message.intent, "body", "") for i in queued)
    await eraser(harness)(lead.id)
    await harness.deliver()
    assert texts_to(harness)[-1].startswith("Your personal data")
    assert not any(waiting in text for text in texts_to(harness))


async def test_B49_export_holds_every_piece_of_personal_data_of_the_lead(
    harness: Harness,
) -> None:
    lead = await named_conversation(harness)
    document = await exporter(harness)(lead.id)
    assert document is not None
    assert document["lead"]["contact"] == CLIENT and document["lead"]["name"] == NAME
    assert [a["text"] for a in document["answers"]][-1].endswith(NAME)
    assert [e["direction"] for e in document["thread"]][:2] == ["in", "out"]
    assert any(m["message"]["to"] == CLIENT for m in document["messages"])
    assert set(document) == {"lead", "answers", "thread", "transitions", "events", "messages",
                             "bookings"}
    msgspec.json.encode(document)  # one JSON document
    assert await exporter(harness)("no-such-lead") is None
