"""The copy catalogue (B-30): every key renders, variants are deterministic, checks bite."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import msgspec
import pytest

from adapters.profile import demo_profile_path, load_studio
from core.domain import copy
from core.domain.copy import KEYS, MAX_TEXT, apply_voice, render, say
from core.domain.profile import ANSWER_KINDS, Limits, Question, Studio, TemplateRef, Voice
from core.domain.profile_checks import Problem, check_studio

DEMO = load_studio(demo_profile_path())

SAMPLE = {  # one value for every placeholder any key offers
    "studio": "Inkwell Studio",
    "artist": "Mara",
    "name": "Zoë",
    "question": "Where on your body would you like it?",
    "currency": "GBP",
    "summary": "• Idea: a swallow\n• Size: 10x12cm",
    "label": "Size",
    "answer": "10x12cm",
    "min_budget": "£150",
    "city": "Berlin",
    "dates": "8–13 March",
    "amount": "£100",
    "url": "https://pay.example/abc",
    "policy": "Deposits come off the final price.",
    "when": "Tue 9 March, 11:00",
    "reason": "coverup",
    "lead_id": "lead-42",
    "contact": "447911123456",
    "status": "NEEDS_ARTIST_REPLY",
    "answers": "- Idea: a swallow",
    "recent": "> hello",
    "failures": "none",
    "references": "none",
    "links": "approve: https://ink.example/a/x",
    "outcome": "PENDING_APPROVAL",
    "text": "Can I bring a friend?",
    "understood": "• Size: 6 × 3 cm",
    "client": "Zoë · 447911123456",
    "count": "2",
    "width": "6",
    "height": "3",
    "low": "£300",
    "high": "£400",
}


def problems(studio: Studio) -> set[tuple[str, str]]:
    return {(p.path, p.message) for p in check_studio(studio)}


def with_copy(key: str, *variants: str, studio: Studio = DEMO) -> Studio:
    return msgspec.structs.replace(studio, copy={**studio.copy, key: variants})


def test_B30_the_sample_offers_every_placeholder() -> None:
    assert set().union(*(spec.offered for spec in KEYS.values())) <= set(SAMPLE)


@pytest.mark.parametrize("key", sorted(KEYS))
def test_B30_every_key_renders_for_a_sample_lead(key: str) -> None:
    offered = {name: SAMPLE[name] for name in KEYS[key].offered}
    for i, variant in enumerate(DEMO.copy[key]):  # every variant, not only the lead's one
        text = render({key: (variant,)}, key, "lead-42", **offered)
        assert "{" not in text and "}" not in text, (key, i)
        assert 0 < len(text) <= MAX_TEXT
    assert render(DEMO.copy, key, "lead-42", **offered) in {
        render({key: (v,)}, key, "lead-42", **offered) for v in DEMO.copy[key]
    }


@pytest.mark.parametrize("key", sorted(k for k, s in KEYS.items() if s.audience == "client"))
def test_B30_say_renders_every_client_key_in_the_studio_voice(key: str) -> None:
    params = {n: SAMPLE[n] for n in KEYS[key].offered if n not in ("studio", "artist")}
    signed = msgspec.structs.replace(DEMO, voice=Voice(sign_off="— Inkwell ✒️"))
    text = say(signed, key, "lead-42", **params)
    assert text.endswith("\n— Inkwell ✒️") and len(text) <= MAX_TEXT


def test_B30_same_lead_and_key_always_get_the_same_variant() -> None:
    first = say(DEMO, "welcome", "lead-7")
    assert all(say(DEMO, "welcome", "lead-7") == first for _ in range(20))
    assert copy.variant_index("lead-7", "welcome", 3) == copy.variant_index("lead-7", "welcome", 3)


def test_B30_different_leads_spread_across_variants() -> None:
    variants = DEMO.copy["welcome"]
    assert len(variants) == 3
    seen = Counter(render(DEMO.copy, "welcome", f"lead-{i}", **SAMPLE) for i in range(300))
    assert len(seen) == 3
    assert min(seen.values()) > 50  # roughly even, not one favourite


def test_B30_most_client_keys_have_several_variants() -> None:
    client = [k for k, s in KEYS.items() if s.audience == "client"]
    assert sum(len(DEMO.copy[k]) >= 2 for k in client) >= 0.8 * len(client)


def test_B12_repairs_give_an_example_of_a_good_answer() -> None:
    assert all("10x12cm" in t or "8x8cm" in t for t in DEMO.copy["repair_dimensions"])
    assert all("palm sized" in t or "half sleeve" in t for t in DEMO.copy["repair_dimensions"])
    assert all(any(ch.isdigit() for ch in t) for t in DEMO.copy["repair_budget"])
    assert all("UK" in t for t in DEMO.copy["repair_location"])


def test_B8_optout_says_how_to_restart() -> None:
    assert all("START" in t for t in DEMO.copy["optout_confirm"])


def test_B21_handover_texts_say_the_artist_replies_personally() -> None:
    for key in ("handover_default", "handover_client_asked", "handover_coverup"):
        assert all("{artist}" in t and "personally" in t for t in DEMO.copy[key]), key


# -- voice ------------------------------------------------------------------------------


def test_B30_apply_voice_signs_off_replaces_and_strips_emoji() -> None:
    voice = Voice(sign_off="— Mara", emoji=False, replacements={"Hi": "Hey"})
    assert apply_voice("Hi there 👋 ✨\nSee you 🗓️ soon", voice) == "Hey there\nSee you soon\n— Mara"
    assert apply_voice("Hi 👋", Voice()) == "Hi 👋"


def test_B30_voice_is_not_applied_to_artist_texts_nor_signed_on_buttons() -> None:
    quiet = msgspec.structs.replace(DEMO, voice=Voice(sign_off="— Mara ✒️", emoji=False))
    assert say(quiet, "button_yes", "lead-1") == "Yes"
    assert say(quiet, "summary_line", "lead-1", label="Size", answer="10cm") == "• Size: 10cm"
    params = {k: v for k, v in SAMPLE.items() if k not in ("studio", "artist")}
    brief = say(quiet, "artist_brief", "lead-1", **params)
    assert brief.startswith("🔔") and "— Mara" not in brief


# -- check_studio ------------------------------------------------------------------------


def test_B30_unknown_copy_keys_are_fine() -> None:
    assert check_studio(with_copy("our_own_note", "anything {goes} here")) == []


def test_B30_missing_and_empty_keys_are_problems() -> None:
    kept = {k: v for k, v in DEMO.copy.items() if k != "rejected"}
    gone = msgspec.structs.replace(DEMO, copy=kept)
    assert problems(gone) == {("copy.rejected", "missing: every copy key needs at least one text")}
    assert problems(with_copy("rejected")) == problems(gone)


BRACE_HINT = " (write {{ or }} for a brace)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hi {nmae}", "unknown placeholder {nmae} (offered: artist, name, studio)"),
        ("Hi {name", "broken braces: expected '}' before end of string" + BRACE_HINT),
        ("Hi name}", "broken braces: Single '}' encountered in format string" + BRACE_HINT),
        ("Hi {}", "placeholder {} must be a plain name like {name}"),
        ("Hi {0}", "placeholder {0} must be a plain name like {name}"),
        ("Hi {name!r}", "placeholder {name!r} must be a plain name like {name}"),
        ("Hi {name:>9}", "placeholder {name:>9} must be a plain name like {name}"),
        ("Hi {name.upper}", "placeholder {name.upper} must be a plain name like {name}"),
        ("   ", "empty text"),
    ],
)
def test_B30_bad_placeholders_are_problems(text: str, message: str) -> None:
    assert problems(with_copy("welcome", "Hello!", text)) == {("copy.welcome[1]", message)}


def test_B30_literal_braces_are_fine() -> None:
    assert check_studio(with_copy("welcome", "Hi {{friend}}")) == []


def test_B30_required_placeholders_must_be_used() -> None:
    assert problems(with_copy("slot_booked", "Booked!")) == {
        ("copy.slot_booked[0]", "missing required placeholder {when}")
    }


def test_B30_texts_over_the_provider_limit_are_problems() -> None:
    assert problems(with_copy("rejected", "x" * (MAX_TEXT + 1))) == {
        ("copy.rejected[0]", f"{MAX_TEXT + 1} characters, over the limit of {MAX_TEXT}")
    }
    signed = msgspec.structs.replace(DEMO, voice=Voice(sign_off="— Inkwell ✒️"))
    room = MAX_TEXT - len(signed.voice.sign_off) - 1
    signed_copy = {**signed.copy, "rejected": ("x" * room,)}
    assert check_studio(msgspec.structs.replace(signed, copy=signed_copy)) == []
    over = {**signed.copy, "rejected": ("x" * MAX_TEXT,)}
    assert problems(msgspec.structs.replace(signed, copy=over)) == {
        ("copy.rejected[0]", f"over {MAX_TEXT} characters with the voice's sign_off")
    }
    assert check_studio(with_copy("artist_message", "{text}" + "x" * 4000)) == []  # never voiced


def test_B31_button_titles_fit_whatsapp() -> None:
    assert problems(with_copy("button_change", "I would like to change something")) == {
        ("copy.button_change[0]", "a button allows 20 characters")
    }


def test_B30_question_set_problems() -> None:
    qs = (
        Question(key="idea", label="Idea", text="Idea?"),
        Question(key="idea", label="Again", text="Idea again?", kind="shoe_size"),
    )
    studio = msgspec.structs.replace(DEMO, questions=qs, confirm_before="name")
    assert problems(studio) == {
        ("questions[1].key", "empty or duplicate key 'idea'"),
        ("questions[1].kind", f"unknown kind 'shoe_size' ({', '.join(sorted(ANSWER_KINDS))})"),
        ("confirm_before", "no question has the key 'name'"),
    }
    fixed = msgspec.structs.replace(studio, questions=qs[:1], confirm_before=None)
    assert check_studio(fixed) == []


def test_B28_template_params_must_be_offered_placeholders() -> None:
    templates = {
        "slot_booked": TemplateRef(name="booked", params=("when", "price")),
        "slot_bookd": TemplateRef(name="typo"),
    }
    assert problems(msgspec.structs.replace(DEMO, templates=templates)) == {
        (
            "templates.slot_booked.params[1]",
            "unknown placeholder 'price' (offered: artist, name, studio, when)",
        ),
        ("templates.slot_bookd", "unknown intent: name templates by copy key"),
    }


def test_B30_currency_and_limits_must_be_sane() -> None:
    limits = Limits(
        max_parse_failures=0,
        handover_hold_cooldown=timedelta(0),
        max_slots=11,
        session_minutes={"small": -5},
    )
    studio = msgspec.structs.replace(DEMO, currency="gbp", limits=limits, min_budget=-1)
    assert problems(studio) == {
        ("currency", "expected an ISO 4217 code like GBP, got 'gbp'"),
        ("limits.max_parse_failures", "must be positive"),
        ("limits.handover_hold_cooldown", "must be positive"),
        ("limits.session_minutes.small", "must be positive"),
        ("limits.max_slots", "at most 10 slots fit in one list (B-35)"),
        ("min_budget", "must not be negative"),
    }


def test_B30_problem_is_a_plain_value() -> None:
    assert Problem("copy.welcome", "x") == Problem(path="copy.welcome", message="x")
