"""One-tap links (B-23, B-51): reading one changes nothing; confirming one acts, once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from core.domain.actions import Action, Approve, Reject, Resume
from core.domain.links import VALID, Link, read_action
from core.usecases.actions import ActionResult, ArtistActions
from core.usecases.context import Deployment
from ports.clock import Clock

LINK_ACTOR = "artist:link"
# What each signed action does when confirmed; "open" only shows the lead.
LINK_ACTIONS: dict[str, Callable[[], Action]] = {
    "approve": Approve,
    "reject": Reject,
    "resume": Resume,
}


class OneTap:
    def __init__(
        self,
        actions: ArtistActions,
        clock: Clock,
        deployment: Deployment,
        erase: Callable[[str], Awaitable[Any]] | None = None,
    ) -> None:
        self._actions = actions
        self._clock = clock
        self._deployment = deployment
        self._erase = erase  # the erasure use case (B-40): idempotent on its own

    def read(self, token: str) -> Link:
        return read_action(self._deployment.secret, token, self._clock.now())

    async def confirm(self, token: str) -> tuple[Link, ActionResult | None]:
        """Do what a valid link says, at most once (the token is claimed with the change)."""
        link = self.read(token)
        if link.state == VALID and link.action == "erase" and self._erase is not None:
            erased = await self._erase(link.lead_id)
            if erased is None:
                return link, None
            return link, ActionResult(link.lead_id, erased.lead.status, changed=not erased.already)
        if link.state != VALID or link.action not in LINK_ACTIONS:
            return link, None
        action = LINK_ACTIONS[link.action]()
        result = await self._actions.act(link.lead_id, action, LINK_ACTOR, claim=link.key(token))
        return link, result
