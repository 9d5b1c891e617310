"""Who is signed in, and is this form really theirs (B-43)."""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.datastructures import FormMultiDict
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_403_FORBIDDEN, HTTP_404_NOT_FOUND

from entrypoints.http.inbox.sessions import SESSION_COOKIE, Session
from ports.users import InboxUser

INBOX = "/inbox"
LOGIN = "/inbox/login"


class SignInNeeded(Exception):
    """No valid session: the page sends the browser to the sign-in form."""


class CsrfRefused(Exception):
    """A form without its session's CSRF token."""


class SignedIn:
    """The session and the login behind it, re-read on every request."""

    def __init__(self, session: Session, user: InboxUser) -> None:
        self.session = session
        self.user = user

    @property
    def studio(self) -> str:
        return self.user.studio

    @property
    def csrf(self) -> str:
        return self.session.csrf


async def signed_in(request: Request[Any, Any, Any]) -> SignedIn:
    state = request.app.state
    now = state.container.clock().now()
    session = state.inbox.sessions.read(request.cookies.get(SESSION_COOKIE), now)
    if session is None:
        raise SignInNeeded
    user = await state.container.logins().get(session.email)
    if user is None or user.studio != session.studio:  # removed, or moved to another studio
        raise SignInNeeded
    return SignedIn(session, user)


def same_token(given: object, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


async def checked_form(request: Request[Any, Any, Any], expected: str) -> FormMultiDict:
    """The posted form, if it carries ``expected`` as its ``csrf`` field."""
    form = await request.form()
    if not same_token(form.get("csrf"), expected):
        raise CsrfRefused
    return form


def safe_next(path: str | None) -> str:
    """Only a path inside the inbox: never an address elsewhere (no open redirect)."""
    if path and path.startswith(INBOX) and not path.startswith("//") and "\\" not in path:
        return path
    return INBOX


def _to_login(request: Request[Any, Any, Any], _: SignInNeeded) -> Response[Any]:
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += f"?{request.url.query}"
    return Redirect(f"{LOGIN}?next={quote(safe_next(target), safe='/')}", status_code=303)


def _forbidden(_: Request[Any, Any, Any], __: CsrfRefused) -> Response[Any]:
    return Template(
        template_name="inbox/problem.html",
        context={"title": "Form expired", "message": "This form has expired or did not come "
                 "from the inbox. Go back, reload the page and try again."},
        status_code=HTTP_403_FORBIDDEN,
    )


def _not_found(_: Request[Any, Any, Any], __: NotFoundException) -> Response[Any]:
    return Template(
        template_name="inbox/problem.html",
        context={"title": "Not found", "message": "There is no such lead in your inbox."},
        status_code=HTTP_404_NOT_FOUND,
    )


# Every inbox answer: nothing from elsewhere runs or loads, no framing (the action buttons
# cannot be clicked through another site), and personal data is not cached.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

PAGE_ERRORS: Any = {SignInNeeded: _to_login, CsrfRefused: _forbidden, NotFoundException: _not_found}
