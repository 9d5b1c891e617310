"""TwilioMedia: a client's reference image, read from Twilio's Media resource with Basic
auth, following Twilio's redirect to the file (B-7, B-23)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import httpx

from adapters.twilio import TwilioMedia, decode_message, is_twilio_media, media_id_of
from ports.media import MediaFile

from ._samples import form

BASE = "https://api.twilio.test"
ACCOUNT = "AC" + "1" * 32
MESSAGE = "MM" + "a" * 32
MEDIA = "ME" + "b" * 32
MEDIA_URL = f"{BASE}/2010-04-01/Accounts/{ACCOUNT}/Messages/{MESSAGE}/Media/{MEDIA}"
JPEG = b"\xff\xd8\xff\xe0 a small jpeg"
BASIC = "Basic " + base64.b64encode(f"{ACCOUNT}:token-1".encode()).decode()


def media(handler: object, max_bytes: int = 1024) -> TwilioMedia:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return TwilioMedia(client, BASE, ACCOUNT, "token-1", max_bytes=max_bytes)


def twilio(kind: str = "image/jpeg", body: bytes = JPEG, status: int = 200):  # type: ignore[no-untyped-def]
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if str(request.url) == MEDIA_URL:
            if request.headers.get("authorization") != BASIC:
                return httpx.Response(401, json={"code": 20003})
            if status != 200:
                return httpx.Response(status, json={"code": 20404})
            return httpx.Response(307, headers={"location": "https://media.test/file?sig=1"})
        if request.url.host == "media.test":
            return httpx.Response(200, content=body, headers={"content-type": kind})
        return httpx.Response(404)

    handle.seen = seen  # type: ignore[attr-defined]
    return handle


def test_B7_the_decoder_keeps_the_message_and_media_sids_as_the_media_id() -> None:
    values = form(body="", NumMedia="1", MediaUrl0=MEDIA_URL, MediaContentType0="image/jpeg")
    [received] = decode_message(values, datetime(2026, 12, 2, tzinfo=UTC)).messages
    assert received.content.media_id == f"{MESSAGE}/{MEDIA}"  # type: ignore[union-attr]
    assert is_twilio_media(f"{MESSAGE}/{MEDIA}") and not is_twilio_media("1234567890")
    assert media_id_of("https://example.test/x/y/z") == "z"


async def test_B23_the_image_is_read_with_basic_auth_and_the_redirect_followed() -> None:
    handler = twilio()

    found = await media(handler).fetch(f"{MESSAGE}/{MEDIA}")

    assert found == MediaFile(content_type="image/jpeg", body=JPEG)
    first, second = handler.seen
    assert str(first.url) == MEDIA_URL and first.headers["authorization"] == BASIC
    assert "authorization" not in second.headers  # the credentials stay with Twilio


async def test_B23_unknown_not_an_image_too_large_or_unreachable_gives_nothing() -> None:
    assert await media(twilio(status=404)).fetch(f"{MESSAGE}/{MEDIA}") is None
    assert await media(twilio()).fetch("1234567890") is None  # a Meta id: not Twilio's
    assert await media(twilio()).fetch("https://evil.test/x") is None
    assert await media(twilio(kind="text/html", body=b"<script>")).fetch(
        f"{MESSAGE}/{MEDIA}") is None
    assert await media(twilio(body=b"x" * 2048), max_bytes=1024).fetch(
        f"{MESSAGE}/{MEDIA}") is None

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    assert await media(down).fetch(f"{MESSAGE}/{MEDIA}") is None


async def test_B23_the_inbox_reads_each_reference_from_the_provider_that_made_it() -> None:
    from entrypoints.container import ProviderMedia

    class Source:
        def __init__(self, name: str) -> None:
            self.name, self.asked = name, []

        async def fetch(self, media_id: str) -> MediaFile:
            self.asked.append(media_id)
            return MediaFile(content_type="image/png", body=self.name.encode())

    meta, twilio_source = Source("meta"), Source("twilio")
    both = ProviderMedia({"meta": meta, "twilio": twilio_source})
    assert (await both.fetch(f"{MESSAGE}/{MEDIA}")).body == b"twilio"  # type: ignore[union-attr]
    assert (await both.fetch("1234567890")).body == b"meta"  # type: ignore[union-attr]
    assert await ProviderMedia({"twilio": twilio_source}).fetch("1234567890") is None
