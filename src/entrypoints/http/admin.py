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

from .views import LeadDetail, LeadList, lead_detail, lead_summary

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="inkbook"'}
STATUSES = tuple(Status.__members__)


def require_admin(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: the configured admin key as a bearer token; no key configured refuses all."""
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

    @get()
    async def list_leads(
        self,
        state: State,
        status: Annotated[
            str | None, QueryParameter(description="one status, e.g. QUALIFYING")
        ] = None,
        studio: Annotated[str | None, QueryParameter(description="one studio id")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
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

    @get("/{lead_id:str}")
    async def get_lead(self, state: State, lead_id: FromPath[str]) -> LeadDetail:
        """One lead with its answers, conversation and status history."""
        record = await state.container.read_leads().record(lead_id)
        if record is None:
            raise NotFoundException(f"no lead {lead_id[:80]!r}")
        studios = state.container.studios()
        return lead_detail(record.lead, studios, record.thread, record.transitions)
