"""Webhook authenticity for Twilio (B-42, PROVIDERS.md C) with the official request validator.

``X-Twilio-Signature`` is Base64(HMAC-SHA1(auth token, URL + sorted name+value pairs)).
The URL is the public one Twilio called (``INKBOOK_PUBLIC_URL`` plus the path and
query), never what a proxy handed on: TLS offload changes scheme, host and port.
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The header value Twilio would send (tests, curl examples)."""
    signature: str = RequestValidator(auth_token).compute_signature(url, dict(params))
    return signature


def verify_signature(
    auth_token: str, url: str, params: Mapping[str, str], header: str | None
) -> bool:
    """True only for a header matching ``params`` posted to ``url``.

    False for a missing or empty header and for an empty auth token (an unconfigured
    token never accepts anything). The validator also tries the URL with and without
    its default port, as Twilio may sign either.
    """
    if not auth_token or not header or not header.strip():
        return False
    try:
        return bool(RequestValidator(auth_token).validate(url, dict(params), header.strip()))
    except (ValueError, TypeError):
        return False
