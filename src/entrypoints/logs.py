"""Structured logs (B-44): JSON lines on stderr, a correlation id per request, no PII.

- ``configure_logging(level)`` routes both structlog and the standard library's
  ``logging`` through one chain of processors that ends in a JSON renderer.
- ``mask_pii`` (in that chain) masks phone numbers (any run of 7+ digits) in every
  string and replaces message bodies (``body``, ``text``, ``message_text``,
  ``caption``) by their length, anywhere in the event, nested values included.
- ``redact_exceptions`` renders a traceback as frames and exception types only:
  an exception's text may quote client data (a database error's DETAIL quotes the
  failing row, a parser error the input), so it never reaches a log line, whatever
  the error path. Only network errors (``OSError``) keep their text.
- ``CorrelationMiddleware`` gives each request an id (a sane ``X-Request-ID`` or a
  new uuid4 hex), binds it to the log context, echoes it in the response and logs
  one line per request.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import traceback
import uuid
from collections.abc import Mapping, MutableMapping
from typing import Any, TextIO

import msgspec
import structlog
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
BODY_KEYS = frozenset({"body", "text", "message_text", "caption"})
UNMASKED_KEYS = frozenset({"request_id"})  # already checked to carry no number (below)

_PHONE = re.compile(r"\+?\d{7,}")
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_DIGIT_RUN = re.compile(r"\d{7,}")

_access = structlog.get_logger("inkbook.http")


# -- masking -------------------------------------------------------------------------------


def mask_number(match: re.Match[str]) -> str:
    """``447911123456`` -> ``4479******56``: the country and the last two digits stay."""
    number = match.group()
    sign = "+" if number.startswith("+") else ""
    digits = number.removeprefix("+")
    return f"{sign}{digits[:4]}{'*' * (len(digits) - 6)}{digits[-2:]}"


def mask_text(text: str) -> str:
    return _PHONE.sub(mask_number, text)


def _mask(value: Any, key: str | None = None) -> Any:
    if key in BODY_KEYS and isinstance(value, str):
        return f"<{len(value)} chars>"
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: _mask(v, k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_mask(v) for v in value]
    return value


def describe_error(exc: BaseException) -> str:
    """What a log line may say about an exception: its type, and the text of network
    errors (which carry hosts and errno, never client data)."""
    name = type(exc).__qualname__
    if isinstance(exc, OSError) and str(exc):
        return f"{name}: {str(exc)[:200]}"
    return name


def _redacted_traceback(exc: BaseException) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"Traceback (most recent call last):\n{frames}{describe_error(current)}")
        current = current.__cause__ or current.__context__
    return "\n\nWhile handling, from:\n".join(parts)


def redact_exceptions(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: ``exc_info`` becomes ``exception``, frames and types only (B-44)."""
    exc_info = event_dict.pop("exc_info", None)
    if not exc_info:
        return event_dict
    if isinstance(exc_info, BaseException):
        exc = exc_info
    elif isinstance(exc_info, tuple):
        exc = exc_info[1]
    else:
        exc = sys.exc_info()[1]
    if exc is not None:
        event_dict["exception"] = _redacted_traceback(exc)
    return event_dict


def drop_color_message(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Uvicorn's duplicate of ``event`` with terminal colours: noise in JSON logs."""
    event_dict.pop("color_message", None)
    return event_dict


def mask_pii(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask phone numbers and message bodies anywhere in the event."""
    for key, value in event_dict.items():
        if key not in UNMASKED_KEYS:
            event_dict[key] = _mask(value, key)
    return event_dict


# -- configuration -------------------------------------------------------------------------


def _json(event: Any, **_kw: Any) -> str:
    return msgspec.json.encode(event, enc_hook=str).decode()


def _pre_chain() -> list[Any]:
    """What every event gets before formatting, from structlog and stdlib alike."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """JSON lines on ``stream`` (default stderr) for structlog and stdlib logging alike.

    Idempotent: the root logger's handlers are replaced, not added to.
    """
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_pre_chain(), structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            redact_exceptions,  # tracebacks become frames and types, then get masked
            drop_color_message,
            mask_pii,
            structlog.processors.JSONRenderer(serializer=_json),
        ],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Alembic narrates every plugin it loads at INFO; its migration lines are enough.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_pre_chain(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,  # module-level loggers follow reconfiguration
    )


# -- correlation id ------------------------------------------------------------------------


def request_id_from(value: str | None) -> str:
    """The caller's id when it is short, plain and carries no number; else a new one."""
    if value and _SANE_ID.fullmatch(value) and not _DIGIT_RUN.search(value):
        return value
    return new_request_id()


def new_request_id() -> str:
    """A uuid4 hex without long digit runs (so masking never garbles it)."""
    while True:
        candidate = uuid.uuid4().hex
        if not _DIGIT_RUN.search(candidate):
            return candidate


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class CorrelationMiddleware(ASGIMiddleware):
    """Binds ``request_id`` for the request's logs, echoes it, logs one access line."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request_id = request_id_from(_header(scope, REQUEST_ID_HEADER.encode()))
        scope.setdefault("state", {})[REQUEST_ID_HEADER] = request_id  # type: ignore[typeddict-item]
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers") or [])
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        finally:
            _access.info(
                "request",
                method=scope.get("method"),
                path=scope.get("path"),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.reset_contextvars(**tokens)


async def ensure_request_id(message: Message, scope: Scope) -> None:
    """``before_send`` hook: every response carries an id, unrouted 404s and 405s too.

    Routed requests got theirs from :class:`CorrelationMiddleware`; the router answers
    unknown paths and methods before any middleware runs.
    """
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers") or [])
    if any(key.lower() == REQUEST_ID_HEADER.encode() for key, _ in headers):
        return
    state = scope.get("state") or {}
    request_id = state.get(REQUEST_ID_HEADER) or request_id_from(
        _header(scope, REQUEST_ID_HEADER.encode())
    )
    headers.append((REQUEST_ID_HEADER.encode(), str(request_id).encode()))
    message["headers"] = headers  # type: ignore[typeddict-unknown-key]
