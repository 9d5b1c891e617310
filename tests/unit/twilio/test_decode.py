"""Twilio form bodies to provider-neutral messages and statuses (B-7, B-31, PROVIDERS.md C)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.twilio import MalformedPayload, decode_message, decode_status, parse_form
from core.domain.inbound import Choice, LocationPin, Media, Text, Unsupported

from ._samples import CLIENT, SID, form, inbound_body

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
MEDIA = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME{}"


def test_B7_the_sample_is_one_text_from_the_client_to_the_studio_number() -> None:
    [received] = decode_message(parse_form(inbound_body()), NOW).messages

    assert received.message_id == SID
    assert received.contact == CLIENT  # the same contact form as Meta's wa_id: one lead
    assert received.channel == "+14155238886"  # the studio's twilio_sender
    assert received.provider == "twilio"
    assert received.name == "Zoë Müller"
    assert received.at == NOW  # Twilio sends no timestamp: the time of reception
    assert received.content == Text("Hi! I'd love a fine-line swallow on my forearm, about 10x12cm")


def test_B31_a_button_tap_is_the_choice_of_its_payload() -> None:
    values = form(body="Yes", ButtonPayload="tour_yes", ButtonText="Yes please")

    [received] = decode_message(values, NOW).messages

    assert received.content == Choice(id="tour_yes", title="Yes please")


def test_B7_each_image_is_one_reference_and_the_first_keeps_the_sid_and_caption() -> None:
    values = form(
        body="my reference",
        NumMedia="2",
        MediaUrl0=MEDIA.format("a1"),
        MediaContentType0="image/jpeg",
        MediaUrl1=MEDIA.format("b2"),
        MediaContentType1="image/png",
    )

    first, second = decode_message(values, NOW).messages

    assert first.message_id == SID and second.message_id == f"{SID}/1"
    assert first.content == Media(kind="image", media_id="MEa1", caption="my reference",
                                  mime_type="image/jpeg", url=MEDIA.format("a1"))
    assert second.content == Media(kind="image", media_id="MEb2", caption=None,
                                   mime_type="image/png", url=MEDIA.format("b2"))


def test_B7_one_odd_media_field_costs_that_item_only() -> None:
    values = form(
        body="", NumMedia="2", MediaUrl1=MEDIA.format("b2"), MediaContentType1="video/mp4"
    )

    batch = decode_message(values, NOW)

    assert [m.content for m in batch.messages] == [
        Media(kind="video", media_id="MEb2", mime_type="video/mp4", url=MEDIA.format("b2"))
    ]
    assert batch.errors == [f"{SID}: MediaUrl0 missing"]


def test_B7_a_bad_num_media_is_reported_and_the_text_kept() -> None:
    batch = decode_message(form(body="hello", NumMedia="lots"), NOW)

    assert [m.content for m in batch.messages] == [Text("hello")]
    assert batch.errors == [f"{SID}: NumMedia 'lots' is not a number, ignored"]


def test_B7_a_location_pin() -> None:
    values = form(body="", Latitude="51.5072", Longitude="-0.1276", Label="Studio", Address="Soho")

    [received] = decode_message(values, NOW).messages

    assert received.content == LocationPin(latitude=51.5072, longitude=-0.1276,
                                           name="Studio", address="Soho")


def test_B7_an_empty_message_of_an_unknown_kind_is_unsupported_not_lost() -> None:
    [received] = decode_message(form(body="", MessageType="reaction"), NOW).messages

    assert received.content == Unsupported(kind="reaction")


def test_unknown_fields_are_accepted() -> None:
    values = form(body="hi", BrandNewField="x", ChannelMetadata='{"type":"whatsapp"}')

    batch = decode_message(values, NOW)

    assert [m.content for m in batch.messages] == [Text("hi")]
    assert batch.errors == []


def test_the_contact_falls_back_to_wa_id() -> None:
    [received] = decode_message(form(From="whatsapp:+44 7911 123456"), NOW).messages

    assert received.contact == CLIENT


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_a_message_without_sid_or_sender_is_malformed(missing: str) -> None:
    values = form()
    del values[missing]

    with pytest.raises(MalformedPayload):
        decode_message(values, NOW)


def test_a_message_without_to_is_skipped_and_described() -> None:
    values = form()
    del values["To"]

    batch = decode_message(values, NOW)

    assert batch.messages == []
    assert batch.errors == [f"{SID}: skipped, no To to route it by"]


@pytest.mark.parametrize("body", [b"\xff\xfe", b"a=1&&&=", b"=novalue"])
def test_a_body_that_is_not_utf8_form_data_is_malformed(body: bytes) -> None:
    with pytest.raises(MalformedPayload):
        decode_message(parse_form(body), NOW)


# -- delivery statuses ---------------------------------------------------------------


def status(state: str, **fields: str) -> dict[str, str]:
    return {"MessageSid": SID, "MessageStatus": state, "To": f"whatsapp:+{CLIENT}",
            "AccountSid": "AC1", "ApiVersion": "2010-04-01", **fields}


@pytest.mark.parametrize("state", ["sent", "delivered", "read"])
def test_B27_progress_statuses(state: str) -> None:
    [report] = decode_status(status(state), NOW).statuses

    assert (report.provider_message_id, report.status, report.recipient) == (SID, state, CLIENT)
    assert report.failure is None


@pytest.mark.parametrize(
    ("state", "code", "failure"),
    [
        ("undelivered", "63016", "window_closed"),  # B-28: the template goes instead
        ("failed", "63018", "transient"),
        ("failed", "30005", "permanent"),
        ("failed", "", "permanent"),
    ],
)
def test_B27_B28_failed_and_undelivered_say_what_the_code_means(
    state: str, code: str, failure: str
) -> None:
    [report] = decode_status(status(state, ErrorCode=code, ErrorMessage="why"), NOW).statuses

    assert report.status == "failed"
    assert report.failure == failure
    assert report.error_code == (int(code) if code else None)


def test_queued_statuses_are_quietly_ignored_and_new_ones_described() -> None:
    assert decode_status(status("queued"), NOW).statuses == []
    batch = decode_status(status("teleported"), NOW)
    assert batch.statuses == []
    assert batch.errors == [f"{SID}: unknown MessageStatus 'teleported' ignored"]


def test_a_status_without_sid_is_malformed() -> None:
    with pytest.raises(MalformedPayload):
        decode_status({"MessageStatus": "sent"}, NOW)
