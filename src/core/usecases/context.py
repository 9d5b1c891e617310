"""What every use case needs to build a decision context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.domain.decision import Context
from core.domain.studios import Studios
from ports.formats import Formats
from ports.gazetteer import Gazetteer


@dataclass(frozen=True, slots=True)
class Deployment:
    studios: Studios
    gazetteer: Gazetteer
    formats: Formats
    public_url: str = "http://127.0.0.1:8000"
    secret: bytes = b""
    link_ttl: timedelta = timedelta(days=7)
    window: timedelta = timedelta(hours=24)  # the relay policy's 24-hour window (B-28)

    def context(self, studio_id: str, now: datetime) -> Context:
        return Context(
            now=now,
            studio=self.studios.get(studio_id),
            gazetteer=self.gazetteer,
            formats=self.formats,
            public_url=self.public_url,
            secret=self.secret,
            link_ttl=self.link_ttl,
            window=self.window,
        )
