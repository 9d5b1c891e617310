"""Each studio's calendar, built from its profile's ``calendar:`` block (B-35 to B-37).

``{kind: hours}`` is the working-hours calendar on the service's database (in
memory with ``INKBOOK_DATABASE_URL=memory://``), ``{kind: caldav, ...}`` a CalDAV
calendar whose password is read once from the environment variable named by
``password_env``, ``{kind: none}`` no calendar (the flow collects preferred times).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from core.domain.profile import Studio
from core.domain.slots import rules_for
from entrypoints.settings import SettingsError
from ports.calendar import Calendar
from ports.clock import Clock


class StudioCalendars:
    """The ``Calendars`` port: studio id -> its calendar (None: it has none)."""

    def __init__(self, calendars: Mapping[str, Calendar]) -> None:
        self._calendars = dict(calendars)

    def of(self, studio: str) -> Calendar | None:
        return self._calendars.get(studio)


def build_calendars(
    studios: Iterable[Studio],
    store: Any,
    database_url: str,
    environment: Mapping[str, str],
    clock: Clock,
) -> StudioCalendars:
    """Every studio's calendar; SettingsError (one line) for a password that is not set."""
    calendars: dict[str, Calendar] = {}
    for studio in studios:
        choice = studio.calendar
        if choice.kind == "hours":
            calendars[studio.id] = _hours(studio, store, database_url)
        elif choice.kind == "caldav":
            calendars[studio.id] = _caldav(studio, environment, clock)
    return StudioCalendars(calendars)


def check_calendar_passwords(studios: Iterable[Studio], environment: Mapping[str, str]) -> None:
    """SettingsError (one line naming the variable) for a CalDAV password that is not set."""
    for studio in studios:
        if studio.calendar.kind == "caldav":
            _password(studio, environment)


def _password(studio: Studio, environment: Mapping[str, str]) -> str:
    name = studio.calendar.password_env or ""
    password = (environment.get(name) or "").strip()
    if not password:
        raise SettingsError(
            f"{name}: not set (the CalDAV password of studio {studio.id!r}, calendar.password_env)"
        )
    return password


def _hours(studio: Studio, store: Any, database_url: str) -> Calendar:
    rules = rules_for(studio)
    if database_url.startswith("memory"):
        from adapters.memory import MemoryCalendar

        hours = [(h.weekday, h.opens, h.closes) for h in rules.hours]
        return MemoryCalendar(hours, rules.zone, buffer=rules.buffer, step=rules.step)
    from adapters.sql import SqlHoursCalendar

    return SqlHoursCalendar(store, rules)


def _caldav(studio: Studio, environment: Mapping[str, str], clock: Clock) -> Calendar:
    from adapters.calendar import CalDavCalendar

    choice = studio.calendar
    password = _password(studio, environment)
    return CalDavCalendar(
        url=choice.url or "",
        username=choice.username or "",
        password=password,
        calendar=choice.calendar,
        rules=rules_for(studio),
        clock=clock,
        timeout=studio.limits.calendar_timeout.total_seconds(),
    )
