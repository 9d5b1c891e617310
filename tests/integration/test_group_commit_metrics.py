"""The group commit's batches in ``/metrics`` (issue 12, PostgreSQL: SQLite decides one
message per transaction): an operator sees how many batches committed as one transaction,
how many failed and went one message at a time, and how many of those left the asyncpg
path for the SQLAlchemy one (B-25: each message is still decided once either way)."""

from __future__ import annotations

import re

import pytest

from tests.integration.apis import BackendApi
from tests.integration.databases import off_the_asyncpg_path
from tests.integration.test_http_support import message, webhook

pytestmark = pytest.mark.integration


async def scraped(api: BackendApi) -> dict[str, float]:
    text = (await api.client.get("/metrics")).text
    return {f"{name}{labels}": float(value) for name, labels, value in re.findall(
        r"^(inkbook_group_commit\w*)(\{[^}]*\})? (\S+)$", text, re.MULTILINE)}


async def test_B25_metrics_count_the_group_commits_that_committed(
    postgres_api: BackendApi,
) -> None:
    api = postgres_api
    assert (await api.post_meta(webhook([message("wamid.m1", "hi")]))).status_code == 200
    assert (await api.post_meta(webhook([message("wamid.m2", "a rose")]))).status_code == 200

    figures = await scraped(api)
    assert figures['inkbook_group_commits_total{result="committed"}'] == 2
    assert figures['inkbook_group_commits_total{result="one_by_one"}'] == 0
    assert figures["inkbook_group_commit_fallbacks_total"] == 0


async def test_B25_metrics_count_a_batch_that_left_the_asyncpg_path(
    postgres_api: BackendApi,
) -> None:
    api = postgres_api
    batch = api.container.handle_inbound_batch()
    batch._uow = off_the_asyncpg_path(api.container.store())
    response = await api.post_meta(webhook([message("wamid.m1", "hi")]))

    assert response.status_code == 200
    assert await api.claimed("wamid.m1")  # decided once, on the one-message path
    figures = await scraped(api)
    assert figures['inkbook_group_commits_total{result="committed"}'] == 0
    assert figures['inkbook_group_commits_total{result="one_by_one"}'] == 1
    assert figures["inkbook_group_commit_fallbacks_total"] == 1
