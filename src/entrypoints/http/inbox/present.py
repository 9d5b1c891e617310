"""What the inbox templates show of a lead: plain values, no logic in the templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.domain.lead import Lead
from core.domain.studios import Studios, UnknownStudio
from core.usecases.inbox_reads import NEEDS_ARTIST
from entrypoints.http.understood import shown, understood


def when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%d %b %Y %H:%M UTC")


def money(amount: int, currency: str) -> str:
    return f"{amount / 100:.2f} {currency}"


def status_label(status: str) -> str:
    return status.replace("_", " ").capitalize()


def brief(lead: Lead, studios: Studios) -> list[dict[str, Any]]:
    """Each question in the studio's order with the latest answer and what was understood."""
    try:
        questions = [(q.key, q.label) for q in studios.get(lead.studio).questions]
    except UnknownStudio:
        questions = [(key, key) for key in lead.answers]
    values = understood(lead)
    rows = []
    for key, text in questions:
        answer = lead.answers.get(key)
        rows.append({
            "key": key,
            "question": text,
            "answer": answer.text if answer else None,
            "understood": _differs(answer.text, shown(values[key]))
            if answer and values.get(key) else None,
            "failures": lead.parse_failures.get(key, 0),
        })
    return rows


def _differs(text: str, understood: str) -> str | None:
    """What was understood, unless it only repeats the answer."""
    return None if understood.strip().casefold() == text.strip().casefold() else understood


def timezone(lead: Lead, studios: Studios) -> str:
    """The studio's time zone: the one the booking form's time is read in."""
    try:
        return studios.get(lead.studio).timezone
    except UnknownStudio:
        return "UTC"


def summary(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.id,
        "name": lead.name or "(no name yet)",
        "contact": lead.contact,
        "status": lead.status,
        "status_label": status_label(lead.status),
        "needs_artist": lead.status in NEEDS_ARTIST,
        "created": when(lead.times.created),
        "last_message": when(lead.times.last_client_message),
        "handover_reason": lead.handover_reason,
    }


def deposit(lead: Lead) -> dict[str, Any] | None:
    if lead.deposit is None:
        return None
    d = lead.deposit
    return {"amount": money(d.amount, d.currency), "paid": when(d.paid_at) if d.paid_at else None,
            "checkout_url": d.checkout_url, "attempt": d.attempt}


def booking(lead: Lead) -> dict[str, Any] | None:
    if lead.booking is None:
        return None
    b = lead.booking
    return {"start": when(b.start), "end": when(b.end), "reference": b.reference}
