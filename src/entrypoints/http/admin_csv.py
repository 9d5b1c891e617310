"""``GET /api/leads.csv``: the admin API's leads as a spreadsheet (issue 14).

Behind the admin bearer key like ``/api/leads``; ``?studio=`` and ``?status=``
narrow it (studio keys, which scope by themselves, come with another issue).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get
from litestar.datastructures import State
from litestar.params import QueryParameter

from entrypoints.http.admin import _status, require_admin
from entrypoints.http.inbox.pages import csv_response
from entrypoints.http.spreadsheet import leads_csv


@get("/api/leads.csv", guards=[require_admin], tags=["admin"],
     security=[{"BearerAuth": []}], media_type="text/csv")
async def leads_spreadsheet(
    state: State,
    studio: Annotated[str | None, QueryParameter(description="one studio id")] = None,
    status: Annotated[str | None, QueryParameter(description="one status")] = None,
) -> Response[str]:
    """Every lead as CSV (UTF-8 with BOM, understood values as columns, formulas neutralised)."""
    leads = await state.container.inbox_reads().leads_for_export(studio, _status(status))
    order = [q.key for s in state.container.studios() for q in s.questions]
    name = f"inkbook-{studio}-leads.csv" if studio else "inkbook-leads.csv"
    return csv_response(leads_csv(leads, dict.fromkeys(order)), name)
