"""Issue 7: the gazetteer loads at startup, off the request path, not at the first
location answer (that cost 0.8 s of CPU on the event loop and a p99 spike)."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from adapters.gazetteer import geonames
from entrypoints.container import build_container
from entrypoints.service import serving_app
from tests.integration.test_http_support import settings_for


async def test_the_gazetteer_is_loaded_at_startup_before_any_request(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    indexes = (geonames._index, geonames._countries, geonames._regions)
    for index in indexes:
        index.cache_clear()
    app = serving_app(build_container(settings), relay=False)

    async with AsyncTestClient(app) as client:
        loaded = [index.cache_info().currsize for index in indexes]
        assert (await client.get("/healthz")).status_code == 200

    assert loaded == [1, 1, 1]  # built during startup, before the first request was served
