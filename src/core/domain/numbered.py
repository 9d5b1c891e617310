"""Buttons and lists as numbered text, and the typed number that answers them (B-31).

A provider without quick-reply buttons (Twilio's free-form WhatsApp, Meta's own
text fallback) shows ``plain_text``: the body, then ``1. Yes`` / ``2. No``. The
lead keeps the options of the last client message (``Lead.offered``: empty after
a plain text), so a reply that is just one of those numbers becomes the ``Choice``
a tap would have been, and the flow reads both the same way.
"""

from __future__ import annotations

import re

import msgspec

from core.domain.inbound import Choice, Inbound, Text
from core.domain.lead import Lead
from core.domain.outbound import Button, ButtonsIntent, Intent, ListIntent

# "2", "2.", "2)", "#2", "(2)", "2️⃣": the whole message, nothing else.
_NUMBER = re.compile(r"^\s*[#(]?\s*(\d{1,2})\s*(?:\ufe0f?\u20e3)?\s*[.)]?\s*$")


def offered_options(intent: Intent | None) -> tuple[Button, ...]:
    """The numbered options a client reads in ``intent`` (none for text and templates)."""
    match intent:
        case ButtonsIntent(buttons=buttons):
            return buttons
        case ListIntent(rows=rows):
            return tuple(Button(row.id, row.title) for row in rows)
    return ()


def numbered_choice(lead: Lead, inbound: Inbound) -> Inbound:
    """``inbound`` as the ``Choice`` its number picks, or unchanged."""
    if not lead.offered or not isinstance(inbound.content, Text):
        return inbound
    match = _NUMBER.match(inbound.content.body)
    if match is None:
        return inbound
    number = int(match.group(1))
    if not 1 <= number <= len(lead.offered):
        return inbound
    option = lead.offered[number - 1]
    return msgspec.structs.replace(inbound, content=Choice(id=option.id, title=option.title))
