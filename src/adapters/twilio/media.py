"""The Media port over Twilio: a client's image is ``MediaUrl{N}`` of its inbound message,
``/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{MediaSid}``, read with
HTTP Basic auth (account sid, auth token); Twilio answers with a redirect to the file
(httpx drops the credentials when a redirect leaves the API's host).

The decoder keeps ``MessageSid/MediaSid`` as the media id, so the file is fetched from
the configured API base only, never from a URL a message carried.
"""

from __future__ import annotations

import re

import httpx

from ports.media import MediaFile

# "MM<32 hex>/ME<32 hex>", as the decoder writes it (media_id_of).
MEDIA_ID = re.compile(r"^(?P<message>MM[0-9a-fA-F]{32})/(?P<media>ME[0-9a-fA-F]{32})$")
_URL = re.compile(r"/Messages/(?P<message>MM[0-9a-fA-F]{32})/Media/(?P<media>ME[0-9a-fA-F]{32})/?$")


def media_id_of(url: str) -> str:
    """``…/Messages/MM…/Media/ME…`` -> ``MM…/ME…``; another URL keeps its last segment."""
    found = _URL.search(url.split("?", 1)[0])
    if found is not None:
        return f"{found['message']}/{found['media']}"
    return url.rstrip("/").rpartition("/")[2] or url


def is_twilio_media(media_id: str) -> bool:
    return MEDIA_ID.match(media_id) is not None


class TwilioMedia:
    def __init__(self, client: httpx.AsyncClient, api_base: str, account_sid: str,
                 auth_token: str, max_bytes: int) -> None:
        self._client = client
        self._api_base = api_base.rstrip("/")
        self._account_sid = account_sid
        self._auth = httpx.BasicAuth(account_sid, auth_token)
        self._max_bytes = max_bytes

    def __repr__(self) -> str:
        return f"TwilioMedia(api_base={self._api_base!r})"

    async def fetch(self, media_id: str) -> MediaFile | None:
        found = MEDIA_ID.match(media_id)
        if found is None:
            return None
        url = (f"{self._api_base}/2010-04-01/Accounts/{self._account_sid}/Messages/"
               f"{found['message']}/Media/{found['media']}")
        try:
            async with self._client.stream("GET", url, auth=self._auth,
                                           follow_redirects=True) as got:
                kind = got.headers.get("content-type", "")
                if not got.is_success or not kind.startswith("image/"):
                    return None
                body = bytearray()
                async for chunk in got.aiter_bytes():
                    body += chunk
                    if len(body) > self._max_bytes:
                        return None
        except httpx.HTTPError:
            return None
        return MediaFile(content_type=kind.split(";")[0].strip(), body=bytes(body))
