"""WhatsApp Cloud API adapter: webhook signature and handshake, decoder, Messenger."""

from .decode import Batch, MalformedPayload, decode_webhook
from .messenger import MetaMessenger
from .signature import handshake, sign, verify_signature

__all__ = [
    "Batch",
    "MalformedPayload",
    "MetaMessenger",
    "decode_webhook",
    "handshake",
    "sign",
    "verify_signature",
]
