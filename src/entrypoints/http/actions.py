"""The artist's actions over the admin API (B-24).

``POST /api/leads/{id}/approve``, ``/reject``, ``/resume``, ``/reply``, ``/release``.

Thin: decode, call ``ArtistActions``, encode. A status that does not allow the
action answers 409 with the lead's current status, and nothing changes (B-24).

A caller that may retry (a timeout, a lost answer) sends an ``Idempotency-Key``
header: the action is done once per lead, action and key, in the transaction of its
effects, and a repeat answers 200 with ``changed: false`` and
``Idempotent-Replayed: true`` (a reply is never sent twice).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, post
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, HeaderParameter, JSONBody
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

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",  # printable ASCII, no spaces
        description="Do the action once per lead, action and key: a repeat answers 200 "
        "with changed false and Idempotent-Replayed: true.",
    ),
]


RESPONSES: dict[int, Any] = {
    400: BAD_REQUEST,  # a malformed Idempotency-Key, or reply body
    401: UNAUTHORIZED,
    404: NOT_FOUND,
    409: CONFLICT,  # with "status": the lead's current status
    502: error_spec("the payment provider refused the checkout"),
    503: error_spec("the payment provider is unavailable: nothing changed, try again"),
}


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
    request: Request[Any, Any, Any],
    lead_id: str,
    action: Action,
    actor: str = API_ACTOR,
    key: str | None = None,
) -> Response[Any]:
    """One action through the use case, as an HTTP answer; a studio key reaches its own leads."""
    actions = request.app.state.container.artist_actions()
    studio = scope_of(request)
    claim = None if key is None else idempotency_claim(lead_id, action, studio, key)
    try:
        result: ActionResult = await actions.act(
            lead_id, action, actor, claim=claim, studio=studio
        )
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
    if result.used:  # this key did it before: nothing done now
        if not result.status:
            raise NotFoundException(f"no lead {lead_id[:80]!r}")
        return Response(answer, status_code=HTTP_200_OK, headers={"Idempotent-Replayed": "true"})
    return Response(answer, status_code=HTTP_200_OK)


def idempotency_claim(lead_id: str, action: Action, studio: str | None, key: str) -> str:
    """The processed-key of an ``Idempotency-Key``: per caller's scope, lead and action."""
    who = studio if studio is not None else "*"
    return f"api:{who}:{lead_id}:{type(action).__name__.lower()}:{key}"


class AdminActionsController(Controller):
    path = "/api/leads"
    guards = (require_admin,)
    tags = ("admin",)
    security = ({"BearerAuth": []},)

    @post("/{lead_id:str}/approve", status_code=HTTP_200_OK, responses=RESPONSES)
    async def approve(
        self,
        request: Request[Any, Any, Any],
        lead_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Any]:
        """PENDING_APPROVAL (or handover) -> AWAITING_DEPOSIT; the client gets the deposit link."""
        return await run_action(request, lead_id, Approve(), key=idempotency_key)

    @post("/{lead_id:str}/reject", status_code=HTTP_200_OK, responses=RESPONSES)
    async def reject(
        self,
        request: Request[Any, Any, Any],
        lead_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Any]:
        """-> REJECTED, with the studio's kind message to the client."""
        return await run_action(request, lead_id, Reject(), key=idempotency_key)

    @post("/{lead_id:str}/resume", status_code=HTTP_200_OK, responses=RESPONSES)
    async def resume(
        self,
        request: Request[Any, Any, Any],
        lead_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Any]:
        """NEEDS_ARTIST_REPLY -> QUALIFYING; the current question is asked again."""
        return await run_action(request, lead_id, Resume(), key=idempotency_key)

    @post("/{lead_id:str}/reply", status_code=HTTP_200_OK, responses=RESPONSES)
    async def reply(
        self,
        request: Request[Any, Any, Any],
        lead_id: FromPath[str],
        data: JSONBody[ReplyBody],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Any]:
        """``{"text": "..."}`` to the client as the artist, within the 24-hour window."""
        text = data.text.strip()
        if not text or len(text) > MAX_TEXT:
            raise ValidationException(f"text must be 1 to {MAX_TEXT} characters")
        return await run_action(request, lead_id, Reply(text), key=idempotency_key)

    @post("/{lead_id:str}/release", status_code=HTTP_200_OK, responses=RESPONSES)
    async def release(
        self,
        request: Request[Any, Any, Any],
        lead_id: FromPath[str],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Any]:
        """Deliver the client messages held back by the 24-hour rule (B-28)."""
        return await run_action(request, lead_id, Release(), key=idempotency_key)
