"""A Messenger that records what it sends and fails on demand (B-27, B-28)."""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from core.domain.outbound import Intent, plain_text
from ports.messenger import MessengerError, Sent


class SentMessage(NamedTuple):
    sender: str
    to: str
    intent: Intent


class MemoryMessenger:
    """``Messenger`` port in memory.

    ``sent`` lists every successful send in order; ``attempts`` every call,
    failed ones included. ``fail_next(to, *errors)`` queues errors raised by the
    next sends to ``to`` (``None``: to anyone), one error per send, before any
    message is recorded; ``fail_always`` makes every send to ``to`` fail.
    """

    def __init__(self, id_prefix: str = "wamid.fake.") -> None:
        self.sent: list[SentMessage] = []
        self.attempts: list[SentMessage] = []
        self.ids: list[str] = []  # provider message id of each entry of ``sent``
        self._prefix = id_prefix
        self._count = 0  # never reset: provider ids keep increasing
        self._queued: dict[str | None, deque[MessengerError]] = {}
        self._always: dict[str, MessengerError] = {}

    def fail_next(self, to: str | None, *errors: MessengerError) -> None:
        self._queued.setdefault(to, deque()).extend(errors)

    def fail_always(self, to: str, error: MessengerError) -> None:
        self._always[to] = error

    def heal(self, to: str | None = None) -> None:
        """Forget the failures programmed for ``to`` (or for everyone)."""
        if to is None:
            self._queued.clear()
            self._always.clear()
        else:
            self._queued.pop(to, None)
            self._always.pop(to, None)

    async def send(self, sender: str, to: str, intent: Intent) -> Sent:
        message = SentMessage(sender, to, intent)
        self.attempts.append(message)
        error = self._failure_for(to)
        if error is not None:
            raise error
        self._count += 1
        self.sent.append(message)
        self.ids.append(f"{self._prefix}{self._count:08d}")
        return Sent(self.ids[-1])

    def to(self, recipient: str) -> list[Intent]:
        """The intents delivered to ``recipient``, in order."""
        return [m.intent for m in self.sent if m.to == recipient]

    def texts(self, recipient: str) -> list[str]:
        """What ``recipient`` read, in order (buttons and lists as numbered text)."""
        return [plain_text(intent) for intent in self.to(recipient)]

    def clear(self) -> None:
        self.sent.clear()
        self.attempts.clear()
        self.ids.clear()

    def _failure_for(self, to: str) -> MessengerError | None:
        if to in self._always:
            return self._always[to]
        for key in (to, None):
            queue = self._queued.get(key)
            if queue:
                return queue.popleft()
        return None
