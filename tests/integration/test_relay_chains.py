"""The relay's chains on both SQL stores (issue 12): several messages per recipient per pass,
in order, stopped by a retry and resumed in order (B-26); a heartbeat keeps a second relay
off a chain that outlasts one lease (B-25)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from adapters.memory import MemoryMessenger
from adapters.system.clock import SystemClock
from core.domain.outbound import ARTIST, Intent, Outgoing, TextIntent, plain_text
from core.usecases.relay import Relay, RelayPolicy
from ports.messenger import Sent, TransientFailure
from ports.outbox import SENT
from tests.unit.harness import CLIENT, Harness, NoThrottle

pytestmark = pytest.mark.integration

OTHER = "447000000777"


class FailsOnce(MemoryMessenger):
    """Answers like Meta, except a 503 the first time it is asked to send ``text``."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        if plain_text(intent) == self.text:
            self.text = ""
            raise TransientFailure("HTTP 503")
        return await super().send(sender, to, intent)


class Slow(MemoryMessenger):
    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        await asyncio.sleep(self.seconds)
        return await super().send(sender, to, intent)


@pytest.fixture
def harness(sql_store: Any, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=sql_store)


async def test_B26_a_chain_goes_in_order_stops_at_a_retry_and_resumes_in_order(
    harness: Harness,
) -> None:
    await harness.say("hi")  # welcome and the first question
    await harness.say("hi", contact=OTHER)
    for n in range(4):
        await harness.queue(f"extra {n}", "ask_question", None)
    messenger = FailsOnce("extra 0")
    relay = Relay(harness.store.uow, messenger, harness.clock, harness.deployment, NoThrottle(),
                  RelayPolicy(), jitter=lambda: 0.5)

    assert await relay.run_once() == 5  # CLIENT: welcome, question, extra 0 (retry); OTHER: 2
    welcome, question = messenger.texts(CLIENT)
    assert harness.studio.questions[0].text in question
    assert len(messenger.texts(OTHER)) == 2
    assert await relay.run_once() == 0  # extra 1..3 wait behind the retry, in the queue
    harness.later(seconds=1)
    while await relay.run_once():
        pass
    assert messenger.texts(CLIENT) == [welcome, question, *(f"extra {n}" for n in range(4))]
    async with harness.store.uow() as uow:
        lead = await harness.lead()
        assert {item.state for item in await uow.outbox.for_lead(lead.id)} == {SENT}


async def test_B25_a_heartbeat_keeps_a_second_relay_off_a_chain_longer_than_its_lease(
    harness: Harness,
) -> None:
    artist, studio = harness.studio.artist_number, harness.studio.id
    notes = [Outgoing(lead_id="lead-x", studio=studio, audience=ARTIST, to=artist,
                      intent=TextIntent(f"note {n}"), purpose="artist_handover")
             for n in range(5)]
    clock = SystemClock()
    async with harness.store.uow() as uow:
        await uow.outbox.append(notes, clock.now())
        await uow.commit()
    policy = RelayPolicy(lease=timedelta(seconds=2))  # each send may take 0.8 s of it
    slow, other = Slow(0.5), MemoryMessenger()
    first = Relay(harness.store.uow, slow, clock, harness.deployment, NoThrottle(), policy)
    second = Relay(harness.store.uow, other, clock, harness.deployment, NoThrottle(), policy)

    async def keep_claiming() -> None:
        while len(slow.sent) + len(other.sent) < len(notes):
            await second.run_once()
            await asyncio.sleep(0.05)

    sent, _ = await asyncio.wait_for(asyncio.gather(first.run_once(), keep_claiming()), 20)
    assert sent == 5  # one chain of 2.5 s or more, while the lease is 2 s
    assert slow.texts(artist) == [f"note {n}" for n in range(5)]
    assert other.sent == []  # the second relay never took a message the first was sending


async def test_B29_two_throttles_on_one_database_share_the_rate_per_number(
    sql_store: Any,
) -> None:
    """Two processes' throttles (two instances on one database) pace one number together."""
    import bisect
    import time

    from adapters.sql.throttle import SqlSenderThrottle

    rate = 20
    first, second = (SqlSenderThrottle(sql_store, rate) for _ in range(2))
    times: list[float] = []

    async def send(throttle: SqlSenderThrottle) -> None:
        await throttle.acquire("number-a")
        times.append(time.monotonic())

    started = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(send(t) for t in (first, second) * 20)), 30)
    times.sort()
    busiest = max(bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times))
    assert busiest <= rate and time.monotonic() - started >= 1.5
    started = time.monotonic()
    await first.acquire("number-b")  # another sending number has its own pace
    assert time.monotonic() - started < 0.5
