"""What the core asks to be sent: provider-neutral intents (B-31)."""

from __future__ import annotations

import msgspec


class Button(msgspec.Struct, frozen=True):
    id: str
    title: str


class Row(msgspec.Struct, frozen=True):
    id: str
    title: str
    description: str | None = None


class TextIntent(msgspec.Struct, frozen=True, tag="text"):
    body: str


class ButtonsIntent(msgspec.Struct, frozen=True, tag="buttons"):
    """Up to three quick-reply buttons; ``body`` alone is the text fallback."""

    body: str
    buttons: tuple[Button, ...]


class ListIntent(msgspec.Struct, frozen=True, tag="list"):
    """Up to ten rows; ``body`` alone is the text fallback."""

    body: str
    button: str
    rows: tuple[Row, ...]


class TemplateIntent(msgspec.Struct, frozen=True, tag="template"):
    """An approved provider template: the only thing allowed outside 24 h (B-28)."""

    name: str
    language: str
    params: tuple[str, ...] = ()
    content_sid: str | None = None  # Twilio's id of the same template (HX...), issue 13


Intent = TextIntent | ButtonsIntent | ListIntent | TemplateIntent

CLIENT = "client"
ARTIST = "artist"


class Outgoing(msgspec.Struct, frozen=True, kw_only=True):
    """One message decided by the core, to be appended to the outbox (B-25)."""

    lead_id: str
    studio: str
    audience: str  # CLIENT or ARTIST
    to: str  # the recipient's number
    intent: Intent
    purpose: str  # the copy key it came from, e.g. "ask_question", "artist_handover"
    # What to send instead when the 24-hour window is closed; None: hold for the artist.
    fallback: TemplateIntent | None = None
    # The provider to send through (issue 13, B-31): for a client message the one the
    # client last wrote through; None: the studio's own (the relay picks).
    provider: str | None = None


def plain_text(intent: Intent) -> str:
    """The text a person reads, for the thread and for text-only providers."""
    match intent:
        case TextIntent(body=body):
            return body
        case ButtonsIntent(body=body, buttons=buttons):
            options = "\n".join(f"{i}. {b.title}" for i, b in enumerate(buttons, 1))
            return f"{body}\n{options}"
        case ListIntent(body=body, rows=rows):
            options = "\n".join(f"{i}. {r.title}" for i, r in enumerate(rows, 1))
            return f"{body}\n{options}"
        case TemplateIntent(name=name, params=params):
            return f"[template {name}] " + " | ".join(params)
