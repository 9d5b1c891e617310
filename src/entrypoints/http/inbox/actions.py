"""Which of the artist's actions (B-24) the lead page offers.

The buttons post to ``/inbox/leads/{id}/{action}`` (``inbox.acting``), which calls the
admin API's use case. Only actions whose use case the deployment has are offered, so
a button never leads nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping


class InboxActions:
    def __init__(self, buttons: Mapping[str, str] | None = None, others: tuple[str, ...] = (),
                 notices: Mapping[str, str] | None = None) -> None:
        self._buttons = dict(buttons or {})  # name -> label, in order
        self._offered = {*self._buttons, *others}
        self._notices = dict(notices or {})

    def buttons(self) -> list[dict[str, str]]:
        return [{"name": name, "label": label} for name, label in self._buttons.items()]

    def offers(self, name: str) -> bool:
        return name in self._offered

    def notice(self, done: str | None) -> str | None:
        """What the page says after action ``done`` went through."""
        return self._notices.get(done or "")
