"""One-tap links (B-51) and the small page helpers the checkout pages share.

``GET /a/{token}`` shows the lead, the action and one button, and changes
nothing (link previews and mail scanners open links); ``POST /a/{token}`` does
it, once. The "open" link shows the lead read-only.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_400_BAD_REQUEST,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_410_GONE,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from core.domain.lead import Lead
from core.domain.links import EXPIRED, INVALID, VALID, Link
from core.domain.studios import UnknownStudio
from core.usecases.actions import ActionResult
from ports.lead_repo import LeadNotFound
from ports.payments import PaymentsError

EFFECTS = {
    "approve": "Approving sends the client the deposit link.",
    "reject": "Rejecting sends the client the studio's kind message.",
    "resume": "Resuming hands the conversation back to the assistant: it asks the current "
    "question again.",
    "erase": "Erasing removes the client's number, name, answers and messages for good; "
    "an anonymous record stays, and the client gets a confirmation.",
}
DONE = {
    "erase": "Erased: the client's personal data is gone.",
    "approve": "Approved: the deposit link is on its way to the client.",
    "reject": "Rejected: the client gets the studio's kind message.",
    "resume": "Resumed: the assistant asks the current question again.",
}
LINK_ERRORS = {
    INVALID: (
        HTTP_400_BAD_REQUEST,
        "This link is not valid",
        "It may have been cut short or changed.",
    ),
    EXPIRED: (HTTP_410_GONE, "This link has expired", "Use the admin API or the inbox instead."),
}


def message(title: str, text: str, status_code: int = HTTP_200_OK, status: str = "") -> Template:
    return Template(
        template_name="pages/message.html",
        context={"title": title, "text": text, "status": status},
        status_code=status_code,
    )


def not_found() -> Template:
    return message("Not found", "There is no such lead.", HTTP_404_NOT_FOUND)


def _answers(container: Any, lead: Lead) -> list[tuple[str, str]]:
    try:
        questions = container.studios().get(lead.studio).questions
    except UnknownStudio:
        return [(key, answer.text) for key, answer in lead.answers.items()]
    return [(q.label, lead.answers[q.key].text) for q in questions if q.key in lead.answers]


def money_text(container: Any, lead: Lead, amount: int, currency: str) -> str:
    try:
        locale = container.studios().get(lead.studio).locale
    except UnknownStudio:
        locale = "en_GB"
    formatted: str = container.formats().money(amount, currency, locale)
    return formatted


async def read_lead(container: Any, lead_id: str) -> Lead | None:
    record = await container.read_leads().record(lead_id)
    return record.lead if record is not None else None


async def _lead_page(container: Any, lead_id: str) -> Template:
    record = await container.read_leads().record(lead_id)
    if record is None:
        return not_found()
    lead, thread, transitions = record.lead, record.thread, record.transitions
    deposit = lead.deposit
    context = {
        "lead": lead,
        "studio": lead.studio,
        "answers": _answers(container, lead),
        "thread": thread,
        "transitions": transitions,
        "deposit": None
        if deposit is None
        else {
            "amount": money_text(container, lead, deposit.amount, deposit.currency),
            "paid": deposit.paid_at is not None,
            "url": deposit.checkout_url,
        },
    }
    return Template(template_name="pages/lead.html", context=context)


def _link_error(link: Link) -> Template:
    status_code, title, text = LINK_ERRORS.get(link.state, LINK_ERRORS[INVALID])
    return message(title, text, status_code)


def _after(link: Link, result: ActionResult) -> Template:
    if result.used:
        return message(
            "Already done", f"This {link.action} link was used before.", status=result.status
        )
    if result.refusal is not None:
        return message("Not possible now", result.refusal, HTTP_409_CONFLICT, result.status)
    if not result.changed:
        return message("Already done", "Nothing new was sent.", status=result.status)
    return message("Done", DONE.get(link.action, "Done."), status=result.status)


class OneTapController(Controller):
    path = "/a"
    include_in_schema = False

    @get("/{token:str}")
    async def show(self, state: State, token: FromPath[str]) -> Template:
        """What the link will do; changes nothing (B-51)."""
        container = state.container
        link = container.one_tap().read(token)
        if link.state != VALID:
            return _link_error(link)
        if link.action == "open":
            return await _lead_page(container, link.lead_id)
        lead = await read_lead(container, link.lead_id)
        if lead is None:
            return not_found()
        context = {
            "lead": lead,
            "action": link.action,
            "answers": _answers(container, lead),
            "effect": EFFECTS.get(link.action, ""),
        }
        return Template(template_name="pages/link.html", context=context)

    @post("/{token:str}", status_code=HTTP_200_OK)
    async def confirm(self, state: State, token: FromPath[str]) -> Template:
        """Do what the link says, once; a used link says it is done."""
        container = state.container
        try:
            link, result = await container.one_tap().confirm(token)
        except LeadNotFound:
            return not_found()
        except PaymentsError:
            text = "The payment provider is unavailable. Nothing changed: try again shortly."
            return message("Try again", text, HTTP_503_SERVICE_UNAVAILABLE)
        if link.state != VALID:
            return _link_error(link)
        if result is None:  # "open" has nothing to confirm
            return await _lead_page(container, link.lead_id)
        return _after(link, result)
