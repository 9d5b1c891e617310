"""The inbox pages: the leads list, a lead's page and the CSV download (B-24, B-43)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from core.domain.status import Status
from core.usecases.inbox_reads import NEEDS_ARTIST
from core.usecases.reads import LeadRecord
from entrypoints.http.inbox import present
from entrypoints.http.inbox.auth import INBOX, PAGE_ERRORS, PAGE_HEADERS, SignedIn, signed_in
from entrypoints.http.inbox.live import thread_lines
from entrypoints.http.spreadsheet import leads_csv

STATUSES = tuple(Status)


def _status(value: str | None) -> str | None:
    wanted = (value or "").strip().upper()
    return wanted if wanted in STATUSES else None


def lead_context(state: State, you: SignedIn, page: LeadRecord, **extra: Any) -> dict[str, Any]:
    lead, studios = page.lead, state.container.studios()
    return {
        "you": you.user,
        "csrf": you.csrf,
        "lead": present.summary(lead),
        "brief": present.brief(lead, studios),
        "references": list(lead.references),
        "lines": thread_lines(page.thread),
        "seen": len(page.thread),
        "history": [
            {"from": present.status_label(t.source), "to": present.status_label(t.target),
             "reason": t.reason, "actor": t.actor, "at": present.when(t.at)}
            for t in page.transitions
        ],
        "deposit": present.deposit(lead),
        "booking": present.booking(lead),
        "actions": state.inbox.actions.buttons(),
        "can_reply": state.inbox.actions.offers("reply"),
        "can_book": state.inbox.actions.offers("book"),
        "timezone": present.timezone(lead, studios),
        "problem": None,
        "notice": None,
        **extra,
    }


class InboxController(Controller):
    path = INBOX
    include_in_schema = False
    exception_handlers = PAGE_ERRORS
    response_headers = PAGE_HEADERS

    @get()
    async def leads(
        self,
        request: Request[Any, Any, Any],
        state: State,
        status: Annotated[str | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        you = await signed_in(request)
        wanted = _status(status)
        found = await state.container.inbox_reads().leads(you.studio, status=wanted, search=q)
        counts = [
            {"status": s.value, "label": present.status_label(s), "count": found.counts[s],
             "needs_artist": s in NEEDS_ARTIST}
            for s in STATUSES if found.counts.get(s)
        ]
        return Template(template_name="inbox/list.html", context={
            "you": you.user,
            "csrf": you.csrf,
            "leads": [present.summary(lead) for lead in found.leads],
            "counts": counts,
            "total": sum(found.counts.values()),
            "status": wanted,
            "q": (q or "").strip(),
        })

    @get("/leads/{lead_id:str}")
    async def lead(self, request: Request[Any, Any, Any], state: State,
                   lead_id: FromPath[str],
                   done: Annotated[str | None, QueryParameter()] = None) -> Template:
        you = await signed_in(request)
        return await lead_page(state, you, lead_id, notice=state.inbox.actions.notice(done))

    @get("/leads/{lead_id:str}/references/{number:int}")
    async def reference(self, request: Request[Any, Any, Any], state: State,
                        lead_id: FromPath[str], number: FromPath[int]) -> Response[bytes]:
        """The lead's ``number``-th reference image (from 1), fetched from the provider."""
        you = await signed_in(request)
        found = await state.container.inbox_reads().thread(you.studio, lead_id)
        references = found[0].references if found else ()
        if not 1 <= number <= len(references):
            raise NotFoundException()
        image = await state.container.media().fetch(references[number - 1])
        if image is None:
            raise NotFoundException()
        return Response(image.body, media_type=image.content_type, headers={
            "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'"})

    @get("/leads.csv")
    async def spreadsheet(self, request: Request[Any, Any, Any], state: State) -> Response[str]:
        you = await signed_in(request)
        leads = await state.container.inbox_reads().leads_for_export(you.studio)
        order = [q.key for s in state.container.studios() if s.id == you.studio
                 for q in s.questions]  # a studio gone from the deployment: answers as given
        return csv_response(leads_csv(leads, order), f"inkbook-{you.studio}-leads.csv")


async def lead_page(state: State, you: SignedIn, lead_id: str, status: int = 200,
                    problem: str | None = None, notice: str | None = None) -> Template:
    """A lead's page; after a refused action, with the reason and the action's status."""
    page = await state.container.inbox_reads().lead(you.studio, lead_id)
    if page is None:
        raise NotFoundException()
    context = lead_context(state, you, page, problem=problem, notice=notice)
    return Template(template_name="inbox/lead.html", context=context, status_code=status)


def csv_response(body: str, filename: str) -> Response[str]:
    """A download; the file name keeps letters, digits, dots and dashes only (a header
    carries no arbitrary text: a studio id in the query could hold anything)."""
    filename = re.sub(r"[^A-Za-z0-9._-]", "", filename)[:100] or "leads.csv"
    return Response(
        body.encode("utf-8"),  # type: ignore[arg-type]
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
