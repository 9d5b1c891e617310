"""The copy catalogue: every client-facing text, by key, with variants (B-30).

``KEYS`` is the contract between the code and a studio's catalogue: each key
the code renders, with the placeholders it passes. A catalogue may use any of
the offered placeholders, must use the required ones, and may not use others.
"""

from __future__ import annotations

import re
import string
import zlib
from datetime import timedelta

import msgspec

from core.domain.profile import ANSWER_KINDS, Studio, Voice


class Spec(msgspec.Struct, frozen=True):
    offered: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    audience: str = "client"  # "client", "artist", or "part" (a button or line of a message)


def _k(*offered: str, required: tuple[str, ...] = (), audience: str = "client") -> Spec:
    return Spec(frozenset(offered) | frozenset(required), frozenset(required), audience)


_CLIENT = ("studio", "artist", "name")

KEYS: dict[str, Spec] = {
    # qualifying
    "welcome": _k(*_CLIENT),
    "ask_question": _k(*_CLIENT, required=("question",)),
    "repair_text": _k(*_CLIENT, "question"),
    "repair_dimensions": _k(*_CLIENT, "question"),
    "repair_budget": _k(*_CLIENT, "question", "currency"),
    "repair_location": _k(*_CLIENT, "question"),
    "repair_yesno": _k(*_CLIENT, "question"),
    "repair_complexity": _k(*_CLIENT, "question"),
    "repair_media": _k(*_CLIENT, "question"),
    "repair_name": _k(*_CLIENT, "question"),
    "repair_time_windows": _k(*_CLIENT, "question"),
    "repair_confirmation": _k(*_CLIENT),
    "media_noted": _k(*_CLIENT, "question"),
    "nontext_notice": _k(*_CLIENT, "question"),
    "confirm_summary": _k(*_CLIENT, required=("summary",)),
    "summary_line": _k(required=("label", "answer"), audience="part"),
    "confirm_fix_prompt": _k(*_CLIENT),
    "button_yes": _k(audience="part"),
    "button_no": _k(audience="part"),
    "button_confirm": _k(audience="part"),
    "button_change": _k(audience="part"),
    # completion (B-15, B-16)
    "completion_pending": _k(*_CLIENT),
    "completion_below_budget": _k(*_CLIENT, "min_budget"),
    "tour_offer": _k(*_CLIENT, required=("city", "dates")),
    "tour_accepted": _k(*_CLIENT, "city", "dates"),
    "tour_declined": _k(*_CLIENT),
    "tour_repair": _k(*_CLIENT, "city", "dates"),
    "waitlisted": _k(*_CLIENT, "city"),
    # handover (B-8, B-12, B-15, B-20, B-22)
    "handover_default": _k(*_CLIENT),
    "handover_client_asked": _k(*_CLIENT),
    "handover_coverup": _k(*_CLIENT),
    "handover_parse_failures": _k(*_CLIENT),
    "refund_ack": _k(*_CLIENT),
    "erasure_ack": _k(*_CLIENT),
    "hold_reply": _k(*_CLIENT),
    "awaiting_artist": _k(*_CLIENT),
    "resume": _k(*_CLIENT, "question"),
    # keywords and modes (B-8, B-9)
    "optout_confirm": _k(*_CLIENT),
    "panic_reply": _k(*_CLIENT),
    "pilot_notice": _k(*_CLIENT),
    # deposit and booking (B-24, B-32 to B-38)
    "rejected": _k(*_CLIENT),
    "deposit_link": _k(*_CLIENT, "amount", required=("url",)),
    "deposit_link_refreshed": _k(*_CLIENT, "amount", required=("url",)),
    "deposit_confirmed": _k(*_CLIENT, "amount", "policy"),
    "deposit_policy": _k(*_CLIENT),
    "slot_offer": _k(*_CLIENT),
    "slot_option": _k(required=("when",), audience="part"),
    "slot_booked": _k(*_CLIENT, required=("when",)),
    "slot_taken": _k(*_CLIENT),
    "repair_slot": _k(*_CLIENT),
    "ask_time_windows": _k(*_CLIENT),
    "time_windows_received": _k(*_CLIENT),
    "reminder": _k(*_CLIENT, "question"),
    # to the artist (never voiced)
    "artist_brief": _k(
        "studio", "artist", "name", "lead_id", "contact", "status", "answers",
        "recent", "failures", "references", "links",
        required=("reason",), audience="artist",
    ),
    "artist_completed": _k(
        "studio", "artist", "name", "lead_id", "contact", "status", "answers",
        "recent", "failures", "references", "links", "outcome",
        audience="artist",
    ),
    "artist_message": _k(
        "studio", "artist", "name", "lead_id", "contact", required=("text",), audience="artist"
    ),
    "artist_panic_alert": _k(
        "studio", "artist", "name", "lead_id", "contact", "text", audience="artist"
    ),
}

MAX_TEXT = 4096


def placeholders(text: str) -> set[str]:
    """Named ``{placeholders}`` in a text; raises ValueError on broken braces."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def variant_index(seed: str, key: str, count: int) -> int:
    """Same lead, same key -> same variant, across processes and restarts."""
    return zlib.crc32(f"{seed}\x1f{key}".encode()) % count


def render(copy: dict[str, tuple[str, ...]], key: str, seed: str, **params: object) -> str:
    variants = copy[key]
    text = variants[variant_index(seed, key, len(variants))]
    return text.format_map(params)


def apply_voice(text: str, voice: Voice) -> str:
    """Apply the studio's tone to a free-form text (never to template params)."""
    for old, new in voice.replacements.items():
        text = text.replace(old, new)
    if not voice.emoji:
        text = "".join(ch for ch in text if not _is_emoji(ch))
        text = "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")).strip()
    if voice.sign_off:
        text = f"{text}\n{voice.sign_off}"
    return text


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0xFE00 <= cp <= 0xFE0F
        or cp == 0x200D
    )


def say(studio: Studio, key: str, seed: str, **params: object) -> str:
    """Render ``key`` for a lead (``seed``) with the studio's voice where it applies."""
    text = render(studio.copy, key, seed, studio=studio.name, artist=studio.artist_name, **params)
    audience = KEYS[key].audience
    if audience == "client":
        return apply_voice(text, studio.voice)
    if audience == "part":  # a button or a line: the tone, but no sign-off per fragment
        return apply_voice(text, msgspec.structs.replace(studio.voice, sign_off=""))
    return text


# -- load-time checks (B-30): a broken catalogue fails at startup, not mid-chat --

BUTTON_MAX = 20  # WhatsApp reply-button titles


class Problem(msgspec.Struct, frozen=True):
    path: str  # e.g. "copy.welcome[1]", "questions[3].kind"
    message: str


def check_studio(studio: Studio) -> list[Problem]:
    """Every problem of a decoded profile that needs no I/O; empty when it is sound."""
    out: list[Problem] = []
    for check in (_check_questions, _check_copy, _check_templates, _check_numbers):
        check(studio, out)
    return out


def _check_questions(s: Studio, out: list[Problem]) -> None:
    keys = [q.key for q in s.questions]
    for i, q in enumerate(s.questions):
        if q.key in keys[:i] or not q.key:
            out.append(Problem(f"questions[{i}].key", f"empty or duplicate key {q.key!r}"))
        if q.kind not in ANSWER_KINDS:
            msg = f"unknown kind {q.kind!r} ({_ls(ANSWER_KINDS)})"
            out.append(Problem(f"questions[{i}].kind", msg))
        if not q.text.strip() or len(q.text) > MAX_TEXT:
            out.append(Problem(f"questions[{i}].text", f"needs 1 to {MAX_TEXT} characters"))
    if not keys:
        out.append(Problem("questions", "at least one question is needed"))
    if s.confirm_before is not None and s.confirm_before not in keys:
        out.append(Problem("confirm_before", f"no question has the key {s.confirm_before!r}"))


def _check_copy(s: Studio, out: list[Problem]) -> None:
    room = MAX_TEXT - len(f"\n{s.voice.sign_off}") if s.voice.sign_off else MAX_TEXT
    for key, spec in KEYS.items():
        if not s.copy.get(key):
            out.append(Problem(f"copy.{key}", "missing: every copy key needs at least one text"))
        for i, text in enumerate(s.copy.get(key, ())):
            path = f"copy.{key}[{i}]"
            out.extend(_check_text(path, text, spec))
            if spec.audience == "client" and room < len(text) <= MAX_TEXT:
                out.append(Problem(path, f"over {MAX_TEXT} characters with the voice's sign_off"))
            if key.startswith("button_") and len(text) > BUTTON_MAX:
                out.append(Problem(path, f"a button allows {BUTTON_MAX} characters"))
    if "" in s.voice.replacements:
        out.append(Problem("voice.replacements", "cannot replace an empty text"))


def _check_text(path: str, text: str, spec: Spec) -> list[Problem]:
    if not text.strip():
        return [Problem(path, "empty text")]
    out = []
    if len(text) > MAX_TEXT:
        out.append(Problem(path, f"{len(text)} characters, over the limit of {MAX_TEXT}"))
    try:
        fields = [(f, fmt, cv) for _, f, fmt, cv in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return [*out, Problem(path, f"broken braces: {exc} (write {{{{ or }}}} for a brace)")]
    names = {name for name, _, _ in fields}
    for name, fmt, cv in fields:
        if not name.isidentifier() or fmt or cv:
            shown = name + (f"!{cv}" if cv else "") + (f":{fmt}" if fmt else "")
            out.append(Problem(path, f"placeholder {{{shown}}} must be a plain name like {{name}}"))
    for name in sorted(n for n in names - spec.offered if n.isidentifier()):
        out.append(Problem(path, f"unknown placeholder {{{name}}} (offered: {_ls(spec.offered)})"))
    for name in sorted(spec.required - names):
        out.append(Problem(path, f"missing required placeholder {{{name}}}"))
    return out


def _check_templates(s: Studio, out: list[Problem]) -> None:
    for key, ref in s.templates.items():
        spec = KEYS.get(key)
        if spec is None:
            out.append(Problem(f"templates.{key}", "unknown intent: name templates by copy key"))
            continue
        if not ref.name.strip():
            out.append(Problem(f"templates.{key}.name", "must not be empty"))
        for i, param in enumerate(ref.params):
            if param not in spec.offered:
                msg = f"unknown placeholder {param!r} (offered: {_ls(spec.offered)})"
                out.append(Problem(f"templates.{key}.params[{i}]", msg))


def _check_numbers(s: Studio, out: list[Problem]) -> None:
    if not re.fullmatch(r"[A-Z]{3}", s.currency):
        out.append(Problem("currency", f"expected an ISO 4217 code like GBP, got {s.currency!r}"))
    values: list[tuple[str, object, bool]] = [  # (path, value, zero allowed)
        ("min_budget", s.min_budget, True),
        ("deposit.default_amount", s.deposit.default_amount, True),
        ("deposit.link_expires_after", s.deposit.link_expires_after, False),
        *((f"deposit.rules[{i}].amount", r.amount, False) for i, r in enumerate(s.deposit.rules)),
    ]
    for name, value in msgspec.structs.asdict(s.limits).items():
        pairs = value.items() if isinstance(value, dict) else [("", value)]
        values += [(f"limits.{name}" + (f".{k}" if k else ""), v, False) for k, v in pairs]
    for path, value, zero_ok in values:
        size = value.total_seconds() if isinstance(value, timedelta) else value
        if isinstance(size, bool) or not isinstance(size, int | float):
            continue
        if size < 0 or (size == 0 and not zero_ok):
            out.append(Problem(path, "must not be negative" if zero_ok else "must be positive"))
    if s.limits.max_slots > 10:
        out.append(Problem("limits.max_slots", "at most 10 slots fit in one list (B-35)"))


def _ls(names: frozenset[str] | tuple[str, ...]) -> str:
    return ", ".join(sorted(names)) or "none"
