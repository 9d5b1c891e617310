"""MetaMedia: a reference image in two steps, both with the bearer token (B-7, B-23)."""

from __future__ import annotations

import httpx

from adapters.meta import MetaMedia
from ports.media import MediaFile

BASE = "https://graph.test/v25.0"
JPEG = b"\xff\xd8\xff\xe0 a small jpeg"


def media(handler: object, max_bytes: int = 1024) -> MetaMedia:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return MetaMedia(client, BASE, "token-1", max_bytes=max_bytes)


def graph(kind: str = "image/jpeg", body: bytes = JPEG, info_status: int = 200):  # type: ignore[no-untyped-def]
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/v25.0/media-1":
            if info_status != 200:
                return httpx.Response(info_status, json={"error": {"code": 100}})
            return httpx.Response(200, json={"url": "https://cdn.test/file?x=1",
                                             "mime_type": kind, "id": "media-1"})
        if request.url.host == "cdn.test":
            return httpx.Response(200, content=body, headers={"content-type": kind})
        return httpx.Response(404)

    handle.seen = seen  # type: ignore[attr-defined]
    return handle


async def test_B23_the_image_is_looked_up_then_downloaded_with_the_token() -> None:
    handler = graph()

    found = await media(handler).fetch("media-1")

    assert found == MediaFile(content_type="image/jpeg", body=JPEG)
    assert [str(r.url) for r in handler.seen] == [f"{BASE}/media-1", "https://cdn.test/file?x=1"]
    assert all(r.headers["authorization"] == "Bearer token-1" for r in handler.seen)


async def test_B23_unknown_not_an_image_or_too_large_gives_nothing() -> None:
    assert await media(graph(info_status=404)).fetch("media-1") is None
    assert await media(graph()).fetch("other-media") is None
    assert await media(graph(kind="text/html", body=b"<script>")).fetch("media-1") is None
    assert await media(graph(body=b"x" * 2048), max_bytes=1024).fetch("media-1") is None


async def test_B23_a_provider_that_cannot_be_reached_gives_nothing() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    assert await media(down).fetch("media-1") is None
