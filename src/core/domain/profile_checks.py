"""Load-time checks of a studio profile (B-30): a broken catalogue fails at startup,
not while a client is waiting."""

from __future__ import annotations

import re
import string
from datetime import timedelta

import msgspec

from core.domain.copy import KEYS, MAX_TEXT, Spec
from core.domain.profile import ANSWER_KINDS, Studio

BUTTON_MAX = 20  # WhatsApp reply-button titles
ZERO_ALLOWED = ("buffer", "min_lead_time")  # limits that may be zero (issue 9)


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
        zero_ok = name in ZERO_ALLOWED
        values += [(f"limits.{name}" + (f".{k}" if k else ""), v, zero_ok) for k, v in pairs]
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
