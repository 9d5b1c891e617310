"""The twilio SDK's ``AsyncHttpClient`` over an aiohttp session the container owns.

The SDK's own async client opens an aiohttp session of its own (and a retrying wrapper);
this one sends on the deployment's pooled session (timeouts, limits, clean shutdown), as
Meta's Messenger does, through aiohttp's own API (issue 12: httpx's per-request models
cost about three times aiohttp's CPU per send). Each response is read and released
inside the request's ``async with``. The headers of the last answer in this task
(``Retry-After``) are kept in a context variable: the SDK's exceptions do not carry them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

import aiohttp
from twilio.http import AsyncHttpClient
from twilio.http.response import Response

log = logging.getLogger("inkbook.twilio")

last_headers: ContextVar[Mapping[str, str] | None] = ContextVar(
    "twilio_last_headers", default=None
)

Session = aiohttp.ClientSession | Callable[[], aiohttp.ClientSession]


class AiohttpTwilioClient(AsyncHttpClient):  # type: ignore[misc]
    def __init__(self, session: Session, timeout: float | None = None) -> None:
        super().__init__(log, True, timeout)
        self._session: Callable[[], aiohttp.ClientSession] = (
            session if callable(session) else lambda: session
        )
        self._auth: dict[tuple[str, str], str] = {}  # (sid, token) -> its Basic header

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        sent = dict(headers or {})
        if auth is not None:
            sent["Authorization"] = self._basic(auth)
        extra: dict[str, Any] = {}
        if timeout is not None or self.timeout is not None:
            wait = timeout if timeout is not None else self.timeout
            extra["timeout"] = aiohttp.ClientTimeout(total=wait)
        async with self._session().request(
            method.upper(),
            url,
            params=params,  # type: ignore[arg-type]
            data=data,
            headers=sent,
            allow_redirects=allow_redirects,
            **extra,
        ) as response:
            text = _text(await response.read(), response.charset)
            last_headers.set(response.headers)
            return Response(response.status, text, response.headers)

    def _basic(self, auth: tuple[str, str]) -> str:
        header = self._auth.get(auth)
        if header is None:
            header = self._auth[auth] = aiohttp.encode_basic_auth(*auth)  # UTF-8, as httpx
        return header


def _text(body: bytes, charset: str | None) -> str:
    """The body as text, as httpx read it: its charset, else UTF-8; bad bytes replaced."""
    try:
        return body.decode(charset or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", "replace")
