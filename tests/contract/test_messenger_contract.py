"""The Messenger port's contract (B-27, B-28, B-31) on memory, console, Meta and Twilio.

Whatever the provider: every send returns its own provider id; the recipient reads
the text as written, buttons and lists with their options, in the order sent; and
the provider's refusals arrive as the port's typed errors.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.domain.outbound import Button, ButtonsIntent, ListIntent, Row, TemplateIntent, TextIntent
from ports.messenger import PermanentFailure, RateLimited, TransientFailure, WindowClosed
from tests.contract.messengers import FAILING, MESSENGERS, Backend

TO = "447911123456"
OTHER = "447000000777"
TEMPLATE = TemplateIntent("inkwell_reminder", "en_GB", ("Zoë", "Mon 10:00"), "HX" + "c" * 32)


@pytest.fixture(params=sorted(MESSENGERS))
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    async with MESSENGERS[request.param]() as implementation:
        yield implementation


@pytest.fixture(params=FAILING)
async def failing(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    async with MESSENGERS[request.param]() as implementation:
        yield implementation


async def test_B31_text_reaches_the_recipient_as_written(backend: Backend) -> None:
    await backend.messenger.send(backend.sender, TO, TextIntent("Hi Zoë 👋\nWelcome!"))

    assert backend.received(TO) == ["Hi Zoë 👋\nWelcome!"]
    assert backend.received(OTHER) == []


async def test_B31_buttons_are_read_with_their_options(backend: Backend) -> None:
    intent = ButtonsIntent("Is it a cover-up?", (Button("yes", "Yes"), Button("no", "No")))

    await backend.messenger.send(backend.sender, TO, intent)

    [text] = backend.received(TO)
    assert text.startswith("Is it a cover-up?")
    assert "1. Yes" in text and "2. No" in text


async def test_B31_a_list_is_read_with_its_rows(backend: Backend) -> None:
    rows = tuple(Row(f"slot{i}", f"Mon {9 + i}:00") for i in range(4))

    await backend.messenger.send(backend.sender, TO, ListIntent("Pick a time", "Times", rows))

    [text] = backend.received(TO)
    assert text.startswith("Pick a time")
    assert all(f"{i + 1}. Mon {9 + i}:00" in text for i in range(4))


async def test_B28_a_template_reaches_the_recipient_with_its_parameters(
    backend: Backend,
) -> None:
    await backend.messenger.send(backend.sender, TO, TEMPLATE)

    [text] = backend.received(TO)
    assert "Zoë" in text and "Mon 10:00" in text


async def test_B26_every_send_has_its_own_id_and_arrives_in_order(backend: Backend) -> None:
    ids = [
        (await backend.messenger.send(backend.sender, TO, TextIntent(f"message {n}")))
        .provider_message_id
        for n in range(5)
    ]

    assert all(ids) and len(set(ids)) == 5
    assert backend.received(TO) == [f"message {n}" for n in range(5)]


# -- refusals, as the port's typed errors -----------------------------------------------


async def test_B28_outside_the_window_free_form_is_refused_and_the_template_goes(
    failing: Backend,
) -> None:
    failing.fail("window_closed", TO)

    with pytest.raises(WindowClosed):
        await failing.messenger.send(failing.sender, TO, TextIntent("hello"))
    await failing.messenger.send(failing.sender, TO, TEMPLATE)

    [text] = failing.received(TO)
    assert "Zoë" in text


async def test_B27_rate_limited_is_transient_with_a_retry_after(failing: Backend) -> None:
    failing.fail("rate_limited", TO)

    with pytest.raises(RateLimited) as error:
        await failing.messenger.send(failing.sender, TO, TextIntent("hello"))

    assert isinstance(error.value, TransientFailure)
    assert error.value.retry_after == 2.0


async def test_B27_a_transient_failure_loses_nothing_on_retry(failing: Backend) -> None:
    failing.fail("transient", TO)

    with pytest.raises(TransientFailure):
        await failing.messenger.send(failing.sender, TO, TextIntent("hello"))
    await failing.messenger.send(failing.sender, TO, TextIntent("hello"))

    assert failing.received(TO) == ["hello"]


async def test_B27_an_invalid_number_is_a_permanent_failure(failing: Backend) -> None:
    failing.fail("invalid_number", TO)

    with pytest.raises(PermanentFailure):
        await failing.messenger.send(failing.sender, TO, TextIntent("hello"))

    assert failing.received(TO) == []
