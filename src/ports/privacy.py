"""Privacy: the rows of a lead that carry personal data, and the opt-outs of erased numbers.

Erasure (B-40) and subject access (B-49) read and scrub every table through it; the
lead's own row is saved, anonymous, through ``LeadRepo.save``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, Protocol

ERASED = "erased"  # stands in for a recipient once a message's text is forgotten


class Privacy(Protocol):
    async def erase(self, lead_id: str, message_ids: Collection[str] = ()) -> None:
        """Delete the lead's answers, thread and undelivered outbox rows (pending or held);
        blank the details of its events, the texts of its other outbox rows and its
        bookings' titles and descriptions. Dates, statuses and amounts stay. The processed
        keys of the client's ``message_ids`` (any provider) go too: a WhatsApp message id
        encodes the number."""
        ...

    async def forget_delivered(self) -> int:
        """Blank the outbox rows of erased leads that were still undelivered at erasure
        (the client's confirmation) once they are finished; returns how many."""
        ...

    async def bookings(self, lead_id: str) -> list[dict[str, Any]]:
        """The lead's bookings as plain data (for the subject-access export)."""
        ...

    async def remember_optout(self, key: str, studio: str, at: datetime) -> None:
        """Keep the keyed hash of an erased number that had opted out (idempotent)."""
        ...

    async def opted_out_among(self, keys: Sequence[str]) -> set[str]:
        """Those of ``keys`` kept by ``remember_optout`` (one look-up for them all)."""
        ...
