"""Understanding one answer with the parser of its question's kind (B-11, B-17..B-19b)."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from core.domain.decision import Context
from core.domain.parsers import (
    Failure,
    parse_budget,
    parse_complexity,
    parse_location,
    parse_size,
    parse_yesno,
)
from core.domain.profile import Question

_NONE_WORDS = frozenset({"no", "none", "nope", "nah", "no thanks", "not really", "n/a", "na"})
_NAME_PREFIX = re.compile(
    r"^\s*(?:hi|hey|hello)?[,!\s]*(?:my name is|my name's|name is|name's|i am|i'm|im|it's|its|"
    r"this is|call me)\s+",
    re.IGNORECASE,
)
MAX_NAME = 80


def interpret(question: Question, text: str, ctx: Context) -> Any:
    """The parsed value as JSON-friendly data, or a :class:`Failure`."""
    clean = text.strip()
    if not clean:
        return Failure("empty")
    match question.kind:
        case "budget":
            return _plain(parse_budget(clean, ctx.studio.currency))
        case "dimensions":
            return _plain(parse_size(clean))
        case "location":
            return _plain(parse_location(clean, ctx.gazetteer))
        case "yesno":
            return _plain(parse_yesno(clean))
        case "complexity":
            return _plain(parse_complexity(clean))
        case "media":
            if clean.casefold().strip(" .!") in _NONE_WORDS:
                return {"none": True}
            return Failure("no_media")
        case "name":
            name = _NAME_PREFIX.sub("", clean).strip(" .!,")
            if not name or len(name) > MAX_NAME or not any(ch.isalpha() for ch in name):
                return Failure("not_a_name")
            return {"name": name}
        case _:
            return {"text": clean}


def _plain(result: Any) -> Any:
    if isinstance(result, Failure):
        return result
    return msgspec.to_builtins(result)


def is_failure(value: Any) -> bool:
    return isinstance(value, Failure)
