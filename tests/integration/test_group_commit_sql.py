"""Group commit on PostgreSQL: many deliveries' messages in one transaction (issue 12).

The same scenarios as ``tests/unit/test_usecase_inbound_batch.py``, on the real
database: set-based claims and locks, multi-row inserts, row order kept.
"""

from __future__ import annotations

from typing import Any

import pytest

from adapters.sql import SqlStore
from tests.unit import batching
from tests.unit.harness import Harness

pytestmark = pytest.mark.integration


@pytest.fixture
def harness(postgres_store: SqlStore, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=postgres_store)


@pytest.fixture
def reference(studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer)  # one message at a time, in memory


async def test_B3_B6_B25_a_batch_of_many_leads_commits_all_in_order(
    harness: Harness, reference: Harness
) -> None:
    await batching.many_leads_commit_all(harness, reference)


async def test_B3_duplicates_inside_and_before_a_batch_are_decided_once(
    harness: Harness, reference: Harness
) -> None:
    await batching.duplicates_are_claimed_once(harness, reference)


async def test_B3_B6_concurrent_batches_of_the_same_deliveries_decide_each_once(
    harness: Harness, reference: Harness
) -> None:
    await batching.concurrent_batches_claim_once(harness, reference)


async def test_B8_a_stop_in_a_batch_cancels_the_replies_queued_before_it(
    harness: Harness, reference: Harness
) -> None:
    await batching.stop_in_a_batch_cancels_what_it_queued_before(harness, reference)


async def test_B25_a_poison_message_in_a_batch_fails_alone(
    harness: Harness, reference: Harness
) -> None:
    await batching.a_poison_message_fails_alone(harness, reference)
