"""B-42: the Meta webhook is authentic only with the app secret's HMAC of the raw body."""

from __future__ import annotations

import json

import pytest

from adapters.meta import handshake, sign, verify_signature

from ._payloads import APP_SECRET, body, meta_names, signatures

NAMES = meta_names()


def test_every_meta_sample_has_a_signature_vector() -> None:
    assert NAMES
    assert sorted(signatures()) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_b42_sample_verifies_with_its_vector(name: str) -> None:
    assert sign(APP_SECRET, body(name)) == signatures()[name]
    assert verify_signature(APP_SECRET, body(name), signatures()[name])


@pytest.mark.parametrize("name", NAMES)
def test_b42_sample_is_rejected_with_a_wrong_secret(name: str) -> None:
    assert not verify_signature("another_app_secret", body(name), signatures()[name])


@pytest.mark.parametrize("name", NAMES)
def test_b42_a_flipped_byte_is_rejected(name: str) -> None:
    raw = bytearray(body(name))
    raw[len(raw) // 2] ^= 0x01
    assert not verify_signature(APP_SECRET, bytes(raw), signatures()[name])


@pytest.mark.parametrize("name", NAMES)
def test_b42_missing_or_empty_header_is_rejected(name: str) -> None:
    assert not verify_signature(APP_SECRET, body(name), None)
    assert not verify_signature(APP_SECRET, body(name), "")


@pytest.mark.parametrize("name", NAMES)
def test_b42_header_without_the_sha256_prefix_is_rejected(name: str) -> None:
    bare_hex = signatures()[name].removeprefix("sha256=")
    assert not verify_signature(APP_SECRET, body(name), bare_hex)


@pytest.mark.parametrize(
    "header",
    [
        "sha256=",
        "sha1=" + "0" * 64,
        "sha256=" + "0" * 63,
        "sha256=" + "0" * 65,
        "sha256=" + "g" * 64,
        "sha256=" + "é" * 64,
        "sha256 " + "0" * 64,
        "=",
    ],
)
def test_b42_malformed_headers_are_rejected_not_raised(header: str) -> None:
    assert not verify_signature(APP_SECRET, body(NAMES[0]), header)


def test_b42_header_case_and_surrounding_space_are_tolerated() -> None:
    name = NAMES[0]
    header = " " + signatures()[name].upper().replace("SHA256=", "sha256=") + " "
    assert verify_signature(APP_SECRET, body(name), header)


def test_b42_an_empty_app_secret_never_verifies() -> None:
    raw = body(NAMES[0])
    assert not verify_signature("", raw, sign("", raw))


def test_b42_reserialised_json_fails_verification() -> None:
    """The \\u00eb pitfall (PROVIDERS A2): Meta signs the escaped bytes, hash what arrived."""
    raw = body("meta_text.json")
    assert b"\\u00eb" in raw
    for reserialised in (
        json.dumps(json.loads(raw), ensure_ascii=False).encode(),
        json.dumps(json.loads(raw)).encode(),
    ):
        assert reserialised != raw
        assert not verify_signature(APP_SECRET, reserialised, signatures()["meta_text.json"])


# -- B-42: the verification handshake (PROVIDERS A1) --------------------------------------

CHALLENGE = "1158201444"


def _params(token: str | None, challenge: str | None = CHALLENGE) -> dict[str, str]:
    params = {"hub.mode": "subscribe"}
    if token is not None:
        params["hub.verify_token"] = token
    if challenge is not None:
        params["hub.challenge"] = challenge
    return params


def test_b42_handshake_echoes_the_raw_challenge_for_the_right_token() -> None:
    assert handshake(_params("my-verify-token"), "my-verify-token") == CHALLENGE
    odd = "a random string ü &=?"
    assert handshake(_params("t", odd), "t") == odd


@pytest.mark.parametrize("token", ["wrong", "", "my-verify-token ", "MY-VERIFY-TOKEN"])
def test_b42_handshake_refuses_a_wrong_token(token: str) -> None:
    assert handshake(_params(token), "my-verify-token") is None


def test_b42_handshake_refuses_a_missing_token_or_challenge() -> None:
    assert handshake(_params(None), "my-verify-token") is None
    assert handshake(_params("my-verify-token", None), "my-verify-token") is None
    assert handshake({}, "my-verify-token") is None


@pytest.mark.parametrize("configured", [None, ""])
def test_b42_handshake_refuses_everything_without_a_configured_token(
    configured: str | None,
) -> None:
    assert handshake(_params(""), configured) is None
    assert handshake(_params("anything"), configured) is None


def test_b42_handshake_survives_lone_surrogates_in_the_query() -> None:
    assert handshake(_params("\udcff"), "my-verify-token") is None
