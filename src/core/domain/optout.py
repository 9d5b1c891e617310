"""After STOP, nothing automated reaches the client but the confirmation (B-8).

Three places enforce it, each on its own: the STOP decision cancels what is queued
(same transaction), the relay re-reads the opt-out when it claims, and a delivery
report never resends a template to an opted-out client. A message a relay already
handed to the provider at the instant of STOP cannot be recalled.
"""

from __future__ import annotations

from core.domain.outbound import CLIENT, Outgoing
from core.domain.status import Status

# The purposes (copy keys) that may still go to a client who opted out.
AFTER_OPTOUT = frozenset({"optout_confirm"})
CANCEL_REASON = "client_opted_out"


def opted_out(status: str) -> bool:
    return status == Status.OPTOUT


def may_send(message: Outgoing, client_opted_out: bool) -> bool:
    """Whether ``message`` may be sent now: artists always, opted-out clients only AFTER_OPTOUT."""
    return message.audience != CLIENT or not client_opted_out or message.purpose in AFTER_OPTOUT
