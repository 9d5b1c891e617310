"""Profile checks beyond the copy contract: the studio's facts (zone, countries, dates)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from core.domain.profile import CALENDAR_KINDS, Studio
from core.domain.profile_checks import Problem

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def check_facts(s: Studio) -> list[Problem]:
    out: list[Problem] = []
    for path, value in (("id", s.id), ("name", s.name), ("artist_name", s.artist_name)):
        if not value.strip():
            out.append(Problem(path, "must not be empty"))
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        out.append(Problem("timezone", f"unknown time zone {s.timezone!r} (e.g. Europe/London)"))
    try:
        Locale.parse(s.locale)
    except (UnknownLocaleError, ValueError, TypeError):
        out.append(Problem("locale", f"unknown locale {s.locale!r} (e.g. en_GB, de_DE, fr_FR)"))
    if not re.fullmatch(r"\+?\d{7,15}", s.artist_number):
        out.append(Problem("artist_number", "expected an international number, e.g. 447700900999"))
    countries = [("home.country", s.home.country)]
    countries += [(f"service_countries[{i}]", c) for i, c in enumerate(s.service_countries)]
    countries += [(f"tours[{i}].country", t.country) for i, t in enumerate(s.tours)]
    for path, code in countries:
        if not re.fullmatch(r"[A-Z]{2}", code):
            out.append(Problem(path, f"expected a 2-letter country code like GB, got {code!r}"))
    for i, tour in enumerate(s.tours):
        if tour.ends < tour.starts:
            out.append(Problem(f"tours[{i}].ends", "ends before it starts"))
    for i, day in enumerate(s.working_hours):
        if day.day not in DAYS:
            out.append(Problem(f"working_hours[{i}].day", f"expected one of {', '.join(DAYS)}"))
        if day.closes <= day.opens:
            out.append(Problem(f"working_hours[{i}].closes", "closes before it opens"))
    for field in ("api_key_env", "webhook_secret_env"):  # issue 8: per-studio Stripe
        name = getattr(s.stripe, field)
        if name is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            message = f"expected an environment variable name, got {name!r}"
            out.append(Problem(f"stripe.{field}", message))
    out.extend(_check_calendar(s))
    return out


def _check_calendar(s: Studio) -> list[Problem]:
    """The ``calendar:`` block (issue 9): a known kind with what that kind needs."""
    choice = s.calendar
    if choice.kind not in CALENDAR_KINDS:
        return [Problem("calendar.kind", f"expected one of {', '.join(CALENDAR_KINDS)}")]
    needed = ("url", "username", "password_env") if choice.kind == "caldav" else ()
    out = [
        Problem(f"calendar.{name}", f"needed for a {choice.kind} calendar")
        for name in needed
        if not (getattr(choice, name) or "").strip()
    ]
    if choice.kind == "caldav" and choice.url and not re.match(r"https?://", choice.url):
        out.append(Problem("calendar.url", "expected an http(s):// URL"))
    env = choice.password_env
    if env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
        out.append(Problem("calendar.password_env", "expected an environment variable name"))
    return out
