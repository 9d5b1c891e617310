"""Answers to the reference-images question in words (B-7): none, later, a link, or prose.

``no pics, I trust your style`` -> none; ``will send a few tomorrow`` -> later;
``check my pinterest board`` -> elsewhere (with any link). Anything else the client
says about references is kept as their description for the artist.
"""

from __future__ import annotations

import re

from core.domain.keywords import normalise
from core.domain.parsers.result import Failure, References

_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|co\.uk|net|org|io|me)/\S*", re.I)
_LATER = re.compile(
    r"\b(?:(?:ill|i will|i can|i ll|will|gonna|going to|can|could) (?:send|share|dig|find|get|"
    r"grab|forward|upload|pop|drop)|later|tomorrow|tonight|in a bit|after work|when i get home|"
    r"this (?:evening|weekend)|soon|next week|need to find|have to find|once i find)\b"
)
_ELSEWHERE = re.compile(
    r"\b(?:pinterest|insta(?:gram)?|ig|tiktok|my board|mood ?board|saved (?:pics|photos)|"
    r"on my (?:phone|page|profile)|link|google)\b"
)
_NONE = re.compile(
    r"^(?:no|none|nope|nah|na|n a|nothing|not really|no thanks|nil|zero)\b|"
    r"\b(?:no|none|nothing|not any|dont have any|do not have any|havent got any|"
    r"have not got any|havent any|dont have|do not have|havent got|no refs?|no references?|"
    r"no pics?|no photos?|no pictures?|no images?|not yet|nothing yet|none yet|"
    r"trust your (?:style|judgement|judgment|vision)|up to (?:you|the artist)|"
    r"(?:you|the artist) (?:can )?(?:decide|choose)|your (?:call|choice)|freestyle|"
    r"free hand|freehand|creative freedom|artistic freedom)\b"
)
_LETTER = re.compile(r"[^\W\d_]")
MAX_DESCRIPTION = 1000


def parse_references(text: str) -> References | Failure:
    """What the client says about reference pictures, when they send none."""
    norm = normalise(text[:MAX_DESCRIPTION])
    if not norm or not _LETTER.search(norm):
        return Failure("empty" if not norm else "no_media")
    links = tuple(_URL.findall(text[:MAX_DESCRIPTION]))
    if links or _ELSEWHERE.search(norm):
        return References(elsewhere=True, links=links, note=text.strip()[:MAX_DESCRIPTION])
    if _LATER.search(norm):
        return References(later=True, note=text.strip()[:MAX_DESCRIPTION])
    if _NONE.search(norm):
        return References(none=True)
    return References(note=text.strip()[:MAX_DESCRIPTION])
