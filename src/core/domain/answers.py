"""Understanding one answer with the parser of its question's kind (B-11, B-17..B-19b).

``interpret`` returns the parsed value as JSON-friendly data (what is stored on the
answer), ``understood`` the same values in the shapes ``inkbook parse`` prints
(CONTRACT.md), per question key.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core.domain.decision import Context
from core.domain.lead import Lead
from core.domain.parsers import (
    Failure,
    parse_budget,
    parse_complexity,
    parse_location,
    parse_name,
    parse_references,
    parse_size,
    parse_time_windows,
    parse_yesno,
)
from core.domain.profile import Question, Studio


def preferred_countries(studio: Studio) -> tuple[str, ...]:
    """Where an ambiguous place name is read first: the studio's country, then its area."""
    return tuple(dict.fromkeys((studio.home.country, *studio.service_countries)))


def interpret(question: Question, text: str, ctx: Context, parsed: Any = None) -> Any:
    """The parsed value as JSON-friendly data, or a :class:`Failure`.

    ``parsed``: what the question's parser made of ``text`` already, if the caller has it
    (the handover policy parses a complexity answer first)."""
    clean = text.strip()
    if not clean:
        return Failure("empty")
    if parsed is not None and clean == text:
        return _plain(parsed)
    match question.kind:
        case "budget":
            return _plain(parse_budget(clean, ctx.studio.currency))
        case "dimensions":
            return _plain(parse_size(clean))
        case "location":
            return _plain(parse_location(clean, ctx.gazetteer, preferred_countries(ctx.studio)))
        case "yesno":
            return _plain(parse_yesno(clean))
        case "complexity":
            return _plain(parse_complexity(clean))
        case "media":
            return _plain(parse_references(clean))
        case "name":
            return _plain(parse_name(clean))
        case "time_windows":
            return _plain(parse_time_windows(clean))
        case _:
            return {"text": clean}


def _plain(result: Any) -> Any:
    if isinstance(result, Failure):
        return result
    return msgspec.to_builtins(result)


def is_failure(value: Any) -> bool:
    return isinstance(value, Failure)


def shape(kind: str, value: Any) -> Any:
    """A stored value in the ``inkbook parse`` shape of its kind (CONTRACT.md)."""
    if not isinstance(value, dict):
        return value
    if kind == "location" and "media" not in value:
        if value.get("flexible"):
            return {"flexible": True}
        return {"city": value.get("city"), "country": value.get("country")}
    return value


def understood(lead: Lead, studio: Studio) -> dict[str, Any]:
    """The parsed value per answered question key, in ``inkbook parse`` shapes."""
    kinds = {q.key: q.kind for q in studio.questions}
    return {
        key: shape(kinds.get(key, "text"), answer.value)
        for key, answer in lead.answers.items()
        if answer.value is not None
    }


def answer_value(lead: Lead, studio: Studio, *, key: str | None = None,
                 kind: str | None = None) -> Any:
    """The parsed value of the latest answer to the first question with ``key`` or ``kind``."""
    for question in studio.questions:
        if question.key == key or (kind is not None and question.kind == kind):
            answer = lead.answers.get(question.key)
            return answer.value if answer is not None else None
    return None
