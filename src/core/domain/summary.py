"""The confirmation summary before the last questions (B-14)."""

from __future__ import annotations

import re

from core.domain.builder import Builder
from core.domain.outbound import Button, ButtonsIntent
from core.domain.profile import Question, Studio

CONFIRM_YES = "confirm_yes"
CONFIRM_CHANGE = "confirm_change"
_LEAD_IN = re.compile(r"^\s*(?:(?:please\s+)?(?:change|update|fix|correct)\s+)?(?:the\s+|my\s+)?")
_SEPARATOR = re.compile(r"^\s*(?:to|is|should be|:|=|-|–)?\s*", re.IGNORECASE)


def summary(b: Builder) -> str:
    lines = []
    for q in b.studio.questions:
        answer = b.lead.answers.get(q.key)
        if answer is not None and (answer.text.strip() or answer.media):
            shown = answer.text.strip() or f"{len(answer.media)} image(s)"
            lines.append(b.text("summary_line", label=q.label, answer=shown))
    return "\n".join(lines)


def send_summary(b: Builder) -> None:
    text = summary(b)
    body = b.text("confirm_summary", summary=text)
    buttons = (
        Button(CONFIRM_YES, b.text("button_confirm")),
        Button(CONFIRM_CHANGE, b.text("button_change")),
    )
    b.update(awaiting_confirmation=True)
    b.tell("confirm_summary", ButtonsIntent(body, buttons), summary=text)
    b.stamp(question_sent=b.ctx.now)


def find_correction(studio: Studio, text: str) -> tuple[Question, str] | None:
    """``budget 500``, ``size: 12x15``, ``change my location to Leeds`` -> (question, new text)."""
    rest = _LEAD_IN.sub("", text.casefold(), count=1)
    offset = len(text) - len(rest)
    names = sorted(
        (
            (name, q)
            for q in studio.questions
            for name in {q.key.replace("_", " "), q.label.casefold()}
        ),
        key=lambda pair: -len(pair[0]),
    )
    for name, question in names:
        if rest.startswith(name) and (len(rest) == len(name) or not rest[len(name)].isalnum()):
            tail = text[offset + len(name) :]
            value = _SEPARATOR.sub("", tail, count=1).strip()
            if value:
                return question, value
    return None
