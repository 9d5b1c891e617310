"""``GET /api/leads.csv``: the admin API's leads as a spreadsheet (issue 14).

Behind the same keys as ``/api/leads`` and scoped the same way: the operator's key
sees every studio (``?studio=`` narrows it), a studio key only its own studio.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.params import QueryParameter

from entrypoints.http.admin import MAX_ID_LENGTH, STATUSES, _status, require_admin, scope_of
from entrypoints.http.inbox.pages import csv_response
from entrypoints.http.responses import BAD_REQUEST, UNAUTHORIZED
from entrypoints.http.spreadsheet import leads_csv


@get("/api/leads.csv", guards=[require_admin], tags=["admin"],
     security=[{"BearerAuth": []}], media_type="text/csv",
     responses={400: BAD_REQUEST, 401: UNAUTHORIZED})
async def leads_spreadsheet(
    state: State,
    request: Request[Any, Any, Any],
    studio: Annotated[
        str | None, QueryParameter(description="one studio id", max_length=MAX_ID_LENGTH)
    ] = None,
    status: Annotated[
        str | None,
        QueryParameter(description="one status (any case)", max_length=MAX_ID_LENGTH,
                       schema_extra={"enum": list(STATUSES)}),
    ] = None,
) -> Response[str]:
    """Every lead as CSV (UTF-8 with BOM, understood values as columns, formulas neutralised)."""
    wanted = _status(status)
    scope = scope_of(request)
    if scope is not None and studio not in (None, scope):
        leads = []  # another studio's leads: none, as /api/leads answers
    else:
        studio = scope or studio
        leads = await state.container.inbox_reads().leads_for_export(studio, wanted)
    order = [q.key for s in state.container.studios() for q in s.questions]
    name = f"inkbook-{studio}-leads.csv" if studio else "inkbook-leads.csv"
    return csv_response(leads_csv(leads, dict.fromkeys(order)), name)
