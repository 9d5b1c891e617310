"""B-31: each intent becomes the Cloud API request of PROVIDERS.md A5, as it goes on the wire
(a local fake Graph API server, tests/fakes/graph_api.py)."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import httpx
import pytest

from adapters.meta import MetaMessenger
from core.domain.outbound import (
    Button,
    ButtonsIntent,
    Intent,
    ListIntent,
    Row,
    TemplateIntent,
    TextIntent,
    plain_text,
)
from ports.messenger import Messenger, Sent
from tests.fakes.graph_api import graph_api

VERSION = "/v25.0"
TOKEN = "EAAG-secret-access-token"
SENDER, TO = "112233445566778", "447911123456"
WAMID = "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NjQ0QTlGRDUyRkVFNjQ2OTAA"
OK = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": TO, "wa_id": TO}],
    "messages": [{"id": WAMID}],
}


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.api = ""  # the API base the messenger was given (the fake's URL + version)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=OK)

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.requests[-1].content)


async def _send(
    intent: Intent, version: str = VERSION, sender: str = SENDER
) -> tuple[Sent, Recorder]:
    recorder = Recorder()
    async with graph_api(recorder) as (server, session):
        recorder.api = server.url + VERSION
        messenger: Messenger = MetaMessenger(session, server.url + version, TOKEN)
        sent = await messenger.send(sender, TO, intent)
    return sent, recorder


def _envelope(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": kind,
        kind: payload,
    }


async def test_b31_text_posts_to_the_sender_number_with_the_bearer_token() -> None:
    sent, recorder = await _send(TextIntent(body="Hi Zoë!"))
    assert sent == Sent(provider_message_id=WAMID)
    [request] = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == f"{recorder.api}/{SENDER}/messages"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert recorder.body == _envelope("text", {"body": "Hi Zoë!"})


async def test_a_trailing_slash_on_the_api_base_is_harmless() -> None:
    _, recorder = await _send(TextIntent(body="x"), version=VERSION + "/")
    assert str(recorder.requests[0].url) == f"{recorder.api}/{SENDER}/messages"


async def test_b31_buttons_become_reply_buttons() -> None:
    intent = ButtonsIntent(body="Cover-up?", buttons=(Button("yes", "Yes"), Button("no", "No")))
    _, recorder = await _send(intent)
    assert recorder.body == _envelope(
        "interactive",
        {
            "type": "button",
            "body": {"text": "Cover-up?"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                    {"type": "reply", "reply": {"id": "no", "title": "No"}},
                ]
            },
        },
    )


async def test_b31_button_titles_are_clipped_to_20_characters() -> None:
    intent = ButtonsIntent(
        body="When?",
        buttons=(
            Button("a", "Tuesday 15 September at 11:00"),
            Button("b", "👍 Yes, that works for me 👍🏽"),
        ),
    )
    _, recorder = await _send(intent)
    titles = [b["reply"]["title"] for b in recorder.body["interactive"]["action"]["buttons"]]
    assert titles == ["Tuesday 15 Septembe…", "👍 Yes, that works f…"]
    assert all(len(t) <= 20 for t in titles)


async def test_b31_list_becomes_one_section_of_rows() -> None:
    rows = (Row("slot_1", "Tue 15 Sep, 11:00", "3 hour session"), Row("slot_2", "Wed 16 Sep"))
    _, recorder = await _send(ListIntent(body="Pick a slot", button="See slots", rows=rows))
    assert recorder.body == _envelope(
        "interactive",
        {
            "type": "list",
            "body": {"text": "Pick a slot"},
            "action": {
                "button": "See slots",
                "sections": [
                    {
                        "rows": [
                            {
                                "id": "slot_1",
                                "title": "Tue 15 Sep, 11:00",
                                "description": "3 hour session",
                            },
                            {"id": "slot_2", "title": "Wed 16 Sep"},
                        ]
                    }
                ],
            },
        },
    )


async def test_b31_list_texts_are_clipped_to_their_limits() -> None:
    rows = tuple(Row(f"r{i}", "T" * 30, "D" * 80) for i in range(10))
    _, recorder = await _send(ListIntent(body="b", button="B" * 25, rows=rows))
    action = recorder.body["interactive"]["action"]
    assert len(action["button"]) == 20
    [section] = action["sections"]
    assert len(section["rows"]) == 10
    assert {(len(r["title"]), len(r["description"])) for r in section["rows"]} == {(24, 72)}


async def test_b28_template_carries_language_and_body_parameters() -> None:
    intent = TemplateIntent(name="deposit_confirmed", language="en_GB", params=("Zoë", "£50"))
    _, recorder = await _send(intent)
    assert recorder.body == _envelope(
        "template",
        {
            "name": "deposit_confirmed",
            "language": {"code": "en_GB", "policy": "deterministic"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Zoë"},
                        {"type": "text", "text": "£50"},
                    ],
                }
            ],
        },
    )


async def test_b28_template_without_parameters_has_no_components() -> None:
    _, recorder = await _send(TemplateIntent(name="hello_world", language="en_US"))
    assert "components" not in recorder.body["template"]


async def test_template_parameters_lose_newlines_and_tabs() -> None:
    intent = TemplateIntent(name="t", language="en", params=("a\nb\t c     d",))
    _, recorder = await _send(intent)
    [parameter] = recorder.body["template"]["components"][0]["parameters"]
    assert parameter["text"] == "a b c d"


BUTTON = Button("yes", "Yes")
FALLBACKS: list[Intent] = [
    ButtonsIntent(body="Pick", buttons=tuple(Button(f"b{i}", f"Slot {i}") for i in range(4))),
    ButtonsIntent(body="Pick", buttons=()),
    ButtonsIntent(body="x" * 1025, buttons=(BUTTON,)),
    ButtonsIntent(body="Pick", buttons=(Button("x" * 257, "Yes"),)),
    ButtonsIntent(body="Pick", buttons=(BUTTON, Button("yes", "Sure"))),
    ButtonsIntent(body="Pick", buttons=(Button("a", "A" * 25 + "1"), Button("b", "A" * 25 + "2"))),
    ListIntent(body="Pick", button="Slots", rows=tuple(Row(f"r{i}", f"R{i}") for i in range(11))),
    ListIntent(body="Pick", button="Slots", rows=()),
    ListIntent(body="Pick", button="Slots", rows=(Row("x" * 201, "R"),)),
    ListIntent(body="Pick", button="Slots", rows=(Row("r", "A"), Row("r", "B"))),
]


@pytest.mark.parametrize("intent", FALLBACKS)
async def test_b31_what_does_not_fit_interactive_is_sent_as_numbered_text(intent: Intent) -> None:
    _, recorder = await _send(intent)
    assert recorder.body == _envelope("text", {"body": plain_text(intent)})


async def test_b30_text_longer_than_4096_is_clipped_not_refused() -> None:
    _, recorder = await _send(TextIntent(body="x" * 5000))
    text = recorder.body["text"]["body"]
    assert len(text) == 4096 and text.endswith("…")


async def test_the_sender_id_cannot_escape_its_path_segment() -> None:
    _, recorder = await _send(TextIntent(body="x"), sender="../me?x=1")
    assert recorder.requests[0].url.raw_path == b"/v25.0/..%2Fme%3Fx%3D1/messages"


async def test_the_messenger_repr_hides_the_token() -> None:
    async with aiohttp.ClientSession() as session:
        assert TOKEN not in repr(MetaMessenger(session, "https://graph.example.test", TOKEN))
