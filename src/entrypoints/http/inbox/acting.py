"""The artist's actions from a lead's page (B-24, B-40): the admin API's use cases, as forms.

Each button posts a form (with its CSRF token) to ``/inbox/leads/{id}/{action}``,
which calls the same use case as ``POST /api/leads/{id}/{action}``, scoped to the
signed-in studio. An action the lead's status does not allow shows the page again
with a readable message and HTTP 409; nothing changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, post
from litestar.datastructures import FormMultiDict, State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect
from litestar.status_codes import HTTP_409_CONFLICT

from entrypoints.http.inbox.actions import InboxActions
from entrypoints.http.inbox.auth import PAGE_ERRORS, PAGE_HEADERS, checked_form, signed_in


@dataclass(frozen=True, slots=True)
class Outcome:
    refusal: str | None = None  # why the status does not allow it (409)
    status: int = HTTP_409_CONFLICT  # the answer when refused


# (container, lead id, studio, form) -> Outcome; None when the lead is not the studio's
Run = Callable[[Any, str, str, FormMultiDict], Awaitable[Outcome | None]]


async def _erase(container: Any, lead_id: str, studio: str, _: FormMultiDict) -> Outcome | None:
    erased = await container.erase_lead()(lead_id, studio)
    return None if erased is None else Outcome()


# name -> (button label or None for forms of their own, what it does, what the page says)
ACTIONS: dict[str, tuple[str | None, Run, str]] = {
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
