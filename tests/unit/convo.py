"""A pure conversation driver for decide(): no fakes, just (lead, inbound, now) -> Decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec

from adapters.babel import BabelFormats
from core.domain.decide import decide
from core.domain.decision import Context, Decision
from core.domain.inbound import Content, Inbound, Text
from core.domain.lead import Lead, new_lead
from core.domain.outbound import ARTIST, CLIENT, plain_text
from core.domain.profile import Studio

START = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
FORMATS = BabelFormats()

HAPPY_ANSWERS = [
    "A swallow with a little banner",  # idea (no style in it: B-47 would skip the style question)
    "left forearm",  # placement
    "10x12cm",  # size
    "fine line",  # style
    "2",  # complexity
    "no",  # coverup
    "none",  # reference_images
    "£400",  # budget
    "London, UK",  # location
]
AFTER_SUMMARY = ["Zoë", "weekday afternoons"]  # name, time_windows


class Convo:
    def __init__(self, studio: Studio, gazetteer: object, contact: str = "447911123456") -> None:
        self.studio = studio
        self.gazetteer = gazetteer
        self.now = START
        self.lead: Lead = new_lead("lead-1", studio.id, contact, START)
        self.count = 0
        self.decisions: list[Decision] = []

    def ctx(self) -> Context:
        return Context(now=self.now, studio=self.studio, gazetteer=self.gazetteer,  # type: ignore[arg-type]
                       formats=FORMATS,
                       public_url="https://ink.example", secret=b"test-secret")

    def send(self, content: str | Content, *, after: timedelta = timedelta(minutes=1),
             at: datetime | None = None) -> Decision:
        """The client sends ``content`` ``after`` the previous step; we decide 200 ms later."""
        self.now += after
        self.count += 1
        inbound = Inbound(
            message_id=f"wamid.{self.count}",
            studio=self.studio.id,
            contact=self.lead.contact,
            at=at or self.now.replace(microsecond=0),
            content=Text(content) if isinstance(content, str) else content,
        )
        self.now += timedelta(milliseconds=200)
        decision = decide(self.lead, inbound, self.ctx())
        self.lead = decision.lead
        self.decisions.append(decision)
        return decision

    def set(self, **changes: object) -> None:
        self.lead = msgspec.structs.replace(self.lead, **changes)

    def walk(self, answers: list[str]) -> Decision:
        decision = self.send("hi")
        for text in answers:
            decision = self.send(text)
        return decision

    def to_summary(self) -> Decision:
        return self.walk(HAPPY_ANSWERS)

    def complete(self, **overrides: str) -> Decision:
        answers = dict(zip(KEYS, HAPPY_ANSWERS, strict=False))
        answers.update(overrides)
        self.walk(list(answers.values()))
        self.send("yes")
        decision = self.send(AFTER_SUMMARY[0])
        return self.send(AFTER_SUMMARY[1]) if decision.lead.step < 11 else decision


KEYS = ["idea", "placement", "size", "style", "complexity", "coverup", "reference_images",
        "budget", "location"]


def purposes(decision: Decision, audience: str | None = None) -> list[str]:
    return [m.purpose for m in decision.outbound if audience in (None, m.audience)]


def client(decision: Decision) -> list[str]:
    return purposes(decision, CLIENT)


def artist(decision: Decision) -> list[str]:
    return purposes(decision, ARTIST)


def texts(decision: Decision, audience: str = CLIENT) -> list[str]:
    return [plain_text(m.intent) for m in decision.outbound if m.audience == audience]
