"""The understood (parsed) answers as flat fields, for the inbox and the spreadsheet.

A value with one field is the question's own column (``idea``: the text, ``coverup``:
the yes/no); a value with several gets one column each (``budget.min``,
``budget.max``, ``budget.currency``). Values have ``inkbook parse``'s shapes.
"""

from __future__ import annotations

from typing import Any

from core.domain.lead import Lead


def flat(key: str, value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        if len(value) == 1:
            return {key: _cell(next(iter(value.values())))}
        return {f"{key}.{sub}": _cell(item) for sub, item in value.items()}
    return {key: _cell(value)}


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_cell(v)}" for k, v in value.items())
    return value


def understood(lead: Lead) -> dict[str, dict[str, Any]]:
    """Per question key answered, its flat understood fields (empty when not understood)."""
    return {
        key: ({} if answer.value is None else flat(key, answer.value))
        for key, answer in lead.answers.items()
    }


def shown(fields: dict[str, Any]) -> str:
    """One line for the artist: the value, or ``field: value`` pairs."""
    if len(fields) == 1:
        return "" if (v := next(iter(fields.values()))) is None else str(v)
    return ", ".join(f"{k.split('.', 1)[-1]}: {v}" for k, v in fields.items() if v is not None)
