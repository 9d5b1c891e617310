"""The artist's web inbox: login, leads, a lead's page, live updates, CSV (issue 14).

Server-rendered (Jinja2 templates under ``templates/inbox``, htmx shipped in
``static``); every page needs a session, every form its CSRF token (B-43).
"""

from entrypoints.http.inbox.login import LoginController
from entrypoints.http.inbox.pages import InboxController

__all__ = ["InboxController", "LoginController"]
