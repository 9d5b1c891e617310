"""The one composition root: settings -> adapters -> use cases (dependency-injector).

Nothing is configured at import time: build a container with
``build_container(settings)``; tests override providers on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from dependency_injector import containers, providers

from adapters.babel import BabelFormats
from adapters.console import ConsoleMessenger
from adapters.gazetteer import GeonamesGazetteer
from adapters.profile import demo_profile_path, load_profiles
from adapters.system.clock import SystemClock
from adapters.system.passwords import Argon2Passwords
from adapters.system.throttle import SenderThrottle
from core.domain.studios import Studios
from core.usecases.actions import ArtistActions
from core.usecases.book_by_hand import BookByHand
from core.usecases.booking import OfferSlots
from core.usecases.context import Deployment
from core.usecases.delivery import RecordDeliveries
from core.usecases.erase import EraseLead, ExportLead  # issue 10
from core.usecases.inbound import HandleInbound
from core.usecases.inbound_batch import GroupCommit, HandleInboundBatch
from core.usecases.inbox_reads import InboxReads
from core.usecases.keys import StudioKeys
from core.usecases.links import OneTap
from core.usecases.logins import InboxLogins
from core.usecases.payments import HandlePayment
from core.usecases.reads import ReadLeads
from core.usecases.relay import Relay, RelayPolicy
from core.usecases.sweep import Sweep  # issue 10
from entrypoints.calendars import StudioCalendars, build_calendars
from entrypoints.payments_setup import fake_payments, stripe_payments
from entrypoints.settings import Settings
from ports.clock import Clock


def _studios(settings: Settings) -> Studios:
    return Studios(load_profiles(settings.profile or demo_profile_path()))


def _store(settings: Settings, clock: Clock) -> Any:
    if settings.database_url.startswith("memory"):
        from adapters.memory import MemoryStore

        return MemoryStore()
    from adapters.sql import SqlStore
    from adapters.sql.engine import timeout_options

    timeouts = timeout_options(  # issue 7: a frozen database answers 503, not never
        settings.database_url,
        connect=settings.db_connect_timeout.total_seconds(),
        statement=settings.db_statement_timeout.total_seconds(),
    )
    return SqlStore(settings.database_url, clock=clock,
                    batch_connections=settings.inbound_batches, **timeouts)


def _batch_uow(store: Any) -> Any:
    """The group commit's unit-of-work factory: on PostgreSQL its asyncpg path (issue 12)."""
    return getattr(store, "batch_uow", store.uow)


def _group_commit(settings: Settings, batch: HandleInboundBatch) -> GroupCommit:
    return GroupCommit(
        batch,
        window=settings.inbound_gather.total_seconds(),
        max_batch=settings.inbound_batch,
        concurrency=settings.inbound_batches,
    )


def _throttle(settings: Settings, studios: Studios, store: Any) -> Any:
    """Issue 13: each studio's numbers at its own rate, if its profile names one (B-29).
    Issue 12: on a SQL store every process shares one pace per number, in the database."""
    rates = {
        number.removeprefix("whatsapp:"): studio.limits.messages_per_second
        for studio in studios
        if studio.limits.messages_per_second is not None
        for number in (studio.meta_phone_number_id, studio.twilio_sender)
        if number
    }
    if hasattr(store, "engine"):
        from adapters.sql.throttle import SqlSenderThrottle

        return SqlSenderThrottle(store, settings.messages_per_second, rates)
    return SenderThrottle(settings.messages_per_second, rates)


def _http(settings: Settings) -> httpx.AsyncClient:
    """httpx's API over aiohttp's connection pool (httpx-aiohttp): the relay's sends cost
    about a quarter of the CPU of httpcore's pool, whose per-request bookkeeping grows with
    its connections (issue 12; figures in benchmarks/README.md)."""
    from httpx_aiohttp import AiohttpTransport

    connections = max(16, settings.relay_concurrency)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(
        timeout=httpx.Timeout(10.0, connect=5.0), limits=limits,
        transport=AiohttpTransport(limits=limits),
    )


def _relay_policy(settings: Settings) -> RelayPolicy:
    return RelayPolicy(
        batch=settings.relay_batch,
        lease=settings.relay_lease,
        per_recipient=settings.relay_per_recipient,
        concurrency=settings.relay_concurrency,
        max_attempts=settings.relay_max_attempts,
        base_backoff=settings.relay_backoff.total_seconds(),
        max_backoff=settings.relay_max_backoff.total_seconds(),
    )


def _media(settings: Settings, client: httpx.AsyncClient) -> Any:
    """The providers' media APIs for the inbox's reference images (issue 14): a Twilio
    media id (``MM…/ME…``) is read from Twilio, any other from Meta."""
    sources: dict[str, Any] = {}
    if "meta" in settings.providers:
        from adapters.meta import MetaMedia

        sources["meta"] = MetaMedia(client=client, api_base=settings.meta_api_base,
                                    access_token=settings.meta_access_token or "",
                                    max_bytes=settings.inbox_media_max_bytes)
    if "twilio" in settings.providers:
        from adapters.twilio import TwilioMedia

        sources["twilio"] = TwilioMedia(client=client, api_base=settings.twilio_api_base,
                                        account_sid=settings.twilio_account_sid or "",
                                        auth_token=settings.twilio_auth_token or "",
                                        max_bytes=settings.inbox_media_max_bytes)
    if not sources:
        from adapters.memory import MemoryMedia

        return MemoryMedia()  # the console messenger has no media to fetch
    return ProviderMedia(sources)


class ProviderMedia:
    """Media port over the enabled providers, each media id to the provider that made it."""

    def __init__(self, sources: dict[str, Any]) -> None:
        self._sources = sources

    def __repr__(self) -> str:
        return f"ProviderMedia({sorted(self._sources)})"

    async def fetch(self, media_id: str) -> Any:
        from adapters.twilio import is_twilio_media

        source = self._sources.get("twilio" if is_twilio_media(media_id) else "meta")
        return None if source is None else await source.fetch(media_id)


def _meta_messenger(settings: Settings, client: httpx.AsyncClient) -> Any:
    from adapters.meta import MetaMessenger

    return MetaMessenger(
        client=client,
        api_base=settings.meta_api_base,
        access_token=settings.meta_access_token or "",
    )


# -- several providers at once (issue 13) ------------------------------------------------
TWILIO_STATUS_PATH = "/webhooks/twilio/status"


def _twilio_messenger(settings: Settings, client: httpx.AsyncClient) -> Any:
    from adapters.twilio import TwilioMessenger

    return TwilioMessenger(
        client=client,
        api_base=settings.twilio_api_base,
        account_sid=settings.twilio_account_sid or "",
        auth_token=settings.twilio_auth_token or "",
        status_callback=settings.public_url + TWILIO_STATUS_PATH,
    )


def _messengers(settings: Settings, messenger: Any, **build: Callable[[], Any]) -> dict[str, Any]:
    """One messenger per enabled provider; in console mode every provider prints."""
    if settings.messenger == "console":
        return {name: messenger for name in build}
    first = settings.providers[0]
    return {name: messenger if name == first else build[name]() for name in settings.providers}


def _calendars(settings: Settings, studios: Studios, store: Any, clock: Clock) -> StudioCalendars:
    """Issue 9: each studio's calendar from its profile (SettingsError: a missing password)."""
    return build_calendars(studios, store, settings.database_url, settings.environment, clock)


def _console(studios: Studios) -> ConsoleMessenger:
    return ConsoleMessenger(artist_numbers=frozenset(s.artist_number for s in studios))


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    studios = providers.Singleton(_studios, settings)
    gazetteer = providers.Singleton(GeonamesGazetteer)
    formats = providers.Singleton(BabelFormats)
    deployment = providers.Singleton(
        Deployment,
        studios=studios,
        gazetteer=gazetteer,
        formats=formats,
        public_url=settings.provided.public_url,
        secret=settings.provided.secret,
        link_ttl=settings.provided.link_ttl,
        window=RelayPolicy().window,  # the relay's 24-hour window, for replies (issue 8)
    )
    store = providers.Singleton(_store, settings, clock)
    calendars = providers.Singleton(_calendars, settings, studios, store, clock)  # issue 9
    # A small pool: httpx's per-request cost grows with idle pooled connections; the relay
    # keeps INKBOOK_RELAY_CONCURRENCY sends in flight, one per connection (benchmarks/README.md).
    http = providers.Singleton(_http, settings)
    meta_messenger = providers.Singleton(_meta_messenger, settings, http)
    twilio_messenger = providers.Singleton(_twilio_messenger, settings, http)
    # The first provider of INKBOOK_MESSENGER (tests and `chat` override this one).
    messenger = providers.Selector(
        settings.provided.providers[0],
        console=providers.Singleton(_console, studios),
        meta=meta_messenger,
        twilio=twilio_messenger,
    )
    messengers = providers.Singleton(
        _messengers,
        settings,
        messenger,
        meta=meta_messenger.provider,
        twilio=twilio_messenger.provider,
    )
    throttle = providers.Singleton(_throttle, settings, studios, store)
    handle_inbound = providers.Singleton(
        HandleInbound,
        uow=store.provided.uow,
        clock=clock,
        deployment=deployment,
        calendars=calendars,  # issue 9: a slot choice books through the studio's calendar
    )
    # Issue 12: group commit of concurrent webhooks' messages (PostgreSQL).
    handle_inbound_batch = providers.Singleton(
        HandleInboundBatch,
        uow=providers.Callable(_batch_uow, store),  # falls back to `single` (SQLAlchemy)
        clock=clock,
        deployment=deployment,
        single=handle_inbound,
        parallel=settings.provided.parallel_leads,
    )
    group_commit = providers.Singleton(
        _group_commit, settings, handle_inbound_batch
    )
    # Issue 9 items 4-5: the offer after the deposit, the artist booking by hand.
    offer_slots = providers.Singleton(
        OfferSlots, uow=store.provided.uow, clock=clock, deployment=deployment, calendars=calendars
    )
    book_by_hand = providers.Singleton(
        BookByHand, uow=store.provided.uow, clock=clock, deployment=deployment, calendars=calendars
    )
    read_leads = providers.Singleton(ReadLeads, uow=store.provided.uow)
    studio_keys = providers.Singleton(StudioKeys, uow=store.provided.uow, clock=clock,
                                      studios=studios)
    record_deliveries = providers.Singleton(
        RecordDeliveries, uow=store.provided.uow, clock=clock, deployment=deployment
    )
    relay = providers.Singleton(
        Relay,
        uow=store.provided.uow,
        messenger=messenger,
        clock=clock,
        deployment=deployment,
        throttle=throttle,
        policy=providers.Singleton(_relay_policy, settings),
        provider=settings.provided.providers[0],
        messengers=messengers,
    )
    # issue 10: the sweeper, erasure and subject access (B-38 to B-41, B-49)
    sweep = providers.Singleton(  # also offers slots again to a paid lead whose offer failed
        Sweep, uow=store.provided.uow, clock=clock, deployment=deployment, offer=offer_slots
    )
    erase_lead = providers.Singleton(
        EraseLead, uow=store.provided.uow, clock=clock, deployment=deployment
    )
    export_lead = providers.Singleton(ExportLead, uow=store.provided.uow)
    # -- the artist's inbox (issue 14) --
    passwords = providers.Singleton(Argon2Passwords)
    logins = providers.Singleton(
        InboxLogins, uow=store.provided.uow, passwords=passwords, clock=clock, studios=studios
    )
    media = providers.Singleton(_media, settings, http)
    inbox_reads = providers.Singleton(
        InboxReads,
        uow=store.provided.uow,
        records=read_leads,
        page_size=settings.provided.inbox_page_size,
    )

    # -- issue 8: payments (INKBOOK_PAYMENTS), each studio with its own Stripe account ----
    payments = providers.Selector(
        settings.provided.payments,
        fake=providers.Singleton(fake_payments, settings),
        stripe=providers.Singleton(stripe_payments, settings, studios, clock),
    )
    # -- issue 8: the artist's actions, payment events, one-tap links ---------------------
    # The inbox, the admin API, one-tap links and `inkbook chat` all act through this one:
    # `artist_actions().act(lead_id, action, actor)` or .approve/.reject/.resume/.reply/.release.
    artist_actions = providers.Singleton(
        ArtistActions, uow=store.provided.uow, clock=clock, deployment=deployment, payments=payments
    )
    handle_payment = providers.Singleton(
        HandlePayment, uow=store.provided.uow, clock=clock, deployment=deployment,
        payments=payments, offer=offer_slots,  # issue 9: DEPOSIT_PAID -> the slot offer (B-35)
    )
    one_tap = providers.Singleton(
        OneTap, actions=artist_actions, clock=clock, deployment=deployment, erase=erase_lead
    )


def build_container(settings: Settings) -> Container:
    container = Container()
    container.settings.override(settings)
    return container
