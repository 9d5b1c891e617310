"""Helpers of the Twilio HTTP tests (no tests here): signed form posts to the real app."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx

from adapters.twilio import sign
from tests.integration.test_http_support import Api

SENDER = "whatsapp:+14155238886"  # the demo studio's twilio_sender
PATH, STATUS_PATH = "/webhooks/twilio", "/webhooks/twilio/status"


def twilio_form(sid: str, body: str | None = "hello", contact: str = "447911123456",
                **fields: str) -> dict[str, str]:
    values = {
        "MessageSid": sid, "SmsMessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32,
        "From": f"whatsapp:+{contact}", "To": SENDER, "WaId": contact, "NumMedia": "0",
        "ProfileName": "Zoë", "MessageType": "text", "ApiVersion": "2010-04-01",
    }
    if body is not None:
        values["Body"] = body
    values.update(fields)
    return values


async def post_twilio(
    api: Api,
    values: dict[str, str],
    token: str,
    public_url: str,
    path: str = PATH,
    signature: str | None = "sign",
) -> httpx.Response:
    """POST ``values`` as Twilio does, signed over ``public_url + path`` with ``token``."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature == "sign":
        signature = sign(token, public_url + path, values)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return await api.client.post(path, content=urlencode(values).encode(), headers=headers)
