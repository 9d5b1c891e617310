"""Erasure and subject access (issue 10, B-40, B-49): ``POST /api/leads/{id}/erase`` and
``GET /api/leads/{id}/export``, behind the admin keys like the rest of ``/api/leads``: a
studio key reaches its own studio's leads only (another studio's lead is 404, B-46)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from .admin import require_admin, scope_of
from .responses import NOT_FOUND, UNAUTHORIZED


class ErasedView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    studio: str
    status: str
    erased_at: datetime | None
    already_erased: bool  # erased earlier: this call changed nothing


class PrivacyController(Controller):
    path = "/api/leads"
    guards = (require_admin,)
    tags = ("admin",)
    security = ({"BearerAuth": []},)

    @post(
        "/{lead_id:str}/erase", status_code=200, responses={401: UNAUTHORIZED, 404: NOT_FOUND}
    )
    async def erase_lead(
        self, request: Request[Any, Any, Any], state: State, lead_id: FromPath[str]
    ) -> ErasedView:
        """Remove the lead's personal data, keep an anonymous record, confirm to the client."""
        erased = await state.container.erase_lead()(lead_id, scope_of(request))
        if erased is None:
            raise NotFoundException(f"no lead {lead_id[:80]!r}")
        lead = erased.lead
        return ErasedView(id=lead.id, studio=lead.studio, status=lead.status,
                          erased_at=lead.times.erased, already_erased=erased.already)

    @get("/{lead_id:str}/export", responses={401: UNAUTHORIZED, 404: NOT_FOUND})
    async def export_lead(
        self, request: Request[Any, Any, Any], state: State, lead_id: FromPath[str]
    ) -> Response[Any]:
        """Every piece of personal data held for the lead, as one JSON document."""
        document = await state.container.export_lead()(lead_id, scope_of(request))
        if document is None:
            raise NotFoundException(f"no lead {lead_id[:80]!r}")
        return Response(document, media_type="application/json")
