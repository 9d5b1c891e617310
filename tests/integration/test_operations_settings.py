"""Issue 7 operations: the metrics token, two Meta app secrets during a roll, the database
timeouts as settings (a wrong value is one line naming the variable)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from adapters.meta import sign
from entrypoints.settings import SettingsError, load_settings
from tests.integration.test_http_support import (
    environment,
    message,
    running,
    settings_for,
    webhook,
)


async def test_metrics_need_the_bearer_token_when_one_is_set(tmp_path: Path) -> None:
    async with running(settings_for(tmp_path, metrics_token="scrape-me")) as api:
        anonymous = await api.client.get("/metrics")
        wrong = await api.client.get("/metrics", headers={"Authorization": "Bearer nope"})
        right = await api.client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})

    assert anonymous.status_code == 401 and anonymous.json()["error"]
    assert wrong.status_code == 401
    assert right.status_code == 200 and "inkbook_webhooks_received" in right.text


async def test_metrics_are_open_without_a_token(tmp_path: Path) -> None:
    async with running(settings_for(tmp_path)) as api:
        assert (await api.client.get("/metrics")).status_code == 200


async def test_B42_during_a_secret_roll_both_secrets_sign_and_nothing_else(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path, meta_app_secret="new-secret, old-secret")
    first = webhook([message("wamid.roll.1", "hi")])
    second = webhook([message("wamid.roll.2", "a rose")])
    async with running(settings) as api:
        new = await api.post_meta(first, sign("new-secret", first))
        old = await api.post_meta(second, sign("old-secret", second))
        other = await api.post_meta(first, sign("another-secret", first))
        joined = await api.post_meta(first, sign("new-secret, old-secret", first))

    assert (new.status_code, old.status_code) == (200, 200)
    assert (other.status_code, joined.status_code) == (401, 401)


def test_database_timeouts_are_settings_with_defaults(tmp_path: Path) -> None:
    defaults = load_settings(env=environment(tmp_path))
    chosen = load_settings(env=environment(tmp_path, db_connect_timeout="2s",
                                           db_statement_timeout="3s"))

    assert defaults.db_connect_timeout == defaults.db_statement_timeout == timedelta(seconds=5)
    assert chosen.db_connect_timeout == timedelta(seconds=2)
    assert chosen.db_statement_timeout == timedelta(seconds=3)


@pytest.mark.parametrize("name", ["db_connect_timeout", "db_statement_timeout"])
def test_a_bad_database_timeout_is_one_line_naming_it(tmp_path: Path, name: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(env=environment(tmp_path, **{name: "soon"}))
    assert str(error.value).startswith(f"INKBOOK_{name.upper()}:")
    assert "\n" not in str(error.value)
