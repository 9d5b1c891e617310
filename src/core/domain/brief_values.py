"""Understood values as the artist reads them in the brief (B-23, issue 11).

Artist-facing, so written here rather than in the client copy catalogue; money goes
through the Formats port in the studio's locale.
"""

from __future__ import annotations

from typing import Any

from core.domain.decision import Context

_PARTS = {"morning": "mornings", "afternoon": "afternoons", "evening": "evenings"}


def _money(ctx: Context, amount: int, currency: str) -> str:
    return ctx.formats.money(amount, currency, ctx.studio.locale)


def _budget(ctx: Context, value: dict[str, Any]) -> str | None:
    if value.get("flexible"):
        return "open budget"
    if value.get("unsure"):
        return "not sure"
    if "min" not in value:
        return None
    currency = str(value.get("currency") or ctx.studio.currency)
    if value.get("bound") == "at_most":
        return f"up to {_money(ctx, value['max'], currency)}"
    low = _money(ctx, value["min"], currency)
    if value.get("bound") == "at_least":
        return f"{low} or more"
    return low if value["min"] == value["max"] else f"{low}–{_money(ctx, value['max'], currency)}"


def _window(window: dict[str, Any]) -> str:
    days = window.get("days") or []
    parts = [_PARTS.get(p, p) for p in window.get("parts") or []]
    words = [" ".join(d.capitalize() for d in days) if days else "any day", *parts]
    if window.get("after"):
        words.append(f"after {window['after']}")
    if window.get("before"):
        words.append(f"before {window['before']}")
    return " ".join(words)


def artist_value(ctx: Context, kind: str, value: Any) -> str | None:
    """A short reading of a parsed value, or None when the raw text says it all."""
    if not isinstance(value, dict):
        return None
    match kind:
        case "budget":
            return _budget(ctx, value)
        case "dimensions" if value.get("width_cm") and value.get("height_cm"):
            size = f"{value['width_cm']:g} × {value['height_cm']:g} cm"
            return f"{size}, {value['size_class']}" if value.get("size_class") else size
        case "dimensions" if value.get("size_class"):
            return str(value["size_class"]).replace("_", " ")
        case "location" if value.get("flexible") and not value.get("city"):
            return "flexible"
        case "location":
            return ", ".join(str(p) for p in (value.get("city"), value.get("country")) if p)
        case "yesno" if "answer" in value:
            return "yes" if value["answer"] else "no"
        case "complexity":
            return "not sure" if value.get("unsure") else f"{value.get('level')}/3"
        case "media" if value.get("none"):
            return "none"
        case "media" if value.get("later"):
            return "sending later"
        case "media" if value.get("elsewhere"):
            return "elsewhere: " + (", ".join(value.get("links") or []) or "see text")
        case "time_windows" if value.get("anytime"):
            return "any time"
        case "time_windows":
            return "; ".join(_window(w) for w in value.get("windows") or []) or None
    return None


def client_line(name: str | None, contact: str) -> str:
    """``Ellie · 447911123456``, or just the number when no name is known."""
    name = (name or "").strip()
    return f"{name} · {contact}" if name else contact
