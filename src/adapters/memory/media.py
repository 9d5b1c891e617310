"""The Media port in memory: images put there by tests; nothing for the console messenger."""

from __future__ import annotations

from ports.media import MediaFile


class MemoryMedia:
    def __init__(self, files: dict[str, MediaFile] | None = None) -> None:
        self.files = dict(files or {})

    async def fetch(self, media_id: str) -> MediaFile | None:
        return self.files.get(media_id)
