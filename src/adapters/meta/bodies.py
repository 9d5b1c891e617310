"""Provider-neutral intents to Cloud API ``/messages`` request bodies (B-31, PROVIDERS.md A5).

Titles, labels and descriptions longer than Meta allows are clipped (never inside a
combined character or emoji sequence, ending with "…"). What cannot be clipped
without changing its meaning (more than 3 buttons or 10 rows, an id too long,
duplicate buttons, a body too long for an interactive message) is sent as the
intent's numbered text fallback instead, which the parsers read by number (B-19).
Lengths are counted in code points.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from core.domain.outbound import (
    ButtonsIntent,
    Intent,
    ListIntent,
    TemplateIntent,
    TextIntent,
    plain_text,
)

TEXT_BODY = 4096
BUTTONS_MAX, BUTTON_TITLE, BUTTON_ID, BUTTONS_BODY = 3, 20, 256, 1024
ROWS_MAX, ROW_TITLE, ROW_ID, ROW_DESCRIPTION = 10, 24, 200, 72
LIST_BUTTON, LIST_BODY = 20, 4096
ELLIPSIS = "…"
_ZWJ = "\u200d"
_WHITESPACE = re.compile(r"\s+")

JSON = dict[str, Any]


def request_body(to: str, intent: Intent) -> JSON:
    """The JSON object to POST for ``intent`` to ``to``."""
    match intent:
        case TextIntent(body=body):
            return _text(to, body)
        case ButtonsIntent():
            return _buttons(to, intent)
        case ListIntent():
            return _list(to, intent)
        case TemplateIntent():
            return _envelope(to, "template", _template(intent))
    raise TypeError(f"not an intent: {type(intent).__name__}")


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` code points, ending in "…", keeping sequences whole."""
    if len(text) <= limit:
        return text
    cut = limit - len(ELLIPSIS)
    while cut > 0 and (_extends(text[cut]) or text[cut - 1] == _ZWJ):
        cut -= 1
    if _regional_indicators_before(text, cut) % 2:
        cut -= 1  # never half a flag
    head = text[:cut].rstrip() if cut > 0 else text[: limit - len(ELLIPSIS)]
    return head + ELLIPSIS


def _extends(char: str) -> bool:
    """True for a character that belongs to the one before it (marks, joiners, modifiers)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")  # accents, variation selectors
        or char == _ZWJ
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tags (flags of regions)
    )


def _regional_indicators_before(text: str, cut: int) -> int:
    count = 0
    while cut - count > 0 and 0x1F1E6 <= ord(text[cut - count - 1]) <= 0x1F1FF:
        count += 1
    return count


def _envelope(to: str, kind: str, payload: JSON) -> JSON:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: payload,
    }


def _text(to: str, body: str) -> JSON:
    return _envelope(to, "text", {"body": clip(body, TEXT_BODY)})


def _buttons(to: str, intent: ButtonsIntent) -> JSON:
    titles = [clip(b.title, BUTTON_TITLE) for b in intent.buttons]
    ids = [b.id for b in intent.buttons]
    fits = (
        0 < len(intent.buttons) <= BUTTONS_MAX
        and len(intent.body) <= BUTTONS_BODY
        and all(0 < len(i) <= BUTTON_ID for i in ids)
        and len(set(ids)) == len(ids)
        and len(set(titles)) == len(titles)
    )
    if not fits:
        return _text(to, plain_text(intent))
    buttons = [
        {"type": "reply", "reply": {"id": i, "title": t}} for i, t in zip(ids, titles, strict=True)
    ]
    interactive = {"type": "button", "body": {"text": intent.body}, "action": {"buttons": buttons}}
    return _envelope(to, "interactive", interactive)


def _list(to: str, intent: ListIntent) -> JSON:
    ids = [r.id for r in intent.rows]
    fits = (
        0 < len(intent.rows) <= ROWS_MAX
        and len(intent.body) <= LIST_BODY
        and all(0 < len(i) <= ROW_ID for i in ids)
        and len(set(ids)) == len(ids)
    )
    if not fits:
        return _text(to, plain_text(intent))
    rows = []
    for row in intent.rows:
        item = {"id": row.id, "title": clip(row.title, ROW_TITLE)}
        if row.description:
            item["description"] = clip(row.description, ROW_DESCRIPTION)
        rows.append(item)
    interactive = {
        "type": "list",
        "body": {"text": intent.body},
        "action": {"button": clip(intent.button, LIST_BUTTON), "sections": [{"rows": rows}]},
    }
    return _envelope(to, "interactive", interactive)


def _template(intent: TemplateIntent) -> JSON:
    """Body parameters in order; Meta refuses newlines and tabs in them, so they become spaces."""
    template: JSON = {
        "name": intent.name,
        "language": {"code": intent.language, "policy": "deterministic"},
    }
    if intent.params:
        parameters = [{"type": "text", "text": _one_line(p)} for p in intent.params]
        template["components"] = [{"type": "body", "parameters": parameters}]
    return template


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()
