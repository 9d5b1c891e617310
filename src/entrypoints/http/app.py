"""``create_app(container)``: the Litestar application over one composition root.

Nothing happens at import time; each call builds an independent app (own metrics
registry), so tests can build several. Controllers stay thin: they decode, call
one use case, encode.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from entrypoints.logs import CorrelationMiddleware, ensure_request_id

from .actions import AdminActionsController
from .admin import AdminLeadsController
from .admin_csv import leads_spreadsheet
from .book import AdminBookController  # issue 9 (B-37)
from .bookings import booking_file  # issue 9 (B-50)
from .checkout_pages import CheckoutPagesController
from .errors import EXCEPTION_HANDLERS
from .health import healthz, readyz
from .inbox.wiring import InboxState, inbox_handlers, template_config
from .meta import MetaWebhookController
from .metrics import Metrics, metrics
from .pages import OneTapController
from .privacy import PrivacyController  # issue 10 (B-40, B-49)
from .stripe import SignatureRefusals, StripeWebhookController
from .twilio import TwilioWebhook, TwilioWebhookController
from .webhook import MetaWebhook

SCHEMA_PATH = "/schema"


def _version() -> str:
    try:
        return version("inkbook")
    except PackageNotFoundError:
        return "0.0.0"


def openapi_config() -> OpenAPIConfig:
    """The document at ``GET /schema`` and ``/schema/openapi.json``; a UI at ``/schema/swagger``."""
    return OpenAPIConfig(
        title="Inkbook",
        version=_version(),
        description="WhatsApp booking assistant for tattoo artists: webhooks and admin API.",
        path=SCHEMA_PATH,
        render_plugins=[
            JsonRenderPlugin(path=["/", "/openapi.json"]),
            YamlRenderPlugin(),
            SwaggerRenderPlugin(),
        ],
        components=Components(
            security_schemes={
                "BearerAuth": SecurityScheme(
                    type="http", scheme="bearer", description="INKBOOK_ADMIN_API_KEY"
                )
            }
        ),
    )


def create_app(container: Any) -> Litestar:
    settings = container.settings()
    app_metrics = Metrics()
    store = container.store()
    app_metrics.watch_group_commits(
        container.handle_inbound_batch(),
        lambda: getattr(getattr(store, "batch", None), "fallbacks", 0),
    )
    state = State(
        {
            "container": container,
            "settings": settings,
            "metrics": app_metrics,
            "meta_webhook": MetaWebhook(container, app_metrics),
            "twilio_webhook": TwilioWebhook(container, app_metrics),  # issue 13
            "inbox": InboxState(container, settings),  # the artist's inbox (issue 14)
            "stripe_refusals": SignatureRefusals(container),
        }
    )
    return Litestar(
        route_handlers=[
            healthz,
            readyz,
            metrics,
            MetaWebhookController,
            TwilioWebhookController,
            AdminLeadsController,
            booking_file,  # issue 9 (B-50)
            AdminBookController,  # issue 9 (B-37)
            PrivacyController,  # issue 10 (B-40, B-49)
            leads_spreadsheet,
            *inbox_handlers(),
            # issue 8: artist actions, Stripe webhook, one-tap links, test checkout
            AdminActionsController,
            StripeWebhookController,
            OneTapController,
            CheckoutPagesController,
        ],
        template_config=template_config(),
        state=state,
        middleware=[CorrelationMiddleware()],
        before_send=[ensure_request_id],
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=openapi_config(),
        logging_config=None,  # logging belongs to entrypoints.logs.configure_logging
        debug=False,
    )
