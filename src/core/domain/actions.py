"""The artist's actions as decisions: approve, reject, resume, reply, release (B-24, B-28).

``decide_action(lead, action, ctx, actor) -> Decision``, pure like ``decide``.
An action the lead's status does not allow is a decision that changes nothing
and says why (``refusal``: the HTTP edge answers 409); repeating an action whose
effect already holds is a decision with nothing in it (200, nothing sent).
"""

from __future__ import annotations

import msgspec

from core.domain.builder import Builder
from core.domain.decision import Context, Decision
from core.domain.deposit import Checkout, DepositDue, deposit_due, money
from core.domain.lead import Lead
from core.domain.outbound import CLIENT, Outgoing, TextIntent
from core.domain.qualifying import resume
from core.domain.status import Status, allowed, known


class Approve(msgspec.Struct, frozen=True, tag="approve"):
    checkout: Checkout | None = None  # opened by the use case before deciding


class Reject(msgspec.Struct, frozen=True, tag="reject"):
    pass


class Resume(msgspec.Struct, frozen=True, tag="resume"):
    pass


class Reply(msgspec.Struct, frozen=True, tag="reply"):
    text: str  # the artist's own words: no catalogue copy, no voice


class Release(msgspec.Struct, frozen=True, tag="release"):
    held: int = 0  # how many of the lead's client messages are held (B-28)


Action = Approve | Reject | Resume | Reply | Release

REPLY_PURPOSE = "artist_reply"


def refuse(lead: Lead, why: str) -> Decision:
    return Decision(lead=lead, refusal=why)


def unchanged(lead: Lead) -> Decision:
    return Decision(lead=lead)


def changes_nothing(decision: Decision) -> bool:
    return not (decision.transitions or decision.outbound or decision.events or decision.answers)


def window_open(lead: Lead, ctx: Context) -> bool:
    """Free text reaches the client only within the window after their last message (B-28)."""
    seen = lead.times.last_client_message
    return seen is not None and ctx.now - seen < ctx.window


def checkout_due(lead: Lead, action: Action, ctx: Context) -> DepositDue | None:
    """The checkout approve needs, or None when approve would not go ahead."""
    if not isinstance(action, Approve) or action.checkout is not None:
        return None
    if not known(lead.status) or not allowed(lead.status, Status.AWAITING_DEPOSIT):
        return None
    return deposit_due(lead, ctx)


def decide_action(lead: Lead, action: Action, ctx: Context, actor: str = "artist") -> Decision:
    if not known(lead.status):
        return refuse(lead, f"the lead's status {lead.status!r} is unknown")
    b = Builder(lead, ctx, actor=actor)
    match action:
        case Approve(checkout=checkout):
            if lead.status == Status.AWAITING_DEPOSIT and lead.deposit is not None:
                return unchanged(lead)
            if not allowed(lead.status, Status.AWAITING_DEPOSIT):
                return refuse(lead, f"approve is not possible from {lead.status}")
            if checkout is None:
                return refuse(lead, "no checkout link was opened")
            b.move(Status.AWAITING_DEPOSIT, "approved")
            b.update(deposit=checkout.deposit())
            b.tell(
                "deposit_link",
                url=checkout.url,
                amount=money(ctx, checkout.amount, checkout.currency),
            )
        case Reject():
            if lead.status == Status.REJECTED:
                return unchanged(lead)
            if not allowed(lead.status, Status.REJECTED):
                return refuse(lead, f"reject is not possible from {lead.status}")
            b.move(Status.REJECTED, "rejected")
            b.tell("rejected")
        case Resume():
            if lead.status == Status.QUALIFYING:
                return unchanged(lead)
            if lead.status != Status.NEEDS_ARTIST_REPLY:
                return refuse(lead, f"resume is not possible from {lead.status}")
            if not resume(b, actor=actor):
                return refuse(lead, "every question is answered: approve or reject instead")
        case Reply(text=text):
            if refusal := _cannot_write(lead, ctx):
                return refuse(lead, refusal)
            if not text.strip():
                return refuse(lead, "the reply is empty")
            b.outbound.append(
                Outgoing(
                    lead_id=lead.id,
                    studio=lead.studio,
                    audience=CLIENT,
                    to=lead.contact,
                    intent=TextIntent(text.strip()),
                    purpose=REPLY_PURPOSE,
                    provider=lead.provider,  # the way the client wrote in (issue 13)
                )
            )
            b.stamp(last_bot_message=ctx.now)
        case Release(held=held):
            if refusal := _cannot_write(lead, ctx):
                return refuse(lead, refusal)
            if held == 0:
                return refuse(lead, "no message is held for this lead")
    b.event(
        "artist_action", action=type(action).__name__.lower(), actor=actor, status=b.lead.status
    )
    return b.build()


def _cannot_write(lead: Lead, ctx: Context) -> str | None:
    if lead.status == Status.OPTOUT:
        return "the client opted out"
    if not window_open(lead, ctx):
        return "the messaging window is closed: the client has to write first (B-28)"
    return None
