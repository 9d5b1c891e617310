"""Issue 7: which sender ids are plausible clients (E.164 numbers, Meta's BSUIDs)."""

from __future__ import annotations

import pytest

from core.domain.contacts import plausible_sender


@pytest.mark.parametrize(
    "sender",
    ["447911123456", "+447911123456", "12025550123", "49301234567", "123456789012345",
     "US.13491208655302741918", "GB.123456"],
)
def test_plausible_senders(sender: str) -> None:
    assert plausible_sender(sender)


@pytest.mark.parametrize(
    "sender",
    ["STOP", "1'; DROP TABLE leads;--", "1" * 40, "1234567", "1234567890123456", "0447911123456",
     "+0447911123456", "", "+", "++447911123456", "44 7911 123456", "us.1349120865530274",
     "US.", "US.12ab", "447911123456\n"],
)
def test_implausible_senders(sender: str) -> None:
    assert not plausible_sender(sender)
