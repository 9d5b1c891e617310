"""``POST /api/leads/{id}/book {"start": "<ISO-8601, offset>"}``: the artist books (B-37).

Thin: decode, call ``BookByHand``, encode. 409 ``{"error", "status"}`` from a status
that does not allow booking or for a time that is taken; 400 for a start without
an offset or in the past; 503 when the calendar fails (nothing changed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, Response, post
from litestar.datastructures import State
from litestar.exceptions import NotFoundException, ValidationException
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_409_CONFLICT,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from core.usecases.book_by_hand import BookResult
from ports.calendar import CalendarUnavailable, SlotTaken
from ports.lead_repo import LeadNotFound

from .admin import require_admin, visible
from .errors import error_response
from .responses import BAD_REQUEST, NOT_FOUND, UNAUTHORIZED, error_spec

TAKEN = "that time is taken"
RETRY_AFTER = "30"


class BookBody(msgspec.Struct, frozen=True):
    start: datetime  # ISO-8601 with an offset, e.g. 2026-12-08T14:00:00+00:00


class ConflictBody(msgspec.Struct, frozen=True):
    error: str
    status: str  # the lead's current status


RESPONSES = {
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    404: NOT_FOUND,
    409: ResponseSpec(ConflictBody, generate_examples=False,
                      description="the time is taken, or the status does not allow booking"),
    503: error_spec("the calendar is unavailable: nothing changed"),
}


class BookAnswer(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    status: str
    booking: dict[str, datetime]


def aware(start: datetime) -> datetime:
    """``start`` if it carries a UTC offset, else ValidationException (400)."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValidationException("start: needs a UTC offset, e.g. 2026-12-08T14:00:00+00:00")
    return start


async def book_lead(container: Any, lead_id: str, start: datetime, actor: str) -> Response[Any]:
    """One manual booking as an HTTP answer (shared with the lead page)."""
    try:
        result: BookResult = await container.book_by_hand()(lead_id, start, actor)
    except LeadNotFound:
        raise NotFoundException(f"no lead {lead_id[:80]!r}") from None
    except SlotTaken:
        lead = await container.read_leads().record(lead_id)
        status = lead.lead.status if lead is not None else ""
        return _conflict(TAKEN, status)
    except CalendarUnavailable:
        return error_response(
            HTTP_503_SERVICE_UNAVAILABLE,
            "the calendar is unavailable: nothing changed, try again",
            headers={"Retry-After": RETRY_AFTER},
        )
    if result.refusal is not None:
        return _conflict(result.refusal, result.status)
    if result.invalid is not None or result.booking is None:
        raise ValidationException(f"start: {result.invalid}")
    slot = result.booking
    answer = BookAnswer(
        id=result.lead_id, status=result.status, booking={"start": slot.start, "end": slot.end}
    )
    return Response(answer, status_code=HTTP_200_OK)


def _conflict(error: str, status: str) -> Response[Any]:
    """409 with the lead's current status, shaped like the other actions' (B-24)."""
    return Response({"error": error, "status": status}, status_code=HTTP_409_CONFLICT)


class AdminBookController(Controller):
    path = "/api/leads"
    guards = (require_admin,)
    tags = ("admin",)
    security = ({"BearerAuth": []},)

    @post("/{lead_id:str}/book", status_code=HTTP_200_OK, responses=RESPONSES)
    async def book(
        self,
        state: State,
        request: Request[Any, Any, Any],
        lead_id: FromPath[str],
        data: JSONBody[BookBody],
    ) -> Response[Any]:
        """Book ``start`` (plus the lead's session length) through the studio's calendar."""
        record = await state.container.read_leads().record(lead_id)
        if record is None or not visible(request, record.lead.studio):  # B-46
            raise NotFoundException(f"no lead {lead_id[:80]!r}")
        return await book_lead(state.container, lead_id, aware(data.start), "artist")
