"""The studios one deployment serves, and how inbound messages find theirs (B-46)."""

from __future__ import annotations

from collections.abc import Iterable

from core.domain.profile import Studio


class UnknownStudio(LookupError):
    pass


class Studios:
    def __init__(self, studios: Iterable[Studio]) -> None:
        self._by_id = {s.id: s for s in studios}
        self._by_channel: dict[str, str] = {}
        for s in self._by_id.values():
            for channel in (s.meta_phone_number_id, s.twilio_sender):
                if channel:
                    self._by_channel[channel.removeprefix("whatsapp:")] = s.id
        if not self._by_id:
            raise ValueError("at least one studio profile is needed")

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, studio_id: str) -> Studio:
        try:
            return self._by_id[studio_id]
        except KeyError:
            raise UnknownStudio(studio_id) from None

    def for_channel(self, channel: str) -> Studio | None:
        """The studio whose sending number the client wrote to."""
        studio_id = self._by_channel.get(channel.removeprefix("whatsapp:"))
        return self._by_id[studio_id] if studio_id else None

    def sender(self, studio_id: str, provider: str = "meta") -> str:
        studio = self.get(studio_id)
        if provider == "twilio":
            return studio.twilio_sender or ""
        return studio.meta_phone_number_id or studio.twilio_sender or studio.id

    def number(self, studio_id: str, provider: str) -> str | None:
        """The studio's own sending number on ``provider``, or None (issue 13)."""
        studio = self.get(studio_id)
        match provider:
            case "meta":
                return studio.meta_phone_number_id
            case "twilio":
                return studio.twilio_sender
        return None

    def default(self) -> Studio:
        return next(iter(self._by_id.values()))
