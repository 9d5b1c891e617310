"""B-42 over Twilio: X-Twilio-Signature with the official validator (PROVIDERS.md C)."""

from __future__ import annotations

import pytest

from adapters.twilio import parse_form, sign, verify_signature

from ._samples import AUTH_TOKEN, SIGNATURE, URL, inbound_body


def test_B42_the_recorded_vector_verifies() -> None:
    params = parse_form(inbound_body())

    assert sign(AUTH_TOKEN, URL, params) == SIGNATURE
    assert verify_signature(AUTH_TOKEN, URL, params, SIGNATURE)


@pytest.mark.parametrize(
    "change",
    [
        {"Body": "Hi! I'd love a big dragon instead"},  # a tampered field
        {"Extra": "added"},  # a field added on the way
    ],
)
def test_B42_a_changed_body_does_not_verify(change: dict[str, str]) -> None:
    params = {**parse_form(inbound_body()), **change}

    assert not verify_signature(AUTH_TOKEN, URL, params, SIGNATURE)


@pytest.mark.parametrize(
    "url",
    [
        "http://ink.example-studio.com/webhooks/twilio",  # what a TLS-offloading proxy hands on
        "https://ink.example-studio.com/webhooks/twilio/status",
        "https://other.example.com/webhooks/twilio",
    ],
)
def test_B42_the_signature_binds_the_public_url(url: str) -> None:
    assert not verify_signature(AUTH_TOKEN, url, parse_form(inbound_body()), SIGNATURE)


def test_B42_the_default_port_may_be_signed_or_not() -> None:
    params = parse_form(inbound_body())

    assert verify_signature(AUTH_TOKEN, "https://ink.example-studio.com:443/webhooks/twilio",
                            params, SIGNATURE)


@pytest.mark.parametrize("header", [None, "", "   ", "rzAGv2M/JfXm9CHCdsQCO7FT57Ma", "x"])
def test_B42_missing_or_wrong_headers_are_refused(header: str | None) -> None:
    assert not verify_signature(AUTH_TOKEN, URL, parse_form(inbound_body()), header)


def test_B42_an_unconfigured_token_accepts_nothing() -> None:
    params = parse_form(inbound_body())

    assert not verify_signature("", URL, params, sign("", URL, params))
    assert not verify_signature("wrong_token", URL, params, SIGNATURE)
