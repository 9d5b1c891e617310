"""Media: the client's reference images, fetched from the provider for the artist (B-7, B-23)."""

from __future__ import annotations

from typing import Protocol

import msgspec


class MediaFile(msgspec.Struct, frozen=True, kw_only=True):
    content_type: str  # an image/* type
    body: bytes


class Media(Protocol):
    async def fetch(self, media_id: str) -> MediaFile | None:
        """The image behind a provider media id; None when it is unknown, gone, not an
        image, too large or the provider cannot be reached (never raises)."""
        ...
