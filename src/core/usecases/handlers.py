"""Every way into the core, at a glance: each kind of trigger and the use case it goes to.

Like cosmicpython's ``COMMAND_HANDLERS``: the container builds these use cases,
the entrypoints (webhooks, admin API, one-tap links, the chat, the relay) call
them. Each is the same few lines: dedupe where the trigger has an id, lock the
lead, decide (a pure function next to ``decide``), apply, commit with the outbox.
"""

from __future__ import annotations

from core.domain.actions import Approve, Reject, Release, Reply, Resume
from core.domain.inbound import Inbound
from core.usecases.actions import ArtistActions
from core.usecases.delivery import RecordDeliveries
from core.usecases.inbound import HandleInbound
from core.usecases.links import OneTap
from core.usecases.payments import HandlePayment
from ports.messenger import DeliveryStatus
from ports.payments import PaymentEvent

# trigger -> (use case, pure decision function, dedupe key)
HANDLERS: dict[object, tuple[type, str, str]] = {
    Inbound: (HandleInbound, "decide", "<provider>:<message id>"),
    DeliveryStatus: (RecordDeliveries, "delivery_failed", "monotonic per message"),
    Approve: (ArtistActions, "decide_action", "idempotent by status"),
    Reject: (ArtistActions, "decide_action", "idempotent by status"),
    Resume: (ArtistActions, "decide_action", "idempotent by status"),
    Reply: (ArtistActions, "decide_action", "none: each reply is sent"),
    Release: (ArtistActions, "decide_action", "held messages released once"),
    "one-tap link": (OneTap, "decide_action", "link:<token hash>"),
    PaymentEvent: (
        HandlePayment,
        "decide_payment",
        "stripe:event:<id>, stripe:session:<id>:<kind>",
    ),
}
