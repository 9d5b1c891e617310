"""``decide(lead, inbound, ctx) -> Decision``: the heart of Inbook, pure and synchronous.

Order of checks: data faults (B-2), pilot gate (B-9), global keywords (B-8),
panic mode (B-9), ordering (B-4), split answers (B-5), then the status.
"""

from __future__ import annotations

import msgspec

from core.domain.answers import interpret, is_failure
from core.domain.asking import ask_current
from core.domain.booking import BookingOutcome
from core.domain.builder import Builder, restart_times
from core.domain.completion import tour_reply
from core.domain.decision import Context, Decision
from core.domain.handing_over import enter_handover, hold, pass_on
from core.domain.inbound import Inbound, Media, Text
from core.domain.lead import RECENT_MESSAGES, Lead
from core.domain.numbered import numbered_choice
from core.domain.qualifying import qualify, resume, start
from core.domain.slot_choice import choose, preferred_times
from core.domain.status import Status, known

HANDOVER_KEYWORDS = {"human": "client_asked", "refund": "refund", "erasure": "erasure_request"}
RESTART_WORDS = frozenset({"start", "continue", "yes"})
RESUME_WORDS = frozenset({"continue", "start"})
# START / CONTINUE while nothing is paused or opted out: never stored as an answer.
OUT_OF_CONTEXT = RESUME_WORDS


def decide(
    lead: Lead, inbound: Inbound, ctx: Context, booking: BookingOutcome | None = None
) -> Decision:
    """``booking``: what booking the slot this message picks did (the use case books, B-36)."""
    b = Builder(lead, ctx)
    out_of_order = _remember(b, inbound)
    inbound = numbered_choice(lead, inbound)  # "2" answers the options last sent (B-31)
    studio = ctx.studio
    if not known(lead.status):
        _data_fault(b)
        return b.build()
    if studio.modes.pilot and lead.contact not in studio.modes.pilot_allowlist:
        if not lead.pilot_notice_sent:
            b.update(pilot_notice_sent=True)
            b.tell("pilot_notice")
        return b.build()
    word = (
        b.keyword_in(b.normalised(inbound.content.body))  # keyword(), normalised once
        if isinstance(inbound.content, Text)
        and len(inbound.content.body) <= studio.limits.keyword_max_chars
        else None
    )
    if lead.status == Status.OPTOUT:
        if word in RESTART_WORDS:
            restart(b, "client_restart")
        return b.build()  # anything else is stored and gets no reply (B-8)
    if word == "stop":
        b.move(Status.OPTOUT, "client_stop")
        b.stamp(opted_out=ctx.now)
        b.tell("optout_confirm")
        return b.build()
    if word in HANDOVER_KEYWORDS and not (
        word == "human" and lead.status == Status.NEEDS_ARTIST_REPLY
    ):
        enter_handover(b, HANDOVER_KEYWORDS[word])
        return b.build()
    if studio.modes.panic:
        _panic(b, inbound)
        return b.build()
    if out_of_order:
        b.event("out_of_order", message_id=inbound.message_id)
        return b.build()
    if _split(b, inbound):
        return b.build()
    _by_status(b, inbound, word, booking)
    return b.build()


def _by_status(
    b: Builder, inbound: Inbound, word: str | None, booking: BookingOutcome | None
) -> None:
    match b.lead.status:
        case Status.NEW:
            start(b, inbound)
        case Status.QUALIFYING if word in OUT_OF_CONTEXT:
            ask_current(b, resumed=True)  # nothing paused: not an answer, the question again
        case Status.QUALIFYING:
            qualify(b, inbound)
        case Status.NEEDS_ARTIST_REPLY:
            if not (word in RESUME_WORDS and resume(b)):
                pass_on(b, _shown(inbound))
                hold(b, "hold_reply", b.studio.limits.handover_hold_cooldown)
        case Status.TOUR_CONVERSION_OFFERED:
            tour_reply(b, inbound)
        case Status.BOOKING_PENDING:
            choose(b, inbound, booking)
        case Status.COLLECTING_TIME_WINDOWS:
            preferred_times(b, inbound)
        case Status.ABANDONED | Status.STALE:
            restart(b, "client_returned")
        case _:  # a human owns the lead now (approval, waitlist, deposit...): they hear it
            pass_on(b, _shown(inbound))
            hold(b, "awaiting_artist", b.studio.limits.awaiting_reply_cooldown)


def _remember(b: Builder, inbound: Inbound) -> bool:
    """Keep the last five messages and the latest client time; True if out of order (B-4)."""
    lead = b.lead
    last = lead.times.last_client_message
    recent = (*lead.recent, _shown(inbound))[-RECENT_MESSAGES:]
    if last is not None and inbound.at < last:
        b.update(recent=recent)
        return True
    changes: dict[str, object] = {
        "recent": recent,
        "times": msgspec.structs.replace(lead.times, last_client_message=inbound.at),
    }
    if inbound.provider != lead.provider:  # replies go back the same way (issue 13)
        changes["provider"] = inbound.provider
    if inbound.name and not lead.name:
        changes["name"] = inbound.name
    b.update(**changes)
    return False


def _shown(inbound: Inbound) -> str:
    """The message as the artist reads it in a brief: its text, or its kind."""
    return (inbound.text() or f"[{_kind(inbound)}]")[:500]


def _kind(inbound: Inbound) -> str:
    content = inbound.content
    return content.kind if isinstance(content, Media) else type(content).__name__.lower()


def restart(b: Builder, reason: str) -> None:
    """Back to the start: QUALIFYING at step 0, handover marks cleared, welcome sent."""
    b.move(Status.NEW, reason)
    b.update(
        step=0,
        answers={},
        parse_failures={},
        handover_reason=None,
        awaiting_confirmation=False,
        confirmed=False,
        tour_stop=None,
        tour_repairs=0,
        nontext_notice_sent=False,
        noted_step=-1,
        times=restart_times(b.lead.times),
    )
    start(b)


def _data_fault(b: Builder) -> None:
    """B-2: an unknown stored status is logged and put in front of a human, never reset."""
    b.event("unknown_status", level="error", status=b.lead.status)
    b.move(Status.NEEDS_ARTIST_REPLY, "unknown_status", actor="system")
    enter_handover(b, "unknown_status")


def _panic(b: Builder, inbound: Inbound) -> None:
    """B-9: one short reply per lead per cooldown, the artist alerted, no flow logic."""
    last = b.lead.times.panic_reply
    if last is None or b.ctx.now - last >= b.studio.limits.panic_cooldown:
        b.tell("panic_reply")
        b.stamp(panic_reply=b.ctx.now)
        b.notify_artist(
            "artist_panic_alert",
            lead_id=b.lead.id,
            contact=b.lead.contact,
            text=inbound.text()[:500],
        )


def _split(b: Builder, inbound: Inbound) -> bool:
    """B-5: written before the current question was sent -> part of the previous answer."""
    lead = b.lead
    sent = lead.times.question_sent
    # Provider timestamps have whole seconds: compare at that resolution.
    if (
        lead.status != Status.QUALIFYING
        or sent is None
        or inbound.at >= sent.replace(microsecond=0)
    ):
        return False
    previous = b.studio.question_at(lead.step - 1)
    answer = lead.answers.get(previous.key) if previous is not None else None
    if previous is None or answer is None:
        b.event("early_message", message_id=inbound.message_id)
        return True
    extra = inbound.text()
    media = answer.media
    if isinstance(inbound.content, Media):
        media = (*media, inbound.content.media_id)
        b.update(references=(*lead.references, inbound.content.media_id))
    text = f"{answer.text}\n{extra}".strip() if extra else answer.text
    value = answer.value
    if previous.kind != "media" and extra:
        merged = interpret(previous, text, b.ctx)
        value = value if is_failure(merged) else merged
    b.record(previous.key, text, inbound, value, media)
    b.event("split_answer_merged", key=previous.key, message_id=inbound.message_id)
    return True


__all__ = ["decide", "restart"]
