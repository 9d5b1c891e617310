"""Twilio WhatsApp adapter: webhook signature, form decoder, Messenger (PROVIDERS.md C)."""

from .addresses import address, contact_of
from .decode import Batch, MalformedPayload, decode_message, decode_status, parse_form
from .media import TwilioMedia, is_twilio_media, media_id_of
from .messenger import TwilioMessenger
from .signature import sign, verify_signature
from .transport import AiohttpTwilioClient

__all__ = [
    "AiohttpTwilioClient",
    "Batch",
    "MalformedPayload",
    "TwilioMedia",
    "TwilioMessenger",
    "address",
    "contact_of",
    "decode_message",
    "decode_status",
    "is_twilio_media",
    "media_id_of",
    "parse_form",
    "sign",
    "verify_signature",
]
