"""NEW and QUALIFYING: the question sequence, repairs and the summary (B-10 to B-14)."""

from __future__ import annotations

import msgspec

from core.domain.answers import interpret, is_failure
from core.domain.asking import ask_current, clear_failures, next_open_step, repair
from core.domain.builder import Builder
from core.domain.completion import complete
from core.domain.confirmation import confirm
from core.domain.early_details import first_message_details, keep_volunteered, welcome_understood
from core.domain.handing_over import enter_handover
from core.domain.handover import handover_reason
from core.domain.inbound import Choice, Inbound, LocationPin, Media, Text
from core.domain.parsers import Size, is_large, parse_complexity
from core.domain.profile import Question
from core.domain.status import Status
from core.domain.summary import send_summary

IMAGE_KINDS = frozenset({"image", "document"})


def start(b: Builder, inbound: Inbound | None = None) -> None:
    """B-10: welcome and the first question; status QUALIFYING.

    B-47: details the first message already states are kept, the welcome says what was
    understood, and their questions are skipped.
    """
    b.move(Status.QUALIFYING, "first contact")
    b.update(step=0)
    b.stamp(qualifying_started=b.ctx.now)
    keys = first_message_details(b, inbound) if inbound is not None else set()
    if keys:
        welcome_understood(b, keys)
        b.update(step=next_open_step(b, 0))
    else:
        b.tell("welcome")
    ask_current(b)


def resume(b: Builder, actor: str = "client") -> bool:
    """CONTINUE or the artist's resume: QUALIFYING again, current question re-asked (B-22)."""
    if b.lead.step >= len(b.studio.questions) and not b.lead.awaiting_confirmation:
        return False
    b.move(Status.QUALIFYING, "resumed", actor=actor)
    b.update(handover_reason=None)
    b.stamp(handover_entered=None, last_hold_reply=None)
    ask_current(b, resumed=True)
    return True


def qualify(b: Builder, inbound: Inbound) -> None:
    """One client message while QUALIFYING."""
    if b.lead.awaiting_confirmation:
        confirm(b, inbound)
        return
    question = b.studio.question_at(b.lead.step)
    if question is None:  # nothing left to ask: route again (idempotent)
        complete(b)
        return
    match inbound.content:
        case Text(body=body):
            take_answer(b, question, body, inbound)
        case Choice(id=choice_id, title=title):
            take_answer(b, question, _choice_text(question, choice_id, title), inbound)
        case Media(kind=kind, media_id=media_id, caption=caption) if kind in IMAGE_KINDS:
            take_media(b, question, media_id, caption or "", inbound)
        case LocationPin(latitude=lat, longitude=lon) if question.kind == "location":
            if inbound.text().strip():
                take_answer(b, question, inbound.text(), inbound)
            else:
                take_pin(b, question, lat, lon, inbound)
        case _:
            if not b.lead.nontext_notice_sent:
                b.update(nontext_notice_sent=True)
                b.tell("nontext_notice", question=question.text)


def _choice_text(question: Question, choice_id: str, title: str) -> str:
    if question.kind == "yesno" and choice_id in ("yes", "no"):
        return choice_id
    return title


def take_answer(b: Builder, question: Question, text: str, inbound: Inbound) -> None:
    """B-11: store first, then the handover policy (B-20), then the parser."""
    limits = b.studio.limits
    # A complexity answer is parsed once: the policy reads its level, then it is stored.
    parsed = parse_complexity(text) if question.kind == "complexity" else None
    reason = handover_reason(
        text,
        question_kind=question.kind,
        long_question_chars=limits.long_question_chars,
        complexity_cutoff=limits.handover_complexity,
        keyword_max_chars=limits.keyword_max_chars,
        normalised=b.normalised,
        keyword=b.keyword_in,
        complexity=parsed,
    )
    value = None if reason else interpret(question, text, b.ctx, parsed)
    b.record(question.key, text, inbound, value)
    if reason:
        enter_handover(b, reason)
        return
    keep_volunteered(b, text, inbound, skip=question.key)  # B-47
    if is_failure(value):
        repair(b, question)
    else:
        accept(b, question, value)


def take_pin(b: Builder, question: Question, lat: float, lon: float, inbound: Inbound) -> None:
    """B-7: a bare pin (no name, no address) answers with the nearest city."""
    city = b.ctx.gazetteer.nearest(lat, lon)
    if city is None:
        b.record(question.key, f"{lat:.5f}, {lon:.5f}", inbound, None)
        repair(b, question)
        return
    value = {"city": city.name, "country": city.country}
    b.record(question.key, f"{city.name}, {city.country}", inbound, value)
    accept(b, question, value)


def take_media(
    b: Builder, question: Question, media_id: str, caption: str, inbound: Inbound
) -> None:
    """B-7: images are reference material; the reference question takes them as its answer."""
    b.update(references=(*b.lead.references, media_id))
    previous = b.lead.answers.get(question.key)
    media = (*(previous.media if previous else ()), media_id)
    text = caption or (previous.text if previous else "")
    answer = b.record(question.key, text, inbound, {"media": list(media)}, media)
    if question.kind == "media":
        accept(b, question, answer.value)
    elif b.lead.noted_step != b.lead.step:
        b.update(noted_step=b.lead.step)
        b.tell("media_noted", question=question.text)


def accept(b: Builder, question: Question, value: object) -> None:
    """B-13: the next question goes out in the same decision as the step advance."""
    clear_failures(b, question.key)
    if question.kind == "name" and isinstance(value, dict):
        b.update(name=str(value.get("name") or b.lead.name))
    if question.kind == "complexity" and _large_and_detailed(b, value):
        enter_handover(b, "complexity")
        return
    step = next_open_step(b, b.lead.step + 1)
    b.update(step=step)
    following = b.studio.question_at(step)
    if following is None:
        complete(b)
    elif following.key == b.studio.confirm_before and not b.lead.confirmed:
        send_summary(b)
    else:
        ask_current(b)


def _large_and_detailed(b: Builder, value: object) -> bool:
    """Large size classes count towards handover complexity (B-18)."""
    if not isinstance(value, dict) or (value.get("level") or 0) < 2:
        return False
    size = b.lead.answers.get("size")
    if size is None or not isinstance(size.value, dict) or "media" in size.value:
        return False
    return is_large(msgspec.convert(size.value, Size), b.studio.limits.large_area_cm2)


__all__ = ["ask_current", "qualify", "resume", "start"]
