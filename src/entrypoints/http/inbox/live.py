"""A lead's page stays live: new thread lines arrive as server-sent events (issue 14).

The stream looks at the thread every ``INKBOOK_INBOX_POLL`` and sends the
lines added since the browser's last one (its ``Last-Event-ID``, or ``?after=`` on
the first connection) as HTML rendered by the same template as the page, so client
text is escaped the same way. It ends after ``inbox_stream``; the browser's
``EventSource`` reconnects by itself and carries on from its last id.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

from litestar import Request, get
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import ServerSentEvent, ServerSentEventMessage

from entrypoints.http.inbox.auth import PAGE_ERRORS, signed_in
from entrypoints.http.inbox.present import status_label, when
from ports.lead_repo import ThreadEntry

LINES_TEMPLATE = "inbox/_lines.html"


def thread_lines(entries: Sequence[ThreadEntry]) -> list[dict[str, Any]]:
    return [
        {
            "direction": e.direction,
            "text": e.text,
            "at": when(e.at),
            "kind": e.kind,
            "by_artist": e.direction == "out" and e.kind.startswith("artist"),
        }
        for e in entries
    ]


def _start(request: Request[Any, Any, Any], default: int) -> int:
    for given in (request.headers.get("last-event-id"), request.query_params.get("after")):
        if given and given.isdigit():
            return int(given)
    return default


@get("/inbox/leads/{lead_id:str}/events", include_in_schema=False,
     exception_handlers=PAGE_ERRORS)
async def lead_events(request: Request[Any, Any, Any], state: State,
                      lead_id: FromPath[str]) -> ServerSentEvent:
    you = await signed_in(request)
    reads, settings = state.container.inbox_reads(), state.settings
    found = await reads.thread(you.studio, lead_id)
    if found is None:
        raise NotFoundException()
    template = request.app.template_engine.get_template(LINES_TEMPLATE)
    seen, status = _start(request, len(found[1])), found[0].status

    async def changes() -> AsyncIterator[ServerSentEventMessage]:
        nonlocal seen, status
        loop = asyncio.get_running_loop()
        ends = loop.time() + settings.inbox_stream.total_seconds()
        while loop.time() < ends and not state.inbox.stopping():
            found = await reads.thread(you.studio, lead_id)
            if found is None:
                return
            lead, thread = found
            if len(thread) > seen:
                html = template.render(lines=thread_lines(thread[seen:]))
                seen = len(thread)
                yield ServerSentEventMessage(data=html, event="lines", id=seen)
            if lead.status != status:
                status = lead.status
                yield ServerSentEventMessage(data=status_label(status), event="status", id=seen)
            await asyncio.sleep(settings.inbox_poll.total_seconds())

    return ServerSentEvent(changes(), retry_duration=1000)


def _fingerprint(found: Any) -> tuple[Any, ...]:
    return (tuple((lead.id, lead.status, lead.version) for lead in found.leads),
            tuple(sorted(found.counts.items())))


@get("/inbox/events", include_in_schema=False, exception_handlers=PAGE_ERRORS)
async def list_events(request: Request[Any, Any, Any], state: State) -> ServerSentEvent:
    """The list page's stream: one ``leads`` event whenever the studio's leads change."""
    you = await signed_in(request)
    reads, settings = state.container.inbox_reads(), state.settings
    known = _fingerprint(await reads.leads(you.studio))

    async def changes() -> AsyncIterator[ServerSentEventMessage]:
        nonlocal known
        loop = asyncio.get_running_loop()
        ends = loop.time() + settings.inbox_stream.total_seconds()
        while loop.time() < ends and not state.inbox.stopping():
            await asyncio.sleep(settings.inbox_poll.total_seconds())
            now = _fingerprint(await reads.leads(you.studio))
            if now != known:
                known = now
                yield ServerSentEventMessage(data="changed", event="leads")

    return ServerSentEvent(changes(), retry_duration=1000)
