"""INKBOOK_PAYMENTS=stripe and per-studio Stripe accounts (issue 8; B-46): a wrong setting
stops startup with one line naming the variable; the container builds the chosen adapter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.memory import FakePayments
from adapters.profile import ProfileError, load_studio
from adapters.stripe import StripePayments
from entrypoints import cli
from entrypoints.container import build_container
from entrypoints.settings import SettingsError, load_settings
from ports.payments import DepositRequest, InvalidSignature, PaymentsUnavailable
from tests.fakes.stripe_api import FakeStripeApi, sign

MINIMAL = Path(__file__).parent / "fixtures" / "minimal_studio.yaml"
NOW = datetime.now(UTC)  # the container runs on the system clock
STRIPE = {
    "INKBOOK_DATABASE_URL": "memory://",
    "INKBOOK_PAYMENTS": "stripe",
    "INKBOOK_STRIPE_API_KEY": "sk_test_global",
    "INKBOOK_STRIPE_WEBHOOK_SECRET": "whsec_global",
}
BODY = (
    b'{"id": "evt_1", "object": "event", "type": "checkout.session.completed", "data": '
    b'{"object": {"id": "cs_test_1", "payment_status": "paid", "client_reference_id": "l1", '
    b'"metadata": {"lead_id": "l1", "studio": "tiny"}}}}'
)


def own_account(tmp_path: Path, api_key_env: str = "TINY_STRIPE_KEY") -> Path:
    profile = tmp_path / "tiny.yaml"
    text = MINIMAL.read_text()
    refs = f"stripe: {{api_key_env: {api_key_env}, webhook_secret_env: TINY_STRIPE_SECRET}}\n"
    profile.write_text(text.replace("currency: EUR\n", f"currency: EUR\n{refs}", 1))
    return profile


@pytest.fixture
def api() -> Iterator[FakeStripeApi]:
    api = FakeStripeApi({"sk_test_global", "sk_test_tiny"}, lambda: NOW).start()
    yield api
    api.stop()


@pytest.mark.parametrize(
    "change, variable",
    [
        ({"INKBOOK_STRIPE_API_KEY": ""}, "INKBOOK_STRIPE_API_KEY"),
        ({"INKBOOK_STRIPE_WEBHOOK_SECRET": " "}, "INKBOOK_STRIPE_WEBHOOK_SECRET"),
        ({"INKBOOK_STRIPE_API_KEY": "pk_test_publishable"}, "INKBOOK_STRIPE_API_KEY"),
        ({"INKBOOK_STRIPE_WEBHOOK_SECRET": "secret"}, "INKBOOK_STRIPE_WEBHOOK_SECRET"),
        (
            {"INKBOOK_STRIPE_WEBHOOK_SECRET": "whsec_a,whsec_b,whsec_c"},
            "INKBOOK_STRIPE_WEBHOOK_SECRET",
        ),
        ({"INKBOOK_STRIPE_API_BASE": "ftp://x"}, "INKBOOK_STRIPE_API_BASE"),
        ({"INKBOOK_STRIPE_TIMEOUT": "soon"}, "INKBOOK_STRIPE_TIMEOUT"),
        ({"INKBOOK_STRIPE_MAX_NETWORK_RETRIES": "-1"}, "INKBOOK_STRIPE_MAX_NETWORK_RETRIES"),
    ],
)
def test_a_wrong_stripe_setting_is_one_line_naming_the_variable(
    change: dict[str, str], variable: str
) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(env={**STRIPE, **change})
    assert str(error.value).startswith(f"{variable}: ") and "\n" not in str(error.value)


async def test_stripe_down_within_the_configured_timeout_and_retries(api: FakeStripeApi) -> None:
    env = {
        **STRIPE,
        "INKBOOK_STRIPE_API_BASE": api.url,
        "INKBOOK_STRIPE_TIMEOUT": "0.2s",
        "INKBOOK_STRIPE_MAX_NETWORK_RETRIES": "1",
    }
    payments = build_container(load_settings(env=env)).payments()
    api.outage = "hang"
    with pytest.raises(PaymentsUnavailable):
        await payments.create_checkout(deposit("tiny"))
    assert len(api.idempotency_keys) == 2  # one try and one retry, then it gives up
    await payments.aclose()


def test_two_webhook_secrets_during_a_roll() -> None:
    settings = load_settings(
        env={**STRIPE, "INKBOOK_STRIPE_WEBHOOK_SECRET": "whsec_new, whsec_old"}
    )
    assert settings.stripe_webhook_secrets == ("whsec_new", "whsec_old")


async def test_fake_payments_link_to_the_apps_own_pay_page() -> None:
    env = {"INKBOOK_DATABASE_URL": "memory://", "INKBOOK_PUBLIC_URL": "https://ink.example.test"}
    payments = build_container(load_settings(env=env)).payments()
    assert isinstance(payments, FakePayments)
    link = await payments.create_checkout(deposit("tiny"))
    assert link.url == f"https://ink.example.test/pay/{link.session_id}"


async def test_stripe_payments_use_the_global_account(api: FakeStripeApi) -> None:
    settings = load_settings(env={**STRIPE, "INKBOOK_STRIPE_API_BASE": api.url})
    payments = build_container(settings).payments()
    assert isinstance(payments, StripePayments)
    link = await payments.create_checkout(deposit("studio-a"))
    assert api.owner(link.session_id) == "sk_test_global"
    assert payments.decode_webhook(BODY, sign(BODY, "whsec_global", NOW), NOW).kind == "paid"
    await payments.aclose()


async def test_B46_a_studio_profile_names_its_own_stripe_variables(
    tmp_path: Path, api: FakeStripeApi
) -> None:
    env = {
        **STRIPE,
        "INKBOOK_STRIPE_API_BASE": api.url,
        "INKBOOK_PROFILE": str(own_account(tmp_path)),
        "TINY_STRIPE_KEY": "sk_test_tiny",
        "TINY_STRIPE_SECRET": "whsec_tiny",
    }
    payments = build_container(load_settings(env=env)).payments()
    link = await payments.create_checkout(deposit("tiny"))
    assert api.owner(link.session_id) == "sk_test_tiny"
    assert payments.decode_webhook(BODY, sign(BODY, "whsec_tiny", NOW), NOW).studio == "tiny"
    with pytest.raises(InvalidSignature):  # its secret replaces the global one
        payments.decode_webhook(BODY, sign(BODY, "whsec_other", NOW), NOW)
    await payments.aclose()


def test_B46_an_unset_variable_named_by_a_profile_stops_startup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {**STRIPE, "INKBOOK_PROFILE": str(own_account(tmp_path)), "TINY_STRIPE_SECRET": "whsec_t"}
    with pytest.raises(SettingsError, match=r"^TINY_STRIPE_KEY: not set \(studio 'tiny'"):
        build_container(load_settings(env=env)).payments()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TINY_STRIPE_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file here
    assert cli.main(["migrate"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("inkbook: TINY_STRIPE_KEY: not set")


def test_a_profile_names_variables_not_values(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"stripe\.api_key_env"):
        load_studio(own_account(tmp_path, api_key_env='"sk_test_pasted-by-mistake"'))


def deposit(studio: str) -> DepositRequest:
    return DepositRequest(
        lead_id="0f8fad5bd9cb469fa16570867728950e",
        studio=studio,
        amount=5000,
        currency="EUR",
        description="Deposit",
        attempt=1,
        expires_at=NOW + timedelta(hours=23),
        success_url="https://x.test/ok",
        cancel_url="https://x.test/no",
    )
