"""The Messenger port over the WhatsApp Cloud API (B-27, B-28, B-31, PROVIDERS.md A5).

The ``httpx.AsyncClient`` is injected (and owned) by the composition root, with its
timeouts and connection limits. The access token goes into the Authorization
header of each request and nowhere else: no log line, no exception text.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx
import msgspec

from core.domain.outbound import Intent
from ports.messenger import MessengerError, Sent, TransientFailure

from .bodies import request_body
from .errors import error_for


class _MessageId(msgspec.Struct):
    id: str | None = None


class _SendResponse(msgspec.Struct):
    messages: list[_MessageId] = msgspec.field(default_factory=list)


_SEND_RESPONSE = msgspec.json.Decoder(_SendResponse)
_ENCODER = msgspec.json.Encoder()


class MetaMessenger:
    """Sends intents from a studio's phone number id; raises the port's typed errors."""

    def __init__(self, client: httpx.AsyncClient, api_base: str, access_token: str) -> None:
        self._client = client
        self._api_base = api_base.rstrip("/")
        self._token = access_token
        self._headers = {
            "Authorization": f"Bearer {access_token}",
            "Content-Type": "application/json",
        }

    def __repr__(self) -> str:
        return f"MetaMessenger(api_base={self._api_base!r})"

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        url = f"{self._api_base}/{quote(sender, safe='')}/messages"
        response = await self._post(url, _ENCODER.encode(request_body(to, intent)))
        if isinstance(response, MessengerError):
            raise response  # outside the except block: no chained httpx request, no headers
        if not response.is_success:
            raise self._scrubbed(error_for(response))
        message_id = _message_id(response.content)
        if not message_id:
            detail = f"HTTP {response.status_code} without a message id"
            raise TransientFailure(detail)
        return Sent(provider_message_id=message_id)

    async def _post(self, url: str, content: bytes) -> httpx.Response | MessengerError:
        try:
            return await self._client.post(url, content=content, headers=self._headers)
        except httpx.RequestError as exc:  # connect/read timeouts, resets, bad responses
            return self._scrubbed(TransientFailure(f"network error: {type(exc).__name__}: {exc}"))

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
