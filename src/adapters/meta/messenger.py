"""The Messenger port over the WhatsApp Cloud API (B-27, B-28, B-31, PROVIDERS.md A5).

Sends go through aiohttp's own API on the session the composition root owns (its
timeouts, connection limit, TLS and proxy settings): httpx's request and response
models cost about three times aiohttp's own CPU per send, and the relay sends every
reply (issue 12, benchmarks/README.md). Each response is read and released inside the
request's ``async with``, so its connection goes straight back to the pool.

The access token goes into the Authorization header of each request and nowhere else:
no log line, no exception text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import quote

import aiohttp
import msgspec
from yarl import URL

from core.domain.outbound import Intent
from ports.messenger import MessengerError, Sent, TransientFailure

from .bodies import request_body
from .errors import error_for

# What a send can raise short of an answer: refused or reset connections, timeouts
# (aiohttp's own and the total one), a malformed or cut-off response.
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)

Session = aiohttp.ClientSession | Callable[[], aiohttp.ClientSession]


class _MessageId(msgspec.Struct):
    id: str | None = None


class _SendResponse(msgspec.Struct):
    messages: list[_MessageId] = msgspec.field(default_factory=list)


_SEND_RESPONSE = msgspec.json.Decoder(_SendResponse)
_ENCODER = msgspec.json.Encoder()


class MetaMessenger:
    """Sends intents from a studio's phone number id; raises the port's typed errors.

    ``session`` is an ``aiohttp.ClientSession``, or a function giving it (the container's
    pool makes its session lazily, inside the running event loop).
    """

    def __init__(self, session: Session, api_base: str, access_token: str) -> None:
        self._session: Callable[[], aiohttp.ClientSession] = (
            session if callable(session) else lambda: session
        )
        self._api_base = api_base.rstrip("/")
        self._base = str(URL(self._api_base))  # percent-encoded once
        self._token = access_token
        self._headers = {
            "Authorization": f"Bearer {access_token}",
            "Content-Type": "application/json",
        }
        self._urls: dict[str, URL] = {}  # per sending phone number id (a studio's few)

    def __repr__(self) -> str:
        return f"MetaMessenger(api_base={self._api_base!r})"

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        url = self._urls.get(sender) or self._url(sender)
        body = _ENCODER.encode(request_body(to, intent))
        failure: MessengerError | None = None
        try:
            async with self._session().post(
                url, data=body, headers=self._headers, allow_redirects=False
            ) as response:
                status, content = response.status, await response.read()
                if not 200 <= status < 300:
                    failure = error_for(status, response.headers, content, response.reason)
        except NETWORK_ERRORS as exc:
            failure = TransientFailure(f"network error: {type(exc).__name__}: {exc}")
        if failure is not None:
            raise self._scrubbed(failure)  # outside the except block: nothing chained
        message_id = _message_id(content)
        if not message_id:
            raise TransientFailure(f"HTTP {status} without a message id")
        return Sent(provider_message_id=message_id)

    def _url(self, sender: str) -> URL:
        """``{api_base}/{sender}/messages``, the sender id one percent-encoded segment."""
        url = URL(f"{self._base}/{quote(sender, safe='')}/messages", encoded=True)
        self._urls[sender] = url
        return url

    def _scrubbed(self, error: MessengerError) -> MessengerError:
        """Never let the token through, even if a proxy or Meta echoed it back."""
        if self._token and self._token in error.detail:
            error.detail = error.detail.replace(self._token, "***")
            error.args = (error.detail,)
        return error


def _message_id(content: bytes) -> str | None:
    try:
        messages = _SEND_RESPONSE.decode(content).messages
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None
    return messages[0].id if messages else None
