"""INKBOOK_MESSENGER as a comma list, Twilio's settings, one-line errors (CONTRACT.md)."""

from __future__ import annotations

import pytest

from entrypoints.container import build_container
from entrypoints.settings import DEV_TWILIO_AUTH_TOKEN, SettingsError, load_settings

META = {
    "INKBOOK_META_APP_SECRET": "s",
    "INKBOOK_META_VERIFY_TOKEN": "v",
    "INKBOOK_META_ACCESS_TOKEN": "t",
}
TWILIO = {"INKBOOK_TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "INKBOOK_TWILIO_AUTH_TOKEN": "tok"}


def test_meta_and_twilio_at_once_in_the_order_given() -> None:
    settings = load_settings(env={"INKBOOK_MESSENGER": " Twilio , meta ", **META, **TWILIO})

    assert settings.providers == ("twilio", "meta")
    container = build_container(settings)
    messengers = container.messengers()
    assert list(messengers) == ["twilio", "meta"]
    assert type(messengers["twilio"]).__name__ == "TwilioMessenger"
    assert type(messengers["meta"]).__name__ == "MetaMessenger"
    assert container.messenger() is messengers["twilio"]


def test_twilio_alone() -> None:
    settings = load_settings(env={"INKBOOK_MESSENGER": "twilio", **TWILIO})

    assert list(build_container(settings).messengers()) == ["twilio"]
    assert settings.meta_app_secret is None  # Meta webhooks refused: Meta is not enabled


def test_console_prints_for_every_provider_and_verifies_with_development_secrets() -> None:
    settings = load_settings(env={})
    messengers = build_container(settings).messengers()

    assert set(messengers) == {"meta", "twilio"}
    assert len({id(m) for m in messengers.values()}) == 1  # one console
    assert settings.twilio_auth_token == DEV_TWILIO_AUTH_TOKEN
    assert any("INKBOOK_TWILIO_AUTH_TOKEN is not set" in note for note in settings.warnings())


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"INKBOOK_MESSENGER": "twilio"},
         "INKBOOK_TWILIO_ACCOUNT_SID: required when twilio is selected"),
        ({"INKBOOK_MESSENGER": "twilio", "INKBOOK_TWILIO_ACCOUNT_SID": "AC1"},
         "INKBOOK_TWILIO_AUTH_TOKEN: required when twilio is selected"),
        ({"INKBOOK_MESSENGER": "meta,twilio", **META},
         "INKBOOK_TWILIO_ACCOUNT_SID: required when twilio is selected"),
        ({"INKBOOK_MESSENGER": "meta,sms", **META},
         "INKBOOK_MESSENGER: unknown value 'sms' (expected console, meta, twilio)"),
        ({"INKBOOK_MESSENGER": "meta,meta", **META},
         "INKBOOK_MESSENGER: 'meta,meta' names a provider twice"),
        ({"INKBOOK_MESSENGER": "console,twilio", **TWILIO},
         "INKBOOK_MESSENGER: console cannot be combined with other providers"),
        ({"INKBOOK_MESSENGER": ",", **TWILIO},
         "INKBOOK_MESSENGER: empty (expected console, meta, twilio)"),
        ({"INKBOOK_MESSENGER": "twilio", "INKBOOK_TWILIO_API_BASE": "ftp://x", **TWILIO},
         "INKBOOK_TWILIO_API_BASE: 'ftp://x' is not a valid URL (expected https, http)"),
    ],
)
def test_a_wrong_provider_setting_stops_startup_with_one_line(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(env=env)

    assert str(error.value) == message
    assert "\n" not in str(error.value)
