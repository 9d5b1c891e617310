"""WhatsApp Cloud API adapter: webhook signature and handshake, decoder, Messenger."""

from .decode import Batch, MalformedPayload, decode_webhook
from .media import MetaMedia
from .messenger import MetaMessenger
from .signature import handshake, sign, verify_signature

__all__ = [
    "Batch",
    "MalformedPayload",
    "MetaMedia",
    "MetaMessenger",
    "decode_webhook",
    "handshake",
    "sign",
    "verify_signature",
]
