"""Answer parsers (SPEC section 4): pure functions, a value or a typed ``Failure``, never raise."""

from core.domain.parsers.budget import MAX_MAJOR_UNITS, parse_budget
from core.domain.parsers.complexity import parse_complexity
from core.domain.parsers.dimensions import MAX_SIDE_CM, MIN_SIDE_CM, parse_size
from core.domain.parsers.location import parse_location
from core.domain.parsers.result import (
    FAILURE_REASONS,
    LARGE_AREA_CM2,
    LARGE_SIZE_CLASSES,
    Complexity,
    Failure,
    Money,
    Place,
    Size,
    SlotChoice,
    YesNo,
    is_large,
)
from core.domain.parsers.slot import parse_slot
from core.domain.parsers.yesno import parse_yesno

__all__ = [
    "FAILURE_REASONS",
    "LARGE_AREA_CM2",
    "LARGE_SIZE_CLASSES",
    "MAX_MAJOR_UNITS",
    "MAX_SIDE_CM",
    "MIN_SIDE_CM",
    "Complexity",
    "Failure",
    "Money",
    "Place",
    "Size",
    "SlotChoice",
    "YesNo",
    "is_large",
    "parse_budget",
    "parse_complexity",
    "parse_location",
    "parse_size",
    "parse_slot",
    "parse_yesno",
]
