"""The Media port over the WhatsApp Cloud API: ``GET /<media-id>`` gives a short-lived
URL, then that URL is downloaded with the same bearer token (PROVIDERS.md: image)."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import msgspec

from ports.media import MediaFile


class _MediaInfo(msgspec.Struct):
    url: str
    mime_type: str | None = None


_INFO = msgspec.json.Decoder(_MediaInfo)


class MetaMedia:
    def __init__(self, client: httpx.AsyncClient, api_base: str, access_token: str,
                 max_bytes: int) -> None:
        self._client = client
        self._api_base = api_base.rstrip("/")
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._max_bytes = max_bytes

    def __repr__(self) -> str:
        return f"MetaMedia(api_base={self._api_base!r})"

    async def fetch(self, media_id: str) -> MediaFile | None:
        try:
            info = await self._client.get(
                f"{self._api_base}/{quote(media_id, safe='')}", headers=self._headers
            )
            if not info.is_success:
                return None
            described = _INFO.decode(info.content)
            async with self._client.stream("GET", described.url, headers=self._headers) as got:
                kind = got.headers.get("content-type", described.mime_type or "")
                if not got.is_success or not kind.startswith("image/"):
                    return None
                body = bytearray()
                async for chunk in got.aiter_bytes():
                    body += chunk
                    if len(body) > self._max_bytes:
                        return None
        except (httpx.HTTPError, msgspec.DecodeError):
            return None
        return MediaFile(content_type=kind.split(";")[0].strip(), body=bytes(body))
