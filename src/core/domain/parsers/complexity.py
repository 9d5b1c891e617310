"""Complexity answers, 1 (simple) to 3 (complex); 3 hands over (B-20)."""

from __future__ import annotations

import re

from core.domain.keywords import normalise
from core.domain.parsers.result import Complexity, Failure

_NUMBER = re.compile(r"\d+")
_OUT_OF_THREE = re.compile(r"\s*(?:/|out of|of)\s*3\b")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3}
# Most specific first: negations and intensifiers before the plain words.
_LEVEL_WORDS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"\bnot (?:very |too |that |super |overly )?"
                r"(?:complex|complicated|detailed|hard|difficult)"), 1),
    (re.compile(r"\b(?:very|super|really|highly|extremely|quite) (?:detailed|complex|intricate)"),
     3),
    (re.compile(r"\b(?:lots|loads|tons|a lot|plenty) of (?:\w+ )?details?\b|"
                r"\b(?:photo ?)?realis(?:m|tic)\b"), 3),
    (re.compile(r"\b(?:just|only|simple|plain) (?:text|lettering|words?|script|an? outline|"
                r"outline|line ?work|lines)\b|\b(?:text|lettering|script) only\b"), 1),
    (re.compile(r"\b(?:simple|easy|basic|minimal|minimalist|low|plain|straightforward)\b"), 1),
    (re.compile(r"\b(?:medium|moderate|moderately|average|mid|middle|intermediate|some detail|"
                r"in between|inbetween|in the middle|bit of (?:both|detail|shading)|"
                r"some shading)\b"), 2),
    (re.compile(r"\b(?:complex|complicated|detailed|intricate|high|lots of detail|hard)\b"), 3),
)


# The detail question invites "not sure": an answer, not a failure (issue 11).
_UNSURE = re.compile(
    r"\b(?:not sure|unsure|no idea|dunno|idk|dont know|do not know|no clue|not a clue|"
    r"up to you|you decide|your call|whatever you think|open to (?:ideas|suggestions)|"
    r"no preference|dont mind|not fussed|depends)\b"
)


def _levels_from_words(norm: str) -> set[int]:
    found: set[int] = set()
    for pattern, level in _LEVEL_WORDS:
        if pattern.search(norm):
            found.add(level)
            norm = pattern.sub(" ", norm)
    return found


def parse_complexity(text: str) -> Complexity | Failure:
    """``1``..``3``, ``level 2``, ``2/3``, ``simple`` (1), ``medium`` (2), ``very detailed`` (3)."""
    norm = normalise(_OUT_OF_THREE.sub(" ", text[:500].casefold()))
    if not norm:
        return Failure("empty")
    digits = _NUMBER.findall(norm)
    if any(len(n) > 3 for n in digits):
        return Failure("out_of_range")
    numbers = {int(n) for n in digits}
    numbers |= {_NUMBER_WORDS[w] for w in norm.split() if w in _NUMBER_WORDS}
    words = _levels_from_words(norm)
    levels = numbers | words
    if not levels:
        return Complexity(unsure=True) if _UNSURE.search(norm) else Failure("not_a_choice")
    if len(levels) > 1:
        return Failure("ambiguous")
    level = levels.pop()
    if not 1 <= level <= 3:
        return Failure("out_of_range")
    return Complexity(level)
