"""Yes/no answers for the cover-up question and tour offers (B-19b)."""

from __future__ import annotations

import re

from core.domain.keywords import normalise
from core.domain.parsers.result import Failure, YesNo

_YES_EMOJI = frozenset("👍✅✔☑👌🙌💯")
_NO_EMOJI = frozenset("👎❌✖🚫⛔❎")

# "not sure" and friends: neither a yes nor a no.
_UNSURE = re.compile(
    r"\b(?:not sure|unsure|dunno|idk|i dont know|dont know|no idea|maybe|perhaps|"
    r"not certain|possibly|might be|kind of|sort of|kinda|sorta)\b"
)
# Negated agreement reads as a no: "definitely not", "not really", "of course not".
_NEGATED = re.compile(
    r"\b(?:(?:yes|definitely|absolutely|certainly|of course|sure|really|defo|deffo|def|"
    r"defs|definately|deffinitely|hell|god|course)\s+not|"
    r"not\s+(?:really|at all|correct|true|right|exactly|quite|anymore|now))\b"
)
_YES_PHRASE = re.compile(
    r"\b(?:of course|for sure|yes it is|sure thing|that is right|thats right|"
    r"(?:i )?(?:believe|think|guess|reckon|suppose) so|pretty sure|im sure|i am sure|"
    r"it is(?= (?:a|an|one)\b)|it will|it would|it does|that it is|afraid so|sadly so|"
    r"i do|i am|i have|it has|it will be)\b"
)
_NO_PHRASE = re.compile(
    r"\b(?:(?:i )?(?:dont|do not) (?:think|believe|reckon) so|i doubt it|no way|"
    r"not that i know(?: of)?|it isnt|it is not|its not|it wont|it will not|i dont|"
    r"i do not|i havent|i have not|fresh skin|new skin|first tattoo|blank skin)\b"
)
_YES_WORD = re.compile(
    r"y+e+s+|y+e+a+h*|y+e+h+|y+e+p+|y+u+p+|y+a+s+|ya+|yea|aye|sure|correct|definitely|"
    r"absolutely|certainly|indeed|affirmative|yessir|totally|ys|yse|yh|yeh|ye|yus|yas|"
    r"defo|deffo|def|defs|deffinitely|definately|yarp|ja|oui|si|yeppers"
)
_NO_WORD = re.compile(
    r"n+o+|nope|na+h*|na+w+|nae|nay|never|negative|not|isnt|aint|false|wrong|nop|nein|non"
)
# Short answers that count only when they are the whole message.
_WHOLE: dict[str, bool] = {
    "y": True, "ok": True, "okay": True, "k": True, "kk": True, "alright": True,
    "it is": True, "i do": True, "i am": True, "it does": True, "please": True,
    "yes please": True, "true": True, "right": True, "go for it": True, "sounds good": True,
    "why not": True,
    "n": False, "it isnt": False, "it is not": False, "its not": False, "i dont": False,
    "i do not": False, "no thanks": False, "no thank you": False, "not really": False,
}


def parse_yesno(text: str) -> YesNo | Failure:
    """``yes``/``yeah``/👍 -> True, ``no``/``nah``/👎 -> False; both or neither -> Failure."""
    text = text[:500]
    yes = any(ch in _YES_EMOJI for ch in text)
    no = any(ch in _NO_EMOJI for ch in text)
    norm = normalise(text)
    if not norm:
        if yes != no:
            return YesNo(yes)
        return Failure("ambiguous" if yes else "empty")
    whole = _WHOLE.get(norm)
    if whole is not None and not (yes or no):
        return YesNo(whole)
    if _UNSURE.search(norm):
        return Failure("ambiguous")
    if _NEGATED.search(norm):
        no = True
        norm = _NEGATED.sub(" ", norm)
    if _NO_PHRASE.search(norm):
        no = True
        norm = _NO_PHRASE.sub(" ", norm)
    if _YES_PHRASE.search(norm):
        yes = True
        norm = _YES_PHRASE.sub(" ", norm)
    for word in norm.split():
        if _YES_WORD.fullmatch(word):
            yes = True
        elif _NO_WORD.fullmatch(word):
            no = True
    if yes and no:
        return Failure("ambiguous")
    if yes or no:
        return YesNo(yes)
    return Failure("not_a_choice")
