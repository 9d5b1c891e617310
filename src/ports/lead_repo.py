"""LeadRepo: leads, their answers, their thread and their audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import msgspec

from core.domain.lead import Answer, Lead
from core.domain.status import Transition


class ThreadEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One line of the conversation as the artist reads it."""

    lead_id: str
    direction: str  # "in" (from the client) or "out" (to the client)
    text: str
    at: datetime
    message_id: str | None = None  # provider id (in) or outbox id (out)
    kind: str = "text"


class LeadNotFound(Exception):
    pass


class LeadRepo(Protocol):
    async def lock(self, studio: str, contact: str, now: datetime) -> Lead:
        """Find or create the lead of ``contact`` at ``studio``; hold it until commit (B-6)."""
        ...

    async def lock_many(
        self, contacts: Sequence[tuple[str, str]], now: datetime
    ) -> dict[tuple[str, str], Lead]:
        """:meth:`lock` for many ``(studio, contact)`` pairs at once (group commit).

        Locks are taken in one stable order (studio, contact), so two batches
        sharing leads never deadlock on each other.
        """
        ...

    async def lock_by_id(self, lead_id: str) -> Lead:
        """Load an existing lead and hold it until commit; raises :class:`LeadNotFound`."""
        ...

    async def get(self, lead_id: str) -> Lead | None: ...

    async def save(self, lead: Lead) -> None:
        """Store the snapshot (status, step, answers, counters, times)."""
        ...

    async def add_answers(self, lead_id: str, answers: Sequence[Answer]) -> None: ...

    async def answers(self, lead_id: str) -> list[Answer]:
        """Every answer ever given, oldest first."""
        ...

    async def add_thread(self, entries: Sequence[ThreadEntry]) -> None: ...

    async def thread(self, lead_id: str, limit: int | None = None) -> list[ThreadEntry]:
        """The conversation, oldest first (the last ``limit`` entries if given)."""
        ...

    async def add_transitions(self, lead_id: str, transitions: Sequence[Transition]) -> None: ...

    async def transitions(self, lead_id: str) -> list[Transition]: ...

    async def list(
        self,
        studio: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
        search: str | None = None,
    ) -> list[Lead]:
        """Leads, newest first; ``search`` matches part of the name (any case) or number."""
        ...

    async def counts(self, studio: str | None = None) -> dict[str, int]:
        """How many leads are in each status (statuses with none are left out)."""
        ...
