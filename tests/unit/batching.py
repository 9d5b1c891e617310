"""Group commit scenarios, run on the memory store (unit) and on PostgreSQL (integration).

Each scenario decides the same conversations twice: through ``HandleInboundBatch``
on the store under test and one message at a time through ``HandleInbound`` on a
fresh memory store, and compares what a client and the artist would see: every
lead's thread (replies by purpose), its outbox (purpose and state) and its step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from core.domain.inbound import Inbound, Text
from core.usecases.inbound import HandleInbound
from core.usecases.inbound_batch import HandleInboundBatch, Result
from tests.unit.harness import START, Harness

CONTACTS = tuple(f"4479000001{n:02d}" for n in range(12))


def batch_uow(harness: Harness) -> Any:
    """The store's unit of work for group commits (PostgreSQL: its asyncpg path)."""
    return getattr(harness.store, "batch_uow", harness.store.uow)


def batch_of(harness: Harness, uow: Any = None, single_uow: Any = None) -> HandleInboundBatch:
    """As the container wires it: batches on ``uow`` (default: the store's batch unit of
    work), the one-message fallback on ``single_uow`` (default: the store's ordinary one)."""
    factory = uow if uow is not None else batch_uow(harness)
    single = HandleInbound(single_uow if single_uow is not None else harness.store.uow,
                           harness.clock, harness.deployment)
    return HandleInboundBatch(factory, harness.clock, harness.deployment, single)


def conversations(harness: Harness, texts: Sequence[str],
                  contacts: Sequence[str] = CONTACTS) -> list[list[Inbound]]:
    """One delivery per text: that text from every contact (the n-th message of each)."""
    return [
        [
            Inbound(message_id=f"wamid.{contact}.{n}", studio=harness.studio.id,
                    contact=contact, at=START + timedelta(seconds=n), content=Text(text))
            for contact in contacts
        ]
        for n, text in enumerate(texts)
    ]


async def seen(harness: Harness, contacts: Sequence[str] = CONTACTS) -> dict[str, Any]:
    """What each lead's client and artist would see: thread, outbox, step."""
    view: dict[str, Any] = {}
    async with harness.store.uow() as uow:
        for contact in contacts:
            lead = await uow.leads.lock(harness.studio.id, contact, harness.clock.now())
            # Replies by purpose: the wording of some varies with the lead's id.
            thread = [(e.direction, e.text if e.direction == "in" else e.kind)
                      for e in await uow.leads.thread(lead.id)]
            outbox = [(i.message.purpose, i.state) for i in await uow.outbox.for_lead(lead.id)]
            view[contact] = {"status": str(lead.status), "step": lead.step,
                             "thread": thread, "outbox": outbox}
    return view


async def one_by_one(harness: Harness, deliveries: Sequence[Sequence[Inbound]]) -> dict[str, Any]:
    """The reference: every message on its own, in delivery order."""
    for delivery in deliveries:
        for inbound in delivery:
            await harness.handle(inbound)
    contacts = sorted({m.contact for d in deliveries for m in d})
    return await seen(harness, contacts)


def outcomes(results: Sequence[Result]) -> list[list[str]]:
    out: list[list[str]] = []
    for result in results:
        assert not isinstance(result, BaseException), result
        out.append([o.result for o in result])
    return out


# -- scenarios (B-3, B-6, B-8, B-9, B-25) ---------------------------------------------------


async def many_leads_commit_all(harness: Harness, reference: Harness) -> None:
    """12 leads x 4 messages in one batch: all committed, each lead's in order."""
    deliveries = conversations(harness, ["hi", "large", "medium", "small"])
    results = await batch_of(harness)(deliveries)
    assert outcomes(results) == [["processed"] * len(CONTACTS)] * 4
    assert await seen(harness) == await one_by_one(reference, deliveries)


async def duplicates_are_claimed_once(harness: Harness, reference: Harness) -> None:
    """A redelivered id, inside the batch and from before it, is decided once."""
    hi, large = conversations(harness, ["hi", "large"], CONTACTS[:3])
    await harness.handle(hi[0])  # processed before the batch
    results = await batch_of(harness)([hi, large, [hi[1], large[2]]])
    assert outcomes(results) == [
        ["duplicate", "processed", "processed"],
        ["processed"] * 3,
        ["duplicate", "duplicate"],
    ]
    assert await seen(harness, CONTACTS[:3]) == await one_by_one(reference, [hi, large])


async def stop_in_a_batch_cancels_what_it_queued_before(
    harness: Harness, reference: Harness
) -> None:
    """'hi' then 'STOP' in one batch: the replies to 'hi' are never sent (B-8)."""
    deliveries = conversations(harness, ["hi", "STOP"], CONTACTS[:2])
    await batch_of(harness)(deliveries)
    view = await seen(harness, CONTACTS[:2])
    assert view == await one_by_one(reference, deliveries)
    assert all(state != "pending" or purpose == "optout_confirm"
               for lead in view.values() for purpose, state in lead["outbox"])
    assert any(state == "cancelled" for lead in view.values() for _, state in lead["outbox"])


def failing_for(uow_factory: Any, poison: str) -> Any:
    """``uow_factory``, its outbox refusing any message to ``poison``."""

    def factory() -> Any:
        uow = uow_factory()
        append = uow.outbox.append

        async def refusing(messages: Any, now: Any) -> list[int]:
            if any(m.to == poison for m in messages):
                raise ConnectionResetError("the database refused this one")
            ids: list[int] = await append(messages, now)
            return ids

        uow.outbox.append = refusing
        return uow

    return factory


async def a_poison_message_fails_alone(harness: Harness, reference: Harness) -> None:
    """The batch fails, each message is retried on its own: only the poison one fails;
    it is not recorded, so the provider's retry gets it decided."""
    poison = CONTACTS[3]
    [hi] = conversations(harness, ["hi"], CONTACTS[:6])
    others = [m for m in hi if m.contact != poison]
    deliveries = [others[:2], [m for m in hi if m.contact == poison], others[2:]]
    results = await batch_of(harness, failing_for(batch_uow(harness), poison),
                             failing_for(harness.store.uow, poison))(deliveries)
    assert outcomes([results[0], results[2]]) == [["processed"] * 2, ["processed"] * 3]
    assert isinstance(results[1], ConnectionResetError)
    async with harness.store.uow() as uow:
        assert await uow.claim(f"meta:wamid.{poison}.0")  # not claimed: the retry decides it
    expected = await one_by_one(reference, [others])
    assert await seen(harness, [m.contact for m in others]) == expected
    retried = await batch_of(harness)(deliveries)  # the provider retries all three
    assert outcomes(retried) == [["duplicate"] * 2, ["processed"], ["duplicate"] * 3]


async def concurrent_batches_claim_once(harness: Harness, reference: Harness) -> None:
    """The same deliveries in three batches at once (Meta retrying): one decision each."""
    import asyncio

    deliveries = conversations(harness, ["hi", "large", "medium"])
    runs = await asyncio.gather(*(batch_of(harness)(deliveries) for _ in range(3)))
    decided: dict[str, int] = {}
    for results in runs:
        for delivery, result in zip(deliveries, outcomes(results), strict=True):
            for inbound, outcome in zip(delivery, result, strict=True):
                decided[inbound.message_id] = decided.get(inbound.message_id, 0) + (
                    outcome == "processed")
    assert set(decided.values()) == {1}
    assert await seen(harness) == await one_by_one(reference, deliveries)


async def erased_optouts_stay_silenced(harness: Harness) -> None:
    """B-40 in a batch: the fresh leads of erased numbers that had said STOP start as
    OPTOUT and are sent nothing; the batch's other new lead is greeted; one look-up of the
    opt-outs serves every new lead of the batch."""
    from tests.unit.sweeping import eraser

    stopped = CONTACTS[:2]
    for contact in stopped:
        await harness.say("hi", contact)
        await harness.say("STOP", contact)
        await eraser(harness)((await harness.lead(contact)).id)
    await harness.deliver()
    sent = len(harness.messenger.sent)
    looked_up: list[list[str]] = []
    store_batch_uow = batch_uow(harness)

    def counting() -> Any:
        uow = store_batch_uow()
        among = uow.privacy.opted_out_among

        async def opted_out_among(keys: Sequence[str]) -> set[str]:
            looked_up.append(list(keys))
            found: set[str] = await among(keys)
            return found

        uow.privacy.opted_out_among = opted_out_among
        return uow

    harness.clock.advance(seconds=30)
    [delivery] = conversations(harness, ["hello again"], CONTACTS[:3])
    results = await batch_of(harness, counting)([delivery])
    assert outcomes(results) == [["processed"] * 3]
    assert len(looked_up) == 1 and len(looked_up[0]) == 3  # all three are new leads
    for contact in stopped:
        assert (await harness.lead(contact)).status == "OPTOUT"
    assert (await harness.lead(CONTACTS[2])).status == "QUALIFYING"
    await harness.deliver()
    assert {m.to for m in harness.messenger.sent[sent:]} == {CONTACTS[2]}
