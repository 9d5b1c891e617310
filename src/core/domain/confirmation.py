"""The client's reply to the confirmation summary (B-14)."""

from __future__ import annotations

from core.domain.answers import interpret, is_failure
from core.domain.asking import ask_current, clear_failures, repair
from core.domain.builder import Builder
from core.domain.handing_over import enter_handover
from core.domain.handover import handover_reason
from core.domain.inbound import Choice, Inbound
from core.domain.parsers import YesNo, parse_yesno
from core.domain.summary import (
    CONFIRM_CHANGE,
    CONFIRM_YES,
    detected_correction,
    find_correction,
    send_summary,
)


def confirm(b: Builder, inbound: Inbound) -> None:
    """The reply to the summary: yes goes on, a correction updates and re-summarises."""
    text = inbound.text()
    choice = inbound.content.id if isinstance(inbound.content, Choice) else None
    limits = b.studio.limits
    reason = handover_reason(
        text,
        question_kind="confirmation",
        long_question_chars=limits.long_question_chars,
        keyword_max_chars=limits.keyword_max_chars,
        normalised=b.normalised,
        keyword=b.keyword_in,
    )
    if reason and choice is None:
        enter_handover(b, reason)
        return
    found = find_correction(b.studio, text) if choice is None else None
    parsed = parse_yesno(text) if choice is None and found is None else None
    if choice == CONFIRM_YES or (isinstance(parsed, YesNo) and parsed.answer):
        clear_failures(b, "summary")
        b.update(awaiting_confirmation=False, confirmed=True)
        ask_current(b)
        return
    if choice == CONFIRM_CHANGE or isinstance(parsed, YesNo):
        b.tell("confirm_fix_prompt")
        return
    if found is None and choice is None:
        found = detected_correction(b.ctx, text)  # "actually it's 15x10cm"
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
    b.record(question.key, new_text, inbound, value)
    if is_failure(value):
        repair(b, question)
        return
    clear_failures(b, "summary", question.key)
    if question.kind == "name" and isinstance(value, dict):
        b.update(name=str(value.get("name")))
    send_summary(b)
