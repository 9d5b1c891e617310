"""Every failure is a clear ``{"error": "..."}`` with a 4xx or 5xx, never a stack trace (B-45)."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from adapters.meta import MalformedPayload

log = logging.getLogger("inkbook.http")


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    return Response({"error": message, **extra}, status_code=status, headers=headers)


def _http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationException) and exc.extra:
        extra["invalid"] = exc.extra  # which parameter and why, as Litestar found it
    return error_response(exc.status_code, exc.detail, headers=exc.headers, **extra)


def _malformed(_: Request[Any, Any, Any], exc: MalformedPayload) -> Response[dict[str, Any]]:
    return error_response(HTTP_400_BAD_REQUEST, str(exc)[:500])


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.error(
        "unhandled error on %s %s",
        request.method,
        request.url.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return error_response(HTTP_500_INTERNAL_SERVER_ERROR, "internal error")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    HTTPException: _http_error,
    MalformedPayload: _malformed,
    Exception: _unexpected,
}
