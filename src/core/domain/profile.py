"""The studio profile: questions, copy, prices, tours, limits (CONTRACT.md).

Plain frozen structs. Reading YAML (with file/line errors) is an adapter's job
(``adapters.profile``); checks that need no I/O live in ``core.domain.copy``.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import msgspec

# Answer kinds pick the parser of a question.
ANSWER_KINDS = (
    "text",
    "dimensions",
    "budget",
    "location",
    "yesno",
    "complexity",
    "media",
    "name",
    "time_windows",
)


class Question(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    label: str  # short name shown in summaries and the artist's brief
    text: str  # the question as the client reads it
    kind: str = "text"  # one of ANSWER_KINDS


class Place(msgspec.Struct, frozen=True, kw_only=True):
    city: str | None = None
    country: str  # ISO 3166 alpha-2


class TourStop(msgspec.Struct, frozen=True, kw_only=True):
    city: str
    country: str
    starts: date
    ends: date


class DepositRule(msgspec.Struct, frozen=True, kw_only=True):
    """First matching rule wins; an absent condition matches anything."""

    amount: int  # minor units
    size_classes: tuple[str, ...] = ()
    max_area_cm2: float | None = None
    min_complexity: int | None = None


class DepositPolicy(msgspec.Struct, frozen=True, kw_only=True):
    default_amount: int = 5000
    rules: tuple[DepositRule, ...] = ()
    link_expires_after: timedelta = timedelta(hours=23)


class WorkingDay(msgspec.Struct, frozen=True, kw_only=True):
    day: str  # mon..sun
    opens: time
    closes: time


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    """Every limit, cooldown and threshold of SPEC.md, with its default."""

    max_parse_failures: int = 3
    handover_hold_cooldown: timedelta = timedelta(hours=6)
    panic_cooldown: timedelta = timedelta(hours=6)
    awaiting_reply_cooldown: timedelta = timedelta(hours=6)
    long_question_chars: int = 120
    max_slots: int = 8
    # This studio's numbers send at most this many messages a second (B-29); None: the
    # deployment's INKBOOK_MESSAGES_PER_SECOND (e.g. 20 for a coexistence number).
    messages_per_second: float | None = None
    reminder_after: timedelta = timedelta(hours=4)
    abandon_after: timedelta = timedelta(hours=48)
    deposit_deadline: timedelta = timedelta(hours=72)
    retention: timedelta = timedelta(days=365)
    session_minutes: dict[str, int] = {}  # size class -> session length
    # Slot rules (issue 9, B-35): zero allowed for the first two.
    buffer: timedelta = timedelta(0)  # free time kept between two sessions
    min_lead_time: timedelta = timedelta(hours=24)  # the earliest slot offered, from now
    horizon_days: int = 60  # the latest slot offered, in days from now
    slot_step: timedelta = timedelta(minutes=15)  # start times lie on this grid from opening
    calendar_timeout: timedelta = timedelta(seconds=10)  # a slower calendar is unavailable
    # Booking (issue 9 item 4): the session length when the size class is not in session_minutes.
    default_session_minutes: int = 180
    # Time-driven jobs (issue 10, B-38, B-48): the reminder goes only while the client's
    # window is open; appointment care is timed from the session's start and end.
    reminder_window: timedelta = timedelta(hours=24)
    appointment_reminder_before: timedelta = timedelta(hours=24)
    aftercare_after: timedelta = timedelta(hours=24)
    # A paid lead whose slot offer failed (B-35) is offered again by the sweeper after this.
    offer_retry_after: timedelta = timedelta(minutes=5)
    # -- understanding clients (issue 11) --
    large_area_cm2: float = 400.0  # a piece of at least this area (w x h) counts as large (B-18)
    handover_complexity: int = 3  # a complexity answer at or above this hands over (B-20)
    keyword_max_chars: int = 300  # a longer message is never a global keyword (B-8)


DEFAULT_LIMITS = Limits()


class Modes(msgspec.Struct, frozen=True, kw_only=True):
    panic: bool = False
    pilot: bool = False
    pilot_allowlist: tuple[str, ...] = ()


class Voice(msgspec.Struct, frozen=True, kw_only=True):
    """Tone applied to free-form client text, never to template parameters (B-30)."""

    sign_off: str = ""
    emoji: bool = True
    replacements: dict[str, str] = {}


class TemplateRef(msgspec.Struct, frozen=True, kw_only=True):
    """An approved provider template to use outside the 24-hour window (B-28)."""

    name: str
    language: str = "en_US"
    params: tuple[str, ...] = ()  # placeholder names filled from the message's params
    twilio_content_sid: str | None = None  # the same template on Twilio (issue 13)


# Calendars (issue 9, B-35 to B-37): where free slots come from and bookings go.
CALENDAR_KINDS = ("hours", "caldav", "none")


class CalendarChoice(msgspec.Struct, frozen=True, kw_only=True):
    """``{kind: hours}`` (working hours minus stored bookings), ``{kind: caldav, ...}``
    (a CalDAV calendar: iCloud, Fastmail, Nextcloud, Google) or ``{kind: none}``."""

    kind: str = "hours"  # one of CALENDAR_KINDS
    url: str | None = None  # caldav: the server or calendar URL
    username: str | None = None  # caldav
    password_env: str | None = None  # caldav: the environment variable holding the password
    calendar: str | None = None  # caldav: the calendar's name or URL (default: the first)


class Care(msgspec.Struct, frozen=True, kw_only=True):
    """Appointment care (issue 10, B-48): each message can be switched off."""

    appointment_reminder: bool = True
    aftercare: bool = True


class StripeAccountRefs(msgspec.Struct, frozen=True, kw_only=True):
    """Issue 8 (B-46): the environment variables holding a studio's own Stripe account.

    Unset fields fall back to the global INKBOOK_STRIPE_API_KEY / _WEBHOOK_SECRET.
    """

    api_key_env: str | None = None
    webhook_secret_env: str | None = None


class Studio(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    artist_name: str
    artist_number: str
    meta_phone_number_id: str | None = None
    twilio_sender: str | None = None
    timezone: str = "Europe/London"
    currency: str = "GBP"
    locale: str = "en_GB"  # how money and dates are written for its clients (CLDR locale)
    min_budget: int = 0  # minor units
    home: Place
    service_countries: tuple[str, ...] = ()  # empty: the home country only
    tours: tuple[TourStop, ...] = ()
    deposit: DepositPolicy = DepositPolicy()
    working_hours: tuple[WorkingDay, ...] = ()
    questions: tuple[Question, ...]
    confirm_before: str | None = "name"  # question key the summary (B-14) comes before
    copy: dict[str, tuple[str, ...]]
    voice: Voice = Voice()
    templates: dict[str, TemplateRef] = {}
    limits: Limits = Limits()
    modes: Modes = Modes()
    # Calendars (issue 9): the studio's address goes into the booking's .ics (B-50).
    address: str | None = None
    calendar: CalendarChoice = CalendarChoice()
    care: Care = Care()  # issue 10 (B-48)
    stripe: StripeAccountRefs = StripeAccountRefs()  # issue 8: its own Stripe account

    def question_at(self, step: int) -> Question | None:
        return self.questions[step] if 0 <= step < len(self.questions) else None

    def step_of(self, key: str) -> int | None:
        for i, q in enumerate(self.questions):
            if q.key == key:
                return i
        return None

    def area(self) -> tuple[str, ...]:
        return self.service_countries or (self.home.country,)
