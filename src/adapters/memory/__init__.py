"""In-memory implementations of every port, for unit tests and the local simulator.

They pass the same contract tests (``tests/contract``) as the real adapters.
"""

from adapters.memory.calendar import (
    CalendarEntry,
    MemoryCalendar,
    MemoryCalendars,
    WorkingHours,
)
from adapters.memory.clock import ManualClock
from adapters.memory.messenger import MemoryMessenger, SentMessage
from adapters.memory.outbox import MemoryOutbox
from adapters.memory.payments import FakePayments, lead_of
from adapters.memory.payments_wire import checkout_event_body, stripe_signature
from adapters.memory.repo import MemoryLeadRepo
from adapters.memory.store import MemoryStore
from adapters.memory.uow import MemoryUnitOfWork

__all__ = [
    "CalendarEntry",
    "FakePayments",
    "ManualClock",
    "MemoryCalendar",
    "MemoryCalendars",
    "MemoryLeadRepo",
    "MemoryMessenger",
    "MemoryOutbox",
    "MemoryStore",
    "MemoryUnitOfWork",
    "SentMessage",
    "WorkingHours",
    "checkout_event_body",
    "lead_of",
    "stripe_signature",
]
