"""The deposit: how much a lead pays, and the checkout it needs (B-32, B-34).

Pure: the amount comes from the profile's deposit rules over the lead's latest
answers; the checkout link itself is made by a use case through the Payments
port and handed back to the decision as a :class:`Checkout`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.domain import copy
from core.domain.answers import answer_value
from core.domain.decision import Context
from core.domain.lead import Deposit, Lead
from core.domain.profile import Studio

FIRST_LINK = 1
# B-34: after the first link expires, one fresh link is offered, and no more.
FRESH_LINK = FIRST_LINK + 1


class DepositDue(msgspec.Struct, frozen=True, kw_only=True):
    """What the checkout for a lead must ask for (the use case opens it)."""

    amount: int  # minor units
    currency: str
    description: str  # the line item the client sees at checkout
    attempt: int
    expires_at: datetime


class Checkout(msgspec.Struct, frozen=True, kw_only=True):
    """An open checkout for a lead: what was asked and where to pay it."""

    amount: int
    currency: str
    attempt: int
    session_id: str
    url: str
    expires_at: datetime

    def deposit(self) -> Deposit:
        return Deposit(
            amount=self.amount,
            currency=self.currency,
            session_id=self.session_id,
            checkout_url=self.url,
            attempt=self.attempt,
            expires_at=self.expires_at,
        )


def _value(lead: Lead, studio: Studio, kind: str) -> dict[str, Any]:
    value = answer_value(lead, studio, kind=kind)
    return value if isinstance(value, dict) else {}


def deposit_amount(lead: Lead, studio: Studio) -> int:
    """The first deposit rule that matches the lead's size and complexity, else the default."""
    size = _value(lead, studio, "dimensions")
    size_class = size.get("size_class")
    width, height = size.get("width_cm"), size.get("height_cm")
    area = width * height if width is not None and height is not None else None
    level = _value(lead, studio, "complexity").get("level")
    for rule in studio.deposit.rules:
        if rule.size_classes and size_class not in rule.size_classes:
            continue
        if rule.max_area_cm2 is not None and (area is None or area > rule.max_area_cm2):
            continue
        if rule.min_complexity is not None and (level is None or level < rule.min_complexity):
            continue
        return rule.amount
    return studio.deposit.default_amount


def deposit_due(lead: Lead, ctx: Context, attempt: int = FIRST_LINK) -> DepositDue:
    studio = ctx.studio
    previous = lead.deposit
    return DepositDue(
        # A fresh link asks for what the first one asked (the rules may have changed since).
        amount=previous.amount
        if previous and attempt > FIRST_LINK
        else deposit_amount(lead, studio),
        currency=previous.currency if previous and attempt > FIRST_LINK else studio.currency,
        description=copy.say(studio, "deposit_line_item", lead.id),
        attempt=attempt,
        expires_at=ctx.now + studio.deposit.link_expires_after,
    )


def money(ctx: Context, amount: int, currency: str) -> str:
    return ctx.formats.money(amount, currency, ctx.studio.locale)
