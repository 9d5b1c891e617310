"""``meta_relay``: the relay through the real Meta adapter, over real connections to a local
fake Graph API (tests/fakes/graph_api.py); the requesting module's ``harness`` gives it
the store, clock and deployment."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import aiohttp
import pytest

from adapters.meta import MetaMessenger
from core.usecases.relay import Relay, RelayPolicy
from tests.fakes.graph_api import FakeGraphServer, Handler
from tests.unit.harness import Harness, NoThrottle

MetaRelay = Callable[[Handler], Awaitable[Relay]]


@pytest.fixture
async def meta_relay(harness: Harness) -> AsyncIterator[MetaRelay]:
    """``await meta_relay(graph)``: a relay whose sends reach a fake answering with ``graph``."""
    async with AsyncExitStack() as stack:

        async def build(graph: Handler) -> Relay:
            server = await stack.enter_async_context(FakeGraphServer(graph))
            session = await stack.enter_async_context(aiohttp.ClientSession())
            messenger = MetaMessenger(session=session, api_base=server.url + "/v25.0",
                                      access_token="token")
            return Relay(harness.store.uow, messenger, harness.clock, harness.deployment,
                         NoThrottle(), RelayPolicy(), jitter=lambda: 0.5)

        yield build
