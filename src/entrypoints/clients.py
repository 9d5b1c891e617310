"""The HTTP client pool the providers' API calls share (issue 12): one aiohttp session.

- The messengers (Meta, and Twilio's SDK through its HTTP-client hook) send through
  aiohttp's own API on it: the relay sends every reply, and httpx's request and response
  models cost about three times aiohttp's own CPU per send (benchmarks/README.md).
- Media downloads for the inbox keep httpx's API, on the same session through
  httpx-aiohttp's transport (``httpx_client``).

Nothing is looked up per request: no proxy environment variables, no ``~/.netrc``, no
cookies (``trust_env`` stays off; ``INKBOOK_HTTP_PROXY`` names a proxy explicitly). The
TLS context is httpx's (certifi's CA bundle, or ``SSL_CERT_FILE``), built once.

The session is made on first use, inside the running event loop (aiohttp needs one),
and again after ``aclose``.
"""

from __future__ import annotations

import ssl

import aiohttp
import httpx

# Timeouts as the httpx client had them (httpx.Timeout(10.0, connect=5.0) on
# httpx-aiohttp's transport): 5 s to connect, 10 s to wait for a pooled connection
# (aiohttp's ``connect`` includes that wait), 10 s between reads; no total.
TIMEOUT = aiohttp.ClientTimeout(total=None, connect=10.0, sock_connect=5.0, sock_read=10.0)
KEEPALIVE = 5.0  # seconds an idle connection is kept (httpx's default keepalive_expiry)


class HttpPool:
    def __init__(
        self,
        connections: int,
        proxy: str | None = None,
        timeout: aiohttp.ClientTimeout = TIMEOUT,
    ) -> None:
        self._connections = connections
        self._proxy = proxy
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        self._ssl: ssl.SSLContext | None = None

    def __repr__(self) -> str:
        return f"HttpPool(connections={self._connections}, proxy={self._proxy is not None})"

    def session(self) -> aiohttp.ClientSession:
        session = self._session
        if session is None or session.closed:
            session = self._session = self._open()
        return session

    def _open(self) -> aiohttp.ClientSession:
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        connector = aiohttp.TCPConnector(
            limit=self._connections, keepalive_timeout=KEEPALIVE, ssl=self._ssl
        )
        return aiohttp.ClientSession(
            connector=connector,
            timeout=self._timeout,
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            proxy=self._proxy,
        )

    def httpx_client(self) -> httpx.AsyncClient:
        """httpx's API on this pool (media downloads); closing it closes the session too."""
        from httpx_aiohttp import AiohttpTransport

        return httpx.AsyncClient(
            timeout=httpx.Timeout(10.0, connect=5.0),
            transport=AiohttpTransport(client=self.session),
            trust_env=False,  # no proxy mounts from the environment: the session decides
        )

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()
