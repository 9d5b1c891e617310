"""POST /webhooks/twilio and /webhooks/twilio/status through the real app (B-3, B-42, issue 13)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dependency_injector import providers

from entrypoints.settings import DEV_TWILIO_AUTH_TOKEN
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.fakes.twilio_api import running as twilio_running
from tests.integration.test_http_support import (
    CLIENT,
    Api,
    BrokenStore,
    running,
    sample,
    settings_for,
)
from tests.integration.twilio_support import STATUS_PATH, post_twilio, twilio_form

PUBLIC = "https://ink.example-studio.com"  # the URL of the recorded vector
VECTOR_TOKEN, VECTOR = "test_auth_token", "rzAGv2M/JfXm9CHCdsQCO7FT57M="
SAMPLE_SID = "SM6f1c9a2b3d4e5f60718293a4b5c6d7e8"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


@pytest.fixture
async def twilio_api(tmp_path: Path) -> AsyncIterator[Api]:
    """The app with the vector's auth token and public URL (console messenger)."""
    settings = settings_for(tmp_path, public_url=PUBLIC, twilio_auth_token=VECTOR_TOKEN)
    async with running(settings) as api:
        yield api


@pytest.fixture
def fake() -> AsyncIterator[FakeTwilio]:
    with twilio_running() as server:
        yield server


@pytest.fixture
async def sending_api(tmp_path: Path, fake: FakeTwilio) -> AsyncIterator[Api]:
    """The app sending through Twilio (the local fake), signed with the same auth token."""
    settings = settings_for(
        tmp_path, messenger="twilio", public_url=PUBLIC, twilio_api_base=fake.url,
        twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
    )
    async with running(settings) as api:
        yield api


async def _post(api: Api, values: dict[str, str], **kw: str | None) -> object:
    return await post_twilio(api, values, VECTOR_TOKEN, PUBLIC, **kw)  # type: ignore[arg-type]


# -- B-42: authenticity ------------------------------------------------------------------


async def test_B42_the_sample_with_its_vector_is_recorded_and_answered_with_empty_twiml(
    twilio_api: Api,
) -> None:
    response = await twilio_api.client.post(
        "/webhooks/twilio",
        content=sample("twilio_inbound.txt").strip(),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "X-Twilio-Signature": VECTOR},
    )

    assert response.status_code == 200
    assert response.text == EMPTY_TWIML
    assert response.headers["content-type"].startswith("text/xml")
    [lead] = await twilio_api.leads()
    assert (lead.contact, lead.name, lead.provider) == (CLIENT, "Zoë Müller", "twilio")
    async with twilio_api.container.store().uow() as uow:
        assert not await uow.claim(f"twilio:{SAMPLE_SID}")


@pytest.mark.parametrize(
    ("signature", "reason"), [("c2lnbmF0dXJl", "bad_signature"), (None, "missing_signature")]
)
async def test_B42_a_bad_signature_is_403_and_an_event_nothing_stored(
    twilio_api: Api, signature: str | None, reason: str
) -> None:
    response = await _post(twilio_api, twilio_form("SM" + "1" * 32), signature=signature)

    assert response.status_code == 403  # type: ignore[attr-defined]
    assert await twilio_api.leads() == []
    [event] = await twilio_api.events("signature_failed")
    assert event.detail == {"provider": "twilio", "reason": reason}
    assert [e.kind for e in await twilio_api.events()] == ["signature_failed"]


async def test_B42_a_signature_over_the_proxys_url_is_refused(twilio_api: Api) -> None:
    values = twilio_form("SM" + "2" * 32)

    response = await post_twilio(twilio_api, values, VECTOR_TOKEN, "http://testserver.local")

    assert response.status_code == 403
    assert await twilio_api.leads() == []


async def test_B42_console_mode_verifies_with_the_development_token(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)  # no Twilio credentials at all: README's curl works
    async with running(settings) as api:
        response = await post_twilio(api, twilio_form("SM" + "3" * 32), DEV_TWILIO_AUTH_TOKEN,
                                     settings.public_url)
        assert response.status_code == 200
        assert len(await api.leads()) == 1


async def test_B42_twilio_webhooks_are_refused_when_twilio_is_not_configured(
    tmp_path: Path,
) -> None:
    settings = settings_for(tmp_path, messenger="meta", meta_access_token="t")
    async with running(settings) as api:
        response = await post_twilio(api, twilio_form("SM" + "4" * 32), DEV_TWILIO_AUTH_TOKEN,
                                     settings.public_url)
        assert response.status_code == 403
        [event] = await api.events("signature_failed")
        assert event.detail["reason"] == "no_auth_token"


# -- B-3, B-45: once, and never lost ---------------------------------------------------


async def test_B3_a_redelivered_message_sid_is_processed_once(twilio_api: Api) -> None:
    values = twilio_form("SM" + "5" * 32, "hi")

    for _ in range(3):
        assert (await _post(twilio_api, values)).status_code == 200  # type: ignore[attr-defined]

    [lead] = await twilio_api.leads()
    async with twilio_api.container.store().uow() as uow:
        assert len(await uow.outbox.for_lead(lead.id)) == 2  # one welcome, one question


async def test_B45_a_signed_body_without_message_sid_is_400(twilio_api: Api) -> None:
    values = twilio_form("SM" + "6" * 32)
    del values["MessageSid"]

    response = await _post(twilio_api, values)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert await twilio_api.leads() == []


async def test_B45_database_down_is_503_with_retry_after_and_a_retry_succeeds(
    twilio_api: Api,
) -> None:
    values = twilio_form("SM" + "7" * 32)
    with twilio_api.container.store.override(providers.Object(BrokenStore())):
        twilio_api.container.handle_inbound.reset()
        response = await _post(twilio_api, values)
    twilio_api.container.handle_inbound.reset()

    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response.headers["retry-after"]  # type: ignore[attr-defined]
    assert (await _post(twilio_api, values)).status_code == 200  # type: ignore[attr-defined]
    assert len(await twilio_api.leads()) == 1


# -- B-46: routing by the number written to ---------------------------------------------


async def test_B46_a_message_to_an_unknown_sender_is_recorded_not_lost_silently(
    twilio_api: Api,
) -> None:
    values = twilio_form("SM" + "8" * 32, To="whatsapp:+15550001111")

    assert (await _post(twilio_api, values)).status_code == 200  # type: ignore[attr-defined]

    assert await twilio_api.leads() == []
    [event] = await twilio_api.events("unknown_channel")
    assert event.detail["channel"] == "+15550001111"
    assert event.detail["provider"] == "twilio"


# -- sending through Twilio, and its status callbacks --------------------------------------


async def test_B31_replies_go_out_through_twilio_and_statuses_come_back(
    sending_api: Api, fake: FakeTwilio
) -> None:
    values = twilio_form("SM" + "9" * 32, "hi")
    assert (await post_twilio(sending_api, values, AUTH_TOKEN, PUBLIC)).status_code == 200

    # one pass: the recipient's queue goes as a chain, in order (issue 12)
    assert await sending_api.container.relay().run_once() == 2
    await sending_api.container.relay().run_once()

    welcome, question = fake.to(CLIENT)
    assert welcome["From"] == "whatsapp:+14155238886"
    assert question["StatusCallback"] == PUBLIC + STATUS_PATH
    [lead] = await sending_api.leads()
    async with sending_api.container.store().uow() as uow:
        sids = [i.provider_message_id for i in await uow.outbox.for_lead(lead.id)]
    assert all(sid and sid.startswith("SM") for sid in sids)

    for state in ("read", "delivered"):  # out of order: read wins
        report = {"MessageSid": sids[0], "MessageStatus": state, "To": f"whatsapp:+{CLIENT}",
                  "AccountSid": ACCOUNT_SID}
        response = await post_twilio(sending_api, report, AUTH_TOKEN, PUBLIC, path=STATUS_PATH)
        assert response.status_code == 200
    async with sending_api.container.store().uow() as uow:
        first = next(i for i in await uow.outbox.for_lead(lead.id) if i.provider_message_id
                     == sids[0])
    assert first.delivery == "read"


async def test_B27_an_undelivered_status_is_a_failure_of_its_lead(
    sending_api: Api, fake: FakeTwilio
) -> None:
    await post_twilio(sending_api, twilio_form("SM" + "a" * 32, "hi"), AUTH_TOKEN, PUBLIC)
    await sending_api.container.relay().run_once()
    [lead] = await sending_api.leads()
    async with sending_api.container.store().uow() as uow:
        sid, *_ = [i.provider_message_id for i in await uow.outbox.for_lead(lead.id)
                   if i.provider_message_id]  # the welcome (its question went in the same pass)

    report = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30005",
              "To": f"whatsapp:+{CLIENT}"}
    response = await post_twilio(sending_api, report, AUTH_TOKEN, PUBLIC, path=STATUS_PATH)

    assert response.status_code == 200
    [event] = await sending_api.events("delivery_failed_async")
    assert event.lead_id == lead.id
    assert event.detail["error_code"] == 30005 and event.detail["failure"] == "permanent"


async def test_B42_a_status_callback_with_a_bad_signature_is_refused(sending_api: Api) -> None:
    report = {"MessageSid": "SM" + "b" * 32, "MessageStatus": "delivered"}

    response = await post_twilio(sending_api, report, "wrong", PUBLIC, path=STATUS_PATH)

    assert response.status_code == 403
