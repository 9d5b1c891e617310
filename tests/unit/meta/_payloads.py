"""The shared Meta webhook samples (``../shared/payloads`` beside the repo) and their vectors."""

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
    """``<repo>/../shared/payloads``, the repo being the first parent with a pyproject.toml."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file():
            found = parent.parent / "shared" / "payloads"
            if found.is_dir():
                return found
            raise FileNotFoundError(f"no shared payloads at {found} (expected beside the repo)")
    raise FileNotFoundError("no pyproject.toml above the tests: cannot find the repo root")


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
