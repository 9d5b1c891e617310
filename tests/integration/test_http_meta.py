"""POST/GET /webhooks/meta through the real app on a real SQLite file (B-3, B-42, B-45, A1-A4)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import structlog
from dependency_injector import providers

from adapters.meta import sign
from core.domain.inbound import Inbound
from core.usecases.inbound import Outcome
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings
from tests.integration.test_http_support import (
    CHANNEL,
    CLIENT,
    VERIFY_TOKEN,
    Api,
    BrokenStore,
    message,
    now_ts,
    running,
    sample,
    settings_for,
    status,
    vectors,
    webhook,
)

SAMPLES = sorted(vectors())
TEXT_ID = "wamid.HBgMNDQ3OTExMTIzNDU2FQIAEhggQTNGMkU5QjdDMTA0RDg1NkE5MEIzQzc3RjJFMTlEMDQA"
FAILED_ID = "wamid.HBgMNDQ3OTExMTIzNDU2FQIAERgSMEM4QTJGNUQ2RTFCOTQ3QzNEAA=="
WRONG = "sha256=" + "0" * 64


def expected_counts(name: str) -> dict[str, int]:
    value = json.loads(sample(name))["entry"][0]["changes"][0]["value"]
    return {"received": len(value.get("messages", [])), "statuses": len(value.get("statuses", []))}


def test_every_sample_has_a_signature_vector() -> None:
    assert {"meta_text.json", "meta_image.json", "meta_status_failed.json"} <= set(SAMPLES)


# -- B-42: authenticity ----------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
async def test_sample_with_its_signature_vector_is_accepted(api: Api, name: str) -> None:
    response = await api.post_meta(sample(name), vectors()[name])

    assert response.status_code == 200  # exactly 200: Meta retries anything else (A4)
    assert response.json() == expected_counts(name)


@pytest.mark.parametrize("name", SAMPLES)
async def test_sample_with_a_wrong_signature_is_refused_and_nothing_stored(
    api: Api, name: str
) -> None:
    response = await api.post_meta(sample(name), WRONG)

    assert response.status_code == 401
    assert await api.leads() == []
    assert not await api.claimed(TEXT_ID)
    [event] = await api.events("signature_failed")
    assert event.level == "warning"
    assert event.detail == {"provider": "meta", "reason": "bad_signature"}
    assert [e.kind for e in await api.events()] == ["signature_failed"]


async def test_missing_signature_is_refused(api: Api) -> None:
    response = await api.post_meta(sample("meta_text.json"), signature=None)

    assert response.status_code == 401
    assert "error" in response.json()
    assert await api.leads() == []
    [event] = await api.events("signature_failed")
    assert event.detail["reason"] == "missing_signature"


async def test_signature_of_another_body_is_refused(api: Api) -> None:
    response = await api.post_meta(sample("meta_text.json"), vectors()["meta_image.json"])

    assert response.status_code == 401
    assert not await api.claimed(TEXT_ID)


async def test_signature_is_checked_before_parsing(api: Api) -> None:
    response = await api.post_meta(b"{not json", WRONG)

    assert response.status_code == 401  # not 400: nothing is parsed before the signature


async def test_a_flood_of_forged_posts_is_recorded_without_a_write_each(api: Api) -> None:
    body = sample("meta_text.json")
    responses = [await api.post_meta(body, WRONG) for _ in range(3)]
    api.client.app.state.meta_webhook.refusal_event_interval = timedelta(0)
    last = await api.post_meta(body, WRONG)

    assert {r.status_code for r in [*responses, last]} == {401}
    first, second = await api.events("signature_failed")
    assert "unrecorded_before" not in first.detail
    assert second.detail["unrecorded_before"] == 2
    metrics = (await api.client.get("/metrics")).text
    assert 'inkbook_signature_failures_total{provider="meta"} 4.0' in metrics


async def test_console_mode_without_app_secret_verifies_with_the_development_secret(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path, meta_app_secret=None)
    assert settings.meta_app_secret  # load_settings supplies a published development secret
    body = sample("meta_text.json")
    async with running(settings) as api:
        unsigned = await api.post_meta(body, signature=None)
        signed = await api.post_meta(body, sign(settings.meta_app_secret, body))
        assert (unsigned.status_code, signed.status_code) == (401, 200)


async def test_B42_settings_without_any_secret_refuse_everything_even_in_console_mode(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path)
    bare = Settings(database_url=settings.database_url, messenger="console", meta_app_secret=None)
    async with running(bare) as api:
        response = await api.post_meta(sample("meta_text.json"), signature=None)
        assert response.status_code == 401
        assert await api.leads() == []


async def test_without_app_secret_a_real_messenger_refuses_everything(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    unsafe = Settings(
        database_url=settings.database_url,
        messenger="meta",
        meta_access_token="token",
        admin_api_key="k",
    )
    async with running(unsafe) as api:
        response = await api.post_meta(sample("meta_text.json"), vectors()["meta_text.json"])
        assert response.status_code == 401
        assert await api.leads() == []
        [event] = await api.events("signature_failed")
        assert event.detail["reason"] == "no_app_secret"


# -- B-3: idempotency ----------------------------------------------------------------------


async def test_same_message_twice_is_processed_once(api: Api) -> None:
    first = await api.post_meta(webhook([message("wamid.hello", "Hi there")]))
    body = webhook([message("wamid.idea", "A swallow")])  # no detail volunteered (B-47)
    second = await api.post_meta(body)
    async with api.container.store().uow() as uow:
        [lead] = await uow.leads.list()
        before = (lead, await uow.leads.answers(lead.id), await uow.outbox.for_lead(lead.id))

    again = await api.post_meta(body)

    assert [r.status_code for r in (first, second, again)] == [200, 200, 200]
    assert again.json() == {"received": 1, "statuses": 0}
    async with api.container.store().uow() as uow:
        [lead] = await uow.leads.list()
        after = (lead, await uow.leads.answers(lead.id), await uow.outbox.for_lead(lead.id))
    assert after == before
    assert [a.key for a in after[1]] == ["idea"]  # one answer stored
    assert lead.step == 1  # one step advance


async def test_same_sample_twice_gives_one_lead_and_replies_queued_once(api: Api) -> None:
    name = "meta_text.json"
    await api.post_meta(sample(name), vectors()[name])
    leads = await api.leads()
    async with api.container.store().uow() as uow:
        queued = await uow.outbox.for_lead(leads[0].id)

    response = await api.post_meta(sample(name), vectors()[name])

    assert response.status_code == 200
    assert [lead.version for lead in await api.leads()] == [leads[0].version]
    async with api.container.store().uow() as uow:
        assert await uow.outbox.for_lead(leads[0].id) == queued
    assert len(queued) >= 1


# -- B-45: bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"[]", b'{"entry": 5}', b"\xff\xfe{}", b'{"entry": [{"changes": [}'],
    ids=["broken", "empty", "array", "wrong-shape", "bad-utf8-bom", "truncated"],
)
async def test_malformed_signed_body_is_400(api: Api, body: bytes) -> None:
    response = await api.post_meta(body)

    assert response.status_code == 400
    assert response.json()["error"]


async def test_invalid_utf8_is_400_with_a_clear_error(api: Api) -> None:
    body = webhook([message("wamid.utf", "café")]).replace(b"caf\\u00e9", b"caf\xe9")

    response = await api.post_meta(body)

    assert response.status_code == 400
    assert "UTF-8" in response.json()["error"]
    assert await api.leads() == []


async def test_body_over_the_limit_is_413(api: Api, settings: Settings) -> None:
    body = b" " * (settings.max_body_bytes + 1)

    response = await api.post_meta(body)

    assert response.status_code == 413
    assert "error" in response.json()


async def test_ten_thousand_character_message_is_stored(api: Api) -> None:
    text = "swallow " * 1250

    response = await api.post_meta(webhook([message("wamid.long", text)]))

    assert response.status_code == 200
    [lead] = await api.leads()
    async with api.container.store().uow() as uow:
        thread = await uow.leads.thread(lead.id)
    assert [e.text for e in thread if e.direction == "in"] == [text]
    assert len(text) == 10_000


@pytest.mark.parametrize(
    ("kind", "part"),
    [
        ("reaction", {"message_id": "wamid.earlier", "emoji": "\U0001f44d"}),
        ("sticker", {"id": "sticker-1", "mime_type": "image/webp", "animated": False}),
        ("contacts", [{"name": {"formatted_name": "Sam"}, "phones": [{"phone": "+4420"}]}]),
        ("audio", {"id": "audio-1", "mime_type": "audio/ogg", "voice": True}),
        ("hologram", {"beam": [1, 2, 3]}),
        ("unsupported", None),
    ],
)
async def test_unexpected_message_types_are_acknowledged(api: Api, kind: str, part: object) -> None:
    item = message(f"wamid.{kind}", kind=kind, **({kind: part} if part is not None else {}))

    response = await api.post_meta(webhook([item]))

    assert response.status_code == 200
    assert response.json() == {"received": 1, "statuses": 0}
    assert await api.claimed(f"wamid.{kind}")


async def test_unknown_fields_are_ignored(api: Api) -> None:
    item = message("wamid.extra", "hello", brand_new_field={"x": 1})
    body = webhook([item]).replace(b'"object"', b'"surprise": true, "object"')

    response = await api.post_meta(body)

    assert response.status_code == 200
    assert await api.claimed("wamid.extra")


async def test_a_bad_item_does_not_lose_the_rest_of_the_batch(api: Api) -> None:
    no_id = {"from": CLIENT, "timestamp": "1", "type": "text", "text": {"body": "x"}}
    body = webhook([message("wamid.good", "hello"), no_id])

    response = await api.post_meta(body)

    assert response.status_code == 200
    assert response.json()["received"] == 1
    assert await api.claimed("wamid.good")
    [event] = await api.events("webhook_items_skipped")
    assert CLIENT not in json.dumps(event.detail)


# -- B-46: routing by the number written to ------------------------------------------------


async def test_message_to_an_unknown_number_is_recorded_not_lost_silently(api: Api) -> None:
    response = await api.post_meta(webhook([message("wamid.lost", "hi")], channel="999000111"))

    assert response.status_code == 200
    assert await api.leads() == []
    [event] = await api.events("unknown_channel")
    assert event.detail["channel"] == "999000111"
    assert event.detail["message_id"] == "wamid.lost"


# -- delivery statuses (A3, A4) -------------------------------------------------------------


async def test_statuses_update_the_outbox_delivery(api: Api) -> None:
    await api.post_meta(webhook([message("wamid.first", "hello")]))
    assert await api.container.relay().run_once() >= 1
    [lead] = await api.leads()
    async with api.container.store().uow() as uow:
        sent = [i for i in await uow.outbox.for_lead(lead.id) if i.provider_message_id]
    wamid = sent[0].provider_message_id
    assert wamid is not None

    for state in ("read", "delivered"):  # out of order: read wins (monotonic)
        response = await api.post_meta(webhook(statuses=[status(wamid, state)]))
        assert response.status_code == 200
        assert response.json() == {"received": 0, "statuses": 1}

    async with api.container.store().uow() as uow:
        item = next(i for i in await uow.outbox.for_lead(lead.id) if i.id == sent[0].id)
    assert item.delivery == "read"
    assert await api.events("delivery_failed_async") == []


async def test_failed_status_of_a_known_message_is_an_event_of_its_lead(api: Api) -> None:
    await api.post_meta(webhook([message("wamid.first", "hello")]))
    await api.container.relay().run_once()
    [lead] = await api.leads()
    async with api.container.store().uow() as uow:
        wamid = next(
            i for i in await uow.outbox.for_lead(lead.id) if i.provider_message_id
        ).provider_message_id
    assert wamid is not None

    response = await api.post_meta(webhook(statuses=[status(wamid, "failed", code=131026)]))

    assert response.status_code == 200
    [event] = await api.events("delivery_failed_async")
    assert event.lead_id == lead.id
    assert event.detail["error_code"] == 131026
    async with api.container.store().uow() as uow:
        item = next(i for i in await uow.outbox.for_lead(lead.id) if i.provider_message_id == wamid)
    assert item.delivery == "failed"


async def test_failed_status_sample_for_an_unknown_message_is_recorded(api: Api) -> None:
    name = "meta_status_failed.json"

    response = await api.post_meta(sample(name), vectors()[name])

    assert response.status_code == 200
    assert response.json() == {"received": 0, "statuses": 1}
    [event] = await api.events("delivery_failed_async")
    assert event.detail["error_code"] == 131047
    assert event.detail["provider_message_id"] == FAILED_ID
    assert event.detail["known"] is False


# -- A4: 503 so Meta retries ----------------------------------------------------------------


async def test_database_down_is_503_and_a_retry_later_succeeds(api: Api) -> None:
    body = webhook([message("wamid.retry", "hello")])
    with api.container.store.override(providers.Object(BrokenStore())):
        api.container.handle_inbound.reset()
        response = await api.post_meta(body)
    api.container.handle_inbound.reset()

    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert "Traceback" not in response.text

    retried = await api.post_meta(body)
    assert retried.status_code == 200
    assert len(await api.leads()) == 1


async def test_statuses_with_the_database_down_are_503(api: Api) -> None:
    api.container.store.override(providers.Object(BrokenStore()))
    try:
        response = await api.post_meta(webhook(statuses=[status("wamid.x", "read")]))
    finally:
        api.container.store.reset_override()

    assert response.status_code == 503


# -- A1: verification handshake -------------------------------------------------------------


async def test_handshake_with_the_right_token_echoes_the_raw_challenge(api: Api) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.challenge": "1158201444",
        "hub.verify_token": VERIFY_TOKEN,
    }

    response = await api.client.get("/webhooks/meta", params=params)

    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": "wrong"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN},
        {},
    ],
    ids=["wrong-token", "no-token", "no-challenge", "nothing"],
)
async def test_handshake_otherwise_is_403(api: Api, params: dict[str, str]) -> None:
    response = await api.client.get("/webhooks/meta", params=params)

    assert response.status_code == 403
    assert "1158201444" not in response.text


async def test_handshake_without_a_configured_token_is_403(tmp_path: Path) -> None:
    async with running(settings_for(tmp_path, meta_verify_token=None)) as api:
        response = await api.client.get(
            "/webhooks/meta", params={"hub.challenge": "1", "hub.verify_token": ""}
        )
    assert response.status_code == 403


# -- B-44 logs, metrics ---------------------------------------------------------------------


@pytest.fixture
def captured_logs() -> AsyncIterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("INFO", stream)
    yield stream  # type: ignore[misc]
    structlog.reset_defaults()
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_request_log_line_has_the_correlation_id_and_no_phone_number(
    api: Api, captured_logs: io.StringIO
) -> None:
    body = webhook([message("wamid.logged", "my secret tattoo idea")])

    response = await api.post_meta(body, signature="sign")
    await api.post_meta(body, signature="sha256=" + "1" * 64)  # refusals log too

    assert response.status_code == 200
    output = captured_logs.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    request_id = response.headers["x-request-id"]
    [line] = [x for x in lines if x.get("request_id") == request_id and x["event"] == "request"]
    assert line["path"] == "/webhooks/meta"
    assert line["method"] == "POST"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert CLIENT not in output
    assert CHANNEL not in output
    assert "my secret tattoo idea" not in output


async def test_metrics_count_webhooks_and_messages(api: Api) -> None:
    await api.post_meta(webhook([message("wamid.m1", "hello")]))
    await api.post_meta(webhook([message("wamid.m1", "hello")]))
    await api.post_meta(b"{}", signature="sha256=" + "2" * 64)

    text = (await api.client.get("/metrics")).text

    assert 'inkbook_webhooks_received_total{provider="meta",result="ok"} 2.0' in text
    assert 'inkbook_webhooks_received_total{provider="meta",result="unauthorized"} 1.0' in text
    assert 'inkbook_messages_decided_total{provider="meta",result="processed"} 1.0' in text
    assert 'inkbook_messages_decided_total{provider="meta",result="duplicate"} 1.0' in text
    assert 'inkbook_signature_failures_total{provider="meta"} 1.0' in text
    assert 'inkbook_webhook_seconds_count{provider="meta"} 2.0' in text


# -- batches: per-lead order (B-6), leads in parallel where the store allows ------------------

LEADS = ["447700900001", "447700900002", "447700900003"]
ANSWERS = ["Hi!", "A swallow", "Left forearm"]  # no detail volunteered (B-47)


def interleaved_batch() -> bytes:
    items = [
        message(
            f"wamid.{contact}.{i}",
            f"{text} ({contact[-1]})",
            contact=contact,
            ts=now_ts(10 + 10 * i),
        )
        for i, text in enumerate(ANSWERS)
        for contact in LEADS
    ]
    return webhook(items)


@pytest.mark.parametrize("backend", ["sqlite", "memory"])
async def test_a_batch_keeps_each_leads_order(tmp_path: Path, backend: str) -> None:
    memory = backend == "memory"  # a store with parallel writers: leads decided at once
    url = {"database_url": "memory://"} if memory else {}
    async with running(settings_for(tmp_path, migrate=not memory, **url)) as api:
        response = await api.post_meta(interleaved_batch())

        assert response.json() == {"received": 9, "statuses": 0}
        leads = await api.leads()
        assert sorted(lead.contact for lead in leads) == LEADS
        async with api.container.store().uow() as uow:
            for lead in leads:
                thread = await uow.leads.thread(lead.id)
                tag = f"({lead.contact[-1]})"
                assert [e.text for e in thread if e.direction == "in"] == [
                    f"{text} {tag}" for text in ANSWERS
                ]
                assert lead.step == 2
                assert list(lead.answers) == ["idea", "placement"]


async def test_one_failing_lead_makes_a_503_and_the_retry_completes_the_rest(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path, migrate=False, database_url="memory://")
    async with running(settings) as api:
        real = api.container.handle_inbound()
        failing = {LEADS[1]}

        async def flaky(inbound: Inbound) -> Outcome:
            if inbound.contact in failing:
                raise ConnectionResetError("database connection lost")
            return await real(inbound)

        body = interleaved_batch()
        with api.container.handle_inbound.override(providers.Object(flaky)):
            first = await api.post_meta(body)
            assert first.status_code == 503
            assert sorted(lead.contact for lead in await api.leads()) == [LEADS[0], LEADS[2]]
            failing.clear()
            retried = await api.post_meta(body)

        assert retried.status_code == 200
        leads = await api.leads()
        assert sorted(lead.contact for lead in leads) == LEADS
        assert {lead.step for lead in leads} == {2}  # nothing applied twice (B-3)
