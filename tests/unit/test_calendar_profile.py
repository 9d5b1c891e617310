"""The profile's ``calendar:`` block and slot rules (issue 9, B-35 to B-37), and the
calendars the container builds from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.calendar import CalDavCalendar
from adapters.memory import MemoryCalendar
from adapters.profile import ProfileError, load_studio
from adapters.system.clock import SystemClock
from entrypoints import cli
from entrypoints.calendars import build_calendars, check_calendar_passwords
from entrypoints.container import build_container
from entrypoints.settings import SettingsError, load_settings

MINIMAL = Path(__file__).parent / "fixtures" / "minimal_studio.yaml"
CALDAV = (
    "calendar:\n  kind: caldav\n  url: https://caldav.example.test/dav/\n"
    "  username: jo@example.test\n  password_env: TINY_CALDAV_PASSWORD\n  calendar: Work\n"
)


def profile(tmp_path: Path, calendar: str) -> Path:
    text = MINIMAL.read_text().replace("calendar: {kind: hours}  # issue 9\n", calendar)
    path = tmp_path / "tiny.yaml"
    path.write_text(text)
    return path


def test_B35_the_minimal_profile_reads_the_slot_rules_and_defaults_the_rest() -> None:
    studio = load_studio(MINIMAL)
    assert studio.calendar.kind == "hours"
    assert studio.limits.buffer == timedelta(0)  # zero is allowed for the buffer...
    assert studio.limits.min_lead_time == timedelta(hours=2)
    assert studio.limits.horizon_days == 60  # ...and the others have defaults
    assert studio.limits.slot_step == timedelta(minutes=15)
    assert studio.address is None


def test_B37_a_caldav_block_is_read_whole(tmp_path: Path) -> None:
    studio = load_studio(profile(tmp_path, CALDAV))
    choice = studio.calendar
    assert (choice.kind, choice.url, choice.username) == (
        "caldav",
        "https://caldav.example.test/dav/",
        "jo@example.test",
    )
    assert (choice.password_env, choice.calendar) == ("TINY_CALDAV_PASSWORD", "Work")


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("calendar: {kind: google}\n", r"tiny\.yaml:\d+: calendar\.kind: expected one of hours"),
        ("calendar: {kind: caldav}\n", r"calendar\.url: needed for a caldav calendar"),
        (
            "calendar: {kind: caldav, url: caldav.example.test, username: jo, password_env: P}\n",
            r"calendar\.url: expected an http\(s\):// URL",
        ),
        (
            "calendar: {kind: caldav, url: 'https://x.test', username: jo, password_env: 'a b'}\n",
            r"calendar\.password_env: expected an environment variable name",
        ),
        ("calendar: {kind: hours, pasword_env: X}\n", r"calendar\.pasword_env: unknown field"),
    ],
)
def test_B37_a_wrong_calendar_block_names_file_line_and_field(
    tmp_path: Path, block: str, expected: str
) -> None:
    with pytest.raises(ProfileError, match=expected):
        load_studio(profile(tmp_path, block))


def test_B35_a_zero_horizon_is_refused(tmp_path: Path) -> None:
    path = profile(tmp_path, "calendar: {kind: hours}\n")
    path.write_text(path.read_text().replace("  buffer: 0", "  buffer: 0\n  horizon_days: 0"))
    with pytest.raises(ProfileError, match=r"limits\.horizon_days: must be positive"):
        load_studio(path)


async def test_B35_the_container_gives_each_studio_its_calendar(studio: object) -> None:
    settings = load_settings(env={"INKBOOK_DATABASE_URL": "memory://"})
    container = build_container(settings)
    calendar = container.calendars().of("demo")
    assert isinstance(calendar, MemoryCalendar)
    tuesday = datetime(2026, 3, 3, tzinfo=UTC)
    slots = await calendar.free_slots(
        "demo", tuesday, tuesday + timedelta(days=1), timedelta(hours=2), 3
    )
    assert [s.start.hour for s in slots] == [11, 13, 16]  # 11:00, then 2 h + 30 min buffer
    assert container.calendars().of("elsewhere") is None


def test_B37_a_caldav_studio_gets_its_password_from_the_named_variable(tmp_path: Path) -> None:
    studio = load_studio(profile(tmp_path, CALDAV))
    secrets = {"TINY_CALDAV_PASSWORD": "s3cret"}
    calendars = build_calendars([studio], None, "memory://", secrets, SystemClock())
    assert isinstance(calendars.of("tiny"), CalDavCalendar)
    none = load_studio(profile(tmp_path, "calendar: {kind: none}\n"))
    assert build_calendars([none], None, "memory://", {}, SystemClock()).of("tiny") is None


def test_B37_an_unset_caldav_password_stops_startup_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    studio = load_studio(profile(tmp_path, CALDAV))
    with pytest.raises(SettingsError, match=r"^TINY_CALDAV_PASSWORD: not set"):
        check_calendar_passwords([studio], {"TINY_CALDAV_PASSWORD": "  "})
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("INKBOOK_PROFILE", str(tmp_path / "tiny.yaml"))
    monkeypatch.setenv("INKBOOK_DATABASE_URL", "memory://")
    monkeypatch.delenv("TINY_CALDAV_PASSWORD", raising=False)
    assert cli.main(["migrate"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("inkbook: TINY_CALDAV_PASSWORD: not set") and "\n" not in error
