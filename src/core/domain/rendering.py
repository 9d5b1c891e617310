"""An answer as the client reads it back in the summary (B-14): what was understood.

Parsed values are shown through the copy catalogue (B-30) and the Formats port, so
``max 600`` reads back as "up to £600" and ``6x3cm`` as "6 × 3 cm"; free text and
size words are shown as written.
"""

from __future__ import annotations

from typing import Any

from core.domain.builder import Builder
from core.domain.lead import Answer
from core.domain.profile import Question


def _number(value: float) -> str:
    return f"{value:g}"


def _money(b: Builder, amount: int, currency: str) -> str:
    return b.ctx.formats.money(amount, currency, b.studio.locale)


def _budget(b: Builder, value: dict[str, Any]) -> str | None:
    currency = str(value.get("currency") or b.studio.currency)
    if value.get("flexible"):
        return b.text("value_budget_flexible")
    if value.get("unsure"):
        return b.text("value_budget_unsure")
    if "min" not in value:
        return None
    match value.get("bound"):
        case "at_most":
            return b.text("value_budget_at_most", amount=_money(b, value["max"], currency))
        case "at_least":
            return b.text("value_budget_at_least", amount=_money(b, value["min"], currency))
    low = _money(b, value["min"], currency)
    if value["min"] == value["max"]:
        return low
    return b.text("value_budget_range", low=low, high=_money(b, value["max"], currency))


def _value(b: Builder, kind: str, value: dict[str, Any]) -> str | None:
    match kind:
        case "budget":
            return _budget(b, value)
        case "dimensions" if value.get("width_cm") and value.get("height_cm"):
            return b.text(
                "value_size",
                width=_number(value["width_cm"]),
                height=_number(value["height_cm"]),
            )
        case "location" if value.get("flexible") and not value.get("city"):
            return b.text("value_place_flexible")
        case "location" if value.get("city") or value.get("country"):
            return ", ".join(str(p) for p in (value.get("city"), value.get("country")) if p)
        case "yesno" if "answer" in value:
            return b.text("button_yes" if value["answer"] else "button_no")
        case "complexity" if value.get("unsure"):
            return b.text("value_unsure")
        case "complexity" if value.get("level"):
            return str(value["level"])
        case "media" if value.get("none"):
            return b.text("value_references_none")
        case "media" if value.get("later"):
            return b.text("value_references_later")
        case "name" if value.get("name"):
            return str(value["name"])
    return None


def shown(b: Builder, question: Question, answer: Answer) -> str:
    """The understood value of an answer in the client's words, else its text."""
    if answer.media:
        return b.text("summary_images", count=len(answer.media))
    value = answer.value
    rendered = _value(b, question.kind, value) if isinstance(value, dict) else None
    return rendered or answer.text.strip()
