"""Console messenger: prints each intent as a person would read it."""

from __future__ import annotations

import itertools
import sys
from typing import TextIO

from core.domain.outbound import Intent, plain_text
from ports.messenger import Sent


class ConsoleMessenger:
    """Writes ``to: text`` lines; ``artist`` numbers are shown distinctly."""

    def __init__(
        self,
        out: TextIO | None = None,
        artist_numbers: frozenset[str] = frozenset(),
    ) -> None:
        self._out = out
        self._artists = artist_numbers
        self._ids = itertools.count(1)
        self.sent: list[tuple[str, str, Intent]] = []

    @staticmethod
    def _line(to: str, text: str, artist: bool) -> str:
        who = f"ARTIST {to}" if artist else f"to {to}"
        return f"[{who}] {text}"

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        self.sent.append((sender, to, intent))
        out = self._out or sys.stdout
        out.write(self._line(to, plain_text(intent), to in self._artists) + "\n")
        out.flush()
        return Sent(f"console.{next(self._ids)}")
