"""The sweeper use case (B-38, B-41, B-48): due leads claimed, decided, applied, delivered."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec

from core.domain.lead import Booking, Deposit
from core.domain.status import Status
from tests.unit.harness import CLIENT, Harness
from tests.unit.sweeping import put, stored, sweeper, texts_to

replace = msgspec.structs.replace


async def test_B38_a_silent_lead_is_reminded_once_then_abandoned_and_starts_over(
    harness: Harness,
) -> None:
    sweep = sweeper(harness)
    await harness.say("hi")
    await harness.say("A swallow")
    await harness.deliver()
    before = len(texts_to(harness))
    assert (await sweep.run_once()).total == 0  # not silent long enough
    harness.later(hours=4)
    report = await sweep.run_once()
    assert report.done == {"reminder": 1}
    await harness.deliver()
    [reminder] = texts_to(harness)[before:]
    assert harness.studio.questions[1].text in reminder
    harness.later(hours=2)
    assert (await sweep.run_once()).total == 0  # one reminder per silence
    harness.later(hours=42)
    assert (await sweep.run_once()).done == {"ABANDONED": 1}
    await harness.deliver()
    assert len(texts_to(harness)) == before + 1  # nothing is sent on abandoning
    lead = await harness.lead()
    assert lead.status == Status.ABANDONED
    await harness.say("hello again")
    lead = await harness.lead()
    assert lead.status == Status.QUALIFYING and lead.step == 0  # a fresh start


async def test_B38_three_sweepers_at_once_send_one_reminder_per_due_lead(
    harness: Harness,
) -> None:
    contacts = [f"44791100{n:04d}" for n in range(6)]
    for contact in contacts:
        await harness.say("hi", contact=contact)
    await harness.deliver()
    harness.later(hours=4, minutes=5)
    reports = await asyncio.gather(*(sweeper(harness).run_once() for _ in range(3)))
    assert sum(r.done.get("reminder", 0) for r in reports) == len(contacts)
    await harness.deliver()
    reminded = [m.to for m in harness.messenger.sent[-len(contacts) * 2:]
                if m.to in contacts]
    assert sorted(reminded[-len(contacts):]) == sorted(contacts)
    async with harness.store.uow() as uow:
        for contact in contacts:
            lead = await uow.leads.lock(harness.studio.id, contact, harness.clock.now())
            items = await uow.outbox.for_lead(lead.id)
            assert [i.message.purpose for i in items].count("reminder") == 1


async def test_B38_an_unpaid_deposit_goes_stale_after_the_deadline_and_the_artist_is_told(
    harness: Harness,
) -> None:
    await harness.say("hi")
    lead = await harness.lead()
    entered = harness.clock.now()
    await put(harness, replace(lead, status=Status.AWAITING_DEPOSIT,
                               deposit=Deposit(amount=15000, currency="GBP")), entered)
    await harness.deliver()
    harness.later(hours=71)
    assert (await sweeper(harness).run_once()).total == 0
    harness.later(hours=1, minutes=1)
    assert (await sweeper(harness).run_once()).done == {"STALE": 1}
    await harness.deliver()
    [note] = texts_to(harness, harness.studio.artist_number)
    assert lead.id in note and "£150" in note
    assert (await harness.lead()).status == Status.STALE


async def test_B48_a_booked_client_gets_the_appointment_reminder_and_the_aftercare(
    harness: Harness,
) -> None:
    await harness.say("hi")
    await harness.deliver()
    lead = await harness.lead()
    now = harness.clock.now()
    session = Booking(start=now + timedelta(days=3), end=now + timedelta(days=3, hours=3))
    await put(harness, replace(lead, status=Status.BOOKED, booking=session), now)
    sweep, sent = sweeper(harness), len(harness.messenger.sent)
    harness.later(days=2, minutes=1)
    assert (await sweep.run_once()).done == {"appointment_reminder": 1}
    harness.later(days=2, hours=2)
    assert (await sweep.run_once()).total == 0  # the day after the session ends
    harness.later(hours=1)
    assert (await sweep.run_once()).done == {"aftercare": 1}
    assert (await sweep.run_once()).total == 0
    await harness.deliver()
    # Outside the 24-hour window both go as the studio's templates (B-28).
    templates = [m.intent for m in harness.messenger.sent[sent:]]
    names = [getattr(t, "name", None) for t in templates]
    assert names == ["inkwell_appointment_reminder", "inkwell_aftercare"]


async def test_B41_the_sweeper_erases_leads_closed_for_longer_than_retention(
    harness: Harness,
) -> None:
    await harness.say("hi")
    await harness.say("A koi for Zoë Quixote")
    await harness.deliver()
    lead = await harness.lead()
    await put(harness, replace(lead, status=Status.REJECTED), harness.clock.now())
    harness.later(days=364)
    assert (await sweeper(harness).run_once()).total == 0
    harness.later(days=1, minutes=1)
    assert (await sweeper(harness).run_once()).done == {"erased": 1}
    await harness.deliver()
    everything = await stored(harness)
    assert CLIENT not in everything and "Quixote" not in everything
    async with harness.store.uow() as uow:
        kept = await uow.leads.get(lead.id)
    assert kept is not None and kept.status == Status.REJECTED and kept.times.erased
    assert (await sweeper(harness).run_once()).total == 0  # erased once


async def test_B38_the_sweeper_loop_runs_every_interval_until_stopped(harness: Harness) -> None:
    await harness.say("hi")
    await harness.deliver()
    harness.later(hours=4, minutes=1)
    stop = asyncio.Event()
    task = asyncio.create_task(sweeper(harness).run(stop, every=0.01))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if await harness.deliver():
            break
    stop.set()
    await asyncio.wait_for(task, timeout=2)
    assert harness.studio.questions[0].text in texts_to(harness)[-1]  # the reminder
