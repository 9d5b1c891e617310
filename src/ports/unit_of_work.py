"""UnitOfWork: one transaction over leads, processed ids, outbox and events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Protocol

from core.domain.events import Event
from ports.api_keys import ApiKeys
from ports.lead_repo import LeadRepo
from ports.outbox import Outbox
from ports.privacy import Privacy
from ports.sweeps import Sweeps
from ports.users import Users


class UnitOfWork(Protocol):
    @property
    def leads(self) -> LeadRepo: ...

    @property
    def outbox(self) -> Outbox: ...

    # issue 10: the sweeper's queries and the erasure of personal data (B-38, B-40)
    @property
    def sweeps(self) -> Sweeps: ...

    @property
    def privacy(self) -> Privacy: ...

    @property
    def api_keys(self) -> ApiKeys: ...

    @property
    def users(self) -> Users:
        """The inbox logins (issue 14)."""
        ...

    async def claim(self, key: str) -> bool:
        """Record a processed provider id; False if it was already claimed (B-3).

        The claim becomes durable only with :meth:`commit`, together with the
        effects of the message.
        """
        ...

    async def claim_many(self, keys: Sequence[str]) -> set[str]:
        """:meth:`claim` for many keys in one go (group commit); returns those claimed here.

        Keys already processed, or claimed by a transaction that commits first, are
        left out of the result.
        """
        ...

    async def release(self, keys: Sequence[str]) -> None:
        """Give back this unit of work's own, uncommitted claims of ``keys``.

        For messages a group commit hands back to the one-message path: a concurrent
        claimer waiting on one of them claims it once this transaction ends.
        """
        ...

    async def record_event(self, event: Event) -> None: ...

    async def events(self, lead_id: str | None = None, kind: str | None = None) -> list[Event]: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back anything not committed."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
