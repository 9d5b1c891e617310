"""B-28 over Twilio: a profile template carries its Content SID to the fallback it becomes."""

from __future__ import annotations

from pathlib import Path

from adapters.profile import demo_profile_path, load_studio
from core.domain.builder import Builder
from core.domain.outbound import CLIENT
from tests.unit.convo import Convo

CONTENT_SID = "HX" + "e" * 32


def test_B28_twilio_content_sid_is_read_and_travels_with_the_fallback(
    tmp_path: Path, gazetteer: object
) -> None:
    text = demo_profile_path().read_text(encoding="utf-8").replace(
        "    name: inkwell_deposit_link\n",
        f"    name: inkwell_deposit_link\n    twilio_content_sid: {CONTENT_SID}\n",
        1,
    )
    profile = tmp_path / "studio.yaml"
    profile.write_text(text, encoding="utf-8")

    studio = load_studio(profile)

    assert studio.templates["deposit_link"].twilio_content_sid == CONTENT_SID
    assert studio.templates["deposit_confirmed"].twilio_content_sid is None
    convo = Convo(studio, gazetteer)
    convo.send("hi")
    b = Builder(convo.lead, convo.ctx())
    b.tell("deposit_link", amount="£50.00", url="https://pay.example/cs_1")
    [message] = b.build().outbound
    assert message.audience == CLIENT and message.provider == "meta"  # as the client wrote
    assert message.fallback is not None
    assert message.fallback.name == "inkwell_deposit_link"
    assert message.fallback.content_sid == CONTENT_SID
