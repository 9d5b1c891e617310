"""The same conversation and relay tests as tests/unit, on SQLite and PostgreSQL.

B-3, B-6, B-13, B-25 to B-28 must hold on the real stores, not only in memory.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.harness import Harness
from tests.unit.test_relay import (  # noqa: F401  (collected here against SQL)
    test_B25_a_relay_killed_between_claim_and_mark_delivers_after_restart,
    test_B25_messages_are_delivered_after_commit_through_the_messenger,
    test_B25_relay_loop_wakes_and_stops,
    test_B26_one_recipient_in_order_while_others_proceed,
    test_B27_a_dead_letter_for_a_vanished_lead_does_not_resend_the_batch,
    test_B27_an_async_permanent_failure_puts_the_lead_before_the_artist,
    test_B27_gives_up_after_max_attempts,
    test_B27_permanent_failure_is_a_dead_letter_and_puts_the_lead_before_the_artist,
    test_B27_transient_failures_retry_with_backoff_and_respect_retry_after,
    test_B28_an_async_window_closed_failure_resends_the_template,
    test_B28_closed_window_sends_the_template_for_that_intent,
    test_B28_closed_window_without_a_template_holds_the_message,
    test_B28_provider_window_error_falls_back_to_the_template,
)
from tests.unit.test_usecase_inbound import (  # noqa: F401
    test_B3_a_redelivered_message_id_is_processed_once,
    test_B3_twenty_concurrent_deliveries_of_one_id_give_one_answer_one_reply,
    test_B5_a_split_answer_is_merged_not_advanced_twice,
    test_B6_messages_of_one_lead_are_decided_one_at_a_time,
    test_B13_nothing_is_stored_when_the_unit_of_work_fails,
    test_B13_the_next_question_is_in_the_outbox_when_the_step_advances,
    test_B46_two_clients_are_two_leads_of_the_studio,
    test_thread_records_both_directions_in_order,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def harness(sql_store: Any, studio: Any, gazetteer: Any) -> Harness:
    return Harness(studio, gazetteer, store=sql_store)
