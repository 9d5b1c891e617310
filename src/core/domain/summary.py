"""The confirmation summary before the last questions (B-14), and corrections to it."""

from __future__ import annotations

import re

from core.domain.builder import Builder
from core.domain.decision import Context
from core.domain.outbound import Button, ButtonsIntent
from core.domain.per_profile import once_per_profile
from core.domain.profile import Question, Studio
from core.domain.rendering import shown
from core.domain.volunteered import volunteered

CONFIRM_YES = "confirm_yes"
CONFIRM_CHANGE = "confirm_change"
# What may sit between a question's name and the new value: "the budget should be £600",
# "change my location to Leeds", "size: 12x15", "budget is actually more like 500".
_SEPARATOR = re.compile(
    r"^\s*(?:(?:should|shall|needs? to|has to|must|will|would|can|could)\s+be|"
    r"(?:is|s|was|are|to|into|of|for|=|:|-|–|—|>|->|→)(?![\w])|"
    r"(?:actually|really|now|more like|like|instead|rather|please|ok|then|just|wrong|"
    r"changed|change|updated|update|it['’]?s|its|it|at)(?![\w'’]))\s*",
    re.IGNORECASE,
)
_ON_MY = re.compile(r"^(?:on\s+)?(?:my|the)\s+(?=\S)", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^\s*(?:(?:oh|oops|sorry|wait|hang on|hold on|ah|um|erm|actually|no|nope|ok|okay|"
    r"hmm|but|and|also|so|one thing)\b[\s,.!:-]*)+",
    re.IGNORECASE,
)


def summary_lines(b: Builder, keys: set[str] | None = None) -> str:
    """One line per answered question (or only ``keys``), showing what was understood."""
    lines = []
    for q in b.studio.questions:
        answer = b.lead.answers.get(q.key)
        if answer is None or (keys is not None and q.key not in keys):
            continue
        if answer.text.strip() or answer.media:
            lines.append(b.text("summary_line", label=q.label, answer=shown(b, q, answer)))
    return "\n".join(lines)


def send_summary(b: Builder) -> None:
    text = summary_lines(b)
    body = b.text("confirm_summary", summary=text)
    buttons = (
        Button(CONFIRM_YES, b.text("button_confirm")),
        Button(CONFIRM_CHANGE, b.text("button_change")),
    )
    b.update(awaiting_confirmation=True)
    b.ask("confirm_summary", ButtonsIntent(body, buttons), summary=text)


@once_per_profile
def _names(
    questions: tuple[Question, ...],
) -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], Question], ...]]:
    """Each question's key and label as a whole-word pattern, longest first; and one
    pattern matching wherever any of them does (most replies name no question)."""
    pairs = {
        (name, q)
        for q in questions
        for name in (q.key.replace("_", " "), q.key, q.label.casefold())
    }
    ordered = sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0]))
    any_name = "|".join(re.escape(name) for name in dict.fromkeys(name for name, _ in ordered))
    return re.compile(rf"(?<![\w])(?:{any_name})(?![\w])", re.IGNORECASE), tuple(
        (re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])", re.IGNORECASE), q)
        for name, q in ordered
    )


def find_correction(studio: Studio, text: str) -> tuple[Question, str] | None:
    """``budget 500``, ``change my location to Leeds``, ``oh wait the budget should be
    £600`` -> (question, new text). Matching runs on the original text, case-insensitively,
    so offsets stay right whatever casefolding would do to its length (``Straße``, B-14)."""
    head = _LEAD_IN.sub("", text, count=1)
    any_name, names = _names(studio.questions)
    if any_name.search(head) is None:
        return None
    for pattern, question in names:
        match = pattern.search(head)
        if match is None or len(head[: match.start()].split()) > 4:
            continue  # the name must come early: "change my ... budget ..."
        tail = head[match.end() :]
        for _ in range(5):  # "should be actually more like", "is wrong, it's"
            stripped = _SEPARATOR.sub("", tail.lstrip(" ,;.!"), count=1)
            if stripped == tail:
                break
            tail = stripped
        value = tail.strip(" .!,;")
        if question.key == "placement":  # "change the placement to my left ankle"
            value = _ON_MY.sub("", value, count=1)
        if value:
            return question, value
    return None


def names_a_question(studio: Studio, text: str) -> bool:
    """A short message naming a question without a new value ("change style", "the size")."""
    # the pattern for any name matches wherever one of the per-name patterns does
    return len(text) <= 60 and _names(studio.questions)[0].search(text) is not None


def detected_correction(ctx: Context, text: str) -> tuple[Question, str] | None:
    """No question named, one clear detail stated (``actually it's 15x10cm``) -> that."""
    found = volunteered(text, ctx, answered=())
    if len(found) != 1:
        return None
    question, fragment, _ = found[0]
    return question, fragment
