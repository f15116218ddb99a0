"""Who is at the console: the session cookie, and the CSRF check on every POST.

The session cookie carries the random token (its SHA-256 is what the database keeps); it is
HttpOnly, SameSite=Strict, limited to `/console`, and Secure unless the sandbox or
`DRESBACH_INSECURE_COOKIES=1` says otherwise.
Every POST must carry the session's CSRF token, as the form field `csrf_token` or the header
`X-CSRF-Token` (htmx); the login form, which has no session yet, carries the token of a
short-lived cookie of its own (double submit). A page without a session redirects to the login;
a POST with a missing or wrong token gets a 403 page.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dresbach.bootstrap import Container
from dresbach.features.operators import service as operators
from dresbach.features.operators.service import Session
from dresbach.platform.clock import utcnow
from dresbach.web.console.views import render, secured

COOKIE = "dresbach_console"
LOGIN_COOKIE = "dresbach_console_login"
PATH = "/console"
LOGIN_PATH = "/console/login"

Page = Callable[[Request, Session], Awaitable[Response]]
Action = Callable[[Request, Session, FormData], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def secure_cookies(container: Container) -> bool:
    """`Secure` always, unless the sandbox (plain http on 127.0.0.1) or an explicit
    `DRESBACH_INSECURE_COOKIES=1` says otherwise: never guessed from the public URL."""
    settings = container.settings
    return not (settings.sandbox or settings.insecure_cookies)


def set_session_cookie(container: Container, response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(operators.SESSION_TTL.total_seconds()),
        path=PATH,
        secure=secure_cookies(container),
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(container: Container, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path=PATH, secure=secure_cookies(container), httponly=True, samesite="strict"
    )


def set_login_cookie(container: Container, response: Response, token: str) -> None:
    """The login form's token, also set as its cookie (double submit)."""
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=LOGIN_PATH,
        secure=secure_cookies(container),
        httponly=True,
        samesite="strict",
    )


def same_token(supplied: Any, expected: str | None) -> bool:
    return (
        isinstance(supplied, str)
        and bool(supplied)
        and bool(expected)
        and secrets.compare_digest(supplied.encode(), (expected or "").encode())
    )


def safe_next(target: str | None) -> str:
    """Where to go after the login: only a console path (no open redirect)."""
    if target and target.startswith(PATH) and not target.startswith("//") and "\\" not in target:
        return target
    return PATH


async def current_session(container: Container, request: Request) -> Session | None:
    token = request.cookies.get(COOKIE, "")
    if not token:
        return None
    db = container.db
    return await db.run(operators.find_session, db.engine, token, utcnow())


def to_login(request: Request) -> Response:
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += "?" + request.url.query
    location = f"{LOGIN_PATH}?next={quote(target, safe='/')}"
    if request.headers.get("HX-Request"):  # htmx follows this header with a full page load
        return secured(Response(status_code=200, headers={"HX-Redirect": location}))
    return secured(RedirectResponse(location, status_code=303))


def forbidden() -> Response:
    return render("console_forbidden.html", status_code=403)


def page(container: Container, handler: Page) -> Endpoint:
    """A GET endpoint for a logged-in operator."""

    async def endpoint(request: Request) -> Response:
        session = await current_session(container, request)
        if session is None:
            return to_login(request)
        return secured(await handler(request, session))

    return endpoint


def action(container: Container, handler: Action) -> Endpoint:
    """A POST endpoint for a logged-in operator, with the session's CSRF token."""

    async def endpoint(request: Request) -> Response:
        session = await current_session(container, request)
        if session is None:
            return to_login(request)
        form = await request.form()
        supplied = request.headers.get("X-CSRF-Token") or form.get("csrf_token")
        if not same_token(supplied, session.csrf_token):
            return forbidden()
        return secured(await handler(request, session, form))

    return endpoint
