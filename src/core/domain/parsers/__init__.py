"""Answer parsers (SPEC section 4): pure functions, a value or a typed ``Failure``, never raise."""

from core.domain.parsers.budget import MAX_MAJOR_UNITS, parse_budget
from core.domain.parsers.complexity import parse_complexity
from core.domain.parsers.dimensions import MAX_SIDE_CM, MIN_SIDE_CM, parse_size
from core.domain.parsers.location import parse_location
from core.domain.parsers.name import parse_name
from core.domain.parsers.references import parse_references
from core.domain.parsers.result import (
    FAILURE_REASONS,
    LARGE_SIZE_CLASSES,
    Complexity,
    Failure,
    Money,
    Name,
    OpenBudget,
    Place,
    References,
    Size,
    SlotChoice,
    TimeWindows,
    Window,
    YesNo,
    is_large,
)
from core.domain.parsers.slot import parse_slot
from core.domain.parsers.time_windows import parse_time_windows
from core.domain.parsers.yesno import parse_yesno

__all__ = [
    "FAILURE_REASONS",
    "LARGE_SIZE_CLASSES",
    "MAX_MAJOR_UNITS",
    "MAX_SIDE_CM",
    "MIN_SIDE_CM",
    "Complexity",
    "Failure",
    "Money",
    "Name",
    "OpenBudget",
    "Place",
    "References",
    "Size",
    "SlotChoice",
    "TimeWindows",
    "Window",
    "YesNo",
    "is_large",
    "parse_budget",
    "parse_complexity",
    "parse_location",
    "parse_name",
    "parse_references",
    "parse_size",
    "parse_slot",
    "parse_time_windows",
    "parse_yesno",
]
