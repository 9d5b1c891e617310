"""The group commit's asyncpg path (issue 12): what it stores is what the SQLAlchemy path
stores, read back through the ports; NUL is scrubbed (B-45); a message the database
refuses fails alone (B-25); a port call it does not implement sends the batch one by one
through the SQLAlchemy unit of work, and every message is still answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import msgspec
import pytest
from benchmarks.load_script import STEPS, SUMMARY_STEP, script_text

from adapters.sql import SqlStore
from core.domain.events import Event
from core.domain.inbound import Choice, Inbound, Text
from tests.integration import databases
from tests.unit import batching
from tests.unit.harness import START, Harness

pytestmark = pytest.mark.integration

CONTACTS = tuple(f"4479000003{n:02d}" for n in range(8))
SHOWN_AS = "\u2400"


@pytest.fixture
def harness(postgres_store: SqlStore, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=postgres_store)


@pytest.fixture
def lead_ids(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Lead ids from a counter (some replies' wording varies with the id): ``reset()``
    makes the next run draw the same ids."""
    import adapters.sql.leads

    class Ids:
        def reset(self) -> None:
            self.counter = count(1)

        def __call__(self) -> str:
            return f"lead{next(self.counter):04d}"

    ids = Ids()
    ids.reset()
    monkeypatch.setattr(adapters.sql.leads, "new_lead_id", ids)
    return ids


def the_script(harness: Harness, contacts: Sequence[str] = CONTACTS) -> list[list[Inbound]]:
    """load.py's conversation, every step a delivery with that step of every contact:
    new lead, answers, summary confirmed by button, name, handover brief to the artist."""
    deliveries = []
    for step in range(STEPS):
        at = START + timedelta(seconds=30 * (step + 1))
        deliveries.append([
            Inbound(message_id=f"wamid.raw.{contact}.{step}", studio=harness.studio.id,
                    contact=contact, at=at, name=f"Client {n}",
                    content=(Choice("confirm_yes", "Yes, all correct") if step == SUMMARY_STEP
                             else Text(script_text(n, step))))
            for n, contact in enumerate(contacts)
        ])
    return deliveries


async def stored(harness: Harness, contacts: Sequence[str] = CONTACTS) -> dict[str, Any]:
    """Everything the ports read back of each lead (through the SQLAlchemy unit of work),
    outbox ids replaced by their position (ids are not reused between runs)."""
    view: dict[str, Any] = {}
    async with harness.store.uow() as uow:
        for contact in contacts:
            [lead] = await uow.leads.list(search=contact)
            outbox = await uow.outbox.for_lead(lead.id)
            position = {str(item.id): n for n, item in enumerate(outbox)}
            thread = [msgspec.structs.replace(e, message_id=f"outbox#{position[e.message_id]}")
                      if e.direction == "out" else e for e in await uow.leads.thread(lead.id)]
            view[contact] = msgspec.to_builtins({
                "lead": lead,
                "answers": await uow.leads.answers(lead.id),
                "transitions": await uow.leads.transitions(lead.id),
                "thread": thread,
                "outbox": [msgspec.structs.replace(item, id=0) for item in outbox],
                "events": await uow.events(lead_id=lead.id),
                "claimed": [not await uow.claim(f"meta:wamid.raw.{contact}.{step}")
                            for step in range(STEPS)],
            })
    return view


def fallbacks(harness: Harness) -> int:
    batch = harness.store.batch
    assert batch is not None
    return batch.fallbacks


def one_by_one_batches(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The batches HandleInboundBatch sent one by one, whatever the reason."""
    return [r.getMessage() for r in caplog.records if "one by one" in r.getMessage()
            and r.name == "inkbook.inbound"]


async def test_B3_B25_the_asyncpg_path_stores_what_the_sqlalchemy_path_stores(
    harness: Harness, lead_ids: Any, caplog: pytest.LogCaptureFixture
) -> None:
    deliveries = the_script(harness)
    for delivery in deliveries:  # each step one batch, as concurrent webhooks make them
        results = await batching.batch_of(harness)([delivery[:3], delivery[3:]])
        assert [o.result for r in results for o in r] == ["processed"] * len(CONTACTS)
    # The common conversation never leaves the fast path.
    assert fallbacks(harness) == 0 and one_by_one_batches(caplog) == []
    fast = await stored(harness)
    keys = [(harness.studio.id, contact) for contact in CONTACTS]
    async with harness.store.batch_uow() as uow:  # the leads as the batch reads them...
        read_fast = await uow.leads.lock_many(keys, harness.clock.now())
    async with harness.store.uow() as uow:  # ...are those SqlLeadRepo reads (codec)
        assert read_fast == await uow.leads.lock_many(keys, harness.clock.now())

    await databases.empty(harness.store)
    lead_ids.reset()
    for delivery in deliveries:  # the same batches through SqlUnitOfWork
        await batching.batch_of(harness, harness.store.uow)([delivery[:3], delivery[3:]])
    assert await stored(harness) == fast

    some = fast[CONTACTS[0]]
    assert some["lead"]["status"] == "PENDING_APPROVAL" and some["lead"]["version"] == STEPS
    assert any(i["message"]["audience"] == "artist" for i in some["outbox"])  # the brief


async def test_B45_nul_in_a_message_is_scrubbed_on_the_asyncpg_path(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    hi, idea = batching.conversations(harness, ["hi", "a rose\u0000, small"], CONTACTS[:2])
    for delivery in (hi, idea):
        results = await batching.batch_of(harness)([delivery])
        assert batching.outcomes(results) == [["processed"] * 2]
    assert one_by_one_batches(caplog) == []
    view = await stored(harness, CONTACTS[:2])
    for lead in view.values():
        received = [e["text"] for e in lead["thread"] if e["direction"] == "in"]
        assert received == ["hi", f"a rose{SHOWN_AS}, small"]
        assert lead["answers"][-1]["text"] == f"a rose{SHOWN_AS}, small"
        assert "\u0000" not in msgspec.json.encode(lead).decode("unicode_escape")


async def test_B25_a_message_the_database_refuses_fails_alone_on_the_asyncpg_path(
    harness: Harness, reference: Harness
) -> None:
    """A lone surrogate cannot be encoded for PostgreSQL: that message fails on its own,
    unrecorded (the provider retries it); the others of the batch are committed."""
    [hi] = batching.conversations(harness, ["hi"], CONTACTS[:4])
    bad = Inbound(message_id="wamid.raw.bad", studio=harness.studio.id, contact=CONTACTS[2],
                  at=hi[2].at, content=Text("hi \ud800"))
    results = await batching.batch_of(harness)([hi[:2], [bad], hi[3:]])
    assert batching.outcomes([results[0], results[2]]) == [["processed"] * 2, ["processed"]]
    assert isinstance(results[1], Exception) and "surrogates" in str(results[1])
    async with harness.store.uow() as uow:
        assert await uow.claim("meta:wamid.raw.bad")  # not recorded
    others = [m for m in hi if m.contact != CONTACTS[2]]
    contacts = [m.contact for m in others]
    assert await batching.seen(harness, contacts) == await batching.one_by_one(reference,
                                                                               [others])


async def test_B25_a_port_call_off_the_asyncpg_path_falls_back_and_still_answers(
    harness: Harness, reference: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    deliveries = batching.conversations(harness, ["hi", "large"], CONTACTS[:3])
    off_the_path = databases.off_the_asyncpg_path(harness.store)
    results = await batching.batch_of(harness, off_the_path)(deliveries)
    assert batching.outcomes(results) == [["processed"] * 3] * 2
    assert fallbacks(harness) == 1 and len(one_by_one_batches(caplog)) == 1
    assert await batching.seen(harness, CONTACTS[:3]) == await batching.one_by_one(
        reference, deliveries)


async def test_B39_a_naive_datetime_is_refused_on_the_asyncpg_path(harness: Harness) -> None:
    naive = datetime(2026, 11, 22, 10, 0)
    async with harness.store.batch_uow() as uow:
        with pytest.raises(ValueError, match="naive"):
            await uow.record_event(Event(kind="probe", at=naive, level="info"))
        await uow.record_event(Event(kind="probe", at=naive.replace(tzinfo=UTC), level="info"))
        await uow.commit()
    async with harness.store.uow() as uow:
        [event] = await uow.events(kind="probe")
    assert event.at == naive.replace(tzinfo=UTC) and event.at.tzinfo is not None


@pytest.fixture
def reference(studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer)
