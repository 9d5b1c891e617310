"""Studios cannot see each other (B-46): studio API keys are scoped to their studio (issue 13).

Two studios in one deployment (a directory of profiles). The operator's key sees both; a
studio key sees its own leads, and another studio's lead answers 404, as if it did not exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.profile import demo_profile_path
from tests.integration.test_http_support import (
    ADMIN_KEY,
    Api,
    message,
    running,
    settings_for,
    webhook,
)

MINIMAL = Path(__file__).parents[1] / "unit" / "fixtures" / "minimal_studio.yaml"
DEMO_CHANNEL, TINY_CHANNEL = "112233445566778", "998877665544"
INKBOOK = Path(sys.executable).with_name("inkbook")

# Every admin endpoint that names a lead: (method, path, json body). Actions join as they land.
LEAD_ENDPOINTS: list[tuple[str, str, dict[str, str] | None]] = [
    ("GET", "/api/leads/{id}", None),
    ("POST", "/api/leads/{id}/erase", None),  # issue 10 (B-40)
    ("GET", "/api/leads/{id}/export", None),  # issue 10 (B-49)
    # issue 8: the artist's actions (B-24)
    ("POST", "/api/leads/{id}/approve", None),
    ("POST", "/api/leads/{id}/reject", None),
    ("POST", "/api/leads/{id}/resume", None),
    ("POST", "/api/leads/{id}/reply", {"text": "Hello from another studio"}),
    ("POST", "/api/leads/{id}/release", None),
    ("POST", "/api/leads/{id}/book", {"start": "2030-01-08T12:00:00+00:00"}),  # issue 9
]


@pytest.fixture
async def two_studios(tmp_path: Path) -> AsyncIterator[Api]:
    profiles = tmp_path / "studios"
    profiles.mkdir()
    shutil.copy(demo_profile_path(), profiles / "demo.yaml")
    shutil.copy(MINIMAL, profiles / "tiny.yaml")
    settings = settings_for(tmp_path, profile=str(profiles))
    async with running(settings) as api:
        for channel, contact in ((DEMO_CHANNEL, "447911000001"), (TINY_CHANNEL, "447911000002")):
            body = webhook([message(f"wamid.{contact}", "Hi!", contact=contact)], channel=channel)
            assert (await api.post_meta(body)).status_code == 200
        yield api


async def lead_of(api: Api, studio: str) -> str:
    leads = [lead for lead in await api.leads() if lead.studio == studio]
    assert len(leads) == 1
    return leads[0].id


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_B46_a_studio_key_lists_its_own_studio_only(two_studios: Api) -> None:
    api = two_studios
    key = (await api.container.studio_keys().issue("tiny", "test")).secret
    mine = (await api.client.get("/api/leads", headers=bearer(key))).json()["leads"]
    assert [lead["studio"] for lead in mine] == ["tiny"]
    other = await api.client.get("/api/leads?studio=demo", headers=bearer(key))
    assert other.status_code == 200 and other.json()["leads"] == []
    everyone = (await api.client.get("/api/leads", headers=bearer(ADMIN_KEY))).json()["leads"]
    assert sorted(lead["studio"] for lead in everyone) == ["demo", "tiny"]


@pytest.mark.parametrize(("method", "path", "body"), LEAD_ENDPOINTS)
async def test_B46_another_studio_s_lead_answers_404_and_nothing_changes(
    two_studios: Api, method: str, path: str, body: dict[str, str] | None
) -> None:
    api = two_studios
    key = (await api.container.studio_keys().issue("tiny")).secret
    theirs = await lead_of(api, "demo")
    before = (await api.client.get(f"/api/leads/{theirs}", headers=bearer(ADMIN_KEY))).json()
    response = await api.client.request(
        method, path.format(id=theirs), json=body, headers=bearer(key)
    )
    assert response.status_code == 404
    after = (await api.client.get(f"/api/leads/{theirs}", headers=bearer(ADMIN_KEY))).json()
    assert after == before
    own = await lead_of(api, "tiny")
    assert (await api.client.get(f"/api/leads/{own}", headers=bearer(key))).status_code == 200


async def test_B43_a_revoked_or_unknown_studio_key_is_refused(two_studios: Api) -> None:
    api = two_studios
    keys = api.container.studio_keys()
    issued = await keys.issue("demo")
    assert (await api.client.get("/api/leads", headers=bearer(issued.secret))).status_code == 200
    await keys.revoke(issued.key.id)
    for token in (issued.secret, "ink_not-a-key", issued.key.id):
        assert (await api.client.get("/api/leads", headers=bearer(token))).status_code == 401


def test_keys_add_prints_the_key_once_and_list_never_shows_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INKBOOK_")}
    env["INKBOOK_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'inkbook.db'}"

    def inkbook(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(INKBOOK), "keys", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60, check=False)

    added = inkbook("add", "--studio", "demo", "--name", "zapier")
    assert added.returncode == 0, added.stderr
    secret = added.stdout.strip()
    assert secret.startswith("ink_") and len(secret) > 40
    listed = inkbook("list")
    assert secret not in listed.stdout and "demo\tzapier" in listed.stdout
    key_id = listed.stdout.split("\t", 1)[0]
    assert "revoked" in inkbook("revoke", key_id).stdout
    assert "revoked" in inkbook("list").stdout
    wrong = inkbook("add", "--studio", "nope")
    assert wrong.returncode == 2 and wrong.stderr.strip().startswith("inkbook: --studio: no studio")
    for file in tmp_path.glob("inkbook.db*"):  # the database and its WAL: stored hashed only
        assert secret.encode() not in file.read_bytes()
