"""Outbox contract: committed with its cause (B-25), one head per recipient (B-26)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import msgspec

from core.domain.optout import AFTER_OPTOUT as OPTOUT_KEEP
from core.domain.outbound import Outgoing
from core.domain.status import Status
from ports.outbox import CANCELLED, DEAD, HELD, PENDING, SENT, OutboxItem
from tests.contract.backends import Store
from tests.contract.samples import (
    INTENTS,
    T0,
    artist_message,
    at,
    needs_parallel_writers,
    outgoing,
    within,
)

LEASE = timedelta(seconds=30)
CLIENT_A, CLIENT_B, ARTIST = "447911000001", "447911000002", "447700900000"


async def append(store: Store, *messages: Outgoing) -> list[int]:
    async with store.uow() as uow:
        ids = await uow.outbox.append(messages, T0)
        await uow.commit()
    return ids


async def claim(store: Store, minutes: float = 0, limit: int = 10) -> list[OutboxItem]:
    async with store.uow() as uow:
        items = await uow.outbox.claim(at(minutes), limit, LEASE)
        await uow.commit()
    return items


async def claimed_ids(store: Store, minutes: float = 0, limit: int = 10) -> list[int]:
    return [item.id for item in await claim(store, minutes, limit)]


async def mark(store: Store, how: str, item_id: int, minutes: float = 0) -> None:
    async with store.uow() as uow:
        if how == SENT:
            await uow.outbox.mark_sent(item_id, f"wamid.out.{item_id}", at(minutes))
        elif how == DEAD:
            await uow.outbox.mark_dead(item_id, "invalid number", at(minutes))
        elif how == HELD:
            await uow.outbox.mark_held(item_id, "window closed", at(minutes))
        else:
            await uow.outbox.mark_retry(item_id, "HTTP 503", at(minutes + 1))
        await uow.commit()


async def test_append_keeps_order_and_every_field_B25(store: Store) -> None:
    messages = [outgoing(CLIENT_A, intent=intent) for intent in INTENTS]
    messages.append(artist_message(ARTIST))
    ids = await append(store, *messages)
    assert ids == sorted(ids) and len(set(ids)) == len(messages)
    async with store.uow() as uow:
        items = await uow.outbox.for_lead("lead-1")
        assert await uow.outbox.pending_count() == len(messages)
        assert await uow.outbox.for_lead("other-lead") == []
    assert [item.id for item in items] == ids
    assert [item.message for item in items] == messages
    for item in items:
        assert (item.state, item.attempts, item.created_at) == (PENDING, 0, T0)
        assert item.next_attempt_at is None and item.provider_message_id is None
        assert item.delivery is None and item.last_error is None


async def test_claim_gives_only_the_oldest_message_of_each_recipient_B26(store: Store) -> None:
    first, second, other = await append(
        store, outgoing(CLIENT_A, body="1"), outgoing(CLIENT_A, body="2"), outgoing(CLIENT_B)
    )
    assert await claimed_ids(store) == [first, other]
    assert await claimed_ids(store) == []  # both leased; the second waits behind the first
    await mark(store, SENT, first)
    assert await claimed_ids(store) == [second]


async def test_dead_and_held_messages_let_the_next_one_through(store: Store) -> None:
    ids = await append(store, *(outgoing(CLIENT_A, body=str(n)) for n in range(3)))
    assert await claimed_ids(store) == [ids[0]]
    await mark(store, DEAD, ids[0])
    assert await claimed_ids(store) == [ids[1]]
    await mark(store, HELD, ids[1])
    assert await claimed_ids(store) == [ids[2]]
    async with store.uow() as uow:
        states = [(item.state, item.last_error) for item in await uow.outbox.for_lead("lead-1")]
        assert await uow.outbox.pending_count() == 1
    assert states == [(DEAD, "invalid number"), (HELD, "window closed"), (PENDING, None)]


async def test_a_retry_waits_for_its_time_and_holds_back_the_queue_B27(store: Store) -> None:
    first, second = await append(store, outgoing(CLIENT_A, body="1"), outgoing(CLIENT_A, body="2"))
    assert await claimed_ids(store) == [first]
    async with store.uow() as uow:
        await uow.outbox.mark_retry(first, "HTTP 503", at(10))
        await uow.commit()
    assert await claimed_ids(store, minutes=9) == []  # neither, order is kept
    retried = await claim(store, minutes=10)
    assert [item.id for item in retried] == [first]
    assert retried[0].attempts == 1 and retried[0].last_error == "HTTP 503"
    assert retried[0].next_attempt_at == at(10) and retried[0].state == PENDING
    await mark(store, SENT, first, minutes=10)
    assert await claimed_ids(store, minutes=10) == [second]


async def test_a_lease_that_runs_out_makes_the_message_claimable_again(store: Store) -> None:
    """A relay that dies after claiming loses no message (B-25)."""
    (only,) = await append(store, outgoing(CLIENT_A))
    assert await claimed_ids(store) == [only]
    assert await claimed_ids(store, minutes=0.45) == []  # 27 s: still leased
    assert await claimed_ids(store, minutes=0.55) == [only]  # 33 s: lease ran out
    assert await claimed_ids(store, minutes=0.6) == []  # leased again by the second claim


async def test_a_claim_rolled_back_leaves_the_message_claimable(store: Store) -> None:
    (only,) = await append(store, outgoing(CLIENT_A))
    async with store.uow() as uow:
        assert [item.id for item in await uow.outbox.claim(T0, 10, LEASE)] == [only]
        await uow.rollback()
    assert await claimed_ids(store) == [only]


async def test_different_recipients_are_claimed_together_up_to_the_limit(store: Store) -> None:
    ids = await append(
        store, outgoing(CLIENT_A), artist_message(ARTIST), outgoing(CLIENT_B), outgoing(CLIENT_A)
    )
    assert await claimed_ids(store, limit=2) == ids[:2]
    assert await claimed_ids(store, limit=2) == [ids[2]]


async def test_concurrent_relays_never_claim_the_same_message(store: Store) -> None:
    recipients = [f"4479110000{n:02d}" for n in range(12)]
    await append(store, *(outgoing(to) for to in recipients for _ in range(2)))

    async def relay() -> list[OutboxItem]:
        async with store.uow() as uow:
            items = await uow.outbox.claim(T0, 3, LEASE)
            await asyncio.sleep(0.001)  # the others claim while this one is uncommitted
            await uow.commit()
        return items

    batches = await within(asyncio.gather(*(relay() for _ in range(6))))
    claimed = [item.id for batch in batches for item in batch]
    assert len(claimed) == len(set(claimed)) == len(recipients)
    assert {item.message.to for batch in batches for item in batch} == set(recipients)


async def test_a_message_claimed_in_an_open_unit_of_work_is_skipped(store: Store) -> None:
    """Like ``SELECT ... FOR UPDATE SKIP LOCKED``: no waiting, no double delivery."""
    needs_parallel_writers(store)
    first, _, other = await append(
        store, outgoing(CLIENT_A, body="1"), outgoing(CLIENT_A, body="2"), outgoing(CLIENT_B)
    )
    async with store.uow() as one, store.uow() as two:
        assert [item.id for item in await one.outbox.claim(T0, 1, LEASE)] == [first]
        assert [item.id for item in await within(two.outbox.claim(T0, 10, LEASE))] == [other]
        await one.commit()
        await two.commit()


async def test_claim_tells_when_the_client_last_wrote_B28(store: Store) -> None:
    async with store.uow() as uow:
        lead = await uow.leads.lock("studio-a", CLIENT_A, T0)
        times = msgspec.structs.replace(lead.times, last_client_message=at(-5))
        await uow.leads.save(msgspec.structs.replace(lead, times=times))
        await uow.outbox.append([outgoing(CLIENT_A, lead.id), artist_message(ARTIST, lead.id)], T0)
        await uow.commit()
    items = await claim(store)
    by_audience = {item.message.audience: item for item in items}
    assert by_audience["client"].client_last_seen == at(-5)
    assert by_audience["artist"].client_last_seen is None
    assert all(item.sender is None for item in items)


async def test_mark_sent_records_the_provider_id(store: Store) -> None:
    (only,) = await append(store, outgoing(CLIENT_A))
    await claim(store)
    await mark(store, SENT, only)
    async with store.uow() as uow:
        (item,) = await uow.outbox.for_lead("lead-1")
        assert await uow.outbox.pending_count() == 0
    assert (item.state, item.provider_message_id, item.attempts) == (SENT, f"wamid.out.{only}", 0)


async def test_delivery_reports_only_move_forward_and_failed_is_final(store: Store) -> None:
    first, second = await append(store, outgoing(CLIENT_A), outgoing(CLIENT_B))
    await claim(store)
    await mark(store, SENT, first)
    await mark(store, SENT, second)

    async def report(item_id: int, status: str) -> str | None:
        async with store.uow() as uow:
            item = await uow.outbox.record_delivery(f"wamid.out.{item_id}", status, at(1), None)
            await uow.commit()
        assert item is not None and item.id == item_id
        return item.delivery

    assert [await report(first, s) for s in ("delivered", "sent", "read", "delivered")] == [
        "delivered",
        "delivered",
        "read",
        "read",
    ]
    assert [await report(second, s) for s in ("sent", "failed", "read", "delivered")] == [
        "sent",
        "failed",
        "failed",
        "failed",
    ]
    async with store.uow() as uow:
        assert await uow.outbox.record_delivery("wamid.unknown", "read", at(1), None) is None
        stored = {item.id: item.delivery for item in await uow.outbox.for_lead("lead-1")}
    assert stored == {first: "read", second: "failed"}


# -- B-8: STOP cancels what is queued; the claim tells who opted out -------------------------


async def test_B8_cancel_pending_cancels_the_leads_queued_client_messages_only(
    store: Store,
) -> None:
    confirm = msgspec.structs.replace(outgoing(CLIENT_A, body="bye"), purpose="optout_confirm")
    question, retried, kept, other_lead, artist = await append(
        store,
        outgoing(CLIENT_A, body="q1"),
        outgoing(CLIENT_A, body="q2"),
        confirm,
        outgoing(CLIENT_B, lead_id="lead-2"),
        artist_message(ARTIST),
    )
    sent = (await append(store, outgoing(CLIENT_A, body="already")))[0]
    await claim(store)
    await mark(store, "retry", question)  # a retry waiting for its next attempt
    async with store.uow() as uow:
        await uow.outbox.mark_sent(sent, "wamid.x", T0)
        await uow.commit()
    async with store.uow() as uow:
        assert await uow.outbox.cancel_pending("lead-1", "client_opted_out", OPTOUT_KEEP) == 2
        await uow.commit()
    async with store.uow() as uow:
        states = {i.id: (i.state, i.last_error) for i in await uow.outbox.for_lead("lead-1")}
        others = {i.id: i.state for i in await uow.outbox.for_lead("lead-2")}
    assert states[question] == (CANCELLED, "client_opted_out")
    assert states[retried] == (CANCELLED, "client_opted_out")
    assert states[kept][0] == PENDING and states[artist][0] == PENDING
    assert states[sent][0] == SENT and others[other_lead] == PENDING


async def test_B8_cancelled_messages_are_never_claimed_and_do_not_block(store: Store) -> None:
    first, second = await append(store, outgoing(CLIENT_A, body="1"), outgoing(CLIENT_A, body="2"))
    async with store.uow() as uow:
        await uow.outbox.mark_cancelled(first, "client_opted_out", T0)
        await uow.commit()
    assert await claimed_ids(store) == [second]


async def test_B8_claim_tells_whether_the_client_opted_out(store: Store) -> None:
    async with store.uow() as uow:
        lead = await uow.leads.lock("studio-a", CLIENT_A, T0)
        await uow.leads.save(msgspec.structs.replace(lead, status=Status.OPTOUT))
        other = await uow.leads.lock("studio-a", CLIENT_B, T0)
        await uow.outbox.append(
            [
                outgoing(CLIENT_A, lead.id),
                artist_message(ARTIST, lead.id),
                outgoing(CLIENT_B, other.id),
            ],
            T0,
        )
        await uow.commit()
    items = {(item.message.to, item.message.audience): item for item in await claim(store)}
    assert items[(CLIENT_A, "client")].client_opted_out is True
    assert items[(ARTIST, "artist")].client_opted_out is False
    assert items[(CLIENT_B, "client")].client_opted_out is False


async def test_B28_release_puts_a_leads_held_messages_back_in_order(store: Store) -> None:
    ids = await append(
        store,
        outgoing(CLIENT_A, body="first"),
        outgoing(CLIENT_A, body="second"),
        outgoing(CLIENT_B, lead_id="lead-2", body="other lead"),
    )
    while claimed := await claimed_ids(store):  # the window is closed: all held
        for item_id in claimed:
            await mark(store, HELD, item_id)
    async with store.uow() as uow:
        assert await uow.outbox.release_held("lead-1") == 2
        await uow.commit()
    assert await claimed_ids(store) == [ids[0]]  # one head per recipient, oldest first (B-26)
    await mark(store, SENT, ids[0])
    assert await claimed_ids(store) == [ids[1]]
    async with store.uow() as uow:
        states = {item.id: item.state for item in await uow.outbox.for_lead("lead-2")}
        assert await uow.outbox.release_held("lead-1") == 0  # nothing is held any more
    assert states == {ids[2]: HELD}  # another lead's held message stays held


async def test_B26_a_chain_takes_the_queue_behind_each_head_up_to_the_first_not_due(
    store: Store,
) -> None:
    """``per_recipient``: the head and what is queued behind it, in order, stopping at a
    message not due yet (never skipping it); a long queue gives ``per_recipient`` at most,
    and every other recipient its own head, in the same claim."""
    long_queue = await append(store, *(artist_message(ARTIST) for _ in range(6)))
    a1, a2, _a3 = await append(store, *(outgoing(CLIENT_A, body=str(n)) for n in range(3)))
    (b1,) = await append(store, outgoing(CLIENT_B))
    async with store.uow() as uow:
        await uow.outbox.mark_retry(a2, "HTTP 503", at(10))  # a2 waits: a3 behind it too
        await uow.commit()
    async with store.uow() as uow:
        items = await uow.outbox.claim(T0, 10, LEASE, per_recipient=4, commit=True)
        await uow.commit()
    assert [item.id for item in items] == [*long_queue[:4], a1, b1]
    async with store.uow() as uow:  # all leased: nothing more until the chains are marked
        assert await uow.outbox.claim(T0, 10, LEASE, per_recipient=4) == []


async def test_B8_sent_then_next_lets_a_chain_go_on_only_while_its_next_may_be_sent(
    store: Store,
) -> None:
    """The marks of completed sends and, with them, which chains may send their next one:
    not a chain whose client opted out meanwhile (its rest is released, still pending, for
    a later claim to cancel), nor one whose next message is no longer pending."""
    async with store.uow() as uow:
        lead = await uow.leads.lock("studio-a", CLIENT_A, T0)
        other = await uow.leads.lock("studio-a", CLIENT_B, T0)
        await uow.commit()
    a = await append(store, *(outgoing(CLIENT_A, lead.id, body=str(n)) for n in range(3)))
    b = await append(store, *(outgoing(CLIENT_B, other.id, body=str(n)) for n in range(3)))
    artist = await append(store, *(artist_message(ARTIST, lead.id) for _ in range(2)))
    async with store.uow() as uow:
        assert len(await uow.outbox.claim(T0, 10, LEASE, per_recipient=3)) == 8
        await uow.commit()
    async with store.uow() as uow:  # the client of a opts out while its first is on the wire
        await uow.leads.save(msgspec.structs.replace(await uow.leads.lock_by_id(lead.id),
                                                     status=Status.OPTOUT))
        await uow.outbox.mark_cancelled(b[1], "client_opted_out", T0)
        await uow.commit()
    sent = [(a[0], "wamid.a"), (b[0], "wamid.b"), (artist[0], "wamid.artist")]
    async with store.uow() as uow:
        ready = await uow.outbox.sent_then_next(sent, at(1), [a[1:], b[1:], artist[1:]],
                                                commit=True)
        await uow.commit()
    assert ready == {artist[1]}  # the artist's notes go on: not the opted-out client's
    async with store.uow() as uow:
        states = {item.id: (item.state, item.provider_message_id)
                  for item in await uow.outbox.for_lead(lead.id)}
    assert states[a[0]] == (SENT, "wamid.a") and states[artist[0]] == (SENT, "wamid.artist")
    later = await claim(store, minutes=0.1)  # a's rest was released: claimable at once
    assert [item.id for item in later] == [a[1], b[2]]
    assert later[0].client_opted_out is True
