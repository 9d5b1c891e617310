"""The Meta webhook samples (``tests/fixtures/payloads``, copied from the shared notes)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

APP_SECRET = "test_app_secret"
_VECTOR = re.compile(
    r"^\|\s*`(meta_[\w.]+\.json)`\s*\|[^|]*\|\s*`(sha256=[0-9a-f]{64})`\s*\|", re.M
)


@cache
def payloads_dir() -> Path:
    """``tests/fixtures/payloads`` (its NOTE.md says where the samples came from)."""
    return Path(__file__).resolve().parents[2] / "fixtures" / "payloads"


def meta_names() -> list[str]:
    return sorted(p.name for p in payloads_dir().glob("meta_*.json"))


def body(name: str) -> bytes:
    """The sample exactly as stored: the bytes Meta signed."""
    return (payloads_dir() / name).read_bytes()


@cache
def signatures() -> dict[str, str]:
    """File name -> ``X-Hub-Signature-256`` value, from the table in payloads/README.md."""
    readme = (payloads_dir() / "README.md").read_text(encoding="utf-8")
    return dict(_VECTOR.findall(readme))
