"""NEW and QUALIFYING: the question sequence, repairs and the summary (B-10 to B-14)."""

from __future__ import annotations

from core.domain.answers import interpret, is_failure
from core.domain.builder import Builder
from core.domain.completion import complete
from core.domain.handing_over import enter_handover
from core.domain.handover import handover_reason
from core.domain.inbound import Choice, Inbound, LocationPin, Media, Text
from core.domain.lead import Answer
from core.domain.parsers import Failure, YesNo, parse_yesno
from core.domain.profile import Question
from core.domain.status import Status
from core.domain.summary import CONFIRM_CHANGE, CONFIRM_YES, find_correction, send_summary

REPAIR_COPY = {
    "text": "repair_text",
    "dimensions": "repair_dimensions",
    "budget": "repair_budget",
    "location": "repair_location",
    "yesno": "repair_yesno",
    "complexity": "repair_complexity",
    "media": "repair_media",
    "name": "repair_name",
    "time_windows": "repair_time_windows",
}
IMAGE_KINDS = frozenset({"image", "document"})


def start(b: Builder) -> None:
    """B-10: welcome and the first question; status QUALIFYING."""
    b.move(Status.QUALIFYING, "first contact")
    b.update(step=0)
    b.stamp(qualifying_started=b.ctx.now)
    b.tell("welcome")
    ask_current(b)


def ask_current(b: Builder, resumed: bool = False) -> None:
    if b.lead.awaiting_confirmation:
        send_summary(b)
        return
    question = b.studio.question_at(b.lead.step)
    if question is None:
        return
    if resumed:
        b.tell("resume", question=question.text)
    elif question.kind == "yesno":
        b.ask_yes_no("ask_question", question=question.text)
    else:
        b.tell("ask_question", question=question.text)
    b.stamp(question_sent=b.ctx.now)


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
        case LocationPin() if question.kind == "location":
            take_answer(b, question, inbound.text(), inbound)
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
    reason = handover_reason(
        text, question_kind=question.kind, long_question_chars=limits.long_question_chars
    )
    value = None if reason else interpret(question, text, b.ctx)
    b.record(
        Answer(
            key=question.key,
            text=text,
            message_id=inbound.message_id,
            at=inbound.at,
            value=None if value is None or is_failure(value) else value,
        )
    )
    if reason:
        enter_handover(b, reason)
    elif is_failure(value):
        repair(b, question)
    else:
        accept(b, question, value)


def take_media(
    b: Builder, question: Question, media_id: str, caption: str, inbound: Inbound
) -> None:
    """B-7: images are reference material; the reference question takes them as its answer."""
    b.update(references=(*b.lead.references, media_id))
    previous = b.lead.answers.get(question.key)
    media = (*(previous.media if previous else ()), media_id)
    text = caption or (previous.text if previous else "")
    answer = Answer(
        key=question.key,
        text=text,
        message_id=inbound.message_id,
        at=inbound.at,
        value={"media": list(media)},
        media=media,
    )
    b.record(answer)
    if question.kind == "media":
        accept(b, question, answer.value)
    elif b.lead.noted_step != b.lead.step:
        b.update(noted_step=b.lead.step)
        b.tell("media_noted", question=question.text)


def repair(b: Builder, question: Question) -> None:
    """B-12: no advance, a kind-specific repair, and handover at the limit."""
    failures = dict(b.lead.parse_failures)
    failures[question.key] = failures.get(question.key, 0) + 1
    b.update(parse_failures=failures)
    if failures[question.key] >= b.studio.limits.max_parse_failures:
        enter_handover(b, "parse_failures")
        return
    b.tell(
        REPAIR_COPY.get(question.kind, "repair_text"),
        question=question.text,
        currency=b.studio.currency,
    )


def accept(b: Builder, question: Question, value: object) -> None:
    """B-13: the next question goes out in the same decision as the step advance."""
    if question.kind == "name" and isinstance(value, dict):
        b.update(name=str(value.get("name") or b.lead.name))
    if question.kind == "complexity" and _large_and_detailed(b, value):
        enter_handover(b, "complexity")
        return
    step = b.lead.step + 1
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
    from core.domain.parsers import Size, is_large

    if not isinstance(value, dict) or value.get("level", 0) < 2:
        return False
    size = b.lead.answers.get("size")
    if size is None or not isinstance(size.value, dict):
        return False
    return is_large(Size(**size.value))


def confirm(b: Builder, inbound: Inbound) -> None:
    """The reply to the summary: yes goes on, a correction updates and re-summarises."""
    text = inbound.text()
    choice = inbound.content.id if isinstance(inbound.content, Choice) else None
    limits = b.studio.limits
    reason = handover_reason(
        text, question_kind="confirmation", long_question_chars=limits.long_question_chars
    )
    if reason and choice is None:
        enter_handover(b, reason)
        return
    parsed = parse_yesno(text) if choice is None else None
    if choice == CONFIRM_YES or (isinstance(parsed, YesNo) and parsed.answer):
        b.update(awaiting_confirmation=False, confirmed=True)
        ask_current(b)
        return
    if choice == CONFIRM_CHANGE or isinstance(parsed, YesNo):
        b.tell("confirm_fix_prompt")
        return
    found = find_correction(b.studio, text)
    if found is None:
        failures = dict(b.lead.parse_failures)
        failures["summary"] = failures.get("summary", 0) + 1
        b.update(parse_failures=failures)
        if failures["summary"] >= limits.max_parse_failures:
            enter_handover(b, "parse_failures")
        else:
            b.tell("repair_confirmation")
        return
    question, new_text = found
    value = interpret(question, new_text, b.ctx)
    b.record(
        Answer(
            key=question.key,
            text=new_text,
            message_id=inbound.message_id,
            at=inbound.at,
            value=None if is_failure(value) else value,
        )
    )
    if is_failure(value):
        repair(b, question)
        return
    if question.kind == "name" and isinstance(value, dict):
        b.update(name=str(value.get("name")))
    send_summary(b)


__all__ = ["Failure", "ask_current", "qualify", "resume", "start"]
