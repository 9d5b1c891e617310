"""Completion routing on the latest answers, and the tour offer (B-15, B-16)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.domain.answers import answer_value
from core.domain.brief import brief_params
from core.domain.builder import Builder
from core.domain.handing_over import enter_handover
from core.domain.inbound import Choice, Inbound
from core.domain.parsers import YesNo, parse_yesno
from core.domain.profile import Studio, TourStop
from core.domain.status import Status


def money(b: Builder, amount: int) -> str:
    """An amount of the studio's currency as its clients read it (Babel, the studio's locale)."""
    return b.ctx.formats.money(amount, b.studio.currency, b.studio.locale)


def _value(b: Builder, *, key: str | None = None, kind: str | None = None) -> Any:
    return answer_value(b.lead, b.studio, key=key, kind=kind)


def tour_for(studio: Studio, place: dict[str, Any], today: date) -> TourStop | None:
    stops = [s for s in studio.tours if s.country == place.get("country") and s.ends >= today]
    city = (place.get("city") or "").casefold()
    stops.sort(key=lambda s: (s.city.casefold() != city, s.starts))
    return stops[0] if stops else None


def dates(b: Builder, stop: TourStop) -> str:
    return b.ctx.formats.date_range(stop.starts, stop.ends, b.studio.locale)


def outside_area(studio: Studio, place: Any) -> bool:
    if not isinstance(place, dict) or place.get("flexible") or not place.get("country"):
        return False
    return place["country"] not in studio.area()


def notify_completed(b: Builder, outcome: str) -> None:
    b.notify_artist("artist_completed", outcome=outcome, **brief_params(b.lead, b.ctx))


def complete(b: Builder) -> None:
    """Decided on the latest answer per key, in the order of B-15."""
    b.stamp(qualifying_completed=b.ctx.now)
    studio = b.studio
    if (_value(b, key="coverup") or {}).get("answer") is True:
        enter_handover(b, "coverup")
        return
    budget = _value(b, kind="budget")
    if (
        isinstance(budget, dict)
        and budget.get("currency") == studio.currency
        and budget.get("min", studio.min_budget) < studio.min_budget  # no figure: not below
    ):
        b.move(Status.NEEDS_FOLLOW_UP, "below_min_budget")
        b.tell("completion_below_budget", min_budget=money(b, studio.min_budget))
        notify_completed(b, "below the minimum budget")
        return
    place = _value(b, kind="location")
    if outside_area(studio, place):
        stop = tour_for(studio, place, b.ctx.now.date())
        if stop is not None:
            b.move(Status.TOUR_CONVERSION_OFFERED, "outside_area_tour_match")
            b.update(
                tour_stop=f"{stop.city}, {stop.country}, {stop.starts}..{stop.ends}", tour_repairs=0
            )
            b.ask_yes_no("tour_offer", "tour_yes", "tour_no", city=stop.city, dates=dates(b, stop))
            notify_completed(b, f"outside the area: offered the {stop.city} tour dates")
            return
        b.move(Status.WAITLISTED, "outside_area_no_tour")
        b.tell("waitlisted", city=place.get("city") or place.get("country"))
        notify_completed(b, "outside the area: waitlisted")
        return
    b.move(Status.PENDING_APPROVAL, "qualified")
    b.tell("completion_pending")
    notify_completed(b, "ready for your approval")


def _stop(b: Builder) -> tuple[str, str]:
    city, _, rest = (b.lead.tour_stop or "").partition(", ")
    for stop in b.studio.tours:
        if stop.city == city:
            return stop.city, dates(b, stop)
    return city, rest


def tour_reply(b: Builder, inbound: Inbound) -> None:
    """B-16: yes -> PENDING_APPROVAL; no -> WAITLISTED; else one repair, then handover."""
    answer: bool | None = None
    if isinstance(inbound.content, Choice) and inbound.content.id in ("tour_yes", "tour_no"):
        answer = inbound.content.id == "tour_yes"
    else:
        parsed = parse_yesno(inbound.text())
        answer = parsed.answer if isinstance(parsed, YesNo) else None
    city, when = _stop(b)
    if answer is True:
        b.move(Status.PENDING_APPROVAL, "tour_accepted")
        b.tell("tour_accepted", city=city, dates=when)
        notify_completed(b, f"accepted the {city} tour dates")
    elif answer is False:
        b.move(Status.WAITLISTED, "tour_declined")
        b.update(tour_stop=None)
        b.tell("tour_declined")
        notify_completed(b, f"declined the {city} tour dates: waitlisted")
    elif b.lead.tour_repairs == 0:
        b.update(tour_repairs=1)
        b.ask_yes_no("tour_repair", "tour_yes", "tour_no", city=city, dates=when)
    else:
        enter_handover(b, "tour_unclear")
