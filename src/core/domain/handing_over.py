"""Entering and living in handover: NEEDS_ARTIST_REPLY (B-21, B-22)."""

from __future__ import annotations

from datetime import timedelta

from core.domain.brief import brief_params
from core.domain.builder import Builder
from core.domain.status import Status, allowed

# Which client message goes with which handover reason; others use handover_default.
CLIENT_COPY = {
    "client_asked": "handover_client_asked",
    "coverup": "handover_coverup",
    "parse_failures": "handover_parse_failures",
    "refund": "refund_ack",
    "erasure_request": "erasure_ack",
}


def enter_handover(b: Builder, reason: str) -> None:
    """Pause the bot: one client message and one artist brief, same commit (B-21)."""
    lead = b.lead
    if lead.status == Status.NEW:
        b.move(Status.QUALIFYING, "first contact")
        b.stamp(qualifying_started=b.ctx.now)
    if b.lead.status != Status.NEEDS_ARTIST_REPLY and allowed(
        b.lead.status, Status.NEEDS_ARTIST_REPLY
    ):
        b.move(Status.NEEDS_ARTIST_REPLY, reason)
    elif b.lead.status != Status.NEEDS_ARTIST_REPLY:
        # The table has no way into handover from here (e.g. WAITLISTED): the artist
        # still hears about it, the status stays as it is.
        b.event("handover_without_transition", reason=reason, status=b.lead.status)
    b.update(handover_reason=reason)
    # The "notified" mark is per handover, not per lead (B-21): set on every entry.
    b.stamp(handover_entered=b.ctx.now, artist_notified=b.ctx.now, last_hold_reply=b.ctx.now)
    b.tell(CLIENT_COPY.get(reason, "handover_default"))
    b.notify_artist("artist_brief", reason=reason, **brief_params(b.lead, b.ctx))


def pass_on(b: Builder, shown: str) -> None:
    """A client message the bot does not act on reaches the artist (B-2, B-16, B-22)."""
    b.notify_artist("artist_message", lead_id=b.lead.id, contact=b.lead.contact, text=shown)


def hold(b: Builder, key: str, cooldown: timedelta) -> None:
    """A holding reply at most once per cooldown, measured in UTC (B-22)."""
    last = b.lead.times.last_hold_reply
    if last is None or b.ctx.now - last >= cooldown:
        b.tell(key)
        b.stamp(last_hold_reply=b.ctx.now)
