"""The copy catalogue: every client-facing text, by key, with variants (B-30).

``KEYS`` is the contract between the code and a studio's catalogue: each key
the code renders, with the placeholders it passes. A catalogue may use any of
the offered placeholders, must use the required ones, and may not use others.
"""

from __future__ import annotations

import re
import string
import zlib

import msgspec

from core.domain.profile import Studio, Voice


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
    # understood values (issue 11, B-14, B-47): the welcome that skips volunteered
    # questions, and how the summary shows a parsed answer
    "welcome_understood": _k(*_CLIENT, required=("understood",)),
    "summary_images": _k(required=("count",), audience="part"),
    "value_size": _k(required=("width", "height"), audience="part"),
    "value_budget_range": _k(required=("low", "high"), audience="part"),
    "value_budget_at_most": _k(required=("amount",), audience="part"),
    "value_budget_at_least": _k(required=("amount",), audience="part"),
    "value_budget_flexible": _k(audience="part"),
    "value_budget_unsure": _k(audience="part"),
    "value_place_flexible": _k(audience="part"),
    "value_unsure": _k(audience="part"),
    "value_references_none": _k(audience="part"),
    "value_references_later": _k(audience="part"),
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
    "slot_booked": _k(*_CLIENT, "link", required=("when",)),  # link: the .ics (B-50)
    "slot_taken": _k(*_CLIENT),
    "repair_slot": _k(*_CLIENT),
    "ask_time_windows": _k(*_CLIENT),
    "time_windows_received": _k(*_CLIENT),
    "reminder": _k(*_CLIENT, "question"),
    # issue 9: the title of the booking in the client's own calendar (B-50)
    "booking_calendar_title": _k(*_CLIENT, audience="part"),
    # issue 9 items 4-5: the booking flow (B-31, B-36, B-37)
    "slot_list_button": _k(audience="part"),  # the label of the list of slots
    "artist_booked": _k(
        "studio", "artist", "name", "lead_id", "contact", "reference",
        required=("when",), audience="artist",
    ),
    "artist_time_windows": _k(
        "studio", "artist", "name", "lead_id", "contact", required=("windows",), audience="artist"
    ),
    "artist_calendar_title": _k(
        "studio", "artist", "name", "lead_id", "contact", audience="artist"
    ),
    # issue 10: time-driven jobs and erasure (B-40, B-48)
    "appointment_reminder": _k(*_CLIENT, "when"),
    "aftercare": _k(*_CLIENT),
    "erasure_confirmation": _k("studio", "artist"),
    # to the artist (never voiced)
    "artist_brief": _k(
        "studio", "artist", "name", "lead_id", "contact", "status", "answers",
        "recent", "failures", "references", "links", "client",
        required=("reason",), audience="artist",
    ),
    "artist_completed": _k(
        "studio", "artist", "name", "lead_id", "contact", "status", "answers",
        "recent", "failures", "references", "links", "outcome", "client",
        audience="artist",
    ),
    "artist_message": _k(
        "studio", "artist", "name", "lead_id", "contact", required=("text",), audience="artist"
    ),
    "artist_deposit_stale": _k(  # issue 10 (B-38)
        "studio", "artist", "name", "lead_id", "contact", "amount", audience="artist"
    ),
    "artist_panic_alert": _k(
        "studio", "artist", "name", "lead_id", "contact", "text", audience="artist"
    ),
    # reliability (issue 7): decide failed on a client's message; it is kept (B-9)
    "artist_system_alert": _k(
        "studio", "artist", "name", "lead_id", "contact", "text", audience="artist"
    ),
    # artist actions and deposits (issue 8: B-24, B-32 to B-34)
    "deposit_line_item": _k("studio", "artist", audience="part"),
    "checkout_return": _k("studio", "artist", audience="part"),
    "artist_deposit_paid": _k(
        "studio", "artist", "name", "lead_id", "contact", required=("amount",), audience="artist"
    ),
}

MAX_TEXT = 4096


def placeholders(text: str) -> set[str]:
    """Named ``{placeholders}`` in a text; raises ValueError on broken braces."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def variant_index(seed: str, key: str, count: int) -> int:
    """Same lead, same key -> same variant, across processes and restarts."""
    return zlib.crc32(f"{seed}\x1f{key}".encode()) % count


def _variant(variants: tuple[str, ...], seed: str, key: str) -> str:
    """The variant ``variant_index`` picks; a key with one variant needs no hashing."""
    if len(variants) == 1:
        return variants[0]
    return variants[variant_index(seed, key, len(variants))]


def render(copy: dict[str, tuple[str, ...]], key: str, seed: str, **params: object) -> str:
    return _variant(copy[key], seed, key).format_map(params)


def apply_voice(text: str, voice: Voice) -> str:
    """Apply the studio's tone to a free-form text (never to template parameters)."""
    if voice.emoji and not voice.replacements and not voice.sign_off:
        return text  # the plain voice (the demo studio's) changes nothing
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
    if "studio" in params or "artist" in params:
        raise TypeError("say() got the studio's own placeholder as a parameter")
    return say_with(studio, key, seed, params)


def say_with(studio: Studio, key: str, seed: str, params: dict[str, object]) -> str:
    """``say`` with the placeholders as a dict, which it fills in (the decision's hot
    path renders many texts)."""
    params["studio"] = studio.name
    params["artist"] = studio.artist_name
    text = _variant(studio.copy[key], seed, key).format_map(params)
    audience = KEYS[key].audience
    if audience == "client":
        return apply_voice(text, studio.voice)
    if audience == "part":  # a button or a line: the tone, but no sign-off per fragment
        voice = studio.voice
        return apply_voice(text, msgspec.structs.replace(voice, sign_off="") if voice.sign_off
                           else voice)
    return text
