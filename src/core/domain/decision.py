"""The shape of a decision: ``decide(lead, inbound, ctx) -> Decision``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import msgspec

from core.domain.events import Event
from core.domain.lead import Answer, Lead
from core.domain.outbound import Outgoing
from core.domain.profile import Studio
from core.domain.status import Transition

if TYPE_CHECKING:  # ports are named for type checking only: the domain never imports them
    from ports.formats import Formats
    from ports.gazetteer import Gazetteer


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a decision may depend on besides the lead and the message."""

    now: datetime
    studio: Studio
    gazetteer: Gazetteer
    formats: Formats
    public_url: str = "http://127.0.0.1:8000"
    secret: bytes = b""
    link_ttl: timedelta = timedelta(days=7)
    # Artist actions (issue 8): how long after the client's last message free text may go
    # out (B-28); the container sets the relay policy's window.
    window: timedelta = timedelta(hours=24)


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    lead: Lead  # the next snapshot
    transitions: tuple[Transition, ...] = ()
    answers: tuple[Answer, ...] = ()  # to append to the answer history
    outbound: tuple[Outgoing, ...] = ()
    events: tuple[Event, ...] = ()
    # Why a trigger was refused (wrong status, window closed...): nothing changes (B-24).
    refusal: str | None = None
