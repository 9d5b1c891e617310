"""Name answers: the name without greetings, lead-ins, smileys or sign-offs.

``Its Ellie :)`` -> ``Ellie``; ``hi, I'm sam x`` -> ``Sam``; ``Ellie here thanks`` -> ``Ellie``.
"""

from __future__ import annotations

import re

from core.domain.parsers.result import Failure, Name

MAX_NAME_CHARS = 80
MAX_NAME_WORDS = 4

_EMOTICON = re.compile(r"(?:[:;=8xX][-'^]?[)(\]\[dDpPoO3/\\|*]+|<3+|\^\^|\(:|\):)(?!\w)")
_LEAD_IN = re.compile(
    r"^(?:(?:hi|hey|hello|hiya|yo|ok|okay|sure|yes|yeah|oh|so|well|and)\b[\s,!.]*)*"
    # Each lead-in ends a word: "Imogen" and "Justine" keep their first letters.
    r"(?:(?:(?:my|the)\s+names?(?:['’]s)?(?:\s*(?:is|:))?|names?['’]s|names?\s+is|names?\s*:|"
    r"names?(?=\s)|i\s*am|im|i['’]m|it['’]?s|it\s+is|this\s+is|call\s+me|you\s+can\s+call\s+me|"
    r"they\s+call\s+me|just)(?![\w'’]))?\s*",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"(?:\s+(?:here|thanks|thank you|thx|ty|cheers|please|pls|x+|xo+|lol|haha|:\S*))+\s*$",
    re.IGNORECASE,
)
# Words no name is made of: "weekday evenings after 6" answers another question.
_NOT_NAME_WORDS = frozenset(
    {
        "the", "a", "an", "after", "before", "on", "in", "at", "for", "with", "my", "your",
        "morning", "mornings", "afternoon", "afternoons", "evening", "evenings", "night",
        "nights", "weekday", "weekdays", "weekend", "weekends", "mondays", "tuesdays",
        "wednesdays", "thursdays", "fridays", "saturdays", "sundays", "anytime", "tattoo",
        "tattoos", "want", "would", "like", "yes", "no", "not", "sure", "idea", "cm", "budget",
        "pm", "am", "time", "times", "week", "next", "today", "tomorrow",
    }
)
_NOT_A_NAME_CHAR = re.compile(r"[^\w\s'’.-]|[\d_]")
_SPACES = re.compile(r"\s+")


def parse_name(text: str) -> Name | Failure:
    """The client's name as they would sign it (title-cased when typed all in lower case)."""
    clean = _EMOTICON.sub(" ", text[:500])
    clean = _NOT_A_NAME_CHAR.sub(" ", clean)  # emoji, digits, punctuation other than ' . -
    first = re.split(r"[,;!?\n]| and | but ", clean.strip(), maxsplit=1)[0]
    name = _SPACES.sub(" ", _SIGN_OFF.sub("", _LEAD_IN.sub("", first.strip()))).strip(" .'-")
    if not name or not any(ch.isalpha() for ch in name):
        return Failure("empty" if not text.strip() else "not_a_name")
    if len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return Failure("not_a_name")
    if not _NOT_NAME_WORDS.isdisjoint(name.casefold().split()):
        return Failure("not_a_name")
    if name.islower() or name.isupper():
        name = " ".join(word[:1].upper() + word[1:].lower() for word in name.split())
    return Name(name)
