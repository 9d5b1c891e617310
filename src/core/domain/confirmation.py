"""The client's reply to the confirmation summary (B-14)."""

from __future__ import annotations

import re

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
    names_a_question,
    send_summary,
)

# Agreement with the summary as people say it ("looks good", "spot on", "perfect thanks"),
# unless the same message goes on to change something ("looks good but the size is ...").
_AGREE = re.compile(
    r"^\W*(?:(?:yes|yeah|yep|yup|ok|okay|great|lovely|brilliant|perfect|cool|nice|sweet|"
    r"amazing|awesome|fab|fantastic|thats|that is|its|it is|all|everything|looks?|sounds?|"
    r"seems?|is|are|looking|good|fine|right|correct|spot on|bang on|accurate|sorted|thanks?|"
    r"thank you|cheers|ta|x+|so|very|really|perfectly|exactly|100%?|to me|me)\b\W*)+$",
    re.IGNORECASE,
)
_AGREEMENT_WORDS = re.compile(
    r"\b(?:good|great|perfect|fine|right|correct|spot on|bang on|accurate|sorted|lovely|"
    r"brilliant|yes|yeah|yep|yup|ok|okay|cool|amazing|awesome|fab|fantastic|nice|sweet|exactly)\b",
    re.IGNORECASE,
)


def agrees(text: str) -> bool:
    """``looks good``, ``all correct thanks``, ``spot on!``: a yes to the summary."""
    return len(text) <= 80 and bool(_AGREE.match(text)) and bool(_AGREEMENT_WORDS.search(text))


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
    if found is None and choice is None and not isinstance(parsed, YesNo) and agrees(text):
        parsed = YesNo(True)
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
    if found is None and choice is None and names_a_question(b.studio, text):
        b.tell("confirm_fix_prompt")  # "change style": which way?
        return
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
