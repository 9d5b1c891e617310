"""Provider-neutral intents to Messages API parameters (B-31, PROVIDERS.md C).

Twilio's WhatsApp sender has no free-form buttons or lists: they go out as the
intent's numbered text (``plain_text``), and the core maps a "1"/"2" answer back
to the option it offered. Templates are sent by ``ContentSid`` (Twilio refuses a
template ``Body`` since 2025-04-01), parameters as ``ContentVariables`` JSON.
"""

from __future__ import annotations

import json

from core.domain.outbound import (
    ButtonsIntent,
    Intent,
    ListIntent,
    TemplateIntent,
    TextIntent,
    plain_text,
)
from ports.messenger import PermanentFailure

BODY_MAX = 1600  # characters Twilio accepts in one Body (error 21617 beyond)
ELLIPSIS = "…"
CONTENT_SID_PREFIX = "HX"


def message_params(intent: Intent) -> dict[str, str]:
    """The ``Body`` or ``ContentSid``/``ContentVariables`` of one message."""
    match intent:
        case TextIntent(body=body):
            return {"body": clip(body)}
        case ButtonsIntent() | ListIntent():
            return {"body": clip(plain_text(intent))}
        case TemplateIntent():
            return _template(intent)
    raise TypeError(f"not an intent: {type(intent).__name__}")


def clip(text: str, limit: int = BODY_MAX) -> str:
    """``text`` within ``limit`` code points, ending in "…" when cut (never mid-surrogate)."""
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def content_sid(intent: TemplateIntent) -> str | None:
    """The profile's ``twilio_content_sid``, or a template name that already is one."""
    if intent.content_sid:
        return intent.content_sid
    return intent.name if intent.name.startswith(CONTENT_SID_PREFIX) else None


def _template(intent: TemplateIntent) -> dict[str, str]:
    sid = content_sid(intent)
    if sid is None:  # retrying cannot help: the profile lacks the Twilio template
        raise PermanentFailure(f"template {intent.name!r} has no twilio_content_sid")
    params = {"content_sid": sid}
    if intent.params:
        variables = {str(i): value for i, value in enumerate(intent.params, 1)}
        params["content_variables"] = json.dumps(variables, ensure_ascii=False)
    return params
