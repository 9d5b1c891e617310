"""Twilio error responses to the Messenger port's typed errors (B-27, B-28, PROVIDERS.md C).

The Twilio error ``code`` decides first (``twilio.com/docs/api/errors``); the HTTP
status only when the code is one we do not know.
"""

from __future__ import annotations

from ports.messenger import (
    MessengerError,
    PermanentFailure,
    RateLimited,
    TransientFailure,
    WindowClosed,
)

WINDOW_CLOSED = frozenset({63016})  # free-form outside the 24-hour window: use a ContentSid
# Too many requests; channel or account throughput; daily limit; queue overflow.
RATE_LIMITED = frozenset({20429, 63018, 63038, 30001})
TRANSIENT = frozenset({20500, 20503, 30008, 63009})  # Twilio or WhatsApp trouble
PERMANENT = frozenset({
    20003, 20404,  # credentials, unknown account or resource
    21211, 21214, 21217, 21408, 21610, 21612, 21614, 21606,  # invalid or refused numbers
    30003, 30005, 30006, 30007,  # unreachable, unknown, landline, filtered
    63003, 63024, 63007, 63015,  # not a WhatsApp user / invalid recipient / sender
    21617, 21602, 21619,  # body too long, missing, nothing to send
})


def failure_kind(code: int | None) -> str:
    """What an asynchronous ``failed``/``undelivered`` status's code means for the relay."""
    if code in WINDOW_CLOSED:
        return "window_closed"
    if code in RATE_LIMITED or code in TRANSIENT:
        return "transient"
    return "permanent"


def error_for(
    status: int, code: int | None, message: str, retry_after: float | None = None
) -> MessengerError:
    """The typed error for a non-2xx answer of the Messages API."""
    detail = f"HTTP {status}" + (f" ({code})" if code is not None else "") + f": {message}"
    if code in WINDOW_CLOSED:
        return WindowClosed(detail, code)
    if code in RATE_LIMITED or (code not in PERMANENT and status == 429):
        return RateLimited(detail, code, retry_after=retry_after)
    if code in TRANSIENT:
        return TransientFailure(detail, code)
    if code in PERMANENT:
        return PermanentFailure(detail, code)
    if status >= 500 or status == 408:
        return TransientFailure(detail, code)
    return PermanentFailure(detail, code)


def retry_after(value: str | None) -> float | None:
    """Seconds from a delta-seconds ``Retry-After`` (what Twilio sends), else None."""
    try:
        seconds = float((value or "").strip())
    except ValueError:
        return None
    return max(seconds, 0.0) if seconds == seconds and seconds != float("inf") else None
