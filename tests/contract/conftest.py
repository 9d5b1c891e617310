"""Fixtures ``store``, ``calendar`` and ``payments`` (``payments_rig``), one test per selected
backend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from ports.calendar import Calendar
from ports.payments import Payments
from tests.contract.backends import (
    BACKENDS,
    BUFFERED_SETUP,
    CALENDAR_SETUP,
    CALENDARS,
    PAYMENTS,
    Store,
    selected,
)
from tests.contract.payments_rigs import PaymentsRig, PaymentsSetup

_CHOICES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "store": ("INKBOOK_CONTRACT_BACKENDS", "memory", BACKENDS),
    "calendar": ("INKBOOK_CONTRACT_CALENDARS", "memory", CALENDARS),
    "buffered_calendar": ("INKBOOK_CONTRACT_CALENDARS", "memory", CALENDARS),
    "payments_backend": ("INKBOOK_CONTRACT_PAYMENTS", "fake,stripe", PAYMENTS),
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for fixture, (variable, default, registry) in _CHOICES.items():
        if fixture in metafunc.fixturenames:
            try:
                names = selected(variable, default, registry)
            except LookupError as error:
                raise pytest.UsageError(str(error)) from error
            metafunc.parametrize(fixture, names, indirect=True)


@pytest.fixture
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    async with BACKENDS[request.param]() as backend:
        yield backend


@pytest.fixture
async def calendar(request: pytest.FixtureRequest) -> AsyncIterator[Calendar]:
    async with CALENDARS[request.param](CALENDAR_SETUP) as implementation:
        yield implementation


@pytest.fixture
async def buffered_calendar(request: pytest.FixtureRequest) -> AsyncIterator[Calendar]:
    """A calendar of the same hours keeping ``BUFFERED_SETUP.buffer`` between sessions."""
    async with CALENDARS[request.param](BUFFERED_SETUP) as implementation:
        yield implementation


@pytest.fixture
def payments_backend(request: pytest.FixtureRequest) -> str:
    """The name of the payments implementation under test (see ``open_rig``)."""
    return str(request.param)


@pytest.fixture
async def payments_rig(payments_backend: str) -> AsyncIterator[PaymentsRig]:
    async with PAYMENTS[payments_backend](PaymentsSetup()) as rig:
        yield rig


@pytest.fixture
def payments(payments_rig: PaymentsRig) -> Payments:
    return payments_rig.payments


@pytest.fixture
def open_rig(payments_backend: str) -> Callable[[PaymentsSetup], Any]:
    """``async with open_rig(setup) as rig``: the backend under test with another setup."""
    return PAYMENTS[payments_backend]
