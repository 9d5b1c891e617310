"""Asking a question and repairing an answer that did not parse (B-12, B-13)."""

from __future__ import annotations

from core.domain.builder import Builder
from core.domain.handing_over import enter_handover
from core.domain.profile import Question
from core.domain.summary import send_summary

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


def ask_current(b: Builder, resumed: bool = False) -> None:
    if b.lead.awaiting_confirmation:
        send_summary(b)
        return
    question = b.studio.question_at(b.lead.step)
    if question is None:
        return
    if resumed:
        b.ask("resume", question=question.text)
    elif question.kind == "yesno":
        b.ask_yes_no("ask_question", question=question.text)
        b.stamp(question_sent=b.ctx.now)
    else:
        b.ask("ask_question", question=question.text)


def clear_failures(b: Builder, *keys: str) -> None:
    """An answer that parsed: its repair count no longer concerns the artist (B-23)."""
    failures = b.lead.parse_failures
    if failures and not failures.keys().isdisjoint(keys):
        b.update(parse_failures={k: n for k, n in failures.items() if k not in keys})


def next_open_step(b: Builder, step: int) -> int:
    """The first step from ``step`` whose question has no understood answer yet: questions
    answered by details volunteered earlier are skipped (B-47)."""
    while (question := b.studio.question_at(step)) is not None:
        answer = b.lead.answers.get(question.key)
        if answer is None or answer.value is None:
            break
        step += 1
    return step


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
