"""The artist's actions over the admin API (B-24).

``POST /api/leads/{id}/approve``, ``/reject``, ``/resume``, ``/reply``, ``/release``.

Thin: decode, call ``ArtistActions``, encode. A status that does not allow the
action answers 409 with the lead's current status, and nothing changes (B-24).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, post
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, JSONBody
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_409_CONFLICT,
    HTTP_502_BAD_GATEWAY,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from core.domain.actions import Action, Approve, Reject, Release, Reply, Resume
from core.domain.copy import MAX_TEXT
from core.usecases.actions import ActionResult
from ports.lead_repo import LeadNotFound
from ports.payments import PaymentRefused, PaymentsError

from .admin import require_admin, scope_of
from .errors import error_response
from .responses import BAD_REQUEST, CONFLICT, NOT_FOUND, UNAUTHORIZED, error_spec

API_ACTOR = "artist"
RETRY_AFTER = "30"


RESPONSES: dict[int, Any] = {
    401: UNAUTHORIZED,
    404: NOT_FOUND,
    409: CONFLICT,  # with "status": the lead's current status
    502: error_spec("the payment provider refused the checkout"),
    503: error_spec("the payment provider is unavailable: nothing changed, try again"),
}


REPLY_RESPONSES: dict[int, Any] = {**RESPONSES, 400: BAD_REQUEST}


# At least one character that is neither a control nor a space, spelled out: `\S` means
# different things to Python (which counts \x1c-\x1f and \x85 as space) and to JSON
# Schema's ECMA regexes, so a client reading the OpenAPI document would disagree with us.
VISIBLE = (
    r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
)


class ReplyBody(msgspec.Struct, frozen=True):
    # The artist's words: 1 to MAX_TEXT characters, not only spaces (a 400 otherwise).
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_TEXT, pattern=VISIBLE)]


class ActionAnswer(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    status: str
    changed: bool  # false: the action's effect already held, nothing new was sent


async def run_action(
    request: Request[Any, Any, Any], lead_id: str, action: Action, actor: str = API_ACTOR
) -> Response[Any]:
    """One action through the use case, as an HTTP answer; a studio key reaches its own leads."""
    actions = request.app.state.container.artist_actions()
    try:
        result: ActionResult = await actions.act(lead_id, action, actor, studio=scope_of(request))
    except LeadNotFound:
        raise NotFoundException(f"no lead {lead_id[:80]!r}") from None
    except PaymentRefused as exc:
        return error_response(HTTP_502_BAD_GATEWAY, f"the payment provider refused: {exc}"[:300])
    except PaymentsError:
        return error_response(
            HTTP_503_SERVICE_UNAVAILABLE,
            "the payment provider is unavailable: nothing changed, try again",
            headers={"Retry-After": RETRY_AFTER},
        )
    if result.refusal is not None:
        body = {"error": result.refusal, "status": result.status}  # the current status (B-24)
        return Response(body, status_code=HTTP_409_CONFLICT)
    answer = ActionAnswer(id=result.lead_id, status=result.status, changed=result.changed)
    return Response(answer, status_code=HTTP_200_OK)


class AdminActionsController(Controller):
    path = "/api/leads"
    guards = (require_admin,)
    tags = ("admin",)
    security = ({"BearerAuth": []},)

    @post("/{lead_id:str}/approve", status_code=HTTP_200_OK, responses=RESPONSES)
    async def approve(
        self, request: Request[Any, Any, Any], lead_id: FromPath[str]
    ) -> Response[Any]:
        """PENDING_APPROVAL (or handover) -> AWAITING_DEPOSIT; the client gets the deposit link."""
        return await run_action(request, lead_id, Approve())

    @post("/{lead_id:str}/reject", status_code=HTTP_200_OK, responses=RESPONSES)
    async def reject(
        self, request: Request[Any, Any, Any], lead_id: FromPath[str]
    ) -> Response[Any]:
        """-> REJECTED, with the studio's kind message to the client."""
        return await run_action(request, lead_id, Reject())

    @post("/{lead_id:str}/resume", status_code=HTTP_200_OK, responses=RESPONSES)
    async def resume(
        self, request: Request[Any, Any, Any], lead_id: FromPath[str]
    ) -> Response[Any]:
        """NEEDS_ARTIST_REPLY -> QUALIFYING; the current question is asked again."""
        return await run_action(request, lead_id, Resume())

    @post("/{lead_id:str}/reply", status_code=HTTP_200_OK, responses=REPLY_RESPONSES)
    async def reply(
        self, request: Request[Any, Any, Any], lead_id: FromPath[str], data: JSONBody[ReplyBody]
    ) -> Response[Any]:
        """``{"text": "..."}`` to the client as the artist, within the 24-hour window."""
        text = data.text.strip()
        if not text or len(text) > MAX_TEXT:
            raise ValidationException(f"text must be 1 to {MAX_TEXT} characters")
        return await run_action(request, lead_id, Reply(text))

    @post("/{lead_id:str}/release", status_code=HTTP_200_OK, responses=RESPONSES)
    async def release(
        self, request: Request[Any, Any, Any], lead_id: FromPath[str]
    ) -> Response[Any]:
        """Deliver the client messages held back by the 24-hour rule (B-28)."""
        return await run_action(request, lead_id, Release())
