"""Sizes said in words (B-18): sides named by direction, and everyday objects.

``12cm high, 9 across`` is 9 wide by 12 high; ``roughly a playing card``, ``A5``,
``size of a fist`` are the object's usual measurements in cm (width, height).
"""

from __future__ import annotations

import re

# Everyday objects people compare a piece to: (width, height) in cm, upright.
OBJECTS: tuple[tuple[str, tuple[float, float]], ...] = (
    (r"(?:playing|poker)[\s-]*card|deck of cards", (6.3, 8.8)),
    (r"(?:credit|debit|bank|business|bus|id|oyster)[\s-]*card", (5.4, 8.6)),
    (r"a3(?:\s*(?:size|paper|sheet))?", (29.7, 42.0)),
    (r"a4(?:\s*(?:size|paper|sheet))?", (21.0, 29.7)),
    (r"a5(?:\s*(?:size|paper|sheet))?", (14.8, 21.0)),
    (r"a6(?:\s*(?:size|paper|sheet))?", (10.5, 14.8)),
    (r"post[\s-]*card", (10.0, 15.0)),
    (r"post[\s-]*it(?:\s*note)?|sticky note", (7.6, 7.6)),
    (r"(?:mobile|smart|i)?[\s-]*phone", (7.0, 14.5)),
    (r"(?:golf[\s-]*ball|ping[\s-]*pong[\s-]*ball)", (4.3, 4.3)),
    (r"tennis[\s-]*ball", (6.7, 6.7)),
    (r"(?:fist|clenched hand)", (8.0, 10.0)),
    (r"coin|50p|pound coin|2p|quarter coin", (2.5, 2.5)),
    (r"(?:postage[\s-]*)?stamp", (2.0, 2.5)),
    (r"thumb(?:nail)?", (2.0, 3.0)),
    (r"beer[\s-]*mat|coaster|cd(?:\s*case)?", (12.0, 12.0)),
    (r"(?:paperback|book)", (13.0, 20.0)),
)
OBJECT_PATTERNS: tuple[tuple[re.Pattern[str], tuple[float, float]], ...] = tuple(
    (re.compile(rf"\b(?:{words})s?\b"), sides) for words, sides in OBJECTS
)
# A cheap first look per object: every match of its pattern contains one of these (in the
# order of OBJECTS; an object added there needs its marks here).
OBJECT_MARKS: tuple[tuple[str, ...], ...] = (
    ("card", "deck"), ("card",), ("a3",), ("a4",), ("a5",), ("a6",), ("post",),
    ("post", "sticky"), ("phone",), ("ball",), ("ball",), ("fist", "clenched"),
    ("coin", "50p", "2p"), ("stamp",), ("thumb",), ("mat", "coaster", "cd"),
    ("paperback", "book"),
)
# An object counts only when the message compares to it, not "a phone number".
COMPARING = re.compile(
    r"\b(?:size of|sized? like|like|about|around|roughly|approx\w*|similar to|same as|"
    r"as big as|as large as|the size|sized?|ish|an?)\b"
)
# Hands and palms as lengths: the size classes, not measurements.
HAND_LENGTH = re.compile(r"\b(?:hand|palm)[\s-]*(?:length|span|width|wide|long)\b|"
                         r"\b(?:length|width|span) of (?:my|a|your) (?:hand|palm)\b")

_HIGH = r"(?:high|tall|long|in height|vertically|top to bottom|length(?:ways|wise)?)"
_WIDE = r"(?:wide|across|in width|horizontally|side to side|breadth)"
_NUMBER = r"(?<![\d.,])(?P<n>\d{1,6}(?:[.,]\d{1,3})?)(?!\d)"
_UNIT = r"\s*(?P<u>cm|mm|inch(?:es)?|in|\"|”|centimet(?:er|re)s?)?"
SIDE_AFTER = re.compile(rf"{_NUMBER}{_UNIT}\s*(?:(?P<h>{_HIGH})|(?P<w>{_WIDE}))\b")
SIDE_BEFORE = re.compile(
    rf"\b(?:(?P<h>height|length)|(?P<w>width))\s*(?:of|is|:|=|about|around)?\s*{_NUMBER}{_UNIT}"
)
