"""The inbox's small pieces: sessions, the sign-in throttle, the spreadsheet (B-43, issue 14)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from core.domain.lead import Answer, Deposit, Lead, Times
from entrypoints.http.inbox.sessions import SessionSigner
from entrypoints.http.inbox.throttle import LoginThrottle
from entrypoints.http.spreadsheet import leads_csv, neutral

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_B43_a_session_reads_back_until_it_expires() -> None:
    signer = SessionSigner(b"secret", timedelta(hours=1))
    session, cookie = signer.issue("mara@x.example", "demo", NOW)

    assert signer.read(cookie, NOW + timedelta(minutes=59)) == session
    assert signer.read(cookie, NOW + timedelta(minutes=61)) is None


def test_B43_a_session_signed_with_another_key_or_altered_is_refused() -> None:
    signer = SessionSigner(b"secret", timedelta(hours=1))
    _, cookie = SessionSigner(b"other", timedelta(hours=1)).issue("m@x.example", "demo", NOW)
    _, mine = signer.issue("m@x.example", "demo", NOW)
    payload, mac = mine.rsplit(".", 1)

    assert signer.read(cookie, NOW) is None
    assert signer.read(payload[:-1] + "A." + mac, NOW) is None
    for junk in ("", ".", "abc", "a.b.c", "%%%.###"):
        assert signer.read(junk, NOW) is None


def test_B43_each_session_has_its_own_csrf_token() -> None:
    signer = SessionSigner(b"secret", timedelta(hours=1))

    first, _ = signer.issue("m@x.example", "demo", NOW)
    second, _ = signer.issue("m@x.example", "demo", NOW)

    assert first.csrf != second.csrf and len(first.csrf) >= 24


def test_B43_failed_sign_ins_wait_longer_and_longer_per_email_and_address() -> None:
    throttle = LoginThrottle(free=3, delay=1.0, delay_max=8.0)
    keys = ("email:a", "address:1.2.3.4")
    for _ in range(3):
        assert throttle.retry_after(keys, NOW) == 0
        throttle.failed(keys, NOW)

    assert throttle.retry_after(keys, NOW) == 1.0
    assert throttle.retry_after(("email:a", "address:9.9.9.9"), NOW) == 1.0  # same email
    assert throttle.retry_after(("email:b", "address:1.2.3.4"), NOW) == 1.0  # same address
    assert throttle.retry_after(("email:b", "address:9.9.9.9"), NOW) == 0
    assert throttle.retry_after(keys, NOW + timedelta(seconds=1)) == 0
    for extra in (2.0, 4.0, 8.0, 8.0):
        throttle.failed(keys, NOW)
        assert throttle.retry_after(keys, NOW) == extra  # doubles, up to the maximum

    throttle.succeeded(keys)
    assert throttle.retry_after(keys, NOW) == 0


def test_B43_the_throttle_keeps_a_bounded_number_of_records() -> None:
    throttle = LoginThrottle(free=0, delay=1.0, delay_max=1.0, capacity=10)
    for i in range(100):
        throttle.failed((f"email:{i}",), NOW)

    assert throttle.retry_after(("email:0",), NOW) == 0  # dropped, oldest first
    assert throttle.retry_after(("email:99",), NOW) == 1.0


def _lead(**answers: object) -> Lead:
    return Lead(
        id="lead-1", studio="demo", contact="447911123456", name="Zoë", status="PENDING_APPROVAL",
        answers={
            key: Answer(key=key, text=str(text), message_id=f"m-{key}", at=NOW,
                        value=value)
            for key, (text, value) in answers.items()
        },
        deposit=Deposit(amount=5000, currency="GBP"),
        times=Times(created=NOW),
    )


def test_csv_has_a_bom_and_understood_values_as_columns_in_question_order() -> None:
    lead = _lead(
        budget=("£400-500", {"min": 40000, "max": 50000, "currency": "GBP"}),
        idea=("A swallow", {"text": "A swallow"}),
        coverup=("nah", {"answer": False}),
        size=("banana", None),
    )

    text = leads_csv([lead], ["idea", "size", "coverup", "budget"])

    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0])[-5:] == ["idea", "coverup", "budget.min", "budget.max",
                                  "budget.currency"]
    assert rows[0]["name"] == "Zoë"
    assert rows[0]["idea"] == "A swallow"
    assert rows[0]["coverup"] == "no"
    assert rows[0]["budget.min"] == "40000"
    assert rows[0]["deposit"] == "50.00 GBP" and rows[0]["deposit_paid"] == "no"
    assert "size" not in rows[0]  # answered but not understood: no value to show


def test_csv_neutralises_formulas_and_quotes_properly() -> None:
    lead = _lead(idea=('=HYPERLINK("http://x","y"), then\nmore', {"text": '=cmd|"x"'}))

    text = leads_csv([lead], ["idea"])
    [row] = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))

    assert row["idea"] == "'=cmd|\"x\""
    for risky in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutral(risky) == "'" + risky
    assert neutral("447911123456") == "447911123456"
    assert neutral(None) == ""
