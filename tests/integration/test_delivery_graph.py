"""The relay against a local fake Graph API server through the real Meta adapter (B-26..B-28)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.integration.graph_support import MetaRelay
from tests.unit.harness import CLIENT, Harness

pytestmark = pytest.mark.integration


class FakeGraph:
    """Answers POST /<phone id>/messages like Graph API, with scripted failures first."""

    def __init__(self, failures: list[httpx.Response]) -> None:
        self.failures = failures
        self.delivered: list[dict[str, Any]] = []
        self.attempts = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.failures:
            return self.failures.pop(0)
        body = json.loads(request.content)
        self.delivered.append(body)
        return httpx.Response(200, json={"messaging_product": "whatsapp",
                                         "messages": [{"id": f"wamid.g{len(self.delivered)}"}]})


def _error(status: int, code: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, json={"error": {
        "message": f"(#{code}) failure", "type": "OAuthException", "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": "try later"}}})


@pytest.fixture
def harness(sql_store: Any, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=sql_store)


async def test_B27_graph_500_then_429_are_retried_and_order_is_kept(
    harness: Harness, meta_relay: MetaRelay
) -> None:
    graph = FakeGraph([_error(500, 1), _error(429, 130429, **{"Retry-After": "7"})])
    relay = await meta_relay(graph)
    await harness.say("hi")  # welcome + first question, both for CLIENT
    assert await relay.run_once() == 1 and graph.delivered == []  # 500: retry in 0.75 s
    harness.later(seconds=1)
    await relay.run_once()  # 429 with Retry-After 7
    harness.later(seconds=6)
    assert await relay.run_once() == 0  # still waiting: the question is held behind it
    harness.later(seconds=2)
    while await relay.run_once():
        pass
    assert graph.attempts == 4
    bodies = [d["text"]["body"] for d in graph.delivered]
    assert len(bodies) == 2 and harness.studio.questions[0].text in bodies[1]
    assert all(d["to"] == CLIENT for d in graph.delivered)


async def test_B28_a_closed_window_sends_the_approved_template(
    harness: Harness, meta_relay: MetaRelay
) -> None:
    graph = FakeGraph([])
    relay = await meta_relay(graph)
    await harness.say("hi")
    while await relay.run_once():
        pass
    lead = await harness.lead()
    from core.domain.outbound import CLIENT as AUDIENCE
    from core.domain.outbound import Outgoing, TemplateIntent, TextIntent

    ref = harness.studio.templates["deposit_confirmed"]
    message = Outgoing(lead_id=lead.id, studio=lead.studio, audience=AUDIENCE, to=CLIENT,
                       intent=TextIntent("Your deposit arrived"), purpose="deposit_confirmed",
                       fallback=TemplateIntent(ref.name, ref.language, ("£50",) * len(ref.params)))
    harness.later(hours=30)
    async with harness.store.uow() as uow:
        await uow.outbox.append([message], harness.clock.now())
        await uow.commit()
    while await relay.run_once():
        pass
    sent = graph.delivered[-1]
    assert sent["type"] == "template"
    assert sent["template"]["name"] == ref.name
