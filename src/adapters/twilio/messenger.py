"""The Messenger port over Twilio's Messages API, on the official SDK (B-27, B-28, B-31).

The SDK's ``Client`` is pointed at ``INKBOOK_TWILIO_API_BASE`` (its ``api`` domain's
base URL) and sends through ``AiohttpTwilioClient``, on the container's aiohttp session
(issue 12). The auth token goes into the Basic auth of each request and nowhere else:
no log line, no exception text.
"""

from __future__ import annotations

import asyncio

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from core.domain.outbound import Intent
from ports.messenger import MessengerError, Sent, TransientFailure

from .addresses import address
from .bodies import message_params
from .errors import error_for, retry_after
from .transport import AiohttpTwilioClient, Session, last_headers

# What a send can raise short of an answer: aiohttp's errors, timeouts, socket errors.
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)

# The SDK reads TWILIO_EDGE/TWILIO_REGION from the environment it is given (os.environ
# when that is empty): a fixed one keeps routing to INKBOOK_TWILIO_API_BASE only.
_NO_ENVIRONMENT = {"INKBOOK_TWILIO": "explicit settings only"}


class TwilioMessenger:
    """Sends intents from a studio's Twilio sender number; raises the port's typed errors."""

    def __init__(
        self,
        session: Session,
        api_base: str,
        account_sid: str,
        auth_token: str,
        status_callback: str | None = None,
    ) -> None:
        self._api_base = api_base.rstrip("/")
        self._token = auth_token
        self._status_callback = status_callback
        self._twilio = Client(
            account_sid,
            auth_token,
            http_client=AiohttpTwilioClient(session),
            environment=_NO_ENVIRONMENT,
        )
        self._twilio.api.base_url = self._api_base

    def __repr__(self) -> str:
        return f"TwilioMessenger(api_base={self._api_base!r})"

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        params = message_params(intent)
        if self._status_callback:
            params["status_callback"] = self._status_callback
        outcome = await self._create(address(sender), address(to), params)
        if isinstance(outcome, MessengerError):
            raise self._scrubbed(outcome)  # outside the except block: no chained request
        return outcome

    async def _create(self, sender: str, to: str, params: dict[str, str]) -> Sent | MessengerError:
        last_headers.set(None)
        try:
            message = await self._twilio.messages.create_async(to=to, from_=sender, **params)
        except TwilioRestException as exc:
            headers = last_headers.get()
            wait = retry_after(headers.get("retry-after") if headers is not None else None)
            return error_for(exc.status, exc.code, str(exc.msg or "no details"), wait)
        except NETWORK_ERRORS as exc:  # refused, reset, timed out, a malformed answer
            return TransientFailure(f"network error: {type(exc).__name__}: {exc}")
        except (TwilioException, ValueError, KeyError, TypeError) as exc:  # unreadable answer
            return TransientFailure(f"unreadable Twilio answer: {type(exc).__name__}")
        if not message.sid:
            return TransientFailure("Twilio answered without a message sid")
        return Sent(provider_message_id=message.sid)

    def _scrubbed(self, error: MessengerError) -> MessengerError:
        """Never let the token through, even if a proxy echoed it back."""
        if self._token and self._token in error.detail:
            error.detail = error.detail.replace(self._token, "***")
            error.args = (error.detail,)
        return error
