"""Which implementations the contract tests run against.

Each registry maps a name to a factory returning an async context manager that
yields a ready implementation (and cleans it up). Add a backend by adding an
entry, with its imports inside the factory so that selecting only "memory"
never needs a database driver::

    @asynccontextmanager
    async def sqlite_store() -> AsyncIterator[Store]:
        from adapters.sql import ...          # lazily
        ...
        yield store

    BACKENDS["sqlite"] = sqlite_store

Then ``INKBOOK_CONTRACT_BACKENDS=memory,sqlite pytest tests/contract``. The
calendar and payments suites read ``INKBOOK_CONTRACT_CALENDARS`` (default
"memory"; also "sqlite", "postgres" and "caldav", a Radicale server the tests
start) and ``INKBOOK_CONTRACT_PAYMENTS`` (default "fake,stripe": the Stripe
adapter runs against a local fake of Stripe's API, ``tests/fakes/stripe_api.py``)
the same way.
``tests/integration/test_calendar_backends.py`` runs the calendar contract on
every real calendar in each full run.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, replace
from datetime import time, timedelta
from typing import Protocol

from core.domain.slots import Opening, SlotRules
from ports.calendar import Calendar
from ports.unit_of_work import UnitOfWork
from tests.contract.payments_rigs import (
    PaymentsRig,
    PaymentsSetup,
    fake_payments,
    stripe_payments,
)


class Store(Protocol):
    """What the store contract tests need: a name and a unit-of-work factory.

    Every ``uow()`` is a fresh unit of work on the same, initially empty,
    database; several may be open at once (concurrency tests). A backend whose
    writers are serialised (SQLite) sets ``parallel_writers = False``: the tests
    that hold one unit of work open while another must proceed are then skipped.
    """

    name: str

    def uow(self) -> UnitOfWork: ...


@dataclass(frozen=True)
class CalendarSetup:
    """The working hours a calendar under test must use (weekday: Monday is 0)."""

    studio: str
    tz: str
    hours: tuple[tuple[int, time, time], ...]
    buffer: timedelta = timedelta(0)  # kept free around every booking and busy time

    def rules(self) -> SlotRules:
        hours = tuple(Opening(weekday=w, opens=o, closes=c) for w, o, c in self.hours)
        return SlotRules(zone=self.tz, hours=hours, buffer=self.buffer)


# Every calendar under contract: Monday to Friday 10:00-18:00 in London.
CALENDAR_SETUP = CalendarSetup(
    studio="studio-a",
    tz="Europe/London",
    hours=tuple((weekday, time(10), time(18)) for weekday in range(5)),
)
# The same with half an hour kept free between sessions (the ``buffered_calendar`` fixture).
BUFFERED_SETUP = replace(CALENDAR_SETUP, buffer=timedelta(minutes=30))

StoreFactory = Callable[[], AbstractAsyncContextManager[Store]]
CalendarFactory = Callable[[CalendarSetup], AbstractAsyncContextManager[Calendar]]
PaymentsFactory = Callable[[PaymentsSetup], AbstractAsyncContextManager[PaymentsRig]]


@asynccontextmanager
async def memory_store() -> AsyncIterator[Store]:
    from adapters.memory import MemoryStore

    yield MemoryStore()


@asynccontextmanager
async def memory_calendar(setup: CalendarSetup) -> AsyncIterator[Calendar]:
    from adapters.memory import MemoryCalendar

    yield MemoryCalendar(setup.hours, setup.tz, buffer=setup.buffer)


@asynccontextmanager
async def sqlite_store() -> AsyncIterator[Store]:
    from tests.integration.databases import sqlite_store as sql_store

    async with sql_store() as store:
        yield store


@asynccontextmanager
async def postgres_store() -> AsyncIterator[Store]:
    from tests.integration.databases import postgres_store as sql_store

    async with sql_store() as store:
        yield store


@asynccontextmanager
async def sqlite_calendar(setup: CalendarSetup) -> AsyncIterator[Calendar]:
    from adapters.sql import SqlHoursCalendar
    from tests.integration.databases import sqlite_store as sql_store

    async with sql_store() as store:
        yield SqlHoursCalendar(store, setup.rules())


@asynccontextmanager
async def postgres_calendar(setup: CalendarSetup) -> AsyncIterator[Calendar]:
    from adapters.sql import SqlHoursCalendar
    from tests.integration.databases import postgres_store as sql_store

    async with sql_store() as store:
        yield SqlHoursCalendar(store, setup.rules())


@asynccontextmanager
async def caldav_calendar(setup: CalendarSetup) -> AsyncIterator[Calendar]:
    """A new, empty calendar on the tests' Radicale server."""
    import asyncio

    from adapters.calendar import CalDavCalendar
    from adapters.system.clock import SystemClock
    from tests.integration import radicale_server

    url = await asyncio.to_thread(radicale_server.new_calendar)
    yield CalDavCalendar(
        clock=SystemClock(),
        url=url,
        username=radicale_server.USERNAME,
        password=radicale_server.PASSWORD,
        calendar=url,
        rules=setup.rules(),
    )


BACKENDS: dict[str, StoreFactory] = {
    "memory": memory_store,
    "sqlite": sqlite_store,
    "postgres": postgres_store,
}
CALENDARS: dict[str, CalendarFactory] = {
    "memory": memory_calendar,
    "sqlite": sqlite_calendar,
    "postgres": postgres_calendar,
    "caldav": caldav_calendar,
}
PAYMENTS: dict[str, PaymentsFactory] = {"fake": fake_payments, "stripe": stripe_payments}


def selected(variable: str, default: str, registry: dict[str, object]) -> list[str]:
    """The comma-separated names in ``variable`` (or ``default``), all registered."""
    names = [n.strip() for n in os.environ.get(variable, default).split(",") if n.strip()]
    unknown = [name for name in names if name not in registry]
    if unknown:
        raise LookupError(f"{variable}: unknown {unknown}; registered: {sorted(registry)}")
    return names
