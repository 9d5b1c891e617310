"""Health, readiness, OpenAPI, metrics, correlation ids and error shapes of the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from dependency_injector import providers

from adapters.sql import upgrade
from entrypoints.container import build_container
from entrypoints.http import create_app
from tests.integration.test_http_support import Api, BrokenStore, running, settings_for


async def test_healthz(api: Api) -> None:
    response = await api.client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_when_the_database_answers(api: Api) -> None:
    response = await api.client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_503_when_the_store_is_broken(api: Api) -> None:
    with api.container.store.override(providers.Object(BrokenStore())):
        response = await api.client.get("/readyz")
    healthz = await api.client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert healthz.status_code == 200  # the process is up all the same
    assert (await api.client.get("/readyz")).status_code == 200  # and recovers


async def test_readyz_is_503_when_the_database_file_cannot_be_opened(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    missing = folder / "inkbook.db"
    settings = settings_for(tmp_path, migrate=False, database_url=f"sqlite+aiosqlite:///{missing}")
    folder.rmdir()  # the disk goes away after startup
    async with running(settings) as api:
        response = await api.client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


async def test_readyz_is_503_before_migrations(tmp_path: Path) -> None:
    async with running(settings_for(tmp_path, migrate=False)) as api:
        response = await api.client.get("/readyz")

    assert response.status_code == 503


@pytest.mark.parametrize("path", ["/schema", "/schema/openapi.json"])
async def test_openapi_document(api: Api, path: str) -> None:
    response = await api.client.get(path)

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Inkbook"
    assert {"/healthz", "/readyz", "/webhooks/meta", "/api/leads", "/api/leads/{lead_id}"} <= set(
        document["paths"]
    )
    assert "BearerAuth" in document["components"]["securitySchemes"]


async def test_openapi_ui(api: Api) -> None:
    response = await api.client.get("/schema/swagger")

    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]


async def test_metrics_endpoint(api: Api) -> None:
    response = await api.client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "inkbook_webhook_seconds" in response.text


async def test_unknown_path_is_a_json_404(api: Api) -> None:
    response = await api.client.get("/nowhere")

    assert response.status_code == 404
    assert "error" in response.json()


async def test_wrong_method_is_405_not_500(api: Api) -> None:
    response = await api.client.delete("/webhooks/meta")

    assert response.status_code == 405


# -- correlation ids (B-44) -------------------------------------------------------------------


async def test_a_request_id_is_generated_and_echoed(api: Api) -> None:
    first = await api.client.get("/healthz")
    second = await api.client.get("/healthz")

    ids = [r.headers["x-request-id"] for r in (first, second)]
    assert all(len(i) == 32 for i in ids)
    assert ids[0] != ids[1]


async def test_a_sane_request_id_is_kept(api: Api) -> None:
    response = await api.client.get("/healthz", headers={"X-Request-ID": "edge-abc.123_x"})

    assert response.headers["x-request-id"] == "edge-abc.123_x"


@pytest.mark.parametrize(
    "given",
    ["a b", "x" * 200, "447911123456", "<script>", "ü"],
    ids=["space", "long", "phone", "markup", "non-ascii"],
)
async def test_an_odd_request_id_is_replaced(api: Api, given: str) -> None:
    response = await api.client.get("/healthz", headers={"X-Request-ID": given.encode("utf-8")})

    assert response.headers["x-request-id"] != given
    assert len(response.headers["x-request-id"]) == 32


def test_create_app_has_no_side_effects_and_apps_are_independent(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, migrate=False)
    container = build_container(settings)

    first, second = create_app(container), create_app(container)

    assert first is not second
    assert first.state.metrics is not second.state.metrics
    assert not (tmp_path / "inkbook.db").exists()  # nothing touched the database
    upgrade(settings.database_url)


@pytest.mark.parametrize(("method", "path", "status"), [("GET", "/no/such/page", 404),
                                                      ("DELETE", "/healthz", 405)])
async def test_unrouted_answers_carry_a_request_id_too(
    api: Api, method: str, path: str, status: int
) -> None:
    response = await api.client.request(method, path, headers={"X-Request-ID": "edge-404"})
    assert response.status_code == status
    assert response.headers.get_list("x-request-id") == ["edge-404"]
    fresh = await api.client.request(method, path)
    assert len(fresh.headers["x-request-id"]) == 32
