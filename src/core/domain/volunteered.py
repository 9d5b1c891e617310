"""Details volunteered in any message (B-47): size, budget, placement, style, location.

``Hey, after a small blackwork snake on my ankle, 6x3cm or so, could spend about £200``
answers the style, placement, size and budget questions at once. Only clear statements
are taken (a size with a unit, money with a currency or a budget word, a body part
after "on my", a known style, a place after "based in"): a wrong guess is shown in the
confirmation summary (B-14), where the client can correct it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from core.domain.answers import interpret, is_failure
from core.domain.decision import Context
from core.domain.keywords import normalise
from core.domain.parsers.size_words import OBJECTS
from core.domain.per_profile import once_per_profile
from core.domain.profile import Question

_SIZE = re.compile(
    r"\b\d{1,3}(?:[.,]\d)?\s*(?:cm|mm|inch(?:es)?|in|\"|”)?\s*(?:x|×|by)\s*\d{1,3}(?:[.,]\d)?"
    r"\s*(?:cm|mm|inch(?:es)?|in\b|\"|”)?|\b\d{1,3}(?:[.,]\d)?\s*(?:cm|mm|inch(?:es)?|\"|”)(?!\w)|"
    r"\b(?:half|quarter|full|leg|arm)[\s-]*sleeve\b|\b(?:full|whole)[\s-]*back(?:[\s-]*piece)?\b|"
    r"\bback[\s-]*piece\b|\bchest[\s-]*piece\b|\bpalm[\s-]*sized?\b|\bhand[\s-]*sized?\b",
    re.IGNORECASE,
)
# Two sides named by direction, read before the bare "8cm" the pattern above would take:
# "8cm tall and 4 wide", "12cm high, 9 across" (the size parser orders them).
_NUM = r"\d{1,3}(?:[.,]\d)?\s*(?:cm|mm|inch(?:es)?|in|\"|”)?\s*"
_WAY = r"(?:high|tall|long|wide|across)\b"
_SIDES = re.compile(rf"\b{_NUM}{_WAY}[^.!?;\d]{{0,20}}?{_NUM}{_WAY}", re.IGNORECASE)
# A size class said plainly ("really small", "small-ish", "palm size") or an everyday
# object the piece is compared to ("about A5 size", "the size of a credit card"); read
# after the measurements, so "a small snake, 6x3cm" keeps 6x3cm.
_CLASS_WORDS = r"(?:tiny|small|little|medium|big|large|huge)"
_OBJECT_WORDS = "|".join(f"(?:{words})" for words, _ in OBJECTS)
_SIZE_SAID = re.compile(
    rf"\b(?:really|very|quite|pretty|fairly|super|rather)\s+{_CLASS_WORDS}\b|"
    rf"\b{_CLASS_WORDS}[\s-]*(?:size|sized|ish)\b|"
    rf"\b(?:about|around|roughly|like|(?:the )?size of|sized like)\s+(?:an?\s+|my\s+)?"
    rf"(?:{_OBJECT_WORDS})s?\b(?:\s*size)?|\b(?:{_OBJECT_WORDS})[\s-]*(?:size|sized)\b",
    re.IGNORECASE,
)
# An open budget said in passing: "budget's flexible", "money's no object".
_OPEN_BUDGET = re.compile(
    r"\bbudget(?:['’]?s| is)?\s+(?:is\s+)?(?:flexible|open)\b|"
    r"\b(?:money|price|cost)(?:['’]?s| is)?\s+no (?:object|issue)\b",
    re.IGNORECASE,
)
_QUALIFIER = (
    r"(?:(?:about|around|roughly|approx\w*|max(?:imum)?|up ?to|under|below|at least|~)\s*)?"
)
_AMOUNT = r"\d[\d,.]*\s*(?:k\b|grand\b)?"
_RANGE = rf"(?:\s*(?:-|–|to|or)\s*[£$€]?\s*{_AMOUNT})?"
_MONEY = re.compile(
    rf"{_QUALIFIER}(?:[£$€]\s*{_AMOUNT}{_RANGE}|{_AMOUNT}{_RANGE}\s*"
    rf"(?:gbp|eur|usd|pounds?|quid|euros?|dollars?)\b)(?:\s*(?:max|tops|or (?:so|less|more)))?|"
    rf"\b(?:budget|spend|pay|afford)\w*\s+(?:is\s+|of\s+|would be\s+|could be\s+)?"
    rf"{_QUALIFIER}[£$€]?\s*{_AMOUNT}{_RANGE}",
    re.IGNORECASE,
)
_SIDE = r"(?:(?:left|right|inner|outer|upper|lower|top|back of|front of|side of)\s+(?:my\s+)?)*"
_PARTS = (
    r"forearms?|upper arms?|arms?|wrists?|ankles?|calf|calves|shins?|thighs?|knees?|legs?|"
    r"feet|foot|hands?|fingers?|knuckles?|neck|nape|throat|shoulders?|shoulder blades?|"
    r"collar ?bones?|sternum|chest|ribs?|rib cage|side|hips?|stomach|belly|tummy|back|"
    r"lower back|spine|biceps?|triceps?|elbows?|ears?|behind (?:my|the) ears?|bum|glutes?"
)
_PLACEMENT = re.compile(
    rf"\b(?:on|across|along|around|down|behind|under|inside)\s+(?:my|the|your)\s+"
    rf"(?P<a>{_SIDE}(?:{_PARTS}))\b|\bmy\s+(?P<b>{_SIDE}(?:{_PARTS}))\b",
    re.IGNORECASE,
)
_STYLES = re.compile(
    r"\b(?:black[\s-]?work|fine[\s-]?line|single[\s-]needle|neo[\s-]*trad(?:itional)?|"
    r"(?:american )?traditional|old[\s-]school|new[\s-]school|japanese|irezumi|realism|"
    r"realistic|micro[\s-]*realism|black (?:and|&) gr[ae]y|dot[\s-]?work|geometric|"
    r"water[\s-]?colou?r|tribal|minimalist|illustrative|script|lettering|trash[\s-]polka|"
    r"ornamental|sketch(?:y)?|chicano|stick[\s-]and[\s-]poke|blackout)\b",
    re.IGNORECASE,
)
_BASED = re.compile(
    r"\b(?:based in|live in|living in|located in|i'?m in|i am in|im from|i'?m from|i am from|"
    r"staying in|moved to)\s+(?P<place>[^,.!?;\n]{2,40})",
    re.IGNORECASE,
)
_BODY_WORDS = frozenset({"size", "big", "large"})
# A cheap first look per kind: most answers ("2", "no", "a swallow") state no other detail.
_DIGITS = frozenset("0123456789")
_CURRENCY_CHARS = frozenset("£$€")
_SIZE_WORDS = frozenset(
    {"sleeve", "back", "piece", "palm", "hand", "sized", "size", "ish", "tiny", "small",
     "little", "medium", "big", "large", "huge", "card", "fist", "phone", "postcard", "coin",
     "stamp", "thumb", "thumbnail", "ball", "book", "paperback", "coaster", "mat"}
)
# A number is a size only with a unit or a times sign ("6x3cm", "10 by 12", "4 inches").
_SIZE_MARKS = frozenset(
    {"x", "×", '"', "”", "cm", "mm", "by", "in", "inch", "inches", "centimetres", "centimeters"}
)
_SIZE_MARK_CHARS = frozenset(mark for mark in _SIZE_MARKS if len(mark) == 1)
_MONEY_WORDS = frozenset(
    {"budget", "spend", "pay", "afford", "gbp", "eur", "usd", "pound", "pounds", "quid", "euro",
     "euros", "dollar", "dollars", "paying", "spending", "budgeted"}
)
_OPEN_WORDS = frozenset({"flexible", "open", "object", "issue"})
_PLACE_WORDS = frozenset(
    {"based", "live", "living", "located", "from", "staying", "moved", "im", "am"}
)
_STYLE_WORDS = frozenset(
    {
        "black", "blackwork", "fine", "fineline", "single", "neo", "traditional", "old", "new",
        "japanese", "irezumi", "realism", "realistic", "micro", "dot", "dotwork", "geometric",
        "water", "watercolour", "watercolor", "tribal", "minimalist", "illustrative", "script",
        "lettering", "trash", "ornamental", "sketch", "sketchy", "chicano", "stick", "blackout",
        "american", "neotraditional", "microrealism",
    }
)
_PLACE_PREPOSITIONS = frozenset({"on", "across", "along", "around", "down", "behind", "under"})
_WORDS = re.compile(r"[a-z]+")
_ANY_WORD = _SIZE_WORDS | _MONEY_WORDS | _PLACE_WORDS | _STYLE_WORDS | {"my", "the", "your", "m"}
_ANY_CHAR = _DIGITS | _CURRENCY_CHARS


@once_per_profile
def _detail_questions(questions: tuple[Question, ...]) -> tuple[Question, ...]:
    """The questions a detail can answer: size, budget, location, placement and style."""
    return tuple(
        q for q in questions
        if q.kind in ("dimensions", "budget", "location")
        or (q.kind == "text" and q.key in ("placement", "style"))
    )


def _worth_looking(question: Question, text: str, words: set[str]) -> bool:
    """Whether ``text`` may hold a detail for ``question`` at all (before any regex)."""
    match question.kind:
        case "dimensions":
            if not _SIZE_WORDS.isdisjoint(words):
                return True
            return not _DIGITS.isdisjoint(text) and (
                not _SIZE_MARKS.isdisjoint(words) or not _SIZE_MARK_CHARS.isdisjoint(text)
            )
        case "budget":
            if not _OPEN_WORDS.isdisjoint(words) and bool(_OPEN_BUDGET.search(text)):
                return True
            return not _DIGITS.isdisjoint(text) and (
                not _CURRENCY_CHARS.isdisjoint(text) or not _MONEY_WORDS.isdisjoint(words)
            )
        case "location":  # "I'm in Leeds" splits into i, m, in
            return not _PLACE_WORDS.isdisjoint(words) or {"m", "in"} <= words
        case "text" if question.key == "placement":
            return "my" in words or (
                not _PLACE_PREPOSITIONS.isdisjoint(words) and bool({"the", "your"} & words)
            )
        case "text" if question.key == "style":
            return not _STYLE_WORDS.isdisjoint(words)
    return False


def _fragments(question: Question, text: str) -> Iterable[str]:
    key, kind = question.key, question.kind
    if kind == "dimensions":
        yield from (m.group() for m in _SIDES.finditer(text))
        yield from (m.group() for m in _SIZE.finditer(text))
        yield from (m.group() for m in _SIZE_SAID.finditer(text))
    elif kind == "budget":
        yield from (m.group() for m in _MONEY.finditer(text))
        yield from (m.group() for m in _OPEN_BUDGET.finditer(text))
    elif kind == "location":
        yield from (m["place"] for m in _BASED.finditer(text))
    elif kind == "text" and key == "placement":
        for match in _PLACEMENT.finditer(text):
            part = match["a"] or match["b"]
            if not _BODY_WORDS.intersection(normalise(part).split()):
                yield part
    elif kind == "text" and key == "style":
        styles = list(dict.fromkeys(m.group().strip() for m in _STYLES.finditer(text)))
        if styles:
            yield ", ".join(styles)


def volunteered(
    text: str, ctx: Context, answered: Iterable[str], skip: str | None = None
) -> list[tuple[Question, str, Any]]:
    """(question, fragment, parsed value) for each detail stated in ``text`` whose
    question is not answered yet (``answered`` keys) nor ``skip`` (the question asked)."""
    text = text[:2000]
    words = set(_WORDS.findall(text.casefold()))
    if _ANY_WORD.isdisjoint(words) and _ANY_CHAR.isdisjoint(text):
        return []  # "2", "nope", "a swallow": nothing to look for
    taken = set(answered) | {skip}
    found = []
    for question in _detail_questions(ctx.studio.questions):
        if question.key in taken or not _worth_looking(question, text, words):
            continue
        for fragment in _fragments(question, text):
            value = interpret(question, fragment, ctx)
            if not is_failure(value):
                found.append((question, fragment.strip(), value))
                break
    return found
