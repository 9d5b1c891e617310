"""The WhatsApp Cloud API webhook body as Meta sends it (PROVIDERS.md A3), as msgspec Structs.

Unknown fields are ignored and every field Meta may leave out is optional, so new
fields, new message types and the 2026 business-scoped user ids (no ``from``, no
``wa_id``) decode without a change here.

The envelope holds each message, status, contact and error as ``msgspec.Raw``: the
decoder reads the envelope in one pass, then decodes every item on its own with a
typed decoder, so one odd item is reported and skipped instead of costing the
other 999 updates of a batch (B-45).
"""

from __future__ import annotations

import msgspec

# -- envelope ---------------------------------------------------------------------------


class Metadata(msgspec.Struct):
    phone_number_id: str | None = None
    display_phone_number: str | None = None


class Value(msgspec.Struct):
    messaging_product: str | None = None
    metadata: Metadata | None = None
    contacts: list[msgspec.Raw] = []
    messages: list[msgspec.Raw] = []
    statuses: list[msgspec.Raw] = []
    errors: list[msgspec.Raw] = []


class Change(msgspec.Struct):
    field: str | None = None
    value: msgspec.Raw = msgspec.Raw()  # empty when absent; decoded per change


class Entry(msgspec.Struct):
    id: str | None = None
    changes: list[Change] = []


class Envelope(msgspec.Struct):
    entry: list[Entry]
    object: str | None = None


# -- contacts ---------------------------------------------------------------------------


class Profile(msgspec.Struct):
    name: str | None = None


class Contact(msgspec.Struct):
    profile: Profile | None = None
    wa_id: str | None = None
    user_id: str | None = None


# -- errors (value.errors, statuses[].errors, messages[].errors, error responses) -------


class ErrorData(msgspec.Struct):
    details: str | None = None


class WireError(msgspec.Struct):
    code: int | None = None
    title: str | None = None
    message: str | None = None
    error_data: ErrorData | None = None

    def describe(self) -> str:
        """``(131047) Re-engagement message: More than 24 hours...`` without the Nones."""
        title = self.title or self.message or "error"
        details = self.error_data.details if self.error_data else None
        text = f"{title}: {details}" if details and details != title else title
        return f"({self.code}) {text}" if self.code is not None else text


# -- messages ---------------------------------------------------------------------------


class TextBody(msgspec.Struct):
    body: str | None = None


class Reply(msgspec.Struct):
    """``button_reply`` or ``list_reply``: the id we sent and the title the client saw."""

    id: str | None = None
    title: str | None = None
    description: str | None = None


class Interactive(msgspec.Struct):
    type: str | None = None
    button_reply: Reply | None = None
    list_reply: Reply | None = None


class QuickReply(msgspec.Struct):
    """A template quick-reply tap (``type: "button"``)."""

    payload: str | None = None
    text: str | None = None


class MediaObject(msgspec.Struct):
    """image, document, video, audio and sticker share this shape."""

    id: str | None = None
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    url: str | None = None
    filename: str | None = None


class Location(msgspec.Struct):
    latitude: float | None = None
    longitude: float | None = None
    name: str | None = None
    address: str | None = None


class Reaction(msgspec.Struct):
    message_id: str | None = None
    emoji: str | None = None


class Message(msgspec.Struct):
    id: str | None = None
    type: str | None = None
    timestamp: str | int | None = None  # Meta sends a string of Unix seconds
    from_: str | None = msgspec.field(default=None, name="from")
    from_user_id: str | None = None
    text: TextBody | None = None
    interactive: Interactive | None = None
    button: QuickReply | None = None
    image: MediaObject | None = None
    document: MediaObject | None = None
    video: MediaObject | None = None
    audio: MediaObject | None = None
    sticker: MediaObject | None = None
    location: Location | None = None
    reaction: Reaction | None = None
    contacts: list[msgspec.Raw] | None = None  # shared contact cards: recorded, not read
    # Nothing reads the reply context; a wrong shape in it must not cost the message.
    context: msgspec.Raw = msgspec.Raw()  # empty when absent
    errors: list[WireError] | None = None


# -- statuses ---------------------------------------------------------------------------


class Status(msgspec.Struct):
    id: str | None = None
    status: str | None = None
    timestamp: str | int | None = None
    recipient_id: str | None = None
    errors: list[WireError] | None = None


# -- decoders, built once ---------------------------------------------------------------

ENVELOPE = msgspec.json.Decoder(Envelope)
VALUE = msgspec.json.Decoder(Value)
CONTACT = msgspec.json.Decoder(Contact)
MESSAGE = msgspec.json.Decoder(Message)
STATUS = msgspec.json.Decoder(Status)
ERROR = msgspec.json.Decoder(WireError)
