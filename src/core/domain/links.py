"""Signed one-tap links for the artist: one lead, one action, an expiry (B-23, B-43)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

ACTIONS = ("approve", "reject", "resume", "open", "erase")
BOOKING_FILE = ("ics",)  # issue 9: the booking's calendar file (B-50), never a one-tap action


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=8)
def _keyed(secret: bytes) -> hmac.HMAC:
    """An HMAC-SHA256 with the key already mixed in: a copy signs one payload (a brief
    carries three links, each signed apart)."""
    return hmac.new(secret, digestmod=hashlib.sha256)


def sign_action(secret: bytes, lead_id: str, action: str, expires_at: datetime) -> str:
    payload = f"{lead_id}|{action}|{int(expires_at.timestamp())}".encode()
    mac = _keyed(secret).copy()
    mac.update(payload)
    return f"{_b64(payload)}.{_b64(mac.digest()[:16])}"


def verify_action(
    secret: bytes, token: str, now: datetime, allowed: tuple[str, ...] = ACTIONS
) -> tuple[str, str] | None:
    """(lead id, action) for a valid, unexpired token of an ``allowed`` action; else None."""
    link = read_action(secret, token, now, allowed)
    return (link.lead_id, link.action) if link.state == VALID else None


VALID, EXPIRED, INVALID = "valid", "expired", "invalid"


@dataclass(frozen=True, slots=True)
class Link:
    """What a one-tap token says: ``state`` is VALID, EXPIRED (signed, too old) or INVALID."""

    state: str
    lead_id: str = ""
    action: str = ""

    def key(self, token: str) -> str:
        """The processed-id of a token: a used link says it is done (B-51)."""
        return "link:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def read_action(
    secret: bytes, token: str, now: datetime, allowed: tuple[str, ...] = ACTIONS
) -> Link:
    try:
        encoded, mac = token.split(".", 1)
        payload = _unb64(encoded)
        expected = hmac.new(secret, payload, hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(expected, _unb64(mac)):
            return Link(INVALID)
        lead_id, action, expiry = payload.decode().rsplit("|", 2)
        if action not in allowed:
            return Link(INVALID)
        if int(expiry) < now.timestamp():
            return Link(EXPIRED, lead_id, action)
    except (ValueError, UnicodeDecodeError):
        return Link(INVALID)
    return Link(VALID, lead_id, action)
