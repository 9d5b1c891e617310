"""Group commit on the memory store: many deliveries' messages in one unit of work (issue 12)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from core.domain import decide as decide_module
from core.domain.inbound import Choice, Inbound, Text
from core.domain.status import Status
from core.usecases import inbound as inbound_usecase
from core.usecases.inbound import FAILED, PROCESSED, Outcome
from core.usecases.inbound_batch import GroupCommit, HandleInboundBatch
from tests.unit import batching
from tests.unit.booking_harness import BookingHarness
from tests.unit.harness import CLIENT, Harness


@pytest.fixture
def reference(studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer)


async def test_B3_B6_B25_a_batch_of_many_leads_commits_all_in_order(
    harness: Harness, reference: Harness
) -> None:
    await batching.many_leads_commit_all(harness, reference)


async def test_B3_duplicates_inside_and_before_a_batch_are_decided_once(
    harness: Harness, reference: Harness
) -> None:
    await batching.duplicates_are_claimed_once(harness, reference)


async def test_B3_concurrent_batches_of_the_same_deliveries_decide_each_once(
    harness: Harness, reference: Harness
) -> None:
    await batching.concurrent_batches_claim_once(harness, reference)


async def test_B8_a_stop_in_a_batch_cancels_the_replies_queued_before_it(
    harness: Harness, reference: Harness
) -> None:
    await batching.stop_in_a_batch_cancels_what_it_queued_before(harness, reference)


async def test_B25_a_poison_message_in_a_batch_fails_alone(
    harness: Harness, reference: Harness
) -> None:
    await batching.a_poison_message_fails_alone(harness, reference)


async def test_B40_erased_numbers_that_said_stop_stay_silenced_in_a_batch(
    harness: Harness,
) -> None:
    await batching.erased_optouts_stay_silenced(harness)


async def test_B9_a_message_decide_fails_on_is_recorded_and_alerted_the_others_go_on(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = decide_module.decide

    def flaky(lead: Any, inbound: Inbound, *args: Any, **kwargs: Any) -> Any:
        if inbound.text() == "poison":
            raise ValueError("boom")
        return real(lead, inbound, *args, **kwargs)

    monkeypatch.setattr(inbound_usecase, "decide", flaky)  # the batch decides with it too
    contacts = batching.CONTACTS[:3]
    hi, second = batching.conversations(harness, ["hi", "large"], contacts)
    second[1] = Inbound(message_id=second[1].message_id, studio=second[1].studio,
                        contact=second[1].contact, at=second[1].at,
                        content=type(second[1].content)("poison"))  # type: ignore[call-arg]
    results = await batching.batch_of(harness)([hi, second])
    assert batching.outcomes(results) == [[PROCESSED] * 3, [PROCESSED, FAILED, PROCESSED]]
    await harness.deliver()
    [alert] = harness.messenger.texts(harness.studio.artist_number)
    assert contacts[1] in alert and "poison" in alert  # B-9: the artist can answer
    view = await batching.seen(harness, contacts)
    assert view[contacts[1]]["thread"][-1] == ("in", "poison")  # the message is kept
    assert view[contacts[0]]["step"] == view[contacts[2]]["step"] == 1


# -- gathering -------------------------------------------------------------------------------


class Recorder:
    def __init__(self, fail_on: str | None = None) -> None:
        self.batches: list[list[list[str]]] = []
        self.fail_on = fail_on

    async def __call__(self, deliveries: Any) -> list[Any]:
        self.batches.append([[m.message_id for m in d] for d in deliveries])
        await asyncio.sleep(0.01)
        if any(m.message_id == self.fail_on for d in deliveries for m in d):
            raise ConnectionResetError("lost")
        return [[Outcome(PROCESSED, m.message_id) for m in d] for d in deliveries]


def deliveries(harness: Harness, n: int, size: int = 1) -> list[list[Inbound]]:
    return [[harness.inbound("hi", message_id=f"m{d}.{i}") for i in range(size)]
            for d in range(n)]


async def test_B25_concurrent_deliveries_are_gathered_into_one_batch(harness: Harness) -> None:
    run = Recorder()
    group = GroupCommit(run, window=0.05, max_batch=100)
    sent = deliveries(harness, 10, size=2)
    answers = await asyncio.gather(*(group.submit(d) for d in sent))
    assert len(run.batches) == 1 and len(run.batches[0]) == 10
    for delivery, answer in zip(sent, answers, strict=True):  # each its own outcomes
        assert [o.lead_id for o in answer] == [m.message_id for m in delivery]


async def test_B25_a_full_batch_goes_at_once_and_the_rest_follow(harness: Harness) -> None:
    run = Recorder()
    group = GroupCommit(run, window=10.0, max_batch=4, concurrency=2)  # never by the timer
    answers = await asyncio.wait_for(
        asyncio.gather(*(group.submit(d) for d in deliveries(harness, 12))), 5)
    assert len(answers) == 12
    assert all(len(batch) <= 4 for batch in run.batches)
    assert sorted(m for b in run.batches for d in b for m in d) == sorted(
        f"m{d}.0" for d in range(12))


async def test_B25_a_failed_batch_fails_only_its_own_deliveries(harness: Harness) -> None:
    run = Recorder(fail_on="m0.0")
    group = GroupCommit(run, window=0.01, max_batch=1)  # one delivery per batch
    results = await asyncio.gather(*(group.submit(d) for d in deliveries(harness, 3)),
                                   return_exceptions=True)
    assert isinstance(results[0], ConnectionResetError)
    assert [type(r) for r in results[1:]] == [list, list]


async def test_B36_a_slot_choice_in_a_batch_books_once_through_the_calendar(
    studio: Any, gazetteer: Any
) -> None:
    """The choice leaves the batch with its lead's later message; both are decided one by
    one after the batch commits: one booking, the reply after it, other leads unaffected."""
    booking = BookingHarness(studio, gazetteer)
    offered = (await booking.offered()).offered_slots
    booking.clock.advance(seconds=30)
    at = booking.clock.now().replace(microsecond=0)
    others = batching.conversations(booking, ["hi"], batching.CONTACTS[:2])[0]
    choice = Inbound(message_id="wamid.choice", studio=studio.id, contact=CLIENT, at=at,
                     content=Choice("slot_2", "Tue 24 Nov, 14:30"))
    later = Inbound(message_id="wamid.later", studio=studio.id, contact=CLIENT,
                    at=at + timedelta(seconds=1), content=Text("thanks!"))
    batch = HandleInboundBatch(booking.store.uow, booking.clock, booking.deployment,
                               booking.handle)
    results = await batch([others[:1], [choice, later], others[1:]])
    [first, mine, last] = batching.outcomes(results)
    assert first == last == [PROCESSED] and mine[0] == PROCESSED
    lead = await booking.lead()
    assert lead.status == Status.BOOKED and lead.booking is not None
    assert lead.booking.start == offered[1] and len(booking.calendar.bookings) == 1
    async with booking.store.uow() as uow:
        thread = [(e.direction, e.text) for e in await uow.leads.thread(lead.id)]
    chosen = thread.index(("in", "Tue 24 Nov, 14:30"))
    assert thread.index(("in", "thanks!")) > chosen + 1  # the confirmation came in between
