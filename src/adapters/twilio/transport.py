"""The twilio SDK's ``AsyncHttpClient`` over an ``httpx.AsyncClient`` the container owns.

The SDK's own async client opens an aiohttp session of its own; this one shares the
deployment's pooled httpx client (timeouts, limits, clean shutdown), as Meta's
Messenger does. The headers of the last answer in this task (``Retry-After``) are
kept in a context variable: the SDK's exceptions do not carry them.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

import httpx
from twilio.http import AsyncHttpClient
from twilio.http.response import Response

log = logging.getLogger("inkbook.twilio")

last_headers: ContextVar[httpx.Headers | None] = ContextVar("twilio_last_headers", default=None)


class HttpxTwilioClient(AsyncHttpClient):  # type: ignore[misc]
    def __init__(self, client: httpx.AsyncClient, timeout: float | None = None) -> None:
        super().__init__(log, True, timeout)
        self._client = client

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
        extra: dict[str, Any] = {}
        if timeout is not None or self.timeout is not None:
            extra["timeout"] = timeout if timeout is not None else self.timeout
        response = await self._client.request(
            method.upper(),
            url,
            params=params,  # type: ignore[arg-type]
            data=data,  # type: ignore[arg-type]
            headers=headers,
            auth=auth,
            follow_redirects=allow_redirects,
            **extra,
        )
        last_headers.set(response.headers)
        return Response(response.status_code, response.text, response.headers)
