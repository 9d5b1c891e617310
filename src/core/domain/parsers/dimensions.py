"""Size answers -> width × height in cm, or a size class (B-18)."""

from __future__ import annotations

import re

from core.domain.keywords import contains_any
from core.domain.parsers.result import Failure, Size
from core.domain.parsers.size_words import (
    COMPARING,
    HAND_LENGTH,
    OBJECT_MARKS,
    OBJECT_PATTERNS,
    SIDE_AFTER,
    SIDE_BEFORE,
)

MIN_SIDE_CM = 1.0
MAX_SIDE_CM = 300.0

_CM_PER = {"cm": 1.0, "mm": 0.1, "in": 2.54, "ft": 30.48, "m": 100.0}
_UNIT = (
    r"(?P<u{n}>(?:cm|mm|centimet(?:er|re)s?|millimet(?:er|re)s?|in(?:ch(?:es)?)?|ft|feet|foot|"
    r"m|met(?:er|re)s?)(?![a-z])|\"|”|″|'')"
)
_NUM = r"(?<![\d.,])(?P<n{n}>\d{{1,6}}(?:[.,]\d{{1,3}})?)(?![\d])"
_TIMES = r"\s*(?:x|×|✕|✖|\*|by)\s*"
_PAIR = re.compile(
    _NUM.format(n=1) + r"\s*" + _UNIT.format(n=1) + "?" + _TIMES + _NUM.format(n=2) + r"\s*"
    + _UNIT.format(n=2) + "?"
)
_SINGLE = re.compile(_NUM.format(n=1) + r"\s*" + _UNIT.format(n=1))
_DIGIT = re.compile(r"\d")
_OBJECT_NAMES_WITH_DIGITS = re.compile(r"\b(?:a[3-6]|50p|2p)\b")
_NEGATED = re.compile(r"\bnot\s+(?:too\s+|very\s+|that\s+|super\s+|so\s+)?[a-z]+")

# Size words, most specific first; "piece" classes beat plain adjectives. Each comes with
# the words one of which every match contains (a cheap first look before the regex).
_PIECES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(rf"\b(?:{words})\b"), name, marks)
    for words, name, marks in (
        (r"half[\s-]*sleeve", "half_sleeve", ("sleeve",)),
        (r"quarter[\s-]*sleeve", "quarter_sleeve", ("sleeve",)),
        (r"leg[\s-]*sleeve", "leg_sleeve", ("sleeve",)),
        (r"(?:full[\s-]*)?(?:arm[\s-]*)?sleeve", "full_sleeve", ("sleeve",)),
        (r"(?:full|whole|entire)[\s-]*back", "full_back", ("back",)),
        (r"back[\s-]*piece", "back_piece", ("back",)),
        (r"chest[\s-]*piece|full[\s-]*chest", "chest_piece", ("chest",)),
        (r"body[\s-]*suit", "bodysuit", ("body",)),
        (r"palm[\s-]*(?:sized?)?|size of (?:my|a|your) palm", "palm", ("palm",)),
        (r"hand[\s-]*sized?|size of (?:my|a|your) hand", "hand", ("hand",)),
    )
)
_ADJECTIVES: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(rf"\b(?:{words})\b"), name, marks)
    for words, name, marks in (
        (r"tiny|mini|micro|little", "tiny", ("tiny", "mini", "micro", "little")),
        (r"small|smallish", "small", ("small",)),
        (r"medium|mid[\s-]*sized?|average", "medium", ("medium", "mid", "average")),
        (r"large|big|huge|massive|biggish", "large", ("large", "big", "huge", "massive")),
    )
)


def _cm(number: str, unit: str | None) -> float:
    value = float(number.replace(",", "."))
    if unit is None:
        return round(value, 1)
    if unit[0] in "\"”″'" or unit.startswith("in"):
        factor = _CM_PER["in"]
    elif unit.startswith(("ft", "fe", "fo")):
        factor = _CM_PER["ft"]
    elif unit.startswith(("mm", "mil")):
        factor = _CM_PER["mm"]
    elif unit.startswith(("cm", "cen")):
        factor = _CM_PER["cm"]
    else:
        factor = _CM_PER["m"]
    return round(value * factor, 1)


def _size_class(text: str) -> str | Failure | None:
    if "not" in text:
        text = _NEGATED.sub(" ", text)
    for table in (_PIECES, _ADJECTIVES):
        found: set[str] = set()
        for pattern, name, marks in table:
            if contains_any(text, marks) and pattern.search(text):
                found.add(name)
                text = pattern.sub(" ", text)  # "half sleeve" is not also a "sleeve"
        if len(found) > 1:
            return Failure("ambiguous")
        if found:
            return found.pop()
    return None


def _oriented(text: str) -> tuple[float, float] | None:
    """``12cm high, 9 across`` -> (9, 12): sides named by direction, the unit shared."""
    sides: dict[str, tuple[str, str | None]] = {}
    for pattern in (SIDE_AFTER, SIDE_BEFORE):
        for match in pattern.finditer(text):
            side = "h" if match["h"] else "w"
            sides.setdefault(side, (match["n"], match["u"]))
    if len(sides) != 2:
        return None
    unit = sides["w"][1] or sides["h"][1]
    return _cm(sides["w"][0], sides["w"][1] or unit), _cm(sides["h"][0], sides["h"][1] or unit)


def _object(text: str) -> tuple[float, float] | Failure | None:
    """``roughly a playing card``, ``A5``, ``size of a fist``: the object's measurements."""
    found = {
        sides
        for (pattern, sides), marks in zip(OBJECT_PATTERNS, OBJECT_MARKS, strict=True)
        if contains_any(text, marks) and pattern.search(text)
    }
    if not found:
        return None
    if len(found) > 1:
        return Failure("ambiguous")
    bare = len(text.split()) <= 2  # "A5", "a postcard"
    return found.pop() if bare or COMPARING.search(text) else None


def _dimensions(text: str) -> tuple[float, float] | Failure | None:
    if _DIGIT.search(text) is None:  # no side, no pair, no single measure (\d, any script)
        return _object(text)
    oriented = _oriented(text)
    if oriented is not None:
        return oriented
    pairs = list(_PAIR.finditer(text))
    if pairs:
        sides = {
            (_cm(m["n1"], m["u1"] or m["u2"]), _cm(m["n2"], m["u2"] or m["u1"])) for m in pairs
        }
        return sides.pop() if len(sides) == 1 else Failure("ambiguous")
    singles = [_cm(m["n1"], m["u1"]) for m in _SINGLE.finditer(text)]
    if len(singles) == 1:
        return singles[0], singles[0]  # "10cm": a square
    if len(singles) == 2:
        return singles[0], singles[1]  # "10cm wide and 12cm tall"
    if singles:
        return Failure("ambiguous")
    if _DIGIT.search(_OBJECT_NAMES_WITH_DIGITS.sub(" ", text)):
        return None
    return _object(text)


def parse_size(text: str) -> Size | Failure:
    """``10x12cm``, ``4"x5"``, ``10cm``, ``100mm x 50mm``, ``half sleeve`` -> Size."""
    lowered = text[:1000].casefold()
    if not lowered.strip():
        return Failure("empty")
    hand_length = contains_any(lowered, ("hand", "palm")) and HAND_LENGTH.search(lowered)
    size_class = "hand" if hand_length else _size_class(lowered)
    if isinstance(size_class, Failure):
        return size_class
    sides = _dimensions(lowered)
    if isinstance(sides, Failure):
        return sides
    if sides is None:
        if size_class is not None:
            return Size(size_class=size_class)
        return Failure("incomplete" if _DIGIT.search(lowered) else "no_number")
    width, height = sides
    if not (MIN_SIDE_CM <= width <= MAX_SIDE_CM and MIN_SIDE_CM <= height <= MAX_SIDE_CM):
        return Failure("out_of_range")
    return Size(width, height, size_class)
