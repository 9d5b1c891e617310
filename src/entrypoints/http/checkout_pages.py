"""The test-mode checkout of ``INKBOOK_PAYMENTS=fake`` and the page clients return to.

``GET /pay/{session}`` shows the deposit and a "Pay deposit" button and changes
nothing; its POST completes the session through :class:`FakePayments` and the
payment use case a Stripe event uses (B-33). With real payments it is a 404.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_200_OK, HTTP_404_NOT_FOUND

from adapters.memory import lead_of
from core.domain import copy
from core.domain.lead import Lead
from core.domain.payments import PAYABLE
from core.domain.studios import UnknownStudio
from core.usecases.payments import DUPLICATE, PROCESSED

from .pages import message, money_text, not_found, read_lead

FAKE_ACTOR = "fake_checkout"


class CheckoutPagesController(Controller):
    include_in_schema = False

    @get("/pay/{session:str}")
    async def checkout(self, state: State, session: FromPath[str]) -> Template:
        """The test-mode checkout page: shows the deposit, changes nothing."""
        lead = await _fake_session_lead(state, session)
        if lead is None:
            return not_found()
        return _pay_page(state.container, lead, note="")

    @post("/pay/{session:str}", status_code=HTTP_200_OK)
    async def pay(self, state: State, session: FromPath[str]) -> Template:
        """"Pay deposit": the fake provider completes the session, the payment use case acts."""
        lead = await _fake_session_lead(state, session)
        if lead is None:
            return not_found()
        container = state.container
        event = container.payments().complete(session)
        outcome = await container.handle_payment()(event, actor=FAKE_ACTOR)
        lead = await read_lead(container, lead.id) or lead
        notes = {PROCESSED: "Payment received.", DUPLICATE: "This deposit was paid already."}
        return _pay_page(container, lead, note=notes.get(outcome.result, outcome.reason or ""))

    @get("/paid/{studio_id:str}")
    async def returned(self, state: State, studio_id: FromPath[str]) -> Template:
        """Where the client lands after checkout (paid or not)."""
        try:
            studio = state.container.studios().get(studio_id)
        except UnknownStudio:
            return message("Not found", "There is no such studio.", HTTP_404_NOT_FOUND)
        text = copy.say(studio, "checkout_return", studio_id)
        return Template(
            template_name="pages/paid.html", context={"studio": studio.name, "text": text}
        )


async def _fake_session_lead(state: State, session: str) -> Lead | None:
    """The lead whose current fake checkout this is; None with real payments (404)."""
    if state.settings.payments != "fake":
        return None
    lead_id = lead_of(session)
    if lead_id is None:
        return None
    lead = await read_lead(state.container, lead_id)
    if lead is None or lead.deposit is None or lead.deposit.session_id != session:
        return None
    return lead


def _pay_page(container: Any, lead: Lead, note: str) -> Template:
    deposit = lead.deposit
    assert deposit is not None
    try:
        studio = container.studios().get(lead.studio)
        name, description = studio.name, copy.say(studio, "deposit_line_item", lead.id)
    except UnknownStudio:
        name, description = lead.studio, ""
    paid = deposit.paid_at is not None
    context = {
        "studio": name,
        "description": description,
        "amount": money_text(container, lead, deposit.amount, deposit.currency),
        "paid": paid,
        "payable": not paid and lead.status in PAYABLE,
        "note": note,
    }
    return Template(template_name="pages/pay.html", context=context)
