"""B-8 after STOP: nothing queued before it reaches the client, whatever the Graph API does.

The relay runs through the real Meta adapter against a local fake Graph API server
(tests/fakes/graph_api.py) that fails or rate-limits, then recovers; on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ports.messenger import DeliveryStatus
from ports.outbox import CANCELLED, SENT
from tests.integration.graph_support import MetaRelay
from tests.integration.test_delivery_graph import FakeGraph, _error
from tests.unit.harness import Harness


@pytest.fixture
def harness(sql_store: Any, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=sql_store)


async def _drain(relay: Any) -> None:
    while await relay.run_once():
        pass


async def _states(harness: Harness) -> dict[str, list[str]]:
    lead = await harness.lead()
    async with harness.store.uow() as uow:
        items = await uow.outbox.for_lead(lead.id)
    by_state: dict[str, list[str]] = {}
    for item in items:
        if item.message.audience == "client":
            by_state.setdefault(item.state, []).append(item.message.purpose)
    return by_state


def _rate_limited(times: int) -> list[httpx.Response]:
    return [_error(429, 130429, **{"Retry-After": "5"}) for _ in range(times)]


async def test_B8_stop_cancels_replies_queued_behind_a_rate_limited_graph_api(
    harness: Harness, meta_relay: MetaRelay
) -> None:
    graph = FakeGraph(_rate_limited(3))
    relay = await meta_relay(graph)
    await harness.say("hi")
    await relay.run_once()  # the welcome is rate-limited; the question waits behind it
    await harness.say("a dragon on my forearm")
    await harness.say("about 10 by 15 cm")
    await harness.say("STOP")
    for _ in range(5):  # the Graph API recovers; the relay keeps going
        harness.later(seconds=400)
        await _drain(relay)

    assert len(graph.delivered) == 1  # only the confirmation reached the client
    states = await _states(harness)
    assert states[SENT] == ["optout_confirm"]
    assert len(states[CANCELLED]) >= 3  # welcome, question, the answers' replies
    assert [e.detail["reason"] for e in await _events(harness, "outbox_cancelled")] == [
        "client_opted_out"
    ]


async def test_B8_stop_cancels_replies_queued_behind_a_failing_graph_api(
    harness: Harness, meta_relay: MetaRelay
) -> None:
    graph = FakeGraph([_error(500, 1), _error(503, 2)])
    relay = await meta_relay(graph)
    await harness.say("hi")
    await relay.run_once()  # 500: the welcome will be retried
    await harness.say("STOP")
    harness.later(seconds=60)
    await _drain(relay)
    harness.later(seconds=60)
    await _drain(relay)

    assert len(graph.delivered) == 1
    assert (await _states(harness))[SENT] == ["optout_confirm"]


async def test_B8_the_relay_never_sends_to_an_opted_out_client_what_was_queued_late(
    harness: Harness, meta_relay: MetaRelay
) -> None:
    graph = FakeGraph([])
    relay = await meta_relay(graph)
    await harness.say("hi")
    await _drain(relay)
    await harness.say("STOP")
    await _drain(relay)
    sent_before = len(graph.delivered)
    # A message queued for the client after STOP (e.g. a stale timer's decision).
    await harness.queue("Still thinking about that dragon?", "reminder", None)
    await _drain(relay)

    assert len(graph.delivered) == sent_before
    assert "reminder" in (await _states(harness))[CANCELLED]
    [event] = await _events(harness, "message_cancelled")
    assert event.detail["purpose"] == "reminder" and event.detail["error"] == "client_opted_out"


async def test_B8_no_template_resend_to_a_client_who_opted_out(
    harness: Harness, meta_relay: MetaRelay
) -> None:
    graph = FakeGraph([])
    relay = await meta_relay(graph)
    ref = harness.studio.templates["deposit_confirmed"]
    from core.domain.outbound import TemplateIntent

    await harness.say("hi")
    await harness.queue(
        "Your deposit arrived", "deposit_confirmed",
        TemplateIntent(ref.name, ref.language, ("£50",) * len(ref.params)),
    )
    await _drain(relay)
    wamid = f"wamid.g{len(graph.delivered)}"
    await harness.say("STOP")
    await _drain(relay)
    delivered = len(graph.delivered)
    # Meta reports the deposit message failed: the 24-hour window had closed.
    await harness.record([DeliveryStatus(provider_message_id=wamid, status="failed",
                                         at=harness.clock.now(), error_code=131047,
                                         failure="window_closed")])
    await _drain(relay)

    assert len(graph.delivered) == delivered  # no template went out after STOP
    [event] = await _events(harness, "message_cancelled")
    assert event.detail["error"] == "client_opted_out"


async def _events(harness: Harness, kind: str) -> list[Any]:
    async with harness.store.uow() as uow:
        return list(await uow.events(kind=kind))


class SlowGraph(FakeGraph):
    """The probe's slow Graph API: while the first send is in flight the client says STOP."""

    def __init__(self, harness: Harness) -> None:
        super().__init__([])
        self.harness = harness

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if self.attempts == 0:
            self.attempts += 1
            await self.harness.say("STOP")  # committed while the welcome is on the wire
            self.attempts -= 1
        return self(request)


async def test_B8_stop_during_a_slow_send_lets_only_that_send_and_the_confirmation_out(
    harness: Harness, meta_relay: MetaRelay
) -> None:
    graph = SlowGraph(harness)
    relay = await meta_relay(graph.handle)
    await harness.say("hi")
    await _drain(relay)

    # The welcome was already on the wire (it cannot be recalled); the question queued
    # behind it was not sent; the confirmation was.
    states = await _states(harness)
    assert states[SENT] == ["welcome", "optout_confirm"]
    assert states[CANCELLED] == ["ask_question"]
    assert len(graph.delivered) == 2
