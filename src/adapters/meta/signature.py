"""Webhook authenticity for Meta (B-42, PROVIDERS.md A1 and A2).

``X-Hub-Signature-256: sha256=<hex>`` is the HMAC-SHA256 of the *raw* request body
keyed with the app secret. Hash the bytes exactly as received: parsing and
re-serialising the JSON changes them (Meta signs ``\\u00eb`` escapes, not ``ë``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

PREFIX = "sha256="
_HEX = frozenset("0123456789abcdef")
_DIGEST_LENGTH = 64


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta would send for ``body`` (tests, benchmarks, curl examples)."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    """True only for a well-formed ``sha256=<64 hex>`` header matching ``body``.

    False for a missing, empty or malformed header and for an empty app secret (an
    unconfigured secret never accepts anything). The comparison is constant-time.
    """
    if not app_secret or not header:
        return False
    scheme, sep, digest = header.strip().partition("=")
    digest = digest.lower()
    if not sep or scheme.lower() != "sha256" or len(digest) != _DIGEST_LENGTH:
        return False
    if not _HEX.issuperset(digest):
        return False
    expected = sign(app_secret, body)[len(PREFIX) :]
    return hmac.compare_digest(expected.encode("ascii"), digest.encode("ascii"))


def handshake(params: Mapping[str, str], verify_token: str | None) -> str | None:
    """The raw ``hub.challenge`` to echo with a 200, or None for a 403 (A1).

    Only ``hub.verify_token`` is checked (in constant time), as Meta always sends
    ``hub.mode=subscribe``. Nothing is answered while no verify token is configured.
    """
    token = params.get("hub.verify_token")
    challenge = params.get("hub.challenge")
    if not verify_token or token is None or challenge is None:
        return None
    if not hmac.compare_digest(_utf8(token), _utf8(verify_token)):
        return None
    return challenge


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # query strings may carry lone surrogates
