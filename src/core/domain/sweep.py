"""Time-driven decisions (B-38, B-41, B-48): what the sweeper does to one lead at ``ctx.now``.

``decide_sweep(lead, ctx, entered)`` is pure, like ``decide``: ``entered`` is when the
lead entered its current status (from its audit trail). It returns ``None`` when
nothing is due, so a sweeper that looks at a lead another one just handled does
nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from core.domain.builder import Builder
from core.domain.decision import Context, Decision
from core.domain.lead import Lead
from core.domain.status import Status

SWEEPER = "sweeper"

# A lead in one of these statuses is closed: nothing more will happen to it (B-41).
CLOSED = frozenset(
    {Status.REJECTED, Status.OPTOUT, Status.ABANDONED, Status.STALE, Status.BOOKED}
)


def decide_sweep(lead: Lead, ctx: Context, entered: datetime) -> Decision | None:
    match lead.status:
        case Status.QUALIFYING:
            return _silence(lead, ctx)
        case Status.AWAITING_DEPOSIT:
            return _deposit(lead, ctx, entered)
        case Status.BOOKED:
            return _care(lead, ctx)
    return None


def quiet_since(lead: Lead) -> datetime:
    return lead.times.last_client_message or lead.times.created


def _silence(lead: Lead, ctx: Context) -> Decision | None:
    """One reminder per silence, inside the client's window; ABANDONED later (B-38)."""
    limits, last = ctx.studio.limits, quiet_since(lead)
    quiet = ctx.now - last
    b = Builder(lead, ctx, actor=SWEEPER)
    if quiet >= limits.abandon_after:
        b.move(Status.ABANDONED, "silent", actor=SWEEPER)
        return b.build()
    reminded = lead.times.reminder_sent
    if (
        quiet >= limits.reminder_after
        and quiet < limits.reminder_window
        and (reminded is None or reminded < last)
    ):
        question = ctx.studio.question_at(lead.step)
        b.tell("reminder", question=question.text if question else "")
        b.stamp(reminder_sent=ctx.now)
        return b.build()
    return None


def _deposit(lead: Lead, ctx: Context, entered: datetime) -> Decision | None:
    """An unpaid deposit goes STALE after the deadline; the artist is told (B-38)."""
    if ctx.now - entered < ctx.studio.limits.deposit_deadline:
        return None
    b = Builder(lead, ctx, actor=SWEEPER)
    b.move(Status.STALE, "deposit_deadline", actor=SWEEPER)
    deposit = lead.deposit
    amount = (
        ctx.formats.money(deposit.amount, deposit.currency, ctx.studio.locale) if deposit else ""
    )
    b.notify_artist("artist_deposit_stale", lead_id=lead.id, contact=lead.contact, amount=amount)
    return b.build()


def _care(lead: Lead, ctx: Context) -> Decision | None:
    """The day-before reminder and the day-after aftercare of a booked session (B-48)."""
    booking, care, limits = lead.booking, ctx.studio.care, ctx.studio.limits
    if booking is None:
        return None
    b = Builder(lead, ctx, actor=SWEEPER)
    if (
        care.appointment_reminder
        and lead.times.appointment_reminded is None
        and booking.start - limits.appointment_reminder_before <= ctx.now < booking.start
    ):
        when = ctx.formats.moment(booking.start, ctx.studio.timezone, ctx.studio.locale)
        b.tell("appointment_reminder", when=when)
        b.stamp(appointment_reminded=ctx.now)
        return b.build()
    if (
        care.aftercare
        and lead.times.aftercare_sent is None
        and ctx.now >= booking.end + limits.aftercare_after
    ):
        b.tell("aftercare")
        b.stamp(aftercare_sent=ctx.now)
        return b.build()
    return None


def closed_since(lead: Lead, entered: datetime) -> datetime:
    """The last thing that happened to a closed lead: its closing, a later message, its session."""
    moments = [entered, quiet_since(lead)]
    if lead.booking is not None:
        moments.append(lead.booking.end)
    return max(moments)


def retention_due(lead: Lead, ctx: Context, entered: datetime) -> bool:
    """Personal data of a lead closed for longer than ``retention`` is erased (B-41)."""
    return (
        lead.times.erased is None
        and lead.status in CLOSED
        and ctx.now - closed_since(lead, entered) >= ctx.studio.limits.retention
    )
