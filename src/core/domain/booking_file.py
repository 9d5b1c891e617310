"""The link to a booked appointment's calendar file (B-50), signed like one-tap links.

``/bookings/{token}.ics``: the token names the lead and expires when the lead's
data would (``limits.retention`` after the appointment). It is only ever valid
for the calendar file, never as a one-tap action (``links.BOOKING_FILE``).
"""

from __future__ import annotations

from datetime import datetime

from core.domain.lead import Lead
from core.domain.links import BOOKING_FILE, sign_action, verify_action
from core.domain.profile import Studio

PATH = "/bookings/{token}.ics"


def booking_file_link(base_url: str, secret: bytes, lead: Lead, studio: Studio) -> str | None:
    """The absolute URL of the lead's ``.ics``; None while the lead has no booking."""
    if lead.booking is None:
        return None
    expires = lead.booking.end + studio.limits.retention
    token = sign_action(secret, lead.id, BOOKING_FILE[0], expires)
    return base_url.rstrip("/") + PATH.format(token=token)


def booked_lead_id(secret: bytes, token: str, now: datetime) -> str | None:
    """The lead a valid, unexpired calendar-file token names; None for anything else."""
    verified = verify_action(secret, token, now, allowed=BOOKING_FILE)
    return verified[0] if verified else None
