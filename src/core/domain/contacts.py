"""Who may be a client: a plausible sender id, else no reply and nothing queued (issue 7).

A phone number in E.164 without its ``+`` has 8 to 15 digits and no leading 0 (ITU-T
E.164 caps numbers at 15 digits). Meta's business-scoped user ids of 2026 (PROVIDERS.md
A3, e.g. ``US.13491208655302741918``) are senders too: a country code, a dot, digits.
"""

from __future__ import annotations

import re

_E164 = re.compile(r"[1-9][0-9]{7,14}")
_BUSINESS_SCOPED_ID = re.compile(r"[A-Z]{2}\.[0-9]{6,32}")


def plausible_sender(sender: str) -> bool:
    """Whether ``sender`` can be a client to answer (the words of a message cannot)."""
    if _BUSINESS_SCOPED_ID.fullmatch(sender):
        return True
    return _E164.fullmatch(sender.removeprefix("+")) is not None
