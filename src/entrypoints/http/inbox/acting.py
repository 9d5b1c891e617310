"""The artist's actions from a lead's page (B-24, B-40): the admin API's use cases, as forms.

Each button posts a form (with its CSRF token) to ``/inbox/leads/{id}/{action}``,
which calls the same use case as ``POST /api/leads/{id}/{action}``, scoped to the
signed-in studio, with the actor ``artist:inbox``. An action the lead's status does
not allow shows the page again with a readable message and HTTP 409; so does an empty
reply or an unreadable booking time (400) and a payment provider or calendar that is
down (503). Nothing changes then. "Book" reads its ``datetime-local`` value in the
studio's time zone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, post
from litestar.datastructures import FormMultiDict, State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_409_CONFLICT,
    HTTP_502_BAD_GATEWAY,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from core.domain.actions import Action, Approve, Reject, Release, Reply, Resume
from core.domain.copy import MAX_TEXT
from core.domain.studios import UnknownStudio
from entrypoints.http.inbox.actions import InboxActions
from entrypoints.http.inbox.auth import PAGE_ERRORS, PAGE_HEADERS, checked_form, signed_in
from ports.calendar import CalendarUnavailable, SlotTaken
from ports.lead_repo import LeadNotFound
from ports.payments import PaymentRefused, PaymentsError

ACTOR = "artist:inbox"  # who the history says acted


@dataclass(frozen=True, slots=True)
class Outcome:
    refusal: str | None = None  # why the status does not allow it (409)
    status: int = HTTP_409_CONFLICT  # the answer when refused


# (container, lead id, studio, form) -> Outcome; None when the lead is not the studio's
Run = Callable[[Any, str, str, FormMultiDict], Awaitable[Outcome | None]]


async def _erase(container: Any, lead_id: str, studio: str, _: FormMultiDict) -> Outcome | None:
    erased = await container.erase_lead()(lead_id, studio)
    return None if erased is None else Outcome()


def _use_case(action: Action) -> Run:
    """The admin API's use case for ``action``, scoped to the signed-in studio."""

    async def run(container: Any, lead_id: str, studio: str, _: FormMultiDict) -> Outcome | None:
        try:
            result = await container.artist_actions().act(lead_id, action, ACTOR, studio=studio)
        except LeadNotFound:
            return None
        except PaymentRefused as exc:
            return Outcome(f"The payment provider refused the checkout: {exc}"[:300],
                           HTTP_502_BAD_GATEWAY)
        except PaymentsError:
            return Outcome("The payment provider is unavailable: nothing changed, try again "
                           "in a minute.", HTTP_503_SERVICE_UNAVAILABLE)
        return Outcome(_readable(result.refusal))

    return run


async def _reply(container: Any, lead_id: str, studio: str, form: FormMultiDict) -> Outcome | None:
    text = str(form.get("text") or "").strip()
    if not text or len(text) > MAX_TEXT:
        if await _studio_of(container, lead_id) != studio:
            return None
        return Outcome(f"Write a reply of 1 to {MAX_TEXT} characters.", HTTP_400_BAD_REQUEST)
    return await _use_case(Reply(text))(container, lead_id, studio, form)


async def _book(container: Any, lead_id: str, studio: str, form: FormMultiDict) -> Outcome | None:
    """``start``: a ``datetime-local`` value, read in the studio's time zone."""
    if await _studio_of(container, lead_id) != studio:
        return None  # another studio's, or unknown (book by hand is not scoped itself)
    try:
        zone = ZoneInfo(container.studios().get(studio).timezone)
        start = datetime.fromisoformat(str(form.get("start") or "")).replace(tzinfo=zone)
    except (ValueError, UnknownStudio):
        return Outcome("Choose a date and time to book.", HTTP_400_BAD_REQUEST)
    try:
        result = await container.book_by_hand()(lead_id, start, ACTOR)
    except LeadNotFound:
        return None
    except SlotTaken:
        return Outcome("That time is taken: choose another.")
    except CalendarUnavailable:
        return Outcome("The calendar is unavailable: nothing changed, try again in a minute.",
                       HTTP_503_SERVICE_UNAVAILABLE)
    if result.invalid is not None:
        return Outcome(_readable(result.invalid), HTTP_400_BAD_REQUEST)
    return Outcome(_readable(result.refusal))


async def _studio_of(container: Any, lead_id: str) -> str | None:
    record = await container.read_leads().record(lead_id)
    return None if record is None else record.lead.studio


def _readable(refusal: str | None) -> str | None:
    """The use case's reason as a sentence on the page ("the lead is ..." -> "The lead is ...")."""
    if refusal is None:
        return None
    return f"Not done: {refusal}." if not refusal.endswith(".") else f"Not done: {refusal}"


# name -> (button label or None for forms of their own, what it does, what the page says)
ACTIONS: dict[str, tuple[str | None, Run, str]] = {
    "approve": ("Approve", _use_case(Approve()), "Approved: the client got the deposit link."),
    "reject": ("Reject", _use_case(Reject()), "Rejected: the client got the studio's message."),
    "resume": ("Resume", _use_case(Resume()), "Resumed: the assistant asks the client again."),
    "release": ("Release", _use_case(Release()), "Released: the held messages are on their way."),
    "reply": (None, _reply, "Sent: your reply is on its way to the client."),
    "book": (None, _book, "Booked: the session is in the calendar."),
    "erase": ("Erase", _erase, "Erased: the client's personal data is gone; an anonymous "
              "record stays, and the client got a confirmation."),
}


def inbox_actions() -> InboxActions:
    return InboxActions(
        buttons={name: label for name, (label, _, _) in ACTIONS.items() if label},
        others=tuple(name for name, (label, _, _) in ACTIONS.items() if not label),
        notices={name: notice for name, (_, _, notice) in ACTIONS.items()},
    )


@post("/inbox/leads/{lead_id:str}/{name:str}", include_in_schema=False, status_code=303,
      exception_handlers=PAGE_ERRORS, response_headers=PAGE_HEADERS)
async def act(request: Request[Any, Any, Any], state: State, lead_id: FromPath[str],
              name: FromPath[str]) -> Response[Any]:
    from entrypoints.http.inbox.pages import lead_page

    you = await signed_in(request)
    form = await checked_form(request, you.csrf)
    if name not in ACTIONS:
        raise NotFoundException()
    _, run, _ = ACTIONS[name]
    outcome = await run(state.container, lead_id, you.studio, form)
    if outcome is None:
        raise NotFoundException()  # unknown, or another studio's: nothing was done
    if outcome.refusal is not None:
        return await lead_page(state, you, lead_id, outcome.status, outcome.refusal)
    return Redirect(f"/inbox/leads/{lead_id}?done={name}", status_code=303)
