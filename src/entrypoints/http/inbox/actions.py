"""The artist's actions behind the lead page's buttons (B-24).

Each button calls the same use case as the admin API. An action is offered only
when the container provides its use case, so a button never leads nowhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.datastructures import FormMultiDict

# name -> (button label, how to call its use case with the container, lead id, form)
Action = Callable[[Any, str, FormMultiDict], Awaitable[Any]]
BUTTONS = {
    "approve": "Approve",
    "reject": "Reject",
    "resume": "Resume",
    "erase": "Erase",
    "book": "Book",
}


class InboxActions:
    def __init__(self, container: Any) -> None:
        self._container = container
        self._actions: dict[str, Action] = {}

    def has(self, name: str) -> bool:
        return name in self._actions

    def offered(self, status: str) -> list[dict[str, str]]:
        """The buttons to show (the use case itself refuses a wrong status with a 409)."""
        return [{"name": n, "label": label} for n, label in BUTTONS.items() if n in self._actions]

    def get(self, name: str) -> Action | None:
        return self._actions.get(name)
