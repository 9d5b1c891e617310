"""Keeping details volunteered in any message (B-47), the first one included.

A detail only fills a question nobody has answered yet: it never overwrites what the
client said to that question, and anything they say to it later wins (latest answer).
"""

from __future__ import annotations

from core.domain.builder import Builder
from core.domain.handover import handover_reason
from core.domain.inbound import Inbound
from core.domain.summary import summary_lines
from core.domain.volunteered import volunteered


def keep_volunteered(b: Builder, text: str, inbound: Inbound, skip: str | None) -> set[str]:
    """Record the details ``text`` states for unanswered questions; their keys."""
    found = volunteered(text, b.ctx, b.lead.answers.keys(), skip)
    for question, fragment, value in found:
        b.record(question.key, fragment, inbound, value)
    if found:
        b.event("details_volunteered", keys=[q.key for q, _, _ in found])
    return {q.key for q, _, _ in found}


def first_message_details(b: Builder, inbound: Inbound) -> set[str]:
    """B-47 on first contact: the details of a first message that describes the piece.

    The message itself then answers the first question too when that asks for the idea in
    free text ("Hey, after a small blackwork snake on my ankle ..."). Returns the keys kept.
    """
    text = inbound.text()
    if not text.strip() or not volunteered(text, b.ctx, (), None):
        return set()
    limits = b.studio.limits
    reason = handover_reason(
        text,
        question_kind="first_message",
        long_question_chars=limits.long_question_chars,
        keyword_max_chars=limits.keyword_max_chars,
        normalised=b.normalised,
        keyword=b.keyword_in,
    )
    if reason:
        return set()  # a question or a request first: the welcome, the artist decides
    keys = keep_volunteered(b, text, inbound, skip=None)
    first = b.studio.question_at(0)
    about_the_piece = any(  # "based in Leeds" alone says nothing about the tattoo
        q.kind != "location" for q in b.studio.questions if q.key in keys
    )
    if about_the_piece and first is not None and first.kind == "text" and first.key not in keys:
        b.record(first.key, text.strip(), inbound, {"text": text.strip()})
        keys.add(first.key)
    return keys


def welcome_understood(b: Builder, keys: set[str]) -> None:
    b.tell("welcome_understood", understood=summary_lines(b, keys))
