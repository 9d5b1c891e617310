"""``GET /bookings/{token}.ics``: a booked appointment as an iCalendar file (B-50).

The token is signed (``core.domain.booking_file``) and names the lead; an unknown,
tampered or expired token, or a lead without a booking, is a 404.
"""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import Parameter

from adapters.calendar import Appointment, appointment_ics
from core.domain.booking_file import booked_lead_id
from core.domain.copy import say
from core.domain.slots import Slot
from core.domain.studios import UnknownStudio

from .responses import error_spec

NOT_FOUND = "no such booking"


@get(
    "/bookings/{name:str}",
    media_type="text/calendar",
    responses={404: error_spec("unknown, tampered or expired token, or no booking")},  # issue 7
)
async def booking_file(state: State, name: str = Parameter(description="<token>.ics")) -> Any:
    """The booked appointment as an ``.ics`` file for the client's calendar."""
    container = state.container
    now = container.clock().now()
    token = name.removesuffix(".ics")
    lead_id = booked_lead_id(container.settings().secret, token, now) if name != token else None
    if lead_id is None:
        raise NotFoundException(NOT_FOUND)
    async with container.store().uow() as uow:
        lead = await uow.leads.get(lead_id)
    if lead is None or lead.booking is None:
        raise NotFoundException(NOT_FOUND)
    try:
        studio = container.studios().get(lead.studio)
    except UnknownStudio:
        raise NotFoundException(NOT_FOUND) from None
    appointment = Appointment(
        uid=f"{lead.id}.{lead.booking.reference or 'booking'}@inkbook",
        slot=Slot(start=lead.booking.start, end=lead.booking.end),
        zone=studio.timezone,
        summary=say(studio, "booking_calendar_title", lead.id),
        location=studio.address,
    )
    return Response(
        appointment_ics(appointment, now),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="booking.ics"'},
    )
