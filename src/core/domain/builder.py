"""A small accumulator that turns one inbound message into a :class:`Decision`.

Flow code calls ``move``, ``tell``, ``notify_artist``, ``record`` ... on it and
``build()`` returns the frozen decision. It never sends or reads the clock: the
time is ``ctx.now``.
"""

from __future__ import annotations

from typing import Any

import msgspec

from core.domain import copy
from core.domain.decision import Context, Decision
from core.domain.events import Event
from core.domain.inbound import Inbound
from core.domain.keywords import keyword_in, normalise
from core.domain.lead import Answer, Lead, Times
from core.domain.numbered import offered_options
from core.domain.outbound import (
    ARTIST,
    CLIENT,
    Button,
    ButtonsIntent,
    Intent,
    Outgoing,
    TemplateIntent,
    TextIntent,
)
from core.domain.parsers import Failure
from core.domain.status import Transition, check_transition, known

replace = msgspec.structs.replace
_UNSEEN = ""  # never a keyword: a text not looked up yet


class Builder:
    def __init__(self, lead: Lead, ctx: Context, actor: str = "client"):
        self.lead = lead
        self.ctx = ctx
        self.studio: Any = ctx.studio
        self.actor = actor
        self.transitions: list[Transition] = []
        self.answers: list[Answer] = []
        self.outbound: list[Outgoing] = []
        self.events: list[Event] = []
        self._normalised: dict[str, str] = {}
        self._keywords: dict[str, str | None] = {}
        self._named: str | None = None
        self._first_name = ""

    # -- state ---------------------------------------------------------------
    def update(self, **changes: Any) -> None:
        self.lead = replace(self.lead, **changes)

    def stamp(self, **times: Any) -> None:
        self.lead = replace(self.lead, times=replace(self.lead.times, **times))

    def move(self, target: str, reason: str, actor: str | None = None) -> None:
        """The one way a status changes: checked against the table, audited (B-1)."""
        source = self.lead.status
        if known(source):
            check_transition(source, target)
        transition = Transition(
            source=source, target=target, reason=reason, actor=actor or self.actor, at=self.ctx.now
        )
        # The transitions table is the audit trail; no duplicate event is written.
        self.transitions.append(transition)
        self.lead = replace(self.lead, status=target)

    def record(
        self, key: str, text: str, inbound: Inbound, value: Any = None, media: tuple[str, ...] = ()
    ) -> Answer:
        """Store an answer in the history and as the latest for its key (B-11).

        It carries the message's id and time; a failed parse stores no value.
        """
        answer = Answer(
            key=key,
            text=text,
            message_id=inbound.message_id,
            at=inbound.at,
            value=None if isinstance(value, Failure) else value,
            media=media,
        )
        self.answers.append(answer)
        self.lead = replace(self.lead, answers={**self.lead.answers, answer.key: answer})
        return answer

    def event(self, kind: str, level: str = "info", **detail: Any) -> None:
        self.events.append(
            Event(
                kind=kind,
                at=self.ctx.now,
                lead_id=self.lead.id,
                studio=self.lead.studio,
                detail=detail,
                level=level,
            )
        )

    def normalised(self, text: str) -> str:
        """``keywords.normalise(text)``, once per text in this decision (the keyword check
        and the handover policy read the same message)."""
        norm = self._normalised.get(text)
        if norm is None:
            norm = self._normalised[text] = normalise(text)
        return norm

    def keyword_in(self, norm: str) -> str | None:
        """``keywords.keyword_in(norm)``, once per normalised text in this decision."""
        word = self._keywords.get(norm, _UNSEEN)
        if word == _UNSEEN:
            word = self._keywords[norm] = keyword_in(norm)
        return word

    # -- messages ------------------------------------------------------------
    def text(self, key: str, **params: Any) -> str:
        params["name"] = self.first_name()
        return copy.say_with(self.studio, key, self.lead.id, params)

    def first_name(self) -> str:
        name = self.lead.name
        if name is not self._named:  # the name can change during a decision (B-14)
            words = (name or "").split(maxsplit=1)
            self._named, self._first_name = name, words[0] if words else ""
        return self._first_name

    def tell(self, key: str, intent: Intent | None = None, **params: Any) -> None:
        """Queue a client message rendered from the copy catalogue (B-30); with an
        ``intent`` (buttons, a list) its body was rendered already."""
        self._queue(key, intent, params, asking=False)

    def ask(self, key: str, intent: Intent | None = None, **params: Any) -> None:
        """``tell``, and the current question counts as sent now (B-5)."""
        self._queue(key, intent, params, asking=True)

    def _queue(
        self, key: str, intent: Intent | None, params: dict[str, Any], asking: bool
    ) -> None:
        if intent is None:
            intent = TextIntent(self.text(key, **params))
        lead = self.lead
        self.outbound.append(
            Outgoing(
                lead_id=lead.id,
                studio=lead.studio,
                audience=CLIENT,
                to=lead.contact,
                intent=intent,
                purpose=key,
                fallback=self._template(key, params),
                provider=lead.provider,
            )
        )
        now = self.ctx.now
        times = (
            replace(lead.times, last_bot_message=now, question_sent=now)
            if asking
            else replace(lead.times, last_bot_message=now)
        )
        self.lead = replace(lead, times=times, offered=offered_options(intent))

    def ask_yes_no(self, key: str, yes_id: str = "yes", no_id: str = "no", **params: Any) -> None:
        body = self.text(key, **params)
        buttons = (
            Button(yes_id, self.text("button_yes")),
            Button(no_id, self.text("button_no")),
        )
        self.tell(key, ButtonsIntent(body, buttons), **params)

    def notify_artist(self, key: str, **params: Any) -> None:
        body = copy.say(self.studio, key, self.lead.id, name=self.lead.name or "", **params)
        self.outbound.append(
            Outgoing(
                lead_id=self.lead.id,
                studio=self.lead.studio,
                audience=ARTIST,
                to=self.studio.artist_number,
                intent=TextIntent(body),
                purpose=key,
                fallback=self._template(key, params),
            )
        )

    def _template(self, key: str, params: dict[str, Any]) -> TemplateIntent | None:
        ref = self.studio.templates.get(key)
        if ref is None:
            return None
        values = {
            "studio": self.studio.name,
            "artist": self.studio.artist_name,
            "name": self.first_name(),
            **params,
        }
        # Template parameters are sent verbatim: no voice (B-30).
        params_ = tuple(str(values[p]) for p in ref.params)
        return TemplateIntent(ref.name, ref.language, params_, ref.twilio_content_sid)

    def build(self) -> Decision:
        return Decision(
            lead=self.lead,
            transitions=tuple(self.transitions),
            answers=tuple(self.answers),
            outbound=tuple(self.outbound),
            events=tuple(self.events),
        )


def restart_times(times: Times) -> Times:
    """Handover marks cleared on restart (seed 002: stale marks blocked new handovers)."""
    return replace(
        times,
        handover_entered=None,
        artist_notified=None,
        last_hold_reply=None,
        panic_reply=None,
        reminder_sent=None,
        question_sent=None,
        qualifying_completed=None,
    )
