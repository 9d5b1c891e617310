"""The committed state of the in-memory database and the changes a unit of work stages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import msgspec

from adapters.memory.locks import RowLocks
from core.domain.events import Event
from core.domain.lead import Answer, Lead
from core.domain.status import Transition
from ports.api_keys import ApiKey
from ports.lead_repo import ThreadEntry
from ports.outbox import OutboxItem


class OutboxRow(msgspec.Struct, frozen=True, kw_only=True):
    """An outbox item plus its lease, which the port never shows."""

    item: OutboxItem
    claimed_until: datetime | None = None


@dataclass
class Changes:
    """What one unit of work wrote; applied in one step on commit, dropped on rollback."""

    leads: dict[str, Lead] = field(default_factory=dict)
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    thread: dict[str, list[ThreadEntry]] = field(default_factory=dict)
    transitions: dict[str, list[Transition]] = field(default_factory=dict)
    claims: set[str] = field(default_factory=set)
    events: list[Event] = field(default_factory=list)
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    new_outbox: bool = False
    # issue 10: erasures (B-40), applied to the committed rows before everything else
    scrubs: list[Callable[[Tables], None]] = field(default_factory=list)
    optouts: set[str] = field(default_factory=set)
    api_keys: dict[str, tuple[ApiKey, str]] = field(default_factory=dict)  # id -> (key, digest)


@dataclass
class Tables:
    """Committed rows. Only :meth:`apply` changes them, synchronously (so atomically)."""

    leads: dict[str, Lead] = field(default_factory=dict)
    lead_ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (studio, contact)
    lead_order: dict[str, int] = field(default_factory=dict)  # insertion order, for ties
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    thread: dict[str, list[ThreadEntry]] = field(default_factory=dict)
    transitions: dict[str, list[Transition]] = field(default_factory=dict)
    claims: set[str] = field(default_factory=set)
    events: list[Event] = field(default_factory=list)
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    api_keys: dict[str, tuple[ApiKey, str]] = field(default_factory=dict)
    last_outbox_id: int = 0
    locks: RowLocks = field(default_factory=RowLocks)
    optouts: set[str] = field(default_factory=set)  # issue 10: keyed hashes (B-40)
    work: asyncio.Event = field(default_factory=asyncio.Event)

    def next_outbox_id(self) -> int:
        """Like a database sequence: ids are never reused, even after a rollback."""
        self.last_outbox_id += 1
        return self.last_outbox_id

    def apply(self, changes: Changes) -> None:
        for scrub in changes.scrubs:
            scrub(self)
        self.optouts |= changes.optouts
        for lead in changes.leads.values():
            previous = self.leads.get(lead.id)
            if previous is not None and (previous.studio, previous.contact) != (
                lead.studio,
                lead.contact,
            ):
                self.lead_ids.pop((previous.studio, previous.contact), None)
            self.leads[lead.id] = lead
            self.lead_ids[(lead.studio, lead.contact)] = lead.id
            self.lead_order.setdefault(lead.id, len(self.lead_order))
        _extend(self.answers, changes.answers)
        _extend(self.thread, changes.thread)
        _extend(self.transitions, changes.transitions)
        self.claims |= changes.claims
        self.events.extend(changes.events)
        self.outbox.update(changes.outbox)
        self.api_keys.update(changes.api_keys)
        if changes.new_outbox:
            self.work.set()


@dataclass(eq=False)  # identity: a session owns locks
class Session:
    """One unit of work's view: the committed tables plus its own staged changes.

    The session object is also the owner of the row locks the unit of work holds.
    """

    tables: Tables
    changes: Changes = field(default_factory=Changes)


T = TypeVar("T")


def _extend(table: dict[str, list[T]], staged: dict[str, list[T]]) -> None:
    for key, rows in staged.items():
        table.setdefault(key, []).extend(rows)
