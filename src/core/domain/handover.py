"""Handover policy (B-20): pure; a stable reason code, or None to carry on.

Runs on every qualifying answer before its parser (B-11). Each check tries to
tell a question or a request from a normal answer to the question asked:
``price range 400-500`` answers the budget question, ``how much would it
cost?`` does not; ``no, not a cover up`` is not a cover-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.domain.keywords import contains_any, keyword_in, normalise
from core.domain.parsers.complexity import parse_complexity
from core.domain.parsers.result import Complexity, Failure
from core.domain.profile import DEFAULT_LIMITS

REASONS: tuple[str, ...] = (
    "client_asked",
    "complexity",
    "coverup",
    "long_question",
    "hesitation",
    "price_question",
    "scheduling_question",
    "refund",
    "erasure_request",
    "parse_failures",
    "tour_unclear",
    "unknown_status",
    "permanent_failure",
)

_SHOUTED = re.compile(r"\b(?:ARTIST|HUMAN)\b")
_ASKS_FOR_PERSON = re.compile(
    r"\b(?:talk|speak|chat|discuss)\w*\s+(?:to|with)\s+(?:the |an |your |a |real |actual )*"
    r"(?:artist|human|person|someone|somebody|tattooist|tattoo artist)\b|"
    r"\b(?:real|actual) (?:person|human)\b|\bask the artist\b|"
    r"\b(?:message|call|contact|reach) (?:the|your) artist\b|\bartist please\b"
)
_COVERUP = re.compile(
    r"\b(?:cover\s*ups?|re\s?work(?:ed|ing)?|"
    r"fix(?:ing)?\s+(?:an?\s+|my\s+|the\s+)?(?:old\s+|existing\s+|bad\s+)?tattoos?|"
    r"cover(?:ing)?\s+(?:up\s+)?(?:an?\s+|my\s+|the\s+)?(?:old|existing|bad)\s+tattoos?)\b"
)
_NEGATORS = frozenset(
    {"no", "not", "isnt", "never", "dont", "without", "nothing", "nope", "nah", "wont"}
)
# Hesitation is about going ahead at all ("not sure I want it", "maybe later"), not about
# a choice the question offers: "not sure" / "no idea" answers the style or detail question.
_HESITATION = re.compile(
    r"\b(?:maybe later|not ready|not right now|not now|another time|some other time|"
    r"let me think|need to think|have a think|changed my mind|change my mind|hold off|"
    r"on the fence|maybe not|not anymore|dont want (?:it|one|a tattoo) anymore)\b"
)
_DOUBT = (
    r"(?:not sure|unsure|not certain|dont know|do not know|idk|dunno|undecided|not convinced|"
    r"wondering)"
)
_GOING_AHEAD = (
    r"(?:want|wanna|should|shall|ready|go ahead|going ahead|go through|do it|doing it|"
    r"get it|getting (?:it|one|a tattoo|tattooed|inked)|get (?:a tattoo|tattooed|inked)|"
    r"commit|afford|book|can do this|this is for me|its for me)"
)
_DOUBT_ABOUT_GOING_AHEAD = re.compile(
    rf"\b{_DOUBT}(?: (?:yet|really|tbh|honestly|now))?(?: (?:if|whether|about|that))?"
    rf"(?: (?:i|im|i am|i will|ill|we))?(?: (?:really|still|actually|even|truly))?"
    rf" {_GOING_AHEAD}\b|"
    rf"\b{_DOUBT} about (?:this|it all|the whole thing|getting)\b"
)
_FEELINGS = re.compile(  # these can be negated: "I'm not nervous"
    r"\b(?:nervous|scared|anxious|having second thoughts|second thoughts|"
    r"thinking about it|cold feet)\b"
)
_PRICE_STRONG = re.compile(
    r"\b(?:how much|what do you charge|what would you charge|what will you charge|"
    r"how expensive|whats the price|what is the price|what are your prices|your prices|"
    r"your rates|hourly rate|price list|what would it cost|what will it cost|"
    r"what does it cost|what do you cost|get a quote|give me a quote|quote me|a rough quote)\b"
)
_PRICE_WEAK = re.compile(r"\b(?:price|prices|pricing|cost|costs|quote|charge|rate|rates)\b")
_SCHEDULE_STRONG = re.compile(
    r"\b(?:when are you free|when are you available|when can i|when could i|when is your next|"
    r"whens your next|earliest|next available|how soon|any openings|any slots|"
    r"do you have (?:any )?(?:space|availability|slots)|are you available|your availability|"
    r"are you open (?:on|at|this|next|today|tomorrow|in|over|during|weekends?|sundays?|"
    r"saturdays?|mondays?|evenings?|late)|opening (?:hours|times)|fit me in|squeeze me in|"
    r"book me in|waiting list|wait list|how long is the wait|how long (?:do|would) i (?:have to )?"
    r"wait|do you work (?:on )?(?:weekends|sundays|saturdays|evenings))\b"
)
_SCHEDULE_WEAK = re.compile(r"\b(?:availability|available|free slots?|booked up)\b")
_DIGIT = re.compile(r"\d")

# Cheap first looks (most answers are "left forearm", "10x12cm", "2"): every match of a
# pattern contains one of its words, so a text with none of them skips its regex.
# A phrase added to a pattern above needs one of these words in it, or a word added here.
_PERSON_WORDS = ("artist", "human", "person", "someone", "somebody", "tattooist")
_COVERUP_WORDS = ("cover", "work", "fix")
_PRICE_WORDS = ("how much", "expensive", "pric", "cost", "quote", "charge", "rate")
_SCHEDULE_WORDS = (
    "when", "earliest", "avail", "soon", "open", "slot", "space", "booked", "me in", "wait",
    "work",
)
_HESITATION_WORDS = ("maybe", "not", "time", "think", "mind", "hold", "fence", "anymore")
_DOUBT_WORDS = ("not", "unsure", "know", "idk", "dunno", "undecided", "wondering")
_FEELING_WORDS = ("nervous", "scared", "anxious", "second thoughts", "thinking about it",
                  "cold feet")


def _negated(norm: str, start: int) -> bool:
    """A negator among the three words before ``start`` ("no, not a cover up")."""
    before = norm[:start].split()[-3:]
    return any(word in _NEGATORS for word in before)


def _unnegated(pattern: re.Pattern[str], norm: str) -> bool:
    return any(not _negated(norm, m.start()) for m in pattern.finditer(norm))


def _price_question(norm: str, asks: bool, question_kind: str) -> bool:
    if _PRICE_STRONG.search(norm):
        return True
    if not asks or not _PRICE_WEAK.search(norm):
        return False
    return question_kind != "budget" or not _DIGIT.search(norm)  # "400, is that the price?"


def _scheduling_question(norm: str, asks: bool, question_kind: str) -> bool:
    answering = question_kind == "time_windows"  # "I'm available weekends" is an answer
    if _SCHEDULE_STRONG.search(norm):
        return asks or not answering
    return asks and bool(_SCHEDULE_WEAK.search(norm))


def handover_reason(
    text: str,
    *,
    question_kind: str,
    long_question_chars: int,
    complexity_cutoff: int = DEFAULT_LIMITS.handover_complexity,
    keyword_max_chars: int = DEFAULT_LIMITS.keyword_max_chars,
    normalised: Callable[[str], str] = normalise,
    keyword: Callable[[str], str | None] = keyword_in,
    complexity: Complexity | Failure | None = None,
) -> str | None:
    """Why this answer needs the artist (one of ``REASONS``), or None.

    ``normalised``, ``keyword``: ``keywords.normalise`` and ``keywords.keyword_in``, or
    memos of them (``Builder.normalised``, ``Builder.keyword_in``); ``complexity``:
    ``parse_complexity(text)`` when the caller has it already."""
    norm = normalised(text[:5000])
    short = len(text) <= keyword_max_chars  # a longer message is never a keyword
    if (short and keyword(norm) == "human") or (
        ("ARTIST" in text or "HUMAN" in text) and _SHOUTED.search(text[:5000])
    ):
        return "client_asked"
    asks = "?" in text
    if contains_any(norm, _PERSON_WORDS) and _ASKS_FOR_PERSON.search(norm):
        return "client_asked"
    if question_kind == "complexity":
        level = parse_complexity(text) if complexity is None else complexity
        if isinstance(level, Complexity) and (level.level or 0) >= complexity_cutoff:
            return "complexity"
    if contains_any(norm, _COVERUP_WORDS) and _unnegated(_COVERUP, norm):
        return "coverup"
    if contains_any(norm, _PRICE_WORDS) and _price_question(norm, asks, question_kind):
        return "price_question"
    if contains_any(norm, _SCHEDULE_WORDS) and _scheduling_question(norm, asks, question_kind):
        return "scheduling_question"
    if (contains_any(norm, _HESITATION_WORDS) and _HESITATION.search(norm)) or (
        contains_any(norm, _DOUBT_WORDS) and _DOUBT_ABOUT_GOING_AHEAD.search(norm)
    ):
        return "hesitation"
    if contains_any(norm, _FEELING_WORDS) and _unnegated(_FEELINGS, norm):
        return "hesitation"
    if asks and len(text) > long_question_chars:
        return "long_question"
    return None
