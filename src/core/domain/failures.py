"""What a permanent delivery failure does to a lead (B-27): the artist takes over."""

from __future__ import annotations

from core.domain.brief import brief_params
from core.domain.builder import Builder
from core.domain.decision import Context, Decision
from core.domain.lead import Lead
from core.domain.status import Status, allowed


def delivery_failed(lead: Lead, ctx: Context, purpose: str, error: str) -> Decision:
    b = Builder(lead, ctx, actor="system")
    b.event("delivery_failed", level="error", purpose=purpose, error=error)
    if lead.status != Status.NEEDS_ARTIST_REPLY and allowed(lead.status, Status.NEEDS_ARTIST_REPLY):
        b.move(Status.NEEDS_ARTIST_REPLY, "permanent_failure")
        b.update(handover_reason="permanent_failure")
        b.stamp(handover_entered=ctx.now, artist_notified=ctx.now)
    b.notify_artist("artist_brief", reason="permanent_failure", **brief_params(b.lead, ctx))
    return b.build()


def decide_failed(lead: Lead, ctx: Context, error: str, message_id: str, text: str) -> Decision:
    """A fault while deciding: the lead is unchanged, the artist is told (never silent)."""
    b = Builder(lead, ctx, actor="system")
    b.event("decide_failed", level="error", error=error, message_id=message_id)
    b.notify_artist(
        "artist_system_alert", lead_id=lead.id, contact=lead.contact, text=text[:500]
    )
    return b.build()
