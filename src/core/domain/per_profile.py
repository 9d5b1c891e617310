"""Tables worked out once per studio profile, not once per message.

A profile is a frozen struct that lives as long as the studio is loaded, so a table
derived from one of its parts (its questions, its copy) is kept by the identity of that
part: no hashing of the whole tuple on every message, as ``functools.lru_cache`` would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_ENTRIES = 64  # profiles loaded at once; a reload adds one, the oldest go on overflow


def once_per_profile(fn: Callable[[T], R]) -> Callable[[T], R]:
    """``fn(part)`` computed once per object ``part`` (kept alive with its result)."""
    cache: dict[int, tuple[T, R]] = {}

    def cached(part: T) -> R:
        entry = cache.get(id(part))
        if entry is not None and entry[0] is part:
            return entry[1]
        value = fn(part)
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[id(part)] = (part, value)
        return value

    cached.__doc__ = fn.__doc__
    cached.__name__ = fn.__name__
    return cached
