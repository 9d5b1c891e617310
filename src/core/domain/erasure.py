"""Erasure (B-40): the lead kept as an anonymous record, and the opt-out as a keyed hash.

Pure: the use case removes the lead's rows and applies the decision returned here.
"""

from __future__ import annotations

import hashlib
import hmac

import msgspec

from core.domain.builder import Builder
from core.domain.decision import Context, Decision
from core.domain.lead import Lead
from core.domain.outbound import Outgoing, TextIntent
from core.domain.status import Status

replace = msgspec.structs.replace

ARTIST = "artist"  # the artist's erase action
RETENTION = "retention"  # the sweeper's retention job (B-41)


def optout_key(secret: bytes, studio: str, contact: str) -> str:
    """HMAC-SHA256 of the studio and the number: STOP outlives the number itself."""
    return hmac.new(secret, f"{studio}\x1f{contact}".encode(), hashlib.sha256).hexdigest()


def erased_contact(lead_id: str) -> str:
    """Stands in for the number: unique per lead, so the number may start a fresh lead."""
    return f"erased:{lead_id}"


def anonymous(lead: Lead, ctx: Context) -> Lead:
    """What is kept for statistics: studio, statuses, steps, dates, amounts."""
    deposit = lead.deposit
    if deposit is not None:
        deposit = replace(deposit, session_id=None, checkout_url=None)
    return replace(
        lead,
        contact=erased_contact(lead.id),
        name=None,
        answers={},
        parse_failures={},
        tour_stop=None,
        recent=(),
        references=(),
        deposit=deposit,
        times=replace(lead.times, erased=ctx.now),
    )


def decide_erase(lead: Lead, ctx: Context, reason: str, confirm: bool) -> Decision:
    """The anonymous lead, and (for the artist's action) a confirmation to the client."""
    kept = anonymous(lead, ctx)
    b = Builder(replace(kept, contact=lead.contact), ctx, actor=reason)
    if confirm:
        b.tell("erasure_confirmation")  # addressed before the number goes
    b.update(contact=kept.contact)
    b.event("lead_erased", reason=reason)
    return b.build()


def forgotten(message: Outgoing, recipient: str) -> Outgoing:
    """An outbox message of an erased lead: its purpose and lead stay, its words go."""
    return replace(message, to=recipient, intent=TextIntent(""), fallback=None)


def decide_silenced(lead: Lead, ctx: Context) -> Decision:
    """The new lead of an erased number that had said STOP: OPTOUT again, nothing sent."""
    b = Builder(lead, ctx, actor="system")
    b.move(Status.OPTOUT, "erased_number_opted_out")
    b.stamp(opted_out=ctx.now)
    return b.build()
