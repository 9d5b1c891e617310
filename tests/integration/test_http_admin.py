"""GET /api/leads and /api/leads/{id}: the CONTRACT.md lead shape, behind the admin key (B-43)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.integration.test_http_support import (
    CLIENT,
    Api,
    message,
    now_ts,
    running,
    settings_for,
    webhook,
)

CONTRACT_FIELDS = {
    "id",
    "studio",
    "contact",
    "name",
    "status",
    "current_question",
    "answers",
    "understood",
    "handover_reason",
    "deposit",
    "booking",
    "thread",
}
OTHER_CLIENT = "447700900555"


async def say(api: Api, texts: list[str], contact: str = CLIENT, start: int = 10) -> None:
    """The client's messages, each written after the previous reply could be seen (B-5)."""
    for i, text in enumerate(texts):
        item = message(
            f"wamid.{contact}.{start + i}", text, contact=contact, ts=now_ts(start + 10 * i)
        )
        response = await api.post_meta(webhook([item]))
        assert response.status_code == 200


async def lead_id_of(api: Api, contact: str = CLIENT) -> str:
    [lead] = [lead for lead in await api.leads() if lead.contact == contact]
    return lead.id


# -- B-43: authentication --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/leads", "/api/leads/some-id"])
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer wrong-key",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4=",
        "admin-key-for-tests",
        "Bearer admin-key-for-tests-and-more",
    ],
    ids=["missing", "wrong", "empty", "basic", "no-scheme", "longer"],
)
async def test_without_the_right_key_every_call_is_401(
    api: Api, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = await api.client.get(path, headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "error" in response.json()


async def test_with_no_key_configured_every_call_is_401(tmp_path: Path) -> None:
    async with running(settings_for(tmp_path, admin_api_key=None)) as api:
        for key in ("", "None", "admin-key-for-tests"):
            response = await api.admin("/api/leads", key=key)
            assert response.status_code == 401


async def test_bearer_scheme_is_case_insensitive(api: Api) -> None:
    response = await api.client.get(
        "/api/leads", headers={"Authorization": "bearer admin-key-for-tests"}
    )
    assert response.status_code == 200


# -- the lead shape ----------------------------------------------------------------------------


async def test_lead_detail_has_the_contract_fields_after_a_conversation(api: Api) -> None:
    await say(api, ["Hi!", "A fine-line swallow", "Left forearm"])
    lead_id = await lead_id_of(api)

    response = await api.admin(f"/api/leads/{lead_id}")

    assert response.status_code == 200
    lead = response.json()
    assert set(lead) >= CONTRACT_FIELDS
    assert lead["id"] == lead_id
    assert lead["studio"] == "demo"
    assert lead["contact"] == CLIENT
    assert lead["name"] == "Zoë"
    assert lead["status"] == "QUALIFYING"
    assert lead["current_question"] == "size"
    # "fine-line" in the idea answers the style question too (B-47)
    assert lead["answers"] == {
        "idea": "A fine-line swallow", "style": "fine-line", "placement": "Left forearm"
    }
    assert lead["understood"] == {
        "idea": {"text": "A fine-line swallow"},
        "style": {"text": "fine-line"},
        "placement": {"text": "Left forearm"},
    }
    assert lead["handover_reason"] is None
    assert lead["deposit"] is None
    assert lead["booking"] is None
    assert lead["step"] == 2
    thread = lead["thread"]
    assert [t["text"] for t in thread if t["direction"] == "in"] == [
        "Hi!",
        "A fine-line swallow",
        "Left forearm",
    ]
    assert {t["direction"] for t in thread} == {"in", "out"}
    assert all(set(t) >= {"direction", "text", "at"} for t in thread)
    assert all(datetime.fromisoformat(t["at"]).tzinfo is not None for t in thread)
    assert thread[-1]["direction"] == "out"  # the size question
    assert lead["transitions"][0] == {
        "from": "NEW",
        "to": "QUALIFYING",
        "reason": lead["transitions"][0]["reason"],
        "actor": "client",
        "at": lead["transitions"][0]["at"],
    }


async def test_handover_reason_shows(api: Api) -> None:
    await say(api, ["Hi!", "I want to talk to a human"])

    lead = (await api.admin(f"/api/leads/{await lead_id_of(api)}")).json()

    assert lead["status"] == "NEEDS_ARTIST_REPLY"
    assert lead["handover_reason"] == "client_asked"


async def test_unknown_lead_is_404(api: Api) -> None:
    response = await api.admin("/api/leads/does-not-exist")

    assert response.status_code == 404
    assert "error" in response.json()


# -- the list ------------------------------------------------------------------------------


async def test_list_is_newest_first_with_summaries_without_thread(api: Api) -> None:
    await say(api, ["Hi!"], contact=CLIENT)
    await say(api, ["Hello"], contact=OTHER_CLIENT, start=100)

    response = await api.admin("/api/leads")

    assert response.status_code == 200
    leads = response.json()["leads"]
    assert [lead["contact"] for lead in leads] == [OTHER_CLIENT, CLIENT]
    for lead in leads:
        assert CONTRACT_FIELDS - {"thread"} <= set(lead)
        assert "thread" not in lead


async def test_status_filter(api: Api) -> None:
    await say(api, ["Hi!"], contact=CLIENT)
    await say(api, ["Hello", "STOP"], contact=OTHER_CLIENT, start=100)

    qualifying = (await api.admin("/api/leads", status="QUALIFYING")).json()["leads"]
    optout = (await api.admin("/api/leads", status="optout")).json()["leads"]
    booked = (await api.admin("/api/leads", status="BOOKED")).json()["leads"]

    assert [lead["contact"] for lead in qualifying] == [CLIENT]
    assert [lead["contact"] for lead in optout] == [OTHER_CLIENT]
    assert [lead["status"] for lead in optout] == ["OPTOUT"]
    assert booked == []


async def test_limit_offset_and_studio(api: Api) -> None:
    await say(api, ["Hi!"], contact=CLIENT)
    await say(api, ["Hello"], contact=OTHER_CLIENT, start=100)

    first = (await api.admin("/api/leads", limit=1)).json()["leads"]
    second = (await api.admin("/api/leads", limit=1, offset=1)).json()["leads"]
    demo = (await api.admin("/api/leads", studio="demo")).json()["leads"]
    other = (await api.admin("/api/leads", studio="another-studio")).json()["leads"]

    assert [lead["contact"] for lead in first + second] == [OTHER_CLIENT, CLIENT]
    assert len(demo) == 2
    assert other == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "NOT_A_STATUS"},
        {"limit": "0"},
        {"limit": "lots"},
        {"offset": "-1"},
        {"offset": "9223372036854775808"},  # the probe's 500 (issue 7)
        {"offset": "1000000001"},
        {"limit": "99999999999999999999999"},
        {"studio": "s" * 201},
    ],
    ids=["status", "limit-zero", "limit-text", "offset-negative", "offset-past-int64",
         "offset-past-bound", "limit-huge", "studio-too-long"],
)
async def test_bad_query_parameters_are_400_with_a_clear_error(
    api: Api, params: dict[str, str]
) -> None:
    response = await api.admin("/api/leads", **params)

    assert response.status_code == 400
    assert response.json()["error"]
