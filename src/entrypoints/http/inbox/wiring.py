"""What ``create_app`` adds for the inbox: routes, static files, templates, state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from entrypoints.http.inbox.acting import act, inbox_actions
from entrypoints.http.inbox.live import lead_events, list_events
from entrypoints.http.inbox.login import LoginController
from entrypoints.http.inbox.pages import InboxController
from entrypoints.http.inbox.sessions import SessionSigner
from entrypoints.http.inbox.throttle import LoginThrottle
from entrypoints.settings import Settings

HTTP = Path(__file__).resolve().parents[1]
TEMPLATES = HTTP / "templates"
STATIC = HTTP / "static"


class InboxState:
    """Per app: the session signer, the sign-in throttle and the offered actions."""

    def __init__(self, container: Any, settings: Settings) -> None:
        self.sessions = SessionSigner(
            settings.secret, settings.inbox_session
        )
        self.throttle = LoginThrottle(
            free=settings.inbox_login_free_attempts,
            delay=settings.inbox_login_delay.total_seconds(),
            delay_max=settings.inbox_login_delay_max.total_seconds(),
        )
        self.actions = inbox_actions()
        # True once the server is shutting down: event streams then end (``inkbook serve``
        # sets it; elsewhere they end after ``inbox_stream`` or the shutdown grace).
        self.stopping: Callable[[], bool] = lambda: False


def inbox_handlers() -> list[Any]:
    return [
        LoginController,
        InboxController,
        lead_events,
        list_events,
        act,
        create_static_files_router(
            path="/static", directories=[STATIC], name="static", include_in_schema=False
        ),
    ]


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)
