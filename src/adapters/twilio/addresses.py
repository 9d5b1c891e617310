"""Twilio's ``whatsapp:+E164`` addresses and the contact form Meta uses (``447911123456``).

One client is one lead whatever the provider: the contact is the number's digits,
as Meta's ``wa_id``; Twilio gets it back as ``whatsapp:+<digits>``.
"""

from __future__ import annotations

PREFIX = "whatsapp:"


def contact_of(value: str) -> str:
    """``whatsapp:+447911123456`` -> ``447911123456`` (spaces and dashes dropped)."""
    number = value.strip().removeprefix(PREFIX).strip()
    return "".join(ch for ch in number if ch not in "+ -()")


def channel_of(value: str) -> str:
    """The studio's sender as profiles write it: ``whatsapp:+14155238886`` -> ``+14155238886``."""
    return value.strip().removeprefix(PREFIX).strip()


def address(number: str) -> str:
    """A contact or a sender number as Twilio's WhatsApp address."""
    if number.startswith(PREFIX):
        return number
    return f"{PREFIX}+{contact_of(number)}"
