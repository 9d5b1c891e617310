"""Liveness (the process answers) and readiness (the database answers)."""

from __future__ import annotations

import asyncio
import logging

import msgspec
from litestar import Response, get
from litestar.datastructures import State
from litestar.openapi import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from entrypoints.logs import describe_error

log = logging.getLogger("inkbook.http.health")

READY_TIMEOUT = 3.0  # seconds: a database slower than this is not ready


class Health(msgspec.Struct, frozen=True):
    status: str


@get("/healthz", sync_to_thread=False, tags=["health"])
def healthz() -> Health:
    return Health("ok")


@get(
    "/readyz",
    tags=["health"],
    responses={
        503: ResponseSpec(Health, generate_examples=False, description="the database is down")
    },
)
async def readyz(state: State) -> Response[Health]:
    try:
        async with asyncio.timeout(READY_TIMEOUT):
            async with state.container.store().uow() as uow:
                await uow.leads.list(limit=1)
    except Exception as exc:  # any failure means "not ready"; the reason goes to the log
        log.warning("readiness check failed: %s", describe_error(exc))
        return Response(Health("unavailable"), status_code=HTTP_503_SERVICE_UNAVAILABLE)
    return Response(Health("ok"), status_code=HTTP_200_OK)
