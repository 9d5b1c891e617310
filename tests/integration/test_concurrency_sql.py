"""2 leads x 50 messages at once: nothing lost, one advance per answer (B-3..B-6)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import msgspec
import pytest

from core.domain.profile import Question
from tests.unit.harness import Harness

pytestmark = pytest.mark.integration

LEADS = ("447000000101", "447000000102")
PER_LEAD = 50


@pytest.fixture
def harness(sql_store: Any, studio: Any, gazetteer: Any) -> Harness:
    questions = tuple(Question(key=f"q{i}", label=f"Q{i}", text=f"Question {i}?", kind="text")
                      for i in range(PER_LEAD + 5))
    long_form = msgspec.structs.replace(studio, questions=questions, confirm_before=None)
    return Harness(long_form, gazetteer, store=sql_store)


async def test_B3_B6_two_leads_fifty_messages_each_lose_nothing(harness: Harness) -> None:
    start = harness.clock.now()
    messages = [
        harness.inbound(f"answer {n}" if n else "hi", contact=contact,
                        message_id=f"wamid.{contact}.{n}", at=start + timedelta(seconds=n))
        for contact in LEADS
        for n in range(PER_LEAD)
    ]
    # Every message twice (Meta retries), all at once.
    await asyncio.gather(*(harness.handle(m) for m in messages + messages))
    async with harness.store.uow() as uow:
        for contact in LEADS:
            lead = await uow.leads.lock(harness.studio.id, contact, harness.clock.now())
            thread = await uow.leads.thread(lead.id)
            events = await uow.events(lead_id=lead.id)
            outbox = await uow.outbox.for_lead(lead.id)
            inbound = [e.message_id for e in thread if e.direction == "in"]
            assert sorted(inbound) == sorted(f"wamid.{contact}.{n}" for n in range(PER_LEAD))
            recorded_only = sum(e.kind == "out_of_order" for e in events)
            # Every answer either advanced the step exactly once or was recorded only.
            assert lead.step + recorded_only == PER_LEAD - 1
            assert sum(i.message.purpose == "ask_question" for i in outbox) == lead.step + 1
            answers = await uow.leads.answers(lead.id)
            assert len(answers) == lead.step  # one stored answer per advance, none twice
