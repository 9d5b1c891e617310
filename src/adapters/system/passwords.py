"""Argon2id password hashes for the inbox logins (argon2-cffi, OWASP's first choice)."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

DECOY = "inkbook decoy password, never a real one"


class Argon2Passwords:
    """``PasswordHasher`` port; the library's default (RFC 9106 low-memory) parameters
    unless given (tests pass cheap ones: ``time_cost``, ``memory_cost``, ``parallelism``)."""

    def __init__(self, **parameters: Any) -> None:
        self._hasher = PasswordHasher(**parameters)
        self._decoy: str | None = None

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, encoded: str, password: str) -> bool:
        try:
            return self._hasher.verify(encoded, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def waste(self, password: str) -> None:
        """A check against a hash of nothing anyone types: it costs what a real check costs."""
        if self._decoy is None:
            self._decoy = self._hasher.hash(DECOY)
        self.verify(self._decoy, password)
