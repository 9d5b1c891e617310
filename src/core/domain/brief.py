"""The artist's brief: everything needed to reply without scrolling (B-23)."""

from __future__ import annotations

from core.domain.brief_values import artist_value, client_line
from core.domain.decision import Context
from core.domain.lead import Lead
from core.domain.links import sign_action


def answers_block(lead: Lead, ctx: Context) -> str:
    """One line per answer: what the client wrote, then what was understood (issue 11)."""
    lines = []
    for q in ctx.studio.questions:
        answer = lead.answers.get(q.key)
        if answer is not None:
            text = answer.text.strip() or "(media)"
            reading = artist_value(ctx, q.kind, answer.value)
            if reading and reading.casefold() != text.casefold():
                text = f"{text} → {reading}"
            lines.append(f"- {q.label}: {text}")
    return "\n".join(lines) or "-"


def links_block(lead: Lead, ctx: Context) -> str:
    expires = ctx.now + ctx.link_ttl
    base = ctx.public_url.rstrip("/")
    actions = ["approve", "reject", "resume"]
    if lead.handover_reason == "erasure_request":  # the client asked to be forgotten (B-40)
        actions.append("erase")
    parts = [
        f"{action}: {base}/a/{sign_action(ctx.secret, lead.id, action, expires)}"
        for action in actions
    ]
    parts.append(f"open: {base}/inbox/leads/{lead.id}")  # the inbox, after sign-in (B-23)
    return "\n".join(parts)


def brief_params(lead: Lead, ctx: Context) -> dict[str, str]:
    """Placeholders for ``artist_brief`` and ``artist_completed``."""
    failures = ", ".join(f"{k} x{n}" for k, n in lead.parse_failures.items() if n) or "none"
    recent = "\n".join(f"> {m}" for m in lead.recent) or "-"
    return {
        "lead_id": lead.id,
        "contact": lead.contact,
        "client": client_line(lead.name, lead.contact),
        "status": lead.status,
        "answers": answers_block(lead, ctx),
        "recent": recent,
        "failures": failures,
        "references": ", ".join(lead.references) or "none",
        "links": links_block(lead, ctx),
    }
