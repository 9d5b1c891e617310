"""The admin API: ``/api/leads``, behind ``Authorization: Bearer <admin key>`` (B-43)."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException, NotFoundException, ValidationException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath, QueryParameter

from core.domain.status import Status

from .responses import BAD_REQUEST, NOT_FOUND, UNAUTHORIZED
from .views import LeadDetail, LeadList, lead_detail, lead_summary

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="inkbook"'}
STATUSES = tuple(Status.__members__)
# Bounds of the query parameters (issue 7): past these the answer is a 400, never a 500
# from the database (an offset past 2**63 overflowed its integer).
MAX_OFFSET = 1_000_000_000
MAX_ID_LENGTH = 200


OPERATOR = None  # the scope of INKBOOK_ADMIN_API_KEY: every studio
SCOPE = "studio_scope"


async def require_admin(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard: the operator's key (every studio) or a studio key (that studio only, B-46).

    The scope lands in ``connection.state.studio_scope``: None for the operator, else the
    studio id. Anything else is 401; with no operator key and no studio keys, all is refused.
    ``OPTIONS`` only says which methods the route allows (it reads nothing): no key needed.
    """
    if connection.scope.get("method") == "OPTIONS":  # issue 7
        return
    key: str | None = connection.app.state.settings.admin_api_key
    scheme, _sep, token = connection.headers.get("authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token:
        presented = token.encode("utf-8", "surrogateescape")
        if key and hmac.compare_digest(presented, key.encode("utf-8")):
            connection.state[SCOPE] = OPERATOR
            return
        studio = await connection.app.state.container.studio_keys().studio_of(token)
        if studio is not None:
            connection.state[SCOPE] = studio
            return
    raise NotAuthorizedException("a valid admin API key is required", headers=CHALLENGE)


def scope_of(request: Request[Any, Any, Any]) -> str | None:
    """The studio the caller may see (None: every studio)."""
    scope: str | None = request.state.get(SCOPE, OPERATOR)
    return scope


def visible(request: Request[Any, Any, Any], lead_studio: str) -> bool:
    scope = scope_of(request)
    return scope is None or scope == lead_studio


def _status(value: str | None) -> str | None:
    if value is None:
        return None
    status = value.strip().upper()
    if status not in STATUSES:
        raise ValidationException(
            f"unknown status {value[:40]!r}; expected one of " + ", ".join(STATUSES)
        )
    return status


class AdminLeadsController(Controller):
    path = "/api/leads"
    guards = (require_admin,)
    tags = ("admin",)
    security = ({"BearerAuth": []},)

    @get(responses={400: BAD_REQUEST, 401: UNAUTHORIZED})
    async def list_leads(
        self,
        state: State,
        request: Request[Any, Any, Any],
        status: Annotated[
            str | None,
            QueryParameter(
                description="one status, e.g. QUALIFYING (any case)",
                max_length=MAX_ID_LENGTH,
                schema_extra={"enum": list(STATUSES)},
            ),
        ] = None,
        studio: Annotated[
            str | None, QueryParameter(description="one studio id", max_length=MAX_ID_LENGTH)
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
    ) -> LeadList:
        """Leads, newest first; filter by ``status`` and ``studio``."""
        wanted = _status(status)
        scope = scope_of(request)
        if scope is not None and studio not in (None, scope):
            return LeadList(leads=[], limit=limit, offset=offset)  # another studio: nothing
        studio = scope or studio
        leads = await state.container.read_leads().list(
            studio=studio, status=wanted, limit=limit, offset=offset
        )
        studios = state.container.studios()
        return LeadList(
            leads=[lead_summary(lead, studios) for lead in leads], limit=limit, offset=offset
        )

    @get("/{lead_id:str}", responses={401: UNAUTHORIZED, 404: NOT_FOUND})
    async def get_lead(
        self, state: State, request: Request[Any, Any, Any], lead_id: FromPath[str]
    ) -> LeadDetail:
        """One lead with its answers, conversation and status history."""
        record = await state.container.read_leads().record(lead_id)
        if record is None or not visible(request, record.lead.studio):
            raise NotFoundException(f"no lead {lead_id[:80]!r}")
        studios = state.container.studios()
        return lead_detail(record.lead, studios, record.thread, record.transitions)
