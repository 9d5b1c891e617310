"""The conversation ``load.py`` plays: the demo studio's whole question sequence, each
message a signed webhook, and how many replies each step queues (from ``decide`` itself)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

PHONE_NUMBER_ID = "112233445566778"  # the demo studio
DISPLAY_NUMBER = "447700900123"
APP_SECRET = "bench_secret"
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
GRAPH_VERSION = "v25.0"
SUMMARY_STEP = 10  # the button reply to the summary
IDEAS = ["A fine-line swallow", "a small moth with dotted wings", "roses and a dagger",
         "a koi fish in waves", "my grandmother's handwriting", "a geometric fox"]
NAMES = ["Zoë", "Sam", "Ana", "Lee", "Priya", "Tom", "Chloé", "Max"]
SCRIPT = ["hi", "<idea>", "left forearm", "10x12cm", "fine line", "2", "no", "none", "£400",
          "London, UK", "<yes>", "<name>", "weekday afternoons"]
STEPS = len(SCRIPT)


# -- expected replies, from the core itself -------------------------------------------------


@dataclass(frozen=True)
class Expected:
    client: list[int]  # replies to the client after step i
    artist: list[int]  # messages to the artist after step i
    artist_number: str

    def client_after(self, steps: int) -> int:
        return sum(self.client[:steps])

    def artist_after(self, steps: int) -> int:
        return sum(self.artist[:steps])


def expected_replies() -> Expected:
    """Play the script through ``decide`` in-process: how many messages each step queues."""
    from datetime import timedelta

    from adapters.babel import BabelFormats
    from adapters.gazetteer import GeonamesGazetteer
    from adapters.profile import demo_profile_path, load_profiles
    from core.domain.decide import decide
    from core.domain.inbound import Choice, Inbound, Text
    from core.domain.lead import new_lead
    from core.domain.studios import Studios
    from core.usecases.context import Deployment

    studios = Studios(load_profiles(demo_profile_path()))
    studio = studios.for_channel(PHONE_NUMBER_ID)
    if studio is None:
        raise SystemExit(f"the demo studio does not own phone number id {PHONE_NUMBER_ID}")
    deployment = Deployment(studios=studios, gazetteer=GeonamesGazetteer(),
                            formats=BabelFormats())
    now = datetime.now(UTC)
    lead = new_lead("sim", studio.id, "447000000000", now)
    client, artist = [], []
    for step in range(STEPS):
        now += timedelta(seconds=5)
        content: Any = (Choice("confirm_yes", "Yes") if step == SUMMARY_STEP
                        else Text(script_text(0, step)))
        inbound = Inbound(message_id=f"sim{step}", studio=studio.id, contact=lead.contact,
                          at=now.replace(microsecond=0), content=content, name="Sim")
        decision = decide(lead, inbound, deployment.context(studio.id, now))
        lead = decision.lead
        client.append(sum(1 for o in decision.outbound if o.audience == "client"))
        artist.append(sum(1 for o in decision.outbound if o.audience != "client"))
    if lead.status != "PENDING_APPROVAL":
        print(f"warning: the script ends in {lead.status}, not PENDING_APPROVAL")
    return Expected(client, artist, studio.artist_number)


def script_text(lead_no: int, step: int) -> str:
    text = SCRIPT[step]
    if text == "<idea>":
        return IDEAS[lead_no % len(IDEAS)]
    if text == "<name>":
        return NAMES[lead_no % len(NAMES)]
    return text


# -- webhooks -------------------------------------------------------------------------------


class Webhooks:
    """Signed webhook requests, built at send time (the timestamp is the send time)."""

    def __init__(self, host: str, run: str) -> None:
        self._head = ("POST /webhooks/meta HTTP/1.1\r\nHost: " + host
                      + "\r\nContent-Type: application/json\r\nX-Hub-Signature-256: ")
        self._key = APP_SECRET.encode()
        self._run = run

    def request(self, wa_id: str, lead_no: int, step: int) -> bytes:
        message: dict[str, Any] = {"from": wa_id, "id": f"wamid.bench.{self._run}.{wa_id}.{step}",
                                   "timestamp": str(int(time.time()))}
        if step == SUMMARY_STEP:
            message["type"] = "interactive"
            message["interactive"] = {"type": "button_reply", "button_reply": {
                "id": "confirm_yes", "title": "Yes, all correct"}}
            message["context"] = {"from": DISPLAY_NUMBER, "id": f"wamid.summary.{wa_id}"}
        else:
            message["type"] = "text"
            message["text"] = {"body": script_text(lead_no, step)}
        body = json.dumps({
            "object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": DISPLAY_NUMBER,
                             "phone_number_id": PHONE_NUMBER_ID},
                "contacts": [{"profile": {"name": f"Client {lead_no}"}, "wa_id": wa_id}],
                "messages": [message]}}]}],
        }, separators=(",", ":")).encode()  # ASCII escapes, as Meta sends them
        # adapters.meta.sign, inlined to keep the generator lean (checked equal at start)
        signature = hmac.new(self._key, body, hashlib.sha256).hexdigest()
        return (f"{self._head}sha256={signature}\r\nContent-Length: {len(body)}\r\n\r\n"
                .encode() + body)
