"""Group commit on PostgreSQL: many deliveries' messages in one transaction (issue 12).

The scenarios of ``tests/unit/test_usecase_inbound_batch.py`` (``tests/unit/batching.py``),
collected here against the real database: set-based claims and locks, multi-row inserts,
row order kept.
"""

from __future__ import annotations

from typing import Any

import pytest

from adapters.sql import SqlStore
from tests.unit.harness import Harness
from tests.unit.test_usecase_inbound_batch import (  # noqa: F401  (collected here against SQL)
    reference,
    test_B3_B6_B25_a_batch_of_many_leads_commits_all_in_order,
    test_B3_concurrent_batches_of_the_same_deliveries_decide_each_once,
    test_B3_duplicates_inside_and_before_a_batch_are_decided_once,
    test_B8_a_stop_in_a_batch_cancels_the_replies_queued_before_it,
    test_B25_a_poison_message_in_a_batch_fails_alone,
    test_B40_erased_numbers_that_said_stop_stay_silenced_in_a_batch,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def harness(postgres_store: SqlStore, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=postgres_store)
