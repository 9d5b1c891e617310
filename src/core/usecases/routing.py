"""Which provider and sending number deliver one outbox message (issue 13, B-31, B-46)."""

from __future__ import annotations

from collections.abc import Mapping

from core.domain.studios import Studios
from ports.messenger import Messenger
from ports.outbox import OutboxItem


def route(
    item: OutboxItem,
    studios: Studios,
    messengers: Mapping[str, Messenger],
    default: tuple[Messenger, str],
) -> tuple[Messenger, str]:
    """The message's provider if the studio has a number there, else the studio's own:
    its first number among the enabled providers (in ``messengers`` order); else the
    ``default`` messenger and provider, with the studio's usual sender."""
    message = item.message
    for provider in (message.provider, *messengers):
        if provider is not None and provider in messengers:
            number = studios.number(message.studio, provider)
            if number:
                return messengers[provider], item.sender or number
    messenger, provider = default
    return messenger, item.sender or studios.sender(message.studio, provider)
