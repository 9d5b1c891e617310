"""``inkbook users`` on a SQLite file, and ``GET /api/leads.csv`` (issue 14, B-43)."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from entrypoints.cli import main
from tests.integration.test_http_admin import say
from tests.integration.test_http_support import Api, environment
from tests.integration.test_http_tenancy import two_studios  # noqa: F401 (fixture)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def users(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["users", *args])


def test_B43_users_add_list_remove(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    added = users(monkeypatch, "add", "Mara@Inkwell.example", "--studio", "demo",
                  "--password-stdin", stdin="a long password\n")
    again = users(monkeypatch, "add", "mara@inkwell.example", "--studio", "demo",
                  "--password-stdin", stdin="a long password\n")
    unknown = users(monkeypatch, "add", "x@y.example", "--studio", "nope",
                    "--password-stdin", stdin="a long password\n")
    capsys.readouterr()
    listed = users(monkeypatch, "list")
    listing = capsys.readouterr().out
    removed = users(monkeypatch, "remove", "mara@inkwell.example")
    twice = users(monkeypatch, "remove", "mara@inkwell.example")
    err = capsys.readouterr().err

    assert (added, again, unknown, listed, removed, twice) == (0, 1, 1, 0, 0, 1)
    assert listing.startswith("mara@inkwell.example\tdemo\t")
    assert "a long password" not in listing
    assert "no login mara@inkwell.example" in err


def test_B43_users_add_refuses_an_in_memory_database(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INKBOOK_DATABASE_URL", "memory://")

    code = users(monkeypatch, "add", "a@b.example", "--studio", "demo", "--password-stdin",
                 stdin="a long password\n")

    assert code == 2
    assert "INKBOOK_DATABASE_URL" in capsys.readouterr().err


async def test_leads_csv_needs_the_admin_key(api: Api) -> None:
    assert (await api.client.get("/api/leads.csv")).status_code == 401
    assert (await api.admin("/api/leads.csv", key="wrong")).status_code == 401


async def test_leads_csv_has_a_bom_a_row_per_lead_and_understood_columns(api: Api) -> None:
    await say(api, ["Hi!", "A swallow", "Left forearm", "10x12cm"])
    await say(api, ["Hello", "@SUM(1+1)"], contact="447700900555", start=100)

    response = await api.admin("/api/leads.csv")
    other = await api.admin("/api/leads.csv", studio="another-studio")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["contact"] for row in rows] == ["447700900555", "447911123456"]
    assert rows[1]["idea"] == "A swallow"
    assert rows[1]["size.width_cm"] == "10.0" and rows[1]["size.height_cm"] == "12.0"
    assert rows[0]["idea"] == "'@SUM(1+1)"
    assert len(list(csv.reader(io.StringIO(other.content.decode("utf-8-sig"))))) == 1  # header


async def test_B46_a_studio_key_downloads_its_own_studios_leads_only(two_studios: Api) -> None:  # noqa: F811
    api = two_studios
    key = (await api.container.studio_keys().issue("tiny", "test")).secret
    headers = {"Authorization": f"Bearer {key}"}

    mine = await api.client.get("/api/leads.csv", headers=headers)
    asked_other = await api.client.get("/api/leads.csv", params={"studio": "demo"},
                                       headers=headers)
    everyone = await api.admin("/api/leads.csv")

    def studios(response: object) -> list[str]:
        text = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
        return [row["studio"] for row in csv.DictReader(io.StringIO(text))]

    assert studios(mine) == ["tiny"]
    assert studios(asked_other) == []
    assert sorted(studios(everyone)) == ["demo", "tiny"]


async def test_B46_an_inbox_login_sees_its_own_studio_only(two_studios: Api) -> None:  # noqa: F811
    from tests.integration.inbox_support import add_login, sign_in
    from tests.integration.test_http_tenancy import lead_of

    api = two_studios
    await add_login(api, studio="tiny")
    await sign_in(api)
    theirs, own = await lead_of(api, "demo"), await lead_of(api, "tiny")

    listing = (await api.client.get("/inbox")).text
    spreadsheet = (await api.client.get("/inbox/leads.csv")).content.decode("utf-8-sig")

    assert own in listing and theirs not in listing
    assert (await api.client.get(f"/inbox/leads/{own}")).status_code == 200
    assert (await api.client.get(f"/inbox/leads/{theirs}")).status_code == 404
    assert own in spreadsheet and theirs not in spreadsheet
