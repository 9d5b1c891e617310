"""Argon2id password hashes for the inbox logins (argon2-cffi, OWASP's first choice)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

DECOY = "inkbook decoy password, never a real one"


class Argon2Passwords:
    """``PasswordHasher`` port; the library's default (RFC 9106 low-memory) parameters."""

    def __init__(self) -> None:
        self._hasher = PasswordHasher()
        # A hash of nothing anyone types: verifying against it costs what a real check costs.
        self._decoy = self._hasher.hash(DECOY)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, encoded: str, password: str) -> bool:
        try:
            return self._hasher.verify(encoded, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def waste(self, password: str) -> None:
        self.verify(self._decoy, password)
