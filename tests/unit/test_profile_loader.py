"""Studio profiles from YAML: the demo, the fixtures, and errors naming file, line and field."""

from __future__ import annotations

import shutil
from datetime import time, timedelta
from pathlib import Path

import pytest

from adapters.profile import ProfileError, demo_profile_path, load_profiles, load_studio
from adapters.profile.durations import parse_duration
from core.domain.copy import KEYS
from core.domain.profile_checks import check_studio

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal_studio.yaml"
DEFAULT_QUESTIONS = [
    ("idea", "text"),
    ("placement", "text"),
    ("size", "dimensions"),
    ("style", "text"),
    ("complexity", "complexity"),
    ("coverup", "yesno"),
    ("reference_images", "media"),
    ("budget", "budget"),
    ("location", "location"),
    ("name", "name"),
    ("time_windows", "time_windows"),
]


def line_with(text: str, needle: str) -> int:
    """1-based number of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def broken(tmp_path: Path, old: str, new: str, name: str = "studio.yaml") -> tuple[Path, str]:
    """The minimal fixture with one edit, written to ``tmp_path``."""
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, text


def error_lines(path: Path) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        load_studio(path)
    return str(caught.value).splitlines()


# -- the bundled demo -----------------------------------------------------------


def test_B30_demo_profile_loads_and_passes_check_studio() -> None:
    studio = load_studio(demo_profile_path())
    assert check_studio(studio) == []
    assert set(KEYS) <= set(studio.copy)


def test_B30_demo_has_the_contract_question_set_in_order() -> None:
    studio = load_studio(demo_profile_path())
    assert [(q.key, q.kind) for q in studio.questions] == DEFAULT_QUESTIONS
    assert studio.confirm_before == "name"
    assert "none" in studio.questions[6].text


def test_B46_demo_studio_facts() -> None:
    studio = load_studio(demo_profile_path())
    assert (studio.id, studio.artist_name, studio.artist_number) == ("demo", "Mara", "447700900999")
    assert studio.meta_phone_number_id == "112233445566778"
    assert studio.twilio_sender == "+14155238886"
    assert (studio.timezone, studio.currency, studio.min_budget) == ("Europe/London", "GBP", 15000)
    assert (studio.home.city, studio.home.country, studio.area()) == ("London", "GB", ("GB",))
    assert {t.country for t in studio.tours} >= {"DE", "US"}
    assert all(t.starts.year == 2027 and t.starts <= t.ends for t in studio.tours)
    assert [d.day for d in studio.working_hours] == ["tue", "wed", "thu", "fri", "sat"]
    assert {(d.opens, d.closes) for d in studio.working_hours} == {(time(11), time(19))}
    assert studio.deposit.rules and studio.deposit.default_amount > 0


def test_B22_B38_demo_limits_are_the_spec_defaults() -> None:
    limits = load_studio(demo_profile_path()).limits
    assert limits.max_parse_failures == 3
    assert limits.handover_hold_cooldown == timedelta(hours=6)
    assert limits.max_slots == 8
    assert limits.retention == timedelta(days=365)
    assert limits.session_minutes["small"] > 0


def test_B28_demo_templates_cover_out_of_window_intents() -> None:
    templates = load_studio(demo_profile_path()).templates
    assert {"deposit_confirmed", "reminder", "slot_booked", "deposit_link"} <= set(templates)
    assert all(ref.params for ref in templates.values())


# -- YAML conveniences ------------------------------------------------------------


def test_B30_minimal_fixture_normalises_yaml_shortcuts() -> None:
    studio = load_studio(MINIMAL)
    assert check_studio(studio) == []
    assert studio.copy["welcome"] == ("Hi from {studio}!",)  # one string -> one variant
    assert studio.copy["button_yes"] == ("yes",)  # not the YAML 1.1 boolean
    assert studio.home.country == "NO" and studio.service_countries == ("NO",)  # not False
    assert studio.working_hours[0].opens == time(10)  # not base-60 600
    assert studio.working_hours[0].closes == time(18, 30)
    assert studio.limits.handover_hold_cooldown == timedelta(hours=6)  # ISO 8601
    assert studio.limits.reminder_after == timedelta(hours=4)  # seconds
    assert studio.limits.abandon_after == timedelta(days=2)
    assert studio.limits.max_parse_failures == 3  # default kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6h", timedelta(hours=6)),
        ("30m", timedelta(minutes=30)),
        ("2d", timedelta(days=2)),
        ("90s", timedelta(seconds=90)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("PT6H", timedelta(hours=6)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("21600", timedelta(hours=6)),
        ("2 days", timedelta(days=2)),
    ],
)
def test_B38_durations_accept_friendly_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "6", "6x", "h", "PT", "-5h", "six hours"])
def test_B38_durations_refuse_nonsense(text: str) -> None:
    if text == "6":  # a bare number is seconds
        assert parse_duration(text) == timedelta(seconds=6)
        return
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_B30_anchors_live_under_x_keys_and_merge_keys_work(tmp_path: Path) -> None:
    old = "templates:\n  reminder: {name: tiny_reminder, params: [studio]}"
    new = (
        "x-tpl: &tpl {name: tiny, language: en_GB}\n"
        "templates:\n  reminder: {<<: *tpl, params: [name]}"
    )
    path, _ = broken(tmp_path, old, new)
    ref = load_studio(path).templates["reminder"]
    assert (ref.name, ref.language, ref.params) == ("tiny", "en_GB", ("name",))


# -- errors name the file, the line and the field ---------------------------------


def test_B30_missing_copy_key_is_refused_at_load(tmp_path: Path) -> None:
    path, text = broken(tmp_path, '  slot_taken: "Taken, sorry."\n', "")
    assert error_lines(path) == [
        f"{path}:{line_with(text, 'copy:')}: copy.slot_taken: "
        "missing: every copy key needs at least one text"
    ]


def test_B30_unknown_placeholder_is_refused_at_load(tmp_path: Path) -> None:
    path, text = broken(tmp_path, 'welcome: "Hi from {studio}!"', 'welcome: ["Hi!", "Hi {nmae}!"]')
    assert error_lines(path) == [
        f"{path}:{line_with(text, 'welcome:')}: copy.welcome[1]: "
        "unknown placeholder {nmae} (offered: artist, name, studio)"
    ]


def test_B30_missing_required_placeholder_is_refused_at_load(tmp_path: Path) -> None:
    old = 'deposit_link: "Deposit {amount}: {url}"'
    path, text = broken(tmp_path, old, "deposit_link:\n    - Pay {amount}\n    - Pay at {url}")
    assert error_lines(path) == [
        f"{path}:{line_with(text, '- Pay {amount}')}: copy.deposit_link[0]: "
        "missing required placeholder {url}"
    ]


def test_B30_broken_braces_are_refused_at_load(tmp_path: Path) -> None:
    path, text = broken(tmp_path, '"Booked: {when}"', '"Booked: {when"')
    [line] = error_lines(path)
    assert line.startswith(f"{path}:{line_with(text, 'slot_booked:')}: copy.slot_booked[0]: ")
    assert "broken braces" in line


def test_B30_text_over_4096_characters_is_refused_at_load(tmp_path: Path) -> None:
    path, text = broken(tmp_path, '"Sorry, not this time."', '"' + "x" * 5000 + '"')
    assert error_lines(path) == [
        f"{path}:{line_with(text, 'rejected:')}: copy.rejected[0]: "
        "5000 characters, over the limit of 4096"
    ]


def test_B38_bad_duration_names_file_line_and_field(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "abandon_after: 2d", "abandon_after: 2 fortnights")
    [line] = error_lines(path)
    assert line.startswith(f"{path}:{line_with(text, 'abandon_after')}: limits.abandon_after: ")
    assert "not a duration: '2 fortnights'" in line


def test_B30_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "min_budget: 10000", "min_budget: lots")
    assert error_lines(path) == [
        f"{path}:{line_with(text, 'min_budget')}: min_budget: expected int, got str ('lots')"
    ]


def test_B30_every_decoding_problem_is_reported_at_once() -> None:
    path = FIXTURES / "broken_types.yaml"
    text = path.read_text(encoding="utf-8")
    assert error_lines(path) == [
        f"{path}:{line_with(text, 'min_budget')}: min_budget: expected int, got str ('lots')",
        f"{path}:{line_with(text, 'cooldown')}: limits.handover_hold_cooldown: not a duration: "
        "'6 fortnights' (e.g. 6h, 30m, 2d, 90s, 1h30m, PT6H or a number of seconds)",
        f"{path}:{line_with(text, 'max_parse_failure:')}: limits.max_parse_failure: "
        "unknown field (did you mean max_parse_failures?)",
    ]


def test_B30_question_problems_point_at_the_question(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "kind: dimensions", "kind: shoe_size")
    [line] = error_lines(path)
    assert line.startswith(f"{path}:{line_with(text, 'shoe_size')}: questions[1].kind: ")


def test_B30_missing_required_field_points_at_its_parent(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "home: {city: Oslo, country: NO}", "home: {city: Oslo}")
    line = line_with(text, "home:")
    assert error_lines(path) == [f"{path}:{line}: home.country: missing (required)"]


def test_B30_duplicate_yaml_keys_are_refused(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "currency: EUR", "currency: EUR\ncurrency: GBP")
    assert error_lines(path) == [
        f"{path}:{line_with(text, 'GBP')}: currency: "
        f"duplicate key (first at line {line_with(text, 'EUR')})"
    ]


def test_B30_malformed_yaml_names_file_and_line() -> None:
    path = FIXTURES / "broken_syntax.yaml"
    [line] = error_lines(path)
    assert line.startswith(f"{path}:5: invalid YAML: ")


def test_B30_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert error_lines(path) == [f"{path}: profile file not found"]
    with pytest.raises(ProfileError, match=r"nowhere\.yaml"):
        load_profiles(path)


def test_B30_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    path, text = broken(tmp_path, "currency: EUR", "currency: EUR\ntimezone: Mars/Olympus")
    [line] = error_lines(path)
    assert line.startswith(f"{path}:{line_with(text, 'Mars')}: timezone: unknown time zone")


# -- several studios (B-46) ------------------------------------------------------------


def test_B46_a_directory_of_two_profiles_loads_both(tmp_path: Path) -> None:
    shutil.copy(demo_profile_path(), tmp_path / "demo.yaml")
    shutil.copy(MINIMAL, tmp_path / "tiny.yml")
    (tmp_path / "notes.txt").write_text("not a profile")
    assert sorted(s.id for s in load_profiles(tmp_path)) == ["demo", "tiny"]


def test_B46_a_single_file_is_a_list_of_one() -> None:
    assert [s.id for s in load_profiles(MINIMAL)] == ["tiny"]


def test_B46_duplicate_studio_ids_are_refused(tmp_path: Path) -> None:
    shutil.copy(MINIMAL, tmp_path / "a.yaml")
    text = MINIMAL.read_text(encoding="utf-8").replace('"998877665544"', '"111111111111"')
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profiles(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'b.yaml'}:{line_with(text, 'id: tiny')}: id: "
        f"duplicate id 'tiny' (also in {tmp_path / 'a.yaml'}:{line_with(text, 'id: tiny')})"
    )


def test_B46_duplicate_phone_number_ids_are_refused(tmp_path: Path) -> None:
    shutil.copy(MINIMAL, tmp_path / "a.yaml")
    text = MINIMAL.read_text(encoding="utf-8").replace("id: tiny", "id: other")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"b\.yaml:\d+: meta_phone_number_id: duplicate"):
        load_profiles(tmp_path)


def test_B46_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no studio profiles"):
        load_profiles(tmp_path)
