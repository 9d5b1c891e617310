"""``inkbook chat``: playing the artist and paying, so a lead walks from "hi" to a paid deposit.

``/approve``, ``/reject``, ``/resume``, ``/reply TEXT``, ``/release`` go through the same use
case as the admin API; ``/pay`` completes the fake checkout through the same use case
as a Stripe webhook.
"""

from __future__ import annotations

from typing import Any, TextIO

from core.domain.actions import Action, Approve, Reject, Release, Reply, Resume
from core.domain.lead import Lead
from ports.lead_repo import LeadNotFound
from ports.payments import PaymentsError

HELP = """Play the artist: /approve  /reject  /resume  /reply TEXT  /release
Pay the deposit link (test mode): /pay"""
CHAT_ACTOR = "artist:chat"
PAY_ACTOR = "fake_checkout"
COMMANDS = ("/approve", "/reject", "/resume", "/reply", "/release", "/pay")


async def find_lead(container: Any, studio_id: str, contact: str) -> Lead | None:
    leads = await container.read_leads().list(studio=studio_id, limit=1000)
    return next((lead for lead in leads if lead.contact == contact), None)


def _action(word: str, rest: str) -> Action | None:
    match word:
        case "/approve":
            return Approve()
        case "/reject":
            return Reject()
        case "/resume":
            return Resume()
        case "/reply":
            return Reply(rest) if rest.strip() else None
        case "/release":
            return Release()
    return None


async def artist_command(
    container: Any, studio_id: str, contact: str, line: str, out: TextIO
) -> None:
    """One of COMMANDS; what it did, or why not, is written to ``out`` in brackets."""
    word, _, rest = line.strip().partition(" ")
    lead = await find_lead(container, studio_id, contact)
    if lead is None:
        out.write("(no lead yet: say hi first)\n")
        return
    if word == "/pay":
        await _pay(container, lead, out)
        return
    action = _action(word, rest)
    if action is None:
        out.write("(usage: /reply TEXT)\n")
        return
    try:
        result = await container.artist_actions().act(lead.id, action, CHAT_ACTOR)
    except (LeadNotFound, PaymentsError) as exc:
        out.write(f"(not done: {exc!r})\n")
        return
    if result.refusal is not None:
        out.write(f"(not possible now: {result.refusal}; status {result.status})\n")
    elif not result.changed:
        out.write(f"(already done: status {result.status})\n")
    else:
        out.write(f"(artist: {word[1:]} done; status {result.status})\n")


async def _pay(container: Any, lead: Lead, out: TextIO) -> None:
    deposit = lead.deposit
    if container.settings().payments != "fake":
        out.write("(/pay needs INKBOOK_PAYMENTS=fake: open the checkout link instead)\n")
        return
    if deposit is None or deposit.session_id is None:
        out.write("(no deposit link yet: /approve first)\n")
        return
    event = container.payments().complete(deposit.session_id)
    outcome = await container.handle_payment()(event, actor=PAY_ACTOR)
    out.write(f"(paid in test mode: {outcome.result}; status {outcome.status or lead.status})\n")
