"""The providers' HTTP pool (issue 12): the container's messengers and media client share one
aiohttp session, keep their connections, and take a proxy only from INKBOOK_HTTP_PROXY."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from core.domain.outbound import TextIntent
from entrypoints.clients import HttpPool
from entrypoints.container import build_container
from entrypoints.settings import SettingsError, load_settings
from ports.messenger import Sent
from tests.fakes.graph_api import FakeGraphServer

META = {
    "INKBOOK_MESSENGER": "meta",
    "INKBOOK_META_APP_SECRET": "s",
    "INKBOOK_META_VERIFY_TOKEN": "v",
    "INKBOOK_META_ACCESS_TOKEN": "token",
}


def _graph(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"messages": [{"id": f"wamid.{request.url.path}"}]})


@asynccontextmanager
async def _graph_and_proxy() -> AsyncIterator[tuple[FakeGraphServer, FakeGraphServer]]:
    async with FakeGraphServer(_graph) as graph, FakeGraphServer(_graph) as proxy:
        yield graph, proxy


async def test_B26_the_relays_sends_reuse_one_kept_alive_connection() -> None:
    async with FakeGraphServer(_graph) as graph:
        env = {**META, "INKBOOK_META_API_BASE": graph.url + "/v25.0"}
        container = build_container(load_settings(env=env))
        messenger = container.messenger()
        try:
            sent = [await messenger.send("1", "2", TextIntent("hi")) for _ in range(20)]
        finally:
            await container.http_pool().aclose()
    assert sent == [Sent(provider_message_id="wamid./v25.0/1/messages")] * 20
    assert graph.connections == 1 and len(graph.requests) == 20


async def _send_and_fetch_media(env: dict[str, str], graph_url: str) -> None:
    """One send and one media download through a container built from ``env``."""
    container = build_container(load_settings(env=env))
    try:
        await container.messenger().send("1", "2", TextIntent("hi"))
        await container.http().get(graph_url + "/v25.0/media-1")
    finally:
        await container.http().aclose()
        await container.http_pool().aclose()


async def test_proxy_variables_in_the_environment_do_not_divert_sends_or_media(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with _graph_and_proxy() as (graph, proxy):
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        env = {**META, "INKBOOK_META_API_BASE": graph.url + "/v25.0"}
        await _send_and_fetch_media(env, graph.url)
    assert len(graph.requests) == 2 and proxy.requests == []


async def test_inkbook_http_proxy_carries_sends_and_media() -> None:
    async with _graph_and_proxy() as (graph, proxy):
        env = {**META, "INKBOOK_META_API_BASE": graph.url + "/v25.0",
               "INKBOOK_HTTP_PROXY": proxy.url}
        await _send_and_fetch_media(env, graph.url)
    assert graph.requests == []
    assert [str(r.url) for r in proxy.requests] == [
        f"{graph.url}/v25.0/1/messages", f"{graph.url}/v25.0/media-1"
    ]
    assert proxy.requests[0].headers["authorization"] == "Bearer token"


def test_inkbook_http_proxy_must_be_an_http_url() -> None:
    with pytest.raises(SettingsError, match=r"^INKBOOK_HTTP_PROXY: 'socks5://x:1080' is not"):
        load_settings(env={"INKBOOK_HTTP_PROXY": "socks5://x:1080"})
    assert load_settings(env={}).http_proxy is None


async def test_the_pool_opens_its_session_again_after_it_was_closed() -> None:
    pool = HttpPool(connections=4)
    first = pool.session()
    assert pool.session() is first
    await pool.aclose()
    assert first.closed
    second = pool.session()
    assert second is not first and not second.closed
    await pool.aclose()


def test_a_proxy_variable_the_pool_does_not_read_is_named_at_startup() -> None:
    """An egress proxy set the usual way would be silently bypassed: the startup says so."""
    unused = load_settings(env={**META, "HTTPS_PROXY": "http://proxy.example:3128"})
    used = load_settings(env={**META, "HTTPS_PROXY": "http://proxy.example:3128",
                              "INKBOOK_HTTP_PROXY": "http://proxy.example:3128"})

    notes = [note for note in unused.warnings() if "HTTPS_PROXY" in note]
    assert notes == ["HTTPS_PROXY set but not used: the Meta and Twilio calls go through a "
                     "proxy only when INKBOOK_HTTP_PROXY names it"]
    assert not [note for note in used.warnings() if "HTTPS_PROXY" in note]
