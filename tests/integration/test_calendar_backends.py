"""The calendar contract of ``tests/contract`` on every real calendar: the working-hours
calendar on SQLite and PostgreSQL, and CalDAV on a real Radicale server.

As ``test_sql_contract.py`` does for stores, every contract test that takes a
``calendar`` or ``buffered_calendar`` is collected here, with those fixtures
running through each backend below; then the tests only a database shows.
"""

from __future__ import annotations

import importlib
import inspect
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from adapters.sql import SqlHoursCalendar, SqlStore
from adapters.sql.tables import bookings
from ports.calendar import Calendar, Slot
from tests.contract.backends import BUFFERED_SETUP, CALENDAR_SETUP, CALENDARS, CalendarSetup

BACKENDS = ("sqlite", "postgres", "caldav")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=UTC)


def _calendar_contract_tests() -> dict[str, object]:
    module = importlib.import_module("tests.contract.test_calendar_contract")
    wanted = {"calendar", "buffered_calendar"}
    return {
        name: function
        for name, function in vars(module).items()
        if name.startswith("test_")
        and inspect.isfunction(function)
        and wanted & set(inspect.signature(function).parameters)
    }


globals().update(_calendar_contract_tests())


async def _backend(request: pytest.FixtureRequest, setup: CalendarSetup) -> AsyncIterator[Calendar]:
    if request.param == "postgres":
        request.getfixturevalue("postgres_database")
    async with CALENDARS[request.param](setup) as implementation:
        yield implementation


@pytest.fixture(params=BACKENDS)
async def calendar(request: pytest.FixtureRequest) -> AsyncIterator[Calendar]:
    async for implementation in _backend(request, CALENDAR_SETUP):
        yield implementation


@pytest.fixture(params=BACKENDS)
async def buffered_calendar(request: pytest.FixtureRequest) -> AsyncIterator[Calendar]:
    async for implementation in _backend(request, BUFFERED_SETUP):
        yield implementation


# -- the working-hours calendar on the database --------------------------------------


async def test_B35_stored_bookings_belong_to_one_studio(sql_store: SqlStore) -> None:
    calendar = SqlHoursCalendar(sql_store, CALENDAR_SETUP.rules())
    chosen = Slot(start=MONDAY, end=MONDAY + timedelta(hours=3))
    await calendar.book("studio-a", chosen, "lead-1", "Koi", "forearm")
    day = (MONDAY, MONDAY + timedelta(hours=8))
    other = await calendar.free_slots("studio-b", *day, timedelta(hours=3), 1)
    assert [slot.start for slot in other] == [chosen.start]
    async with sql_store.engine.connect() as connection:
        row = (await connection.execute(sa.select(bookings))).mappings().one()
    assert (row["studio"], row["lead_id"], row["title"]) == ("studio-a", "lead-1", "Koi")
    assert (row["description"], row["cancelled"]) == ("forearm", False)


async def test_B36_postgres_itself_refuses_two_bookings_of_one_time(
    postgres_store: SqlStore,
) -> None:
    """The exclusion constraint, not only the adapter's check, keeps one time for one client."""

    def row(lead: str, start: datetime, hours: int) -> dict[str, object]:
        end = start + timedelta(hours=hours)
        return {
            "reference": uuid.uuid4().hex,
            "studio": "studio-a",
            "lead_id": lead,
            "start": start,
            "end": end,
            "clear_until": end,
            "title": lead,
            "description": "",
            "cancelled": False,
            "created_at": MONDAY,
        }

    async with postgres_store.engine.begin() as connection:
        await connection.execute(sa.insert(bookings), row("lead-1", MONDAY, 3))
    with pytest.raises(IntegrityError, match="ex_bookings_studio_time"):
        async with postgres_store.engine.begin() as connection:
            later = MONDAY + timedelta(hours=2)
            await connection.execute(sa.insert(bookings), row("lead-2", later, 3))
    async with postgres_store.engine.begin() as connection:  # back to back, or cancelled: fine
        await connection.execute(sa.insert(bookings), row("lead-3", MONDAY + timedelta(hours=3), 1))
        await connection.execute(
            sa.update(bookings).where(bookings.c.lead_id == "lead-1").values(cancelled=True)
        )
        await connection.execute(sa.insert(bookings), row("lead-4", MONDAY, 2))
