"""Cloud API error responses to the Messenger port's typed errors (B-27, B-28, PROVIDERS A5/A6).

The error ``code`` decides first; the HTTP status only when the code is one we do
not know. Details come from ``error.error_data.details`` (``message`` is deprecated).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

import msgspec

from ports.messenger import (
    MessengerError,
    PermanentFailure,
    RateLimited,
    TransientFailure,
    WindowClosed,
)

from .wire import ErrorData

DAY = 24 * 60 * 60.0

WINDOW_CLOSED = frozenset({131047})  # more than 24 h since the client's last message
RATE_LIMITED = frozenset({4, 80007, 130429, 131056})  # app, WABA, throughput, pair rate
HEALTHY_ECOSYSTEM = 131049  # Meta holds marketing to this user back: wait at least 24 h
TRANSIENT = frozenset({1, 2, 131057, 133004})  # unknown, service down, maintenance, server busy
PERMANENT = frozenset({100, 190, 131008, 131026, 131030, 131050, 130403})


class _Error(msgspec.Struct):
    code: int | None = None
    message: str | None = None
    error_data: ErrorData | None = None


class _ErrorResponse(msgspec.Struct):
    error: _Error | None = None


_ERROR_RESPONSE = msgspec.json.Decoder(_ErrorResponse)


def failure_kind(code: int | None) -> str:
    """What an asynchronous ``failed`` status's error code means for the relay."""
    if code in WINDOW_CLOSED:
        return "window_closed"
    if code in RATE_LIMITED or code in TRANSIENT or code == HEALTHY_ECOSYSTEM:
        return "transient"
    return "permanent"


def error_for(
    status: int, headers: Mapping[str, str], body: bytes, reason: str | None = None
) -> MessengerError:
    """The typed error for a non-2xx response (``headers`` looked up case-insensitively)."""
    code, detail = _read(body, reason)
    detail = f"HTTP {status}" + (f" ({code})" if code is not None else "") + f": {detail}"
    if code in WINDOW_CLOSED:
        return WindowClosed(detail, code)
    if code == HEALTHY_ECOSYSTEM:
        return RateLimited(detail, code, retry_after=DAY)
    if code in RATE_LIMITED:
        return RateLimited(detail, code, retry_after=retry_after(headers))
    if code in TRANSIENT:
        return TransientFailure(detail, code)
    if code in PERMANENT:
        return PermanentFailure(detail, code)
    if status == 429:
        return RateLimited(detail, code, retry_after=retry_after(headers))
    if status >= 500 or status == 408:
        return TransientFailure(detail, code)
    return PermanentFailure(detail, code)


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``Retry-After`` (delta-seconds, or an HTTP date against ``Date``)."""
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return _seconds_until(value, headers.get("date"))
    return max(seconds, 0.0) if math.isfinite(seconds) else None


def _seconds_until(when: str, now: str | None) -> float | None:
    """An HTTP-date Retry-After, measured against the response's own ``Date`` (no clock here)."""
    if not now:
        return None
    try:
        delta = parsedate_to_datetime(when) - parsedate_to_datetime(now)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(delta.total_seconds(), 0.0)


def _read(body: bytes, reason: str | None) -> tuple[int | None, str]:
    """The error code and the most useful text of an error body (JSON or not)."""
    try:
        error = _ERROR_RESPONSE.decode(body).error
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        error = None
    if error is None:
        return None, reason or "no error body"
    details = error.error_data.details if error.error_data else None
    return error.code, details or error.message or "no details"
