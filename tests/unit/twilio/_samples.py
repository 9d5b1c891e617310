"""The Twilio sample body and its signature vector (tests/fixtures/payloads, see SOURCE.md)."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.fixtures.samples import body

AUTH_TOKEN = "test_auth_token"
URL = "https://ink.example-studio.com/webhooks/twilio"
SIGNATURE = "rzAGv2M/JfXm9CHCdsQCO7FT57M="  # payloads/README.md, twilio_inbound.txt
SID = "SM6f1c9a2b3d4e5f60718293a4b5c6d7e8"
SENDER = "whatsapp:+14155238886"  # the demo studio's twilio_sender
CLIENT = "447911123456"


def inbound_body() -> bytes:
    return body("twilio_inbound.txt").strip()


def form(sid: str = SID, body: str | None = "Hi there", **fields: str) -> dict[str, str]:
    """An inbound WhatsApp message as Twilio posts it (fields as in the sample)."""
    values = {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": "Zoë Müller",
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": CLIENT,
        "SmsStatus": "received",
        "To": SENDER,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": "AC0a1b2c3d4e5f60718293a4b5c6d7e8f",
        "From": f"whatsapp:+{CLIENT}",
        "ApiVersion": "2010-04-01",
    }
    if body is not None:
        values["Body"] = body
    values.update(fields)
    return values


def encoded(values: dict[str, str]) -> bytes:
    return urlencode(values).encode()
