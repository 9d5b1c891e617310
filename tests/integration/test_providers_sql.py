"""Meta and Twilio at once on SQLite and PostgreSQL (issue 13; B-3, B-31, B-46).

The real container with both providers enabled (``meta,twilio``) and each
provider's webhook path below HTTP (signature check, decoder, recorder: the HTTP
layer itself is tested in test_http_meta.py and test_http_twilio.py), driven from
the test's own event loop so that deliveries really run at once on PostgreSQL.
Meta's sends land in a memory messenger, Twilio's in the local fake API. The clock
is a manual one: every message comes a minute after the question it answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from dependency_injector import providers

from adapters.memory import ManualClock, MemoryMessenger
from adapters.meta import decode_webhook
from adapters.meta import sign as sign_meta
from adapters.profile import demo_profile_path
from adapters.twilio import decode_message, parse_form, sign
from core.domain.lead import Lead
from core.domain.status import Status
from entrypoints.container import build_container
from entrypoints.http.metrics import Metrics
from entrypoints.http.twilio import TwilioWebhook
from entrypoints.http.webhook import MetaWebhook
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.fakes.twilio_api import running as twilio_running
from tests.integration.test_http_support import APP_SECRET, message, settings_for, webhook
from tests.integration.twilio_support import PATH, twilio_form
from tests.unit.convo import AFTER_SUMMARY, HAPPY_ANSWERS, KEYS

pytestmark = pytest.mark.integration

PUBLIC = "https://ink.example-studio.com"
META_CLIENT, TWILIO_CLIENT = "447911000001", "447911000002"
ARTIST = "447700900999"  # the demo studio's artist_number


class Both:
    """The container with both providers, a manual clock, and what each delivered."""

    def __init__(self, container: Any, meta: MemoryMessenger, twilio: FakeTwilio,
                 clock: ManualClock) -> None:
        self.container, self.meta, self.twilio, self.clock = container, meta, twilio, clock
        metrics = Metrics()
        self.meta_hook = MetaWebhook(container, metrics)
        self.twilio_hook = TwilioWebhook(container, metrics)
        self._ids = 0

    async def say(self, provider: str, contact: str, text: str) -> None:
        self.clock.advance(minutes=1)
        self._ids += 1
        if provider == "meta":
            ts = str(int(self.clock.now().timestamp()))
            await self.post_meta(webhook([message(f"wamid.{self._ids}", text, contact=contact,
                                                  ts=ts)]))
        else:
            await self.post_twilio(twilio_form(f"SM{self._ids:032x}", text, contact=contact))
        await self.deliver()

    async def post_meta(self, body: bytes) -> None:
        assert self.meta_hook.refusal(body, sign_meta(APP_SECRET, body)) is None
        await self.meta_hook.record(decode_webhook(body))

    async def post_twilio(self, values: dict[str, str]) -> None:
        """What POST /webhooks/twilio does below HTTP: verify, parse, decode, record."""
        body = urlencode(values).encode()
        url = PUBLIC + PATH
        form = parse_form(body)
        assert self.twilio_hook.twilio_refusal(url, form, sign(AUTH_TOKEN, url, values)) is None
        await self.twilio_hook.record(decode_message(form, self.clock.now()))  # type: ignore[arg-type]

    async def deliver(self) -> None:
        while await self.container.relay().run_once():
            pass

    async def leads(self) -> list[Lead]:
        async with self.container.store().uow() as uow:
            leads: list[Lead] = await uow.leads.list(limit=50)
            return leads

    async def lead(self, contact: str) -> Lead:
        return next(lead for lead in await self.leads() if lead.contact == contact)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@asynccontextmanager
async def both_providers(
    tmp_path: Path, database_url: str, profile: Path | None = None
) -> AsyncIterator[Both]:
    with twilio_running() as fake:
        settings = settings_for(
            tmp_path, migrate=False, database_url=database_url, messenger="meta,twilio",
            meta_access_token="meta-token", public_url=PUBLIC, twilio_api_base=fake.url,
            twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN,
            profile=str(profile) if profile else None,
        )
        container = build_container(settings)
        meta = MemoryMessenger()
        clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
        container.meta_messenger.override(providers.Object(meta))
        container.clock.override(providers.Object(clock))
        try:
            yield Both(container, meta, fake, clock)
        finally:
            await container.store().dispose()


@pytest.fixture
async def both(tmp_path: Path, database_url: str) -> AsyncIterator[Both]:
    async with both_providers(tmp_path, database_url) as app:
        yield app


def _script(provider: str) -> list[str]:
    """The happy conversation; on Twilio the buttons are answered by their numbers."""
    answers = dict(zip(KEYS, HAPPY_ANSWERS, strict=True))
    if provider == "twilio":
        answers["coverup"] = "2"  # "1. Yes / 2. No"
    confirm = "1" if provider == "twilio" else "yes"  # the summary's "1. Looks right"
    return ["hi", *answers.values(), confirm, *AFTER_SUMMARY]


@pytest.mark.parametrize(("provider", "contact"), [("meta", META_CLIENT),
                                                   ("twilio", TWILIO_CLIENT)])
async def test_B31_the_same_conversation_over_either_provider_reaches_pending_approval(
    both: Both, provider: str, contact: str
) -> None:
    for text in _script(provider):
        await both.say(provider, contact, text)

    lead = await both.lead(contact)
    assert lead.status == Status.PENDING_APPROVAL
    assert lead.answers["coverup"].value == {"answer": False}
    assert lead.confirmed
    on_meta = both.meta.texts(contact)
    on_twilio = [m["Body"] for m in both.twilio.to(contact)]
    replies, elsewhere = (on_meta, on_twilio) if provider == "meta" else (on_twilio, on_meta)
    assert len(replies) >= len(_script(provider)) and elsewhere == []  # one way back only
    if provider == "twilio":
        assert any(body.endswith("1. Yes\n2. No") for body in on_twilio)
    # The artist hears through the studio's own first provider (meta, the first listed).
    assert both.meta.texts(ARTIST) and both.twilio.to(ARTIST) == []


async def test_B46_one_client_on_both_providers_is_one_lead(both: Both) -> None:
    await both.say("meta", META_CLIENT, "hi")
    await both.say("twilio", META_CLIENT, HAPPY_ANSWERS[0])

    [lead] = await both.leads()
    assert lead.answers["idea"].text == HAPPY_ANSWERS[0]
    assert lead.provider == "twilio"
    assert len(both.twilio.to(META_CLIENT)) == 1  # the next question came back on Twilio


async def test_B3_ten_deliveries_of_one_message_sid_at_once_give_one_reply(both: Both) -> None:
    await both.say("twilio", TWILIO_CLIENT, "hi")
    before = len(both.twilio.to(TWILIO_CLIENT))
    values = twilio_form("SM" + "f" * 32, HAPPY_ANSWERS[0], contact=TWILIO_CLIENT)
    both.clock.advance(minutes=1)

    await asyncio.gather(*(both.post_twilio(values) for _ in range(10)))  # none raises
    await both.deliver()

    assert len(both.twilio.to(TWILIO_CLIENT)) == before + 1  # one reply: the next question
    lead = await both.lead(TWILIO_CLIENT)
    assert lead.step == 1 and lead.answers["idea"].text == HAPPY_ANSWERS[0]


# -- B-46: two studios on one deployment ---------------------------------------------------

SECOND = {"id": "second", "artist_number": "447700900888",
          "meta_phone_number_id": "998800776655", "twilio_sender": "+14155230000"}


def _two_studios(folder: Path) -> Path:
    """The demo studio and a second one with its own id, artist and numbers."""
    folder.mkdir()
    demo = demo_profile_path().read_text(encoding="utf-8")
    (folder / "demo.yaml").write_text(demo, encoding="utf-8")
    second = (demo.replace("id: demo\n", f"id: {SECOND['id']}\n", 1)
              .replace('"447700900999"', f'"{SECOND["artist_number"]}"', 1)
              .replace('"112233445566778"', f'"{SECOND["meta_phone_number_id"]}"', 1)
              .replace('"+14155238886"', f'"{SECOND["twilio_sender"]}"', 1))
    (folder / "second.yaml").write_text(second, encoding="utf-8")
    return folder


async def test_B46_each_studio_gets_its_own_messages_leads_and_numbers(
    tmp_path: Path, database_url: str
) -> None:
    profiles = _two_studios(tmp_path / "studios")
    async with both_providers(tmp_path, database_url, profiles) as both:
        both.clock.advance(minutes=1)
        ts = str(int(both.clock.now().timestamp()))
        # One client writes to the demo studio on Meta and to the second on Twilio.
        await both.post_meta(webhook([message("wamid.a1", "hi", contact=META_CLIENT, ts=ts)]))
        await both.post_twilio(twilio_form("SM" + "d" * 32, "hi", contact=META_CLIENT,
                                           To=f"whatsapp:{SECOND['twilio_sender']}"))
        await both.say("meta", META_CLIENT, "A koi on my back")  # the demo studio's next answer
        await both.deliver()

        leads = sorted(await both.leads(), key=lambda lead: lead.studio)
        assert [(lead.studio, lead.contact) for lead in leads] == [
            ("demo", META_CLIENT), ("second", META_CLIENT)]
        demo, second = leads
        assert demo.answers["idea"].text == "A koi on my back"
        assert second.answers == {} and second.step == 0  # nothing of the other studio's
        async with both.container.store().uow() as uow:
            second_thread = await uow.leads.thread(second.id)
        assert [entry.text for entry in second_thread if entry.direction == "in"] == ["hi"]
        # Each studio answers from its own number on the provider the client used.
        assert {m.sender for m in both.meta.sent} == {"112233445566778"}
        assert {m["From"] for m in both.twilio.to(META_CLIENT)} == {
            f"whatsapp:{SECOND['twilio_sender']}"}
