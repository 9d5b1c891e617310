"""The Meta webhook samples the tests carry (``tests/fixtures/payloads``) and their vectors."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.samples import META_APP_SECRET, PAYLOADS, body, meta_names, meta_signatures

APP_SECRET = META_APP_SECRET
__all__ = ["APP_SECRET", "body", "meta_names", "payloads_dir", "signatures"]


def payloads_dir() -> Path:
    return PAYLOADS


def signatures() -> dict[str, str]:
    return meta_signatures()
