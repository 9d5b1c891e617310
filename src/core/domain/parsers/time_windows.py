"""Preferred time windows (B-37, issue 11) -> structured windows: days and parts of day.

``weekday afternoons`` -> Mon-Fri afternoons; ``Saturdays`` -> Saturday; ``after 5``
-> any day from 17:00; ``any evening``; ``weekends or Thursday evenings``; ``not
Mondays``. Stored for the booking step to rank slots and shown to the artist.
"""

from __future__ import annotations

import re

from core.domain.keywords import contains_any, normalise
from core.domain.parsers.result import Failure, TimeWindows, Window
from core.domain.parsers.slot_words import WEEKDAYS

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ALL = frozenset(range(7))
_WEEK = frozenset(range(5))
_GROUPS: dict[str, frozenset[int]] = {
    "weekday": _WEEK, "weekdays": _WEEK, "midweek": _WEEK, "weeknight": _WEEK,
    "weeknights": _WEEK, "weekend": frozenset({5, 6}), "weekends": frozenset({5, 6}),
    "daily": _ALL, "everyday": _ALL,
}
_PHRASE_DAYS = ((re.compile(r"\b(?:during|in) the week\b|\bweek days?\b|\bworkdays?\b"), _WEEK),
                (re.compile(r"\b(?:any|every) ?day\b|\ball week\b"), _ALL))
_PARTS: dict[str, tuple[str, ...]] = {
    "morning": ("morning",), "mornings": ("morning",), "am": ("morning",),
    "afternoon": ("afternoon",), "afternoons": ("afternoon",), "arvo": ("afternoon",),
    "arvos": ("afternoon",), "lunchtime": ("afternoon",), "lunch": ("afternoon",),
    "evening": ("evening",), "evenings": ("evening",), "night": ("evening",),
    "nights": ("evening",), "eve": ("evening",), "eves": ("evening",),
    "weeknight": ("evening",), "weeknights": ("evening",),
    "daytime": ("morning", "afternoon"), "daytimes": ("morning", "afternoon"),
}
_AFTER_WORK = re.compile(r"\bafter (?:work|school|uni|college|my shift)\b")
_ANYTIME = re.compile(
    r"\b(?:any ?time|whenever|flexible|any day(?: any time)?|dont mind|do not mind|"
    r"not fussed|any ?thing works|all good|no preference|easy|free most days|always free)\b"
)
_CLOCK = re.compile(
    r"\b(?P<rel>after|from|before|until|till|til|by|not before|not after|past)\s+"
    r"(?P<h>1[0-2]|0?[1-9]|1[3-9]|2[0-3])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>[ap]\.?m\.?)?"
)
_NEGATOR = frozenset({"not", "except", "but", "no", "never", "cant", "cannot", "excluding"})
_SPLIT = re.compile(
    r"\s*(?:[,;/&+\n]|\bor\b|\band\b|\balso\b|\bplus\b|(\bbut\b|\bexcept\b))\s*"
)
_RANGE = re.compile(r"\b([a-z]{3,9})\s*(?:-|–|to|through|thru|till|until)\s*([a-z]{3,9})\b")


def _hour(match: re.Match[str]) -> str:
    hour, minute, ampm = int(match["h"]), int(match["m"] or 0), match["ap"]
    if ampm:
        hour = hour % 12 + (12 if ampm[0] == "p" else 0)
    elif hour <= 7:
        hour += 12  # "after 5": nobody means five in the morning
    return f"{hour:02d}:{minute:02d}"


class _Clause:
    def __init__(self) -> None:
        self.days: set[int] = set()
        self.excluded: set[int] = set()
        self.parts: set[str] = set()
        self.after: str | None = None
        self.before: str | None = None

    def has_time(self) -> bool:
        return bool(self.parts or self.after or self.before)

    def any(self) -> bool:
        return bool(self.days or self.excluded or self.has_time())

    def window(self) -> Window:
        days = (self.days or (set(_ALL) if self.excluded else set())) - self.excluded
        return Window(
            days=tuple(DAY_NAMES[d] for d in sorted(days)) if days != _ALL else (),
            parts=tuple(p for p in ("morning", "afternoon", "evening") if p in self.parts),
            after=self.after,
            before=self.before,
        )


# Cheap first looks: every match of the pattern contains one of these (most clauses,
# "weekday afternoons", "mornings", have no clock time and no day range). A phrase added
# to _CLOCK, _RANGE or _PHRASE_DAYS needs one of its marks in it, or a mark added here.
_DIGITS = tuple("0123456789")
_RANGE_MARKS = ("-", "–", "to", "thr", "til")
_PHRASE_MARKS = (("week", "workday"), ("day", "week"))


def _clause(raw: str, negated_before: bool) -> _Clause:
    found = _Clause()
    if contains_any(raw, _DIGITS):
        for match in _CLOCK.finditer(raw):
            rel = match["rel"]
            if rel in ("after", "from", "past", "not before"):
                found.after = _hour(match)
            else:
                found.before = _hour(match)
        raw = _CLOCK.sub(" ", raw)
    if "after" in raw and _AFTER_WORK.search(raw):
        found.after = found.after or "17:00"
    if contains_any(raw, _RANGE_MARKS):
        for match in _RANGE.finditer(raw):
            first, last = WEEKDAYS.get(match[1]), WEEKDAYS.get(match[2])
            if first is not None and last is not None:
                found.days |= {d % 7 for d in range(first, last + (7 if last < first else 0) + 1)}
                raw = raw.replace(match.group(), " ")
    text = normalise(raw)
    for (pattern, phrase_days), marks in zip(_PHRASE_DAYS, _PHRASE_MARKS, strict=True):
        if contains_any(text, marks) and pattern.search(text):
            found.days |= phrase_days
            text = pattern.sub(" ", text)
    negated = negated_before
    for word in text.split():
        days = frozenset({WEEKDAYS[word]}) if word in WEEKDAYS else _GROUPS.get(word)
        if word in _NEGATOR:
            negated = True
        elif days:
            (found.excluded if negated else found.days).update(days)
        if word in _PARTS and not negated:
            found.parts.update(_PARTS[word])
    return found


def _merge(clauses: list[_Clause]) -> list[_Clause]:
    """``Mondays and Tuesday evenings``: days-only clauses take the next clause's times;
    ``Saturday mornings or afternoons``: times-only clauses take the previous clause's days."""
    merged: list[_Clause] = []
    pending: set[int] = set()
    for clause in clauses:
        if clause.days and not clause.has_time() and not clause.excluded:
            pending |= clause.days
            continue
        if pending and clause.days and clause.has_time():
            clause.days |= pending
            pending = set()
        elif not clause.days and not clause.excluded and merged and merged[-1].days:
            clause.days = set(merged[-1].days)
        merged.append(clause)
    if pending:
        only = _Clause()
        only.days = pending
        merged.append(only)
    exclusions = [c for c in merged if c.excluded and not c.days and not c.has_time()]
    kept = [c for c in merged if c not in exclusions]
    for clause in kept:  # "evenings, not Fridays", "any day but Monday"
        for exclusion in exclusions:
            clause.excluded |= exclusion.excluded
    return kept or exclusions


def parse_time_windows(text: str) -> TimeWindows | Failure:
    """Days and parts of the day the client prefers, or ``anytime``."""
    raw = text[:500].casefold()
    norm = normalise(raw)
    if not norm:
        return Failure("empty")
    clauses: list[_Clause] = []
    negated = False
    for piece in _SPLIT.split(raw):
        if piece is None or not piece.strip():
            continue
        if piece in ("but", "except"):
            negated = True
            continue
        clause = _clause(piece, negated)
        negated = negated and not clause.days and not clause.excluded
        if not clause.any() and set(normalise(piece).split()) & _NEGATOR:
            negated = True  # "but not" ... the next piece names what is excluded
        if clause.any():
            clauses.append(clause)
    windows = tuple(c.window() for c in _merge(clauses))
    if not windows and _ANYTIME.search(norm):
        return TimeWindows(anytime=True)
    if not windows:
        return Failure("no_window")
    if all(not w.days and not w.parts and not w.after and not w.before for w in windows):
        return TimeWindows(anytime=True)
    return TimeWindows(windows=windows)
