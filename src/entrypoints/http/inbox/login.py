"""``/inbox/login`` and ``/inbox/logout``: the sign-in form, its CSRF token, slow failures."""

from __future__ import annotations

import math
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, State
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_401_UNAUTHORIZED, HTTP_429_TOO_MANY_REQUESTS

from entrypoints.http.inbox.auth import (
    INBOX,
    LOGIN,
    PAGE_ERRORS,
    PAGE_HEADERS,
    checked_form,
    safe_next,
    signed_in,
)
from entrypoints.http.inbox.sessions import LOGIN_COOKIE, SESSION_COOKIE, new_token


def _cookie(state: State, key: str, value: str, max_age: int | None) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path="/",
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=state.settings.secure_cookies,
    )


def _form(state: State, next_path: str, token: str, *, status: int = 200,
          message: str | None = None, email: str = "",
          headers: dict[str, str] | None = None) -> Template:
    return Template(
        template_name="inbox/login.html",
        context={"csrf": token, "next": next_path, "message": message, "email": email},
        status_code=status,
        cookies=[_cookie(state, LOGIN_COOKIE, token, max_age=3600)],
        headers=headers,
    )


class LoginController(Controller):
    path = INBOX
    include_in_schema = False
    exception_handlers = PAGE_ERRORS
    response_headers = PAGE_HEADERS

    @get("/login")
    async def form(self, request: Request[Any, Any, Any], state: State,
                   next: Annotated[str | None, QueryParameter()] = None) -> Response[Any]:
        token = request.cookies.get(LOGIN_COOKIE) or new_token()
        return _form(state, safe_next(next), token)

    @post("/login", status_code=200)
    async def sign_in(self, request: Request[Any, Any, Any], state: State) -> Response[Any]:
        expected = request.cookies.get(LOGIN_COOKIE) or ""
        form = await checked_form(request, expected) if expected else await _refuse(request)
        email = str(form.get("email", "")).strip()[:320]
        password = str(form.get("password", ""))[:1024]
        next_path = safe_next(str(form.get("next", "")))
        address = request.client.host if request.client else ""
        keys = (f"email:{email.lower()}", f"address:{address}")
        throttle, now = state.inbox.throttle, state.container.clock().now()
        wait = throttle.retry_after(keys, now)
        if wait > 0:
            seconds = math.ceil(wait)
            return _form(state, next_path, expected, status=HTTP_429_TOO_MANY_REQUESTS,
                         email=email, headers={"Retry-After": str(seconds)},
                         message=f"Too many failed sign-ins. Try again in {seconds} seconds.")
        user = await state.container.logins().sign_in(email, password)
        if user is None:
            throttle.failed(keys, now)
            return _form(state, next_path, expected, status=HTTP_401_UNAUTHORIZED, email=email,
                         message="Wrong email or password.")
        throttle.succeeded(keys)
        _, cookie = state.inbox.sessions.issue(user.email, user.studio, now)
        lifetime = int(state.inbox.sessions.lifetime.total_seconds())
        return Redirect(next_path, status_code=303, cookies=[
            _cookie(state, SESSION_COOKIE, cookie, max_age=lifetime),
            _cookie(state, LOGIN_COOKIE, "", max_age=0),
        ])

    @post("/logout", status_code=200)
    async def sign_out(self, request: Request[Any, Any, Any], state: State) -> Response[Any]:
        you = await signed_in(request)
        await checked_form(request, you.csrf)
        return Redirect(LOGIN, status_code=303,
                        cookies=[_cookie(state, SESSION_COOKIE, "", max_age=0)])


async def _refuse(request: Request[Any, Any, Any]) -> Any:
    """A sign-in without the form's cookie: no token to compare, so always refused."""
    return await checked_form(request, new_token())
