"""B-27, B-28, B-31 over Twilio: what the Messages API receives, and its errors as the port's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.twilio import TwilioMessenger
from core.domain.outbound import Button, ButtonsIntent, ListIntent, Row, TemplateIntent, TextIntent
from ports.messenger import PermanentFailure, RateLimited, TransientFailure, WindowClosed
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, running

SENDER, CLIENT = "+14155238886", "447911123456"
CALLBACK = "https://ink.example.test/webhooks/twilio/status"
CONTENT_SID = "HX" + "b" * 32


@pytest.fixture
async def fake() -> AsyncIterator[FakeTwilio]:
    with running() as server:
        yield server


@pytest.fixture
async def messenger(fake: FakeTwilio) -> AsyncIterator[TwilioMessenger]:
    async with aiohttp.ClientSession() as session:
        yield TwilioMessenger(session, fake.url, ACCOUNT_SID, AUTH_TOKEN, CALLBACK)


async def test_B31_text_goes_from_the_studio_sender_to_the_client(
    fake: FakeTwilio, messenger: TwilioMessenger
) -> None:
    sent = await messenger.send(SENDER, CLIENT, TextIntent("Hi Zoë!"))

    [request] = fake.messages
    assert request["From"] == "whatsapp:+14155238886"
    assert request["To"] == "whatsapp:+447911123456"
    assert request["Body"] == "Hi Zoë!"
    assert request["StatusCallback"] == CALLBACK  # statuses come back to /webhooks/twilio/status
    assert sent.provider_message_id.startswith("SM")


async def test_B31_buttons_and_lists_are_numbered_text(
    fake: FakeTwilio, messenger: TwilioMessenger
) -> None:
    await messenger.send(SENDER, CLIENT, ButtonsIntent("Cover-up?", (Button("yes", "Yes"),
                                                                      Button("no", "No"))))
    rows = (Row("a", "Mon 10:00"), Row("b", "Tue 14:00", "afternoon"))
    await messenger.send(SENDER, CLIENT, ListIntent("Pick a slot", "Slots", rows))

    assert [m["Body"] for m in fake.messages] == [
        "Cover-up?\n1. Yes\n2. No",
        "Pick a slot\n1. Mon 10:00\n2. Tue 14:00",
    ]


async def test_B28_templates_go_by_content_sid_with_numbered_variables(
    fake: FakeTwilio, messenger: TwilioMessenger
) -> None:
    intent = TemplateIntent("inkwell_deposit_link", "en_GB", ("Ada", "£50"), CONTENT_SID)

    await messenger.send(SENDER, CLIENT, intent)

    [request] = fake.messages
    assert request["ContentSid"] == CONTENT_SID and "Body" not in request
    assert json.loads(request["ContentVariables"]) == {"1": "Ada", "2": "£50"}


async def test_B28_a_template_without_a_content_sid_is_a_permanent_failure(
    fake: FakeTwilio, messenger: TwilioMessenger
) -> None:
    with pytest.raises(PermanentFailure):
        await messenger.send(SENDER, CLIENT, TemplateIntent("inkwell_deposit_link", "en_GB"))
    assert fake.requests == 0


async def test_a_body_over_twilios_limit_is_clipped_not_refused(
    fake: FakeTwilio, messenger: TwilioMessenger
) -> None:
    await messenger.send(SENDER, CLIENT, TextIntent("x" * 2000))

    [request] = fake.messages
    assert len(request["Body"]) == 1600 and request["Body"].endswith("…")


async def test_B28_63016_is_window_closed_and_the_template_still_goes(
    fake: FakeTwilio, messenger: TwilioMessenger
) -> None:
    fake.close_window(CLIENT)

    with pytest.raises(WindowClosed) as error:
        await messenger.send(SENDER, CLIENT, TextIntent("hello"))
    await messenger.send(SENDER, CLIENT, TemplateIntent("t", "en_GB", (), CONTENT_SID))

    assert error.value.code == 63016
    assert [m.get("ContentSid") for m in fake.messages] == [CONTENT_SID]


@pytest.mark.parametrize(("code", "status"), [(20429, 429), (63018, 400), (None, 429)])
async def test_B27_rate_limits_say_when_to_retry(
    fake: FakeTwilio, messenger: TwilioMessenger, code: int | None, status: int
) -> None:
    fake.fail_next(code or 99999, status, retry_after=7)

    with pytest.raises(RateLimited) as error:
        await messenger.send(SENDER, CLIENT, TextIntent("hello"))

    assert error.value.retry_after == 7.0


@pytest.mark.parametrize(("code", "status"), [(20500, 500), (20503, 503), (99999, 502)])
async def test_B27_server_trouble_is_transient(
    fake: FakeTwilio, messenger: TwilioMessenger, code: int, status: int
) -> None:
    fake.fail_next(code, status)

    with pytest.raises(TransientFailure):
        await messenger.send(SENDER, CLIENT, TextIntent("hello"))


async def test_B27_an_invalid_number_is_permanent(
    fake: FakeTwilio, messenger: TwilioMessenger
) -> None:
    fake.invalid(CLIENT)

    with pytest.raises(PermanentFailure) as error:
        await messenger.send(SENDER, CLIENT, TextIntent("hello"))

    assert error.value.code == 21211


async def test_B27_wrong_credentials_are_permanent_and_never_echo_the_token(
    fake: FakeTwilio,
) -> None:
    async with aiohttp.ClientSession() as session:
        wrong = TwilioMessenger(session, fake.url, ACCOUNT_SID, "not-the-token")
        with pytest.raises(PermanentFailure) as error:
            await wrong.send(SENDER, CLIENT, TextIntent("hello"))

    assert error.value.code == 20003
    assert "not-the-token" not in str(error.value) and "not-the-token" not in repr(wrong)


async def test_B27_an_unreachable_api_is_transient() -> None:
    async with aiohttp.ClientSession() as session:
        down = TwilioMessenger(session, "http://127.0.0.1:9", ACCOUNT_SID, AUTH_TOKEN)
        with pytest.raises(TransientFailure) as error:
            await down.send(SENDER, CLIENT, TextIntent("hello"))

    assert "network error" in error.value.detail


async def test_B26_every_answer_is_read_so_one_connection_carries_every_send(
    fake: FakeTwilio, messenger: TwilioMessenger
) -> None:
    """Answers are released as they are read, errors too: ten sends, one connection."""
    fake.fail_next(20429, 429, retry_after=3)
    fake.fail_next(20500, 500)
    outcomes: list[object] = []
    for _ in range(10):
        try:
            outcomes.append(await messenger.send(SENDER, CLIENT, TextIntent("hello")))
        except (RateLimited, TransientFailure) as error:
            outcomes.append(error)

    assert [type(o) for o in outcomes[:2]] == [RateLimited, TransientFailure]
    assert len(fake.messages) == 8 and fake.requests == 10
    assert fake.connections == 1


async def test_B27_a_lost_connection_is_transient_and_chains_nothing() -> None:
    """The API closes the connection without answering (a reset)."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def hang_up() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        connection.close()

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        async with aiohttp.ClientSession() as session:
            messenger = TwilioMessenger(session, f"http://127.0.0.1:{port}", ACCOUNT_SID,
                                        AUTH_TOKEN)
            with pytest.raises(TransientFailure) as error:
                await messenger.send(SENDER, CLIENT, TextIntent("hello"))
    finally:
        listener.close()

    assert "network error" in error.value.detail
    assert error.value.__cause__ is None and error.value.__context__ is None
    assert AUTH_TOKEN not in str(error.value)
