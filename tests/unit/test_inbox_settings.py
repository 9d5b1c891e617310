"""The inbox's settings (issue 14): defaults, durations, and one line naming a wrong one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from entrypoints.settings import SettingsError, load_settings


def test_inbox_defaults_and_secure_cookies_follow_the_public_url() -> None:
    plain = load_settings(env={})
    https = load_settings(env={"INKBOOK_PUBLIC_URL": "https://inbox.example"})

    assert plain.inbox_session == timedelta(hours=12)
    assert plain.inbox_login_free_attempts == 5
    assert plain.inbox_poll == timedelta(seconds=1)
    assert plain.secure_cookies is False and https.secure_cookies is True


def test_inbox_durations_are_read_like_the_others() -> None:
    settings = load_settings(env={"INKBOOK_INBOX_SESSION": "30m", "INKBOOK_INBOX_POLL": "0.5s",
                                  "INKBOOK_INBOX_LOGIN_FREE_ATTEMPTS": "3"})

    assert settings.inbox_session == timedelta(minutes=30)
    assert settings.inbox_poll == timedelta(seconds=0.5)
    assert settings.inbox_login_free_attempts == 3


@pytest.mark.parametrize(
    ("name", "value"),
    [("INKBOOK_INBOX_SESSION", "forever"), ("INKBOOK_INBOX_LOGIN_FREE_ATTEMPTS", "five"),
     ("INKBOOK_INBOX_LOGIN_DELAY", "0s"), ("INKBOOK_INBOX_POLL", "-1")],
)
def test_a_wrong_inbox_setting_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name}: "):
        load_settings(env={name: value})
