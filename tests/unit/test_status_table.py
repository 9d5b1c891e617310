"""B-1: one transition function over an explicit table; B-2: unknown statuses."""

from __future__ import annotations

import pytest

from core.domain.status import ALLOWED, IllegalTransition, Status, allowed, check_transition

S = Status

SPEC_TABLE = [
    (S.NEW, S.QUALIFYING),
    *[(S.QUALIFYING, t) for t in (S.NEEDS_ARTIST_REPLY, S.PENDING_APPROVAL, S.NEEDS_FOLLOW_UP,
                                  S.TOUR_CONVERSION_OFFERED, S.WAITLISTED,
                                  S.NEEDS_MANUAL_FOLLOW_UP, S.OPTOUT, S.ABANDONED)],
    *[(S.NEEDS_ARTIST_REPLY, t) for t in (S.QUALIFYING, S.PENDING_APPROVAL, S.REJECTED,
                                          S.AWAITING_DEPOSIT, S.DEPOSIT_PAID, S.OPTOUT)],
    *[(S.TOUR_CONVERSION_OFFERED, t) for t in (S.PENDING_APPROVAL, S.WAITLISTED,
                                               S.NEEDS_ARTIST_REPLY, S.OPTOUT)],
    *[(S.PENDING_APPROVAL, t) for t in (S.AWAITING_DEPOSIT, S.REJECTED, S.NEEDS_ARTIST_REPLY,
                                        S.OPTOUT)],
    *[(S.NEEDS_FOLLOW_UP, t) for t in (S.PENDING_APPROVAL, S.REJECTED, S.NEEDS_ARTIST_REPLY,
                                       S.OPTOUT)],
    *[(S.AWAITING_DEPOSIT, t) for t in (S.DEPOSIT_PAID, S.STALE, S.NEEDS_ARTIST_REPLY, S.OPTOUT)],
    *[(S.DEPOSIT_PAID, t) for t in (S.BOOKING_PENDING, S.COLLECTING_TIME_WINDOWS,
                                    S.NEEDS_ARTIST_REPLY)],
    *[(S.BOOKING_PENDING, t) for t in (S.BOOKED, S.COLLECTING_TIME_WINDOWS,
                                       S.NEEDS_ARTIST_REPLY, S.OPTOUT)],
    *[(S.COLLECTING_TIME_WINDOWS, t) for t in (S.BOOKING_PENDING, S.BOOKED,
                                               S.NEEDS_ARTIST_REPLY, S.OPTOUT)],
    *[(S.WAITLISTED, t) for t in (S.PENDING_APPROVAL, S.NEW, S.OPTOUT)],
    *[(source, S.NEW) for source in (S.OPTOUT, S.ABANDONED, S.STALE, S.REJECTED)],
]


@pytest.mark.parametrize(("source", "target"), SPEC_TABLE)
def test_B1_spec_transitions_are_allowed(source: Status, target: Status) -> None:
    check_transition(source, target)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.NEW, S.BOOKED),
        (S.QUALIFYING, S.BOOKED),
        (S.QUALIFYING, S.AWAITING_DEPOSIT),
        (S.PENDING_APPROVAL, S.BOOKED),
        (S.BOOKED, S.QUALIFYING),
        (S.NEEDS_MANUAL_FOLLOW_UP, S.NEW),
        (S.DEPOSIT_PAID, S.QUALIFYING),
        (S.OPTOUT, S.QUALIFYING),
    ],
)
def test_B1_illegal_transitions_raise(source: Status, target: Status) -> None:
    with pytest.raises(IllegalTransition):
        check_transition(source, target)


def test_B1_every_status_has_a_row() -> None:
    assert set(ALLOWED) == set(Status)


@pytest.mark.parametrize("source", [s for s in Status if s != S.OPTOUT])
def test_B8_stop_is_honoured_from_any_status(source: Status) -> None:
    assert allowed(source, S.OPTOUT)


def test_B2_unknown_status_is_never_allowed_to_move_by_the_table() -> None:
    assert not allowed("LEGACY_BOOKING_LINK_SENT", S.NEW)
    with pytest.raises(IllegalTransition):
        check_transition("LEGACY_BOOKING_LINK_SENT", S.NEW)
