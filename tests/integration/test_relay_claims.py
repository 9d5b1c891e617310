"""The relay's claims and marks on both SQL stores, as the relay really runs (``Relay.run``):
one long queue to one number (a studio's artist) beside many short ones, several relays
side by side, a STOP in the middle of a chain, a long queue that goes on without a commit
waking the relay (B-8, B-25, B-26)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from adapters.memory import MemoryMessenger
from adapters.system.clock import SystemClock
from core.domain.outbound import ARTIST, Intent, Outgoing, TextIntent, plain_text
from core.usecases.relay import Relay, RelayPolicy
from ports.messenger import Sent
from ports.outbox import CANCELLED, SENT
from tests.unit.harness import CLIENT, Harness, NoThrottle

pytestmark = pytest.mark.integration


@pytest.fixture
def harness(sql_store: Any, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=sql_store)


async def _queue(harness: Harness, messages: list[Outgoing]) -> None:
    async with harness.store.uow() as uow:
        await uow.outbox.append(messages, SystemClock().now())
        await uow.commit()


async def _pending(harness: Harness) -> int:
    async with harness.store.uow() as uow:
        return await uow.outbox.pending_count()


async def _run_until_drained(relays: list[Relay], harness: Harness, seconds: float) -> float:
    """Run the relays side by side until nothing is pending; returns how long it took."""
    stop = asyncio.Event()
    started = time.monotonic()
    store = harness.store
    running = [asyncio.create_task(relay.run(stop, store.wait_for_work)) for relay in relays]
    try:
        while await _pending(harness):
            assert time.monotonic() - started < seconds, f"{await _pending(harness)} pending"
            await asyncio.sleep(0.02)
        return time.monotonic() - started
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*running), 10)


def _artist_notes(harness: Harness, count: int) -> list[Outgoing]:
    return [Outgoing(lead_id="lead-x", studio=harness.studio.id, audience=ARTIST,
                     to=harness.studio.artist_number, intent=TextIntent(f"note {n}"),
                     purpose="artist_handover") for n in range(count)]


def _short_queues(harness: Harness, numbers: int, each: int) -> list[Outgoing]:
    """Messages to many numbers, interleaved as many conversations at once produce them
    (sent as to an artist: no lead, no 24-hour window to look up)."""
    return [Outgoing(lead_id=f"lead-{c}", studio=harness.studio.id, audience=ARTIST,
                     to=f"4479{c:08d}", intent=TextIntent(f"{c}:{n}"), purpose="ask_question")
            for n in range(each) for c in range(numbers)]


async def test_B26_one_long_queue_and_many_short_ones_go_once_each_in_order_with_three_relays(
    harness: Harness,
) -> None:
    """The artist's 150 notifications and 60 other numbers' messages, interleaved as they were
    decided, drained by three relays at once with small chains (many claims, many passes,
    completions marked together and alone): every message once, each recipient's in order."""
    notes = _artist_notes(harness, 150)
    replies = _short_queues(harness, numbers=60, each=3)
    mixed = [m for pair in zip(notes, replies, strict=False) for m in pair]
    mixed += notes[len(replies):] + replies[len(notes):]
    await _queue(harness, mixed)
    messenger = MemoryMessenger()  # one Graph API: the order each number receives
    policy = RelayPolicy(batch=20, per_recipient=4, concurrency=8, idle_wait=0.05)
    relays = [Relay(harness.store.uow, messenger, SystemClock(), harness.deployment,
                    NoThrottle(), policy) for _ in range(3)]

    await _run_until_drained(relays, harness, 60)

    assert messenger.texts(harness.studio.artist_number) == [f"note {n}" for n in range(150)]
    for c in range(60):
        assert messenger.texts(f"4479{c:08d}") == [f"{c}:{n}" for n in range(3)]
    assert len(messenger.sent) == len(mixed)


class SlowTo(MemoryMessenger):
    """A Graph API that takes ``seconds`` to answer for one number."""

    def __init__(self, number: str, seconds: float) -> None:
        super().__init__()
        self.number, self.seconds = number, seconds

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        if to == self.number:
            await asyncio.sleep(self.seconds)
        return await super().send(sender, to, intent)


async def test_B26_a_long_queue_goes_on_while_its_pass_waits_on_a_slow_send(
    harness: Harness,
) -> None:
    """A chain that used its whole share wakes the relay to claim the rest of its queue at
    once, without waiting for the rest of its pass (here one slow send of 3 s), a commit
    or the idle timeout: 60 notes in chains of 5 all arrive before the slow one."""
    slow = "447999000111"
    await _queue(harness, [Outgoing(lead_id="lead-s", studio=harness.studio.id, audience=ARTIST,
                                    to=slow, intent=TextIntent("slow"), purpose="ask_question"),
                           *_artist_notes(harness, 60)])
    messenger = SlowTo(slow, 3.0)
    relay = Relay(harness.store.uow, messenger, SystemClock(), harness.deployment, NoThrottle(),
                  RelayPolicy(per_recipient=5, idle_wait=5.0))
    stop = asyncio.Event()

    async def no_commits(timeout: float) -> None:  # nothing new is ever committed
        await asyncio.sleep(timeout)

    running = asyncio.create_task(relay.run(stop, no_commits))
    try:
        await asyncio.wait_for(_until_sent(messenger, 60), 2.5)
        assert messenger.texts(harness.studio.artist_number) == [f"note {n}" for n in range(60)]
        assert messenger.texts(slow) == []  # still on the wire
        await asyncio.wait_for(_until_sent(messenger, 61), 5)
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)


async def _until_sent(messenger: MemoryMessenger, count: int) -> None:
    while len(messenger.sent) < count:
        await asyncio.sleep(0.01)


class StopsDuring(MemoryMessenger):
    """A Graph API during whose ``nth`` send the client's STOP is committed."""

    def __init__(self, harness: Harness, nth: int) -> None:
        super().__init__()
        self.harness, self.nth = harness, nth

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        sent = await super().send(sender, to, intent)
        if len(self.sent) == self.nth:
            await self.harness.say("STOP")  # committed while this one is on the wire
        return sent


async def test_B8_a_stop_committed_mid_chain_stops_the_rest_of_that_chain(
    harness: Harness,
) -> None:
    """Ten replies queued to one client, sent as one chain: the client's STOP arrives while
    the third is on the wire. The third cannot be recalled; nothing after it goes, except
    the confirmation of the STOP."""
    await harness.say("hi")  # welcome and first question queued
    for n in range(8):
        await harness.queue(f"extra {n}", "ask_question", None)
    messenger = StopsDuring(harness, nth=3)
    relay = Relay(harness.store.uow, messenger, harness.clock, harness.deployment, NoThrottle(),
                  RelayPolicy(per_recipient=25))

    while await relay.run_once():
        pass

    texts = messenger.texts(CLIENT)
    assert texts[2] == "extra 0" and len(texts) == 4  # welcome, question, extra 0, confirm
    assert not any(text.startswith("extra") for text in texts[3:])
    async with harness.store.uow() as uow:
        lead = await harness.lead()
        items = await uow.outbox.for_lead(lead.id)
    extras = [item for item in items if plain_text(item.message.intent).startswith("extra")]
    assert [item.state for item in extras] == [SENT] + [CANCELLED] * 7
