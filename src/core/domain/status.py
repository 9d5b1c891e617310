"""Lead statuses and the one transition function (B-1, B-2)."""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec


class Status(enum.StrEnum):
    NEW = "NEW"
    QUALIFYING = "QUALIFYING"
    NEEDS_ARTIST_REPLY = "NEEDS_ARTIST_REPLY"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    NEEDS_FOLLOW_UP = "NEEDS_FOLLOW_UP"
    TOUR_CONVERSION_OFFERED = "TOUR_CONVERSION_OFFERED"
    WAITLISTED = "WAITLISTED"
    REJECTED = "REJECTED"
    AWAITING_DEPOSIT = "AWAITING_DEPOSIT"
    DEPOSIT_PAID = "DEPOSIT_PAID"
    BOOKING_PENDING = "BOOKING_PENDING"
    COLLECTING_TIME_WINDOWS = "COLLECTING_TIME_WINDOWS"
    BOOKED = "BOOKED"
    NEEDS_MANUAL_FOLLOW_UP = "NEEDS_MANUAL_FOLLOW_UP"
    OPTOUT = "OPTOUT"
    ABANDONED = "ABANDONED"
    STALE = "STALE"


S = Status

ALLOWED: dict[Status, frozenset[Status]] = {
    S.NEW: frozenset({S.QUALIFYING}),
    S.QUALIFYING: frozenset(
        {
            S.NEEDS_ARTIST_REPLY,
            S.PENDING_APPROVAL,
            S.NEEDS_FOLLOW_UP,
            S.TOUR_CONVERSION_OFFERED,
            S.WAITLISTED,
            S.NEEDS_MANUAL_FOLLOW_UP,
            S.OPTOUT,
            S.ABANDONED,
        }
    ),
    S.NEEDS_ARTIST_REPLY: frozenset(
        {
            S.QUALIFYING,
            S.PENDING_APPROVAL,
            S.REJECTED,
            S.AWAITING_DEPOSIT,
            S.DEPOSIT_PAID,
            S.BOOKED,  # the artist books a paid lead in handover by hand (B-37)
            S.OPTOUT,
        }
    ),
    S.TOUR_CONVERSION_OFFERED: frozenset(
        {S.PENDING_APPROVAL, S.WAITLISTED, S.NEEDS_ARTIST_REPLY, S.OPTOUT}
    ),
    S.PENDING_APPROVAL: frozenset({S.AWAITING_DEPOSIT, S.REJECTED, S.NEEDS_ARTIST_REPLY, S.OPTOUT}),
    S.NEEDS_FOLLOW_UP: frozenset({S.PENDING_APPROVAL, S.REJECTED, S.NEEDS_ARTIST_REPLY, S.OPTOUT}),
    S.AWAITING_DEPOSIT: frozenset({S.DEPOSIT_PAID, S.STALE, S.NEEDS_ARTIST_REPLY, S.OPTOUT}),
    S.DEPOSIT_PAID: frozenset({S.BOOKING_PENDING, S.COLLECTING_TIME_WINDOWS, S.NEEDS_ARTIST_REPLY}),
    S.BOOKING_PENDING: frozenset(
        {S.BOOKED, S.COLLECTING_TIME_WINDOWS, S.NEEDS_ARTIST_REPLY, S.OPTOUT}
    ),
    S.COLLECTING_TIME_WINDOWS: frozenset(
        {S.BOOKING_PENDING, S.BOOKED, S.NEEDS_ARTIST_REPLY, S.OPTOUT}
    ),
    S.WAITLISTED: frozenset({S.PENDING_APPROVAL, S.NEW, S.OPTOUT}),
    S.REJECTED: frozenset({S.NEW}),
    S.BOOKED: frozenset(),
    S.NEEDS_MANUAL_FOLLOW_UP: frozenset(),
    S.OPTOUT: frozenset({S.NEW}),
    S.ABANDONED: frozenset({S.NEW}),
    S.STALE: frozenset({S.NEW}),
}

# STOP is honoured from any status (B-8): every status but OPTOUT may move there.
# The table above lists the common ones explicitly.


class IllegalTransition(Exception):
    """Raised by :func:`check_transition` for a move the table does not allow."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"illegal transition {source} -> {target}")
        self.source = source
        self.target = target


class Transition(msgspec.Struct, frozen=True, kw_only=True):
    """One audited status change: who or what caused it and why (B-1)."""

    source: str
    target: str
    reason: str
    actor: str  # "client", "artist", "system", "stripe", "sweeper"
    at: datetime


_KNOWN = frozenset(Status.__members__)


def known(status: str) -> bool:
    return status in _KNOWN


def allowed(source: str, target: str) -> bool:
    if not known(source) or not known(target):
        return False
    if target == Status.OPTOUT and source != Status.OPTOUT:
        return True
    return Status(target) in ALLOWED[Status(source)]


def check_transition(source: str, target: str) -> None:
    """Raise :class:`IllegalTransition` unless ``source -> target`` is in the table."""
    if not allowed(source, target):
        raise IllegalTransition(source, target)
