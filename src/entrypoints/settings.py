"""Settings from the environment (and a ``.env`` file), read once, in the container.

A wrong setting stops startup with one clear line naming the variable (CONTRACT.md).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from adapters.profile.durations import parse_duration

T = TypeVar("T")

# With the console messenger and no app secret, webhooks are still verified, with this
# published development secret (the README's curl example signs with it).
DEV_APP_SECRET = "inkbook-dev-secret"
# Twilio (issue 13): the same for X-Twilio-Signature, with this published auth token.
DEV_TWILIO_AUTH_TOKEN = "inkbook-dev-twilio-token"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./inkbook.db"
MESSENGERS = ("console", "meta", "twilio")
PAYMENTS = ("fake", "stripe")
NOT_YET: dict[str, str] = {}  # choices named in CONTRACT.md but not built yet (none now)
DB_SCHEMES = ("sqlite+aiosqlite", "postgresql+asyncpg", "memory")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """One line naming the variable and what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    profile: Path | None = None
    messenger: str = "console"
    meta_app_secret: str | None = None
    meta_verify_token: str | None = None
    meta_access_token: str | None = None
    meta_api_base: str = "https://graph.facebook.com/v25.0"
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_api_base: str = "https://api.twilio.com"
    # Issue 12: the proxy the providers' API calls go through, if any; the HTTP pool reads
    # no proxy variables from the environment (no look-up per request).
    http_proxy: str | None = None
    payments: str = "fake"
    stripe_api_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str = "https://api.stripe.com"
    admin_api_key: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    secret_key_generated: bool = True
    max_body_bytes: int = 3 * 1024 * 1024  # Meta's payloads are at most 3 MB
    messages_per_second: float = 80.0  # per sending number (B-29)
    log_level: str = "INFO"
    # Limits of the machinery (ARCHITECTURE.md: every limit is a setting).
    link_ttl: timedelta = timedelta(days=7)  # how long the artist's one-tap links work
    relay_batch: int = 200  # recipients one relay pass claims (each with its chain)
    # How long a claim keeps other relays off a message; renewed every quarter lease while
    # the relay works on it, so a dead relay's messages go again within one lease.
    relay_lease: timedelta = timedelta(seconds=10)
    relay_per_recipient: int = 25  # messages of one recipient per pass, sent in order
    relay_concurrency: int = 16  # sends in flight at once (the HTTP client's connections)
    relay_max_attempts: int = 12  # transient failures before a message is a dead letter (B-27)
    relay_backoff: timedelta = timedelta(seconds=1)  # first retry delay, doubled each time
    relay_max_backoff: timedelta = timedelta(minutes=5)
    parallel_leads: int = 8  # leads of one webhook batch decided at once (PostgreSQL)
    # Group commit (issue 12, PostgreSQL): concurrent webhooks' messages in one transaction.
    inbound_batch: int = 64  # messages at most per group commit; 1: one transaction each
    inbound_gather: timedelta = timedelta(milliseconds=2)  # how long a batch gathers
    inbound_batches: int = 2  # group commits in flight at once (each holds a connection)
    # The sweeper (issue 10, B-38): how often `serve` runs the time-driven jobs.
    sweep_every: timedelta = timedelta(seconds=60)
    # Calendars (issue 9): the environment the settings came from, where a studio's
    # ``calendar.password_env`` names its CalDAV password and its ``stripe:`` block its
    # own Stripe key and webhook secret (issue 8, B-46): read once, in the container.
    environment: Mapping[str, str] = field(default_factory=dict, repr=False)
    # Issue 8 (Stripe): limits of the Stripe API calls.
    stripe_timeout: timedelta = timedelta(seconds=10)  # per try of a Stripe API call
    stripe_max_network_retries: int = 2  # safe: a checkout always carries its idempotency key
    # Reliability (issue 7): a frozen database costs a 503 within seconds, not a hang;
    # /metrics may want a bearer token.
    db_connect_timeout: timedelta = timedelta(seconds=5)  # PostgreSQL connect / pool wait
    db_statement_timeout: timedelta = timedelta(seconds=5)  # PostgreSQL, per statement
    metrics_token: str | None = None

    @property
    def meta_app_secrets(self) -> tuple[str, ...]:
        """``INKBOOK_META_APP_SECRET="new,old"``: every secret accepted during a roll."""
        raw = self.meta_app_secret or ""
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    # -- the artist's inbox (issue 14) --
    inbox_session: timedelta = timedelta(hours=12)  # a sign-in lasts this long
    inbox_login_free_attempts: int = 5  # failed sign-ins before each try must wait
    inbox_login_delay: timedelta = timedelta(seconds=1)  # the first wait; doubles per failure
    inbox_login_delay_max: timedelta = timedelta(minutes=5)
    inbox_poll: timedelta = timedelta(seconds=1)  # how often a live page looks for news
    inbox_stream: timedelta = timedelta(minutes=5)  # a stream ends then (the browser reconnects)
    inbox_page_size: int = 200  # leads shown in the list
    inbox_media_max_bytes: int = 5 * 1024 * 1024  # a reference image (WhatsApp's own limit)
    # On Ctrl-C/SIGTERM, open requests (an inbox's event streams) get this long to finish.
    shutdown_grace: timedelta = timedelta(seconds=5)

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over https when the service is reached over https."""
        return self.public_url.startswith("https://")

    @property
    def providers(self) -> tuple[str, ...]:
        """The messaging providers enabled, in the order given (issue 13): ``meta,twilio``."""
        return tuple(self.messenger.split(","))

    @property
    def secret(self) -> bytes:
        return self.secret_key.encode()

    @property
    def stripe_webhook_secrets(self) -> tuple[str, ...]:
        """INKBOOK_STRIPE_WEBHOOK_SECRET: one secret, or two (comma-separated) during a roll."""
        return split_secrets(self.stripe_webhook_secret or "")

    def warnings(self) -> list[str]:
        notes = []
        if self.secret_key_generated:
            notes.append(
                "INKBOOK_SECRET_KEY is not set: generated one for this run "
                "(one-tap links stop working after a restart)"
            )
        if self.messenger == "console":
            notes.append("INKBOOK_MESSENGER=console: messages are printed, not sent")
        if self.twilio_auth_token == DEV_TWILIO_AUTH_TOKEN:
            notes.append(f"INKBOOK_TWILIO_AUTH_TOKEN is not set: webhooks are verified with the "
                         f"development token {DEV_TWILIO_AUTH_TOKEN!r}")
        if self.meta_app_secret == DEV_APP_SECRET:
            notes.append(f"INKBOOK_META_APP_SECRET is not set: webhooks are verified with the "
                         f"development secret {DEV_APP_SECRET!r}")
        if self.payments == "fake":
            notes.append("INKBOOK_PAYMENTS=fake: deposits are simulated")
        if not self.admin_api_key:
            notes.append("INKBOOK_ADMIN_API_KEY is not set: the admin API refuses every call")
        proxies = sorted(name for name in PROXY_VARIABLES if self.environment.get(name))
        if proxies and self.http_proxy is None and self.messenger != "console":
            notes.append(f"{', '.join(proxies)} set but not used: the Meta and Twilio calls "
                         "go through a proxy only when INKBOOK_HTTP_PROXY names it")
        return notes


# Read by many HTTP clients, not by the messengers' pool (INKBOOK_HTTP_PROXY instead).
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                   "all_proxy")

# Issue 8 (Stripe): key and webhook secret shapes, checked at startup.
STRIPE_KEY_PREFIXES = ("sk_test_", "sk_live_", "rk_test_", "rk_live_")
MAX_WEBHOOK_SECRETS = 2  # the old and the new one while a secret rolls


def split_secrets(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def check_stripe_key(name: str, value: str) -> str:
    if not value.startswith(STRIPE_KEY_PREFIXES):
        raise SettingsError(f"{name}: expected a Stripe secret key (sk_test_..., sk_live_...)")
    return value


def check_webhook_secrets(name: str, value: str) -> tuple[str, ...]:
    secrets_ = split_secrets(value)
    if not secrets_ or len(secrets_) > MAX_WEBHOOK_SECRETS:
        raise SettingsError(f"{name}: expected one webhook secret, or two separated by a comma")
    if not all(secret.startswith("whsec_") for secret in secrets_):
        raise SettingsError(f"{name}: a Stripe webhook secret starts with whsec_")
    return secrets_


def retries(name: str, value: str | None, default: int) -> int:
    """A count of retries: a whole number, zero allowed."""
    if value is None:
        return default
    if not value.isdigit():
        raise SettingsError(f"{name}: {value!r} is not a whole number (0 or more)")
    return int(value)


def _default(name: str) -> str:
    return str(Settings.__dataclass_fields__[name].default)


def _url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        raise SettingsError(f"{name}: {value!r} is not a valid URL (expected {', '.join(schemes)})")
    if schemes[0].startswith("http") and not parts.netloc:
        raise SettingsError(f"{name}: {value!r} has no host")
    return value.rstrip("/") if schemes[0].startswith("http") else value


def _choice(name: str, value: str, options: tuple[str, ...]) -> str:
    value = value.strip().lower()
    if value not in options:
        raise SettingsError(f"{name}: unknown value {value!r} (expected {', '.join(options)})")
    return value


def available(options: tuple[str, ...]) -> tuple[str, ...]:
    """The choices this version has (``NOT_YET`` ones left out of the error messages)."""
    return tuple(option for option in options if option not in NOT_YET)


def _database(value: str) -> str:
    """A database URL whose mistakes are named now, not as a traceback at first use."""
    name = "INKBOOK_DATABASE_URL"
    _url(name, value, DB_SCHEMES)
    if value.startswith("memory"):
        return value
    try:
        url = make_url(value)
    except ArgumentError:
        raise SettingsError(f"{name}: {value!r} is not a valid database URL") from None
    if url.get_backend_name() == "postgresql":
        if not url.host and "host" not in url.query:  # ?host=/run/postgresql: a socket
            shown = url.render_as_string(hide_password=True)
            raise SettingsError(f"{name}: {shown!r} names no host (postgresql+asyncpg://USER@HOST/DB)")
    elif url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        folder = Path(url.database).expanduser().parent
        if not folder.is_dir():
            raise SettingsError(
                f"{name}: the folder {str(folder)!r} of the SQLite file does not exist"
            )
    elif not url.database:
        raise SettingsError(f"{name}: {value!r} names no SQLite file (sqlite+aiosqlite:///./inkbook.db)")
    return value


def _read(
    name: str, value: str | None, default: T, convert: Callable[[str], T], what: str,
    *, zero: bool = False,
) -> T:
    """``value`` converted, or ``default`` when unset; numbers must be positive (or, with
    ``zero``, not negative)."""
    if value is None:
        return default
    try:
        result = convert(value)
    except ValueError:
        raise SettingsError(f"{name}: {value!r} is not {what}") from None
    if isinstance(result, int | float | timedelta) and not isinstance(result, bool):
        size = result.total_seconds() if isinstance(result, timedelta) else result
        if size < 0 or (size == 0 and not zero):
            raise SettingsError(f"{name}: must be {'0 or more' if zero else 'positive'}, "
                                f"got {value!r}")
    return result


MIN_LEASE = timedelta(seconds=2)


def _lease(value: str | None) -> timedelta:
    """At least 2 s: a send may take 40% of a lease, and the heartbeat renews every quarter."""
    name = "INKBOOK_RELAY_LEASE"
    lease = _read(name, value, _defaults.relay_lease, _duration, "a duration (e.g. 10s)")
    if lease < MIN_LEASE:
        raise SettingsError(f"{name}: must be at least 2s, got {value!r}")
    return lease


def _duration(text: str) -> timedelta:
    return parse_duration(text)


def _choices(name: str, value: str, options: tuple[str, ...]) -> str:
    """A comma list of distinct options (``meta,twilio``); ``console`` stands alone."""
    chosen = [_choice(name, part, options) for part in value.split(",") if part.strip()]
    if not chosen:
        raise SettingsError(f"{name}: empty (expected {', '.join(options)})")
    if len(set(chosen)) != len(chosen):
        raise SettingsError(f"{name}: {value!r} names a provider twice")
    if "console" in chosen and len(chosen) > 1:
        raise SettingsError(f"{name}: console cannot be combined with other providers")
    return ",".join(chosen)


def _number(name: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name}: {value!r} is not a number") from None
    if number <= 0:
        raise SettingsError(f"{name}: must be positive, got {value!r}")
    return number


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    if env is None:
        from dotenv import dotenv_values

        file_values = {k: v for k, v in dotenv_values(dotenv or Path(".env")).items() if v}
        env = {**file_values, **os.environ}

    def get(name: str) -> str | None:
        value = env.get(f"INKBOOK_{name}")
        return value.strip() if value and value.strip() else None

    http = ("https", "http")
    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        expected = ", ".join(LOG_LEVELS)
        raise SettingsError(
            f"INKBOOK_LOG_LEVEL: unknown level {get('LOG_LEVEL')!r} (expected {expected})"
        )
    db = _database(get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    profile = get("PROFILE")
    if profile and not Path(profile).exists():
        raise SettingsError(f"INKBOOK_PROFILE: {profile} does not exist")
    messenger = _choices("INKBOOK_MESSENGER", get("MESSENGER") or "console", available(MESSENGERS))
    payments = _choice("INKBOOK_PAYMENTS", get("PAYMENTS") or "fake", available(PAYMENTS))
    required = {
        "meta": ("META_APP_SECRET", "META_VERIFY_TOKEN", "META_ACCESS_TOKEN"),
        "twilio": ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"),
        "stripe": ("STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET"),
    }
    for chosen in (*messenger.split(","), payments):
        for name in required.get(chosen, ()):
            if not get(name):
                raise SettingsError(f"INKBOOK_{name}: required when {chosen} is selected")
    if payments == "stripe":  # issue 8
        check_stripe_key("INKBOOK_STRIPE_API_KEY", get("STRIPE_API_KEY") or "")
        check_webhook_secrets("INKBOOK_STRIPE_WEBHOOK_SECRET", get("STRIPE_WEBHOOK_SECRET") or "")
    secret = get("SECRET_KEY")
    return Settings(
        database_url=db,
        profile=Path(profile) if profile else None,
        messenger=messenger,
        meta_app_secret=get("META_APP_SECRET")
        or (DEV_APP_SECRET if messenger == "console" else None),
        meta_verify_token=get("META_VERIFY_TOKEN"),
        meta_access_token=get("META_ACCESS_TOKEN"),
        meta_api_base=_url(
            "INKBOOK_META_API_BASE", get("META_API_BASE") or _default('meta_api_base'), http
        ),
        twilio_account_sid=get("TWILIO_ACCOUNT_SID"),
        twilio_auth_token=get("TWILIO_AUTH_TOKEN")
        or (DEV_TWILIO_AUTH_TOKEN if messenger == "console" else None),
        twilio_api_base=_url(
            "INKBOOK_TWILIO_API_BASE", get("TWILIO_API_BASE") or _default('twilio_api_base'), http
        ),
        http_proxy=_url("INKBOOK_HTTP_PROXY", proxy, http)
        if (proxy := get("HTTP_PROXY")) else None,
        payments=payments,
        stripe_api_key=get("STRIPE_API_KEY"),
        stripe_webhook_secret=get("STRIPE_WEBHOOK_SECRET"),
        stripe_api_base=_url(
            "INKBOOK_STRIPE_API_BASE", get("STRIPE_API_BASE") or _default('stripe_api_base'), http
        ),
        admin_api_key=get("ADMIN_API_KEY"),
        public_url=_url("INKBOOK_PUBLIC_URL", get("PUBLIC_URL") or _default('public_url'), http),
        secret_key=secret or secrets.token_urlsafe(32),
        secret_key_generated=secret is None,
        messages_per_second=_number(
            "INKBOOK_MESSAGES_PER_SECOND", get("MESSAGES_PER_SECOND") or "80"
        ),
        log_level=log_level,
        link_ttl=_read("INKBOOK_LINK_TTL", get("LINK_TTL"), _defaults.link_ttl, _duration,
                       "a duration (e.g. 7d, 12h)"),
        relay_batch=_read("INKBOOK_RELAY_BATCH", get("RELAY_BATCH"), _defaults.relay_batch, int,
                          "a whole number"),
        relay_lease=_lease(get("RELAY_LEASE")),
        relay_per_recipient=_read("INKBOOK_RELAY_PER_RECIPIENT", get("RELAY_PER_RECIPIENT"),
                                  _defaults.relay_per_recipient, int, "a whole number"),
        relay_concurrency=_read("INKBOOK_RELAY_CONCURRENCY", get("RELAY_CONCURRENCY"),
                                _defaults.relay_concurrency, int, "a whole number"),
        relay_max_attempts=_read("INKBOOK_RELAY_MAX_ATTEMPTS", get("RELAY_MAX_ATTEMPTS"),
                                 _defaults.relay_max_attempts, int, "a whole number"),
        relay_backoff=_read("INKBOOK_RELAY_BACKOFF", get("RELAY_BACKOFF"),
                            _defaults.relay_backoff, _duration, "a duration (e.g. 1s)"),
        relay_max_backoff=_read("INKBOOK_RELAY_MAX_BACKOFF", get("RELAY_MAX_BACKOFF"),
                                _defaults.relay_max_backoff, _duration, "a duration (e.g. 5m)"),
        parallel_leads=_read("INKBOOK_PARALLEL_LEADS", get("PARALLEL_LEADS"),
                             _defaults.parallel_leads, int, "a whole number"),
        inbound_batch=_read("INKBOOK_INBOUND_BATCH", get("INBOUND_BATCH"),
                            _defaults.inbound_batch, int, "a whole number"),
        inbound_gather=_read("INKBOOK_INBOUND_GATHER", get("INBOUND_GATHER"),
                             _defaults.inbound_gather, _duration,
                             "a duration in seconds (e.g. 0.002)", zero=True),
        inbound_batches=_read("INKBOOK_INBOUND_BATCHES", get("INBOUND_BATCHES"),
                              _defaults.inbound_batches, int, "a whole number"),
        sweep_every=_read("INKBOOK_SWEEP_EVERY", get("SWEEP_EVERY"), _defaults.sweep_every,
                          _duration, "a duration (e.g. 60s)"),  # issue 10
        environment=dict(env),  # issue 9: calendar passwords
        stripe_timeout=_read("INKBOOK_STRIPE_TIMEOUT", get("STRIPE_TIMEOUT"),
                             _defaults.stripe_timeout, _duration, "a duration (e.g. 10s)"),
        stripe_max_network_retries=retries("INKBOOK_STRIPE_MAX_NETWORK_RETRIES",
                                           get("STRIPE_MAX_NETWORK_RETRIES"),
                                           _defaults.stripe_max_network_retries),
        # Reliability (issue 7)
        db_connect_timeout=_read("INKBOOK_DB_CONNECT_TIMEOUT", get("DB_CONNECT_TIMEOUT"),
                                 _defaults.db_connect_timeout, _duration, "a duration (e.g. 5s)"),
        db_statement_timeout=_read("INKBOOK_DB_STATEMENT_TIMEOUT", get("DB_STATEMENT_TIMEOUT"),
                                   _defaults.db_statement_timeout, _duration,
                                   "a duration (e.g. 5s)"),
        metrics_token=get("METRICS_TOKEN"),
        # -- the artist's inbox (issue 14) --
        inbox_session=_read("INKBOOK_INBOX_SESSION", get("INBOX_SESSION"),
                            _defaults.inbox_session, _duration, "a duration (e.g. 12h)"),
        inbox_login_free_attempts=_read(
            "INKBOOK_INBOX_LOGIN_FREE_ATTEMPTS", get("INBOX_LOGIN_FREE_ATTEMPTS"),
            _defaults.inbox_login_free_attempts, int, "a whole number"),
        inbox_login_delay=_read("INKBOOK_INBOX_LOGIN_DELAY", get("INBOX_LOGIN_DELAY"),
                                _defaults.inbox_login_delay, _duration, "a duration (e.g. 1s)"),
        inbox_login_delay_max=_read(
            "INKBOOK_INBOX_LOGIN_DELAY_MAX", get("INBOX_LOGIN_DELAY_MAX"),
            _defaults.inbox_login_delay_max, _duration, "a duration (e.g. 5m)"),
        inbox_poll=_read("INKBOOK_INBOX_POLL", get("INBOX_POLL"), _defaults.inbox_poll,
                         _duration, "a duration (e.g. 1s)"),
    )


_defaults = Settings()
