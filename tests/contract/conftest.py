"""Fixtures ``store``, ``calendar`` and ``payments``, one test per selected backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
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

_CHOICES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "store": ("INKBOOK_CONTRACT_BACKENDS", "memory", BACKENDS),
    "calendar": ("INKBOOK_CONTRACT_CALENDARS", "memory", CALENDARS),
    "buffered_calendar": ("INKBOOK_CONTRACT_CALENDARS", "memory", CALENDARS),
    "payments": ("INKBOOK_CONTRACT_PAYMENTS", "fake", PAYMENTS),
}

WEBHOOK_SECRET = "whsec_test_secret"  # the secret of the recorded Stripe vectors


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
async def payments(request: pytest.FixtureRequest) -> AsyncIterator[Payments]:
    async with PAYMENTS[request.param](WEBHOOK_SECRET) as implementation:
        yield implementation
