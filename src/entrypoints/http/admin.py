"""The admin API: ``/api/leads``, behind ``Authorization: Bearer <admin key>`` (B-43)."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from litestar import Controller, get
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


def require_admin(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: the configured admin key as a bearer token; no key configured refuses all.

    ``OPTIONS`` only says which methods the route allows (it reads nothing): no key needed.
    """
    if connection.scope.get("method") == "OPTIONS":
        return
    key: str | None = connection.app.state.settings.admin_api_key
    scheme, _sep, token = connection.headers.get("authorization", "").strip().partition(" ")
    presented = token.strip().encode("utf-8", "surrogateescape")
    if (
        not key
        or scheme.lower() != "bearer"
        or not hmac.compare_digest(presented, key.encode("utf-8"))
    ):
        raise NotAuthorizedException("a valid admin API key is required", headers=CHALLENGE)


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
        leads = await state.container.read_leads().list(
            studio=studio, status=wanted, limit=limit, offset=offset
        )
        studios = state.container.studios()
        return LeadList(
            leads=[lead_summary(lead, studios) for lead in leads], limit=limit, offset=offset
        )

    @get("/{lead_id:str}", responses={401: UNAUTHORIZED, 404: NOT_FOUND})
    async def get_lead(self, state: State, lead_id: FromPath[str]) -> LeadDetail:
        """One lead with its answers, conversation and status history."""
        record = await state.container.read_leads().record(lead_id)
        if record is None:
            raise NotFoundException(f"no lead {lead_id[:80]!r}")
        studios = state.container.studios()
        return lead_detail(record.lead, studios, record.thread, record.transitions)
