"""Signed session cookies for the inbox, keyed by ``INKBOOK_SECRET_KEY`` (B-43).

The cookie holds who signed in, for which studio, their CSRF token and when it
expires, with an HMAC-SHA256 over it. The key is derived for this one purpose, so
a one-tap link's signature can never pass for a session. Nothing is stored on the
server: signing out deletes the cookie, and every request re-reads the login, so
``inkbook users remove`` ends that user's sessions at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import msgspec

SESSION_COOKIE = "inkbook_session"
LOGIN_COOKIE = "inkbook_login"  # the CSRF token of the sign-in form, before any session


class Session(msgspec.Struct, frozen=True):
    email: str
    studio: str
    csrf: str
    expires: int  # unix seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SessionSigner:
    def __init__(self, secret: bytes, lifetime: timedelta) -> None:
        self._key = hmac.new(secret, b"inkbook inbox session v1", hashlib.sha256).digest()
        self._lifetime = lifetime

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def issue(self, email: str, studio: str, now: datetime) -> tuple[Session, str]:
        session = Session(
            email=email,
            studio=studio,
            csrf=new_token(),
            expires=int((now + self._lifetime).timestamp()),
        )
        payload = _b64(msgspec.json.encode(session))
        return session, f"{payload}.{self._mac(payload)}"

    def read(self, cookie: str | None, now: datetime) -> Session | None:
        """The session of a cookie we signed and that has not expired; else None."""
        if not cookie or "." not in cookie:
            return None
        payload, mac = cookie.rsplit(".", 1)
        if not hmac.compare_digest(mac.encode(), self._mac(payload).encode()):
            return None
        try:
            session = msgspec.json.decode(_unb64(payload), type=Session)
        except (msgspec.DecodeError, ValueError):
            return None
        return session if session.expires > now.timestamp() else None

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime
