"""B-27, B-28: Cloud API failures become the port's typed errors (PROVIDERS.md A5, A6), over
a real connection to a local fake Graph API (tests/fakes/graph_api.py)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

import aiohttp
import httpx
import pytest

from adapters.meta import MetaMessenger
from core.domain.outbound import TextIntent
from ports.messenger import (
    MessengerError,
    PermanentFailure,
    RateLimited,
    Sent,
    TransientFailure,
    WindowClosed,
)
from tests.fakes.graph_api import DISCONNECT, GARBAGE, SILENCE, TRUNCATED, Handler, graph_api

TOKEN = "EAAG-secret-access-token"


def meta_error(code: int, details: str = "details here", status: int = 400) -> httpx.Response:
    """An error response shaped like PROVIDERS.md A6."""
    return httpx.Response(
        status,
        json={
            "error": {
                "message": f"(#{code}) title",
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": details},
                "error_subcode": 2494055,
                "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam",
            }
        },
    )


async def _send(respond: Handler, **session: Any) -> Sent:
    async with graph_api(respond, **session) as (server, client):
        messenger = MetaMessenger(client, server.url + "/v25.0", TOKEN)
        return await messenger.send("1", "2", TextIntent(body="hi"))


async def _fails(response: httpx.Response) -> MessengerError:
    with pytest.raises(MessengerError) as caught:
        await _send(lambda _: response)
    assert TOKEN not in str(caught.value) and TOKEN not in caught.value.detail
    return caught.value


TABLE: list[tuple[int, int, type[MessengerError]]] = [
    (131047, 400, WindowClosed),
    (130429, 400, RateLimited),
    (131056, 400, RateLimited),
    (80007, 400, RateLimited),
    (4, 400, RateLimited),
    (131057, 400, TransientFailure),
    (2, 503, TransientFailure),
    (133004, 503, TransientFailure),
    (131026, 400, PermanentFailure),
    (131050, 400, PermanentFailure),
    (130403, 400, PermanentFailure),
    (131008, 400, PermanentFailure),
    (100, 400, PermanentFailure),
    (190, 401, PermanentFailure),
    (131030, 400, PermanentFailure),
    (131009, 400, PermanentFailure),  # any other code on a 4xx
    (131000, 500, TransientFailure),  # any other code on a 5xx
    (999999, 429, RateLimited),  # any other code on a 429
    (131026, 500, PermanentFailure),  # the code decides before the status
    (131047, 500, WindowClosed),
]


@pytest.mark.parametrize(("code", "status", "error"), TABLE)
async def test_b27_b28_error_codes_map_to_typed_errors(
    code: int, status: int, error: type[MessengerError]
) -> None:
    failure = await _fails(meta_error(code, "Cloud API says why", status))
    assert type(failure) is error
    assert failure.code == code
    assert "Cloud API says why" in failure.detail and str(code) in failure.detail


async def test_b28_window_closed_is_not_retried_as_transient() -> None:
    failure = await _fails(meta_error(131047))
    assert not isinstance(failure, TransientFailure)


@pytest.mark.parametrize("code", [130429, 131056, 80007])
async def test_b27_rate_limits_respect_retry_after(code: int) -> None:
    response = meta_error(code)
    response.headers["Retry-After"] = "30"
    failure = await _fails(response)
    assert isinstance(failure, RateLimited) and failure.retry_after == 30.0


async def test_b27_rate_limit_without_retry_after_has_none() -> None:
    failure = await _fails(meta_error(130429))
    assert isinstance(failure, RateLimited) and failure.retry_after is None


async def test_b27_healthy_ecosystem_waits_a_day() -> None:
    failure = await _fails(meta_error(131049))
    assert isinstance(failure, RateLimited) and failure.retry_after == 24 * 3600


@pytest.mark.parametrize(
    ("headers", "retry_after"),
    [
        ({"Retry-After": "120"}, 120.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "-5"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "inf"}, None),
        ({"Retry-After": ""}, None),
        (
            {
                "Retry-After": "Wed, 21 Oct 2026 07:28:30 GMT",
                "Date": "Wed, 21 Oct 2026 07:28:00 GMT",
            },
            30.0,
        ),
        ({"Retry-After": "Wed, 21 Oct 2026 07:28:30 GMT"}, None),
    ],
)
async def test_b27_http_429_is_rate_limited_with_retry_after(
    headers: dict[str, str], retry_after: float | None
) -> None:
    failure = await _fails(httpx.Response(429, headers=headers, text="Too Many Requests"))
    assert isinstance(failure, RateLimited)
    assert failure.retry_after == retry_after
    assert failure.code is None


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
async def test_b27_server_errors_without_a_json_body_are_transient(status: int) -> None:
    failure = await _fails(httpx.Response(status, text="<html>Bad gateway</html>"))
    assert type(failure) is TransientFailure and str(status) in failure.detail


@pytest.mark.parametrize("status", [400, 401, 403, 404, 301])
async def test_b27_other_statuses_without_a_json_body_are_permanent(status: int) -> None:
    failure = await _fails(httpx.Response(status, content=b"\xff not json"))
    assert type(failure) is PermanentFailure


async def _network_failure(respond: Handler, **session: Any) -> TransientFailure:
    with pytest.raises(TransientFailure) as caught:
        await _send(respond, **session)
    failure = caught.value
    assert type(failure) is TransientFailure and "network error" in failure.detail
    # Raised outside the except block: no chained aiohttp request carrying the token header.
    assert failure.__cause__ is None and failure.__context__ is None
    assert TOKEN not in str(failure)
    return failure


@pytest.mark.parametrize("answer", [DISCONNECT, TRUNCATED, GARBAGE])
async def test_b27_a_connection_lost_or_a_broken_answer_is_transient(answer: str) -> None:
    await _network_failure(lambda _: answer)


async def test_b27_an_answer_that_never_comes_is_a_transient_read_timeout() -> None:
    failure = await _network_failure(
        lambda _: SILENCE, timeout=aiohttp.ClientTimeout(sock_read=0.2)
    )
    assert "Timeout" in failure.detail


async def test_b27_a_refused_connection_is_transient() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        async with aiohttp.ClientSession() as session:
            messenger = MetaMessenger(session, f"http://127.0.0.1:{port}/v25.0", TOKEN)
            with pytest.raises(TransientFailure) as caught:
                await messenger.send("1", "2", TextIntent(body="hi"))
    assert "network error" in caught.value.detail
    assert caught.value.__cause__ is None and caught.value.__context__ is None


async def test_b27_a_connection_that_never_opens_is_a_transient_connect_timeout() -> None:
    """A listener whose accept queue is full (Linux drops the SYN): the connect hangs."""
    with socket.socket() as full:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        port = full.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        for filler in fillers:
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
        try:
            timeout = aiohttp.ClientTimeout(sock_connect=0.2)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                messenger = MetaMessenger(session, f"http://127.0.0.1:{port}/v25.0", TOKEN)
                with pytest.raises(TransientFailure) as caught:
                    await messenger.send("1", "2", TextIntent(body="hi"))
        finally:
            for filler in fillers:
                filler.close()
    assert "network error" in caught.value.detail and "Timeout" in caught.value.detail
    assert caught.value.__cause__ is None and caught.value.__context__ is None


async def test_b27_waiting_too_long_for_a_free_connection_is_transient() -> None:
    """One connection, held by a send that gets no answer: the next one times out waiting."""
    timeout = aiohttp.ClientTimeout(connect=0.2, sock_read=5)
    connector = aiohttp.TCPConnector(limit=1)
    async with graph_api(lambda _: SILENCE, timeout=timeout, connector=connector) as (
        server, session
    ):
        messenger = MetaMessenger(session, server.url + "/v25.0", TOKEN)
        hung = asyncio.create_task(messenger.send("1", "2", TextIntent(body="first")))
        while not server.requests:
            await asyncio.sleep(0.01)
        with pytest.raises(TransientFailure) as caught:
            await messenger.send("1", "2", TextIntent(body="second"))
        hung.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await hung
    assert "Timeout" in caught.value.detail and len(server.requests) == 1


async def test_b27_a_redirect_is_not_followed() -> None:
    """A 3xx is an answer (permanent), not a hop: the token never goes to another URL."""
    failure = await _fails(httpx.Response(302, headers={"Location": "http://127.0.0.1:9/x"}))
    assert type(failure) is PermanentFailure and "302" in failure.detail


@pytest.mark.parametrize(
    "body",
    [
        {"messaging_product": "whatsapp", "messages": []},
        {"messaging_product": "whatsapp"},
        {"messages": [{}]},
        {"messages": [{"id": ""}]},
        {"messages": "nope"},
    ],
)
async def test_b27_success_without_a_message_id_is_transient(body: Any) -> None:
    failure = await _fails(httpx.Response(200, json=body))
    assert type(failure) is TransientFailure


async def test_b27_success_with_a_non_json_body_is_transient() -> None:
    failure = await _fails(httpx.Response(200, text="OK"))
    assert type(failure) is TransientFailure


async def test_success_returns_the_wamid() -> None:
    wamid = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NjQ0QTlGRDUyRkVFNjQ2OTAA"
    sent = await _send(lambda _: httpx.Response(200, json={"messages": [{"id": wamid}]}))
    assert sent == Sent(provider_message_id=wamid)


async def test_b26_every_answer_is_read_so_one_connection_carries_every_send() -> None:
    """Responses are released as they are read: successes and failures alike give their
    connection back to the pool, so ten sends in a row open one connection at the fake."""
    answers = [meta_error(130429), httpx.Response(500, text="oops"), meta_error(131026)]

    def respond(_: httpx.Request) -> httpx.Response:
        if answers:
            return answers.pop(0)
        return httpx.Response(200, json={"messages": [{"id": "wamid.ok"}]})

    async with graph_api(respond) as (server, session):
        messenger = MetaMessenger(session, server.url + "/v25.0", TOKEN)
        outcomes = []
        for _ in range(10):
            try:
                outcomes.append(await messenger.send("1", "2", TextIntent(body="hi")))
            except MessengerError as error:
                outcomes.append(error)
    assert [type(o) for o in outcomes[:3]] == [RateLimited, TransientFailure, PermanentFailure]
    assert outcomes[3:] == [Sent(provider_message_id="wamid.ok")] * 7
    assert len(server.requests) == 10 and server.connections == 1


async def test_an_echoed_token_is_scrubbed_from_the_error() -> None:
    failure = await _fails(meta_error(190, f"Invalid OAuth access token {TOKEN}", 401))
    assert "***" in failure.detail and TOKEN not in str(failure)
