"""`/console/login` and `/console/logout`."""

from __future__ import annotations

import asyncio
import secrets

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.operators import service as operators
from dresbach.features.operators.service import Session
from dresbach.platform.clock import utcnow
from dresbach.web.console import auth
from dresbach.web.console.views import render, secured

MAX_FIELD = 200


def routes(container: Container) -> list[Route]:
    db = container.db

    def form_page(
        next_path: str, *, status: int = 200, error: str = "", notice: str = "", username: str = ""
    ) -> Response:
        token = secrets.token_urlsafe(32)
        response = render(
            "console_login.html",
            status_code=status,
            next=next_path,
            error=error,
            notice=notice,
            username=username,
            login_token=token,
        )
        auth.set_login_cookie(container, response, token)
        return response

    async def show(request: Request) -> Response:
        next_path = auth.safe_next(request.query_params.get("next"))
        if await auth.current_session(container, request) is not None:
            return secured(RedirectResponse(next_path, status_code=303))
        notice = "Você saiu do console." if request.query_params.get("saiu") else ""
        return form_page(next_path, notice=notice)

    async def submit(request: Request) -> Response:
        form = await request.form()
        if not auth.same_token(form.get("csrf_token"), request.cookies.get(auth.LOGIN_COOKIE)):
            return auth.forbidden()
        next_path = auth.safe_next(_text(form, "next"))
        username = _text(form, "username").strip()
        password = _text(form, "password")
        if not username or not password:
            return form_page(
                next_path, status=400, error="Informe o usuário e a senha.", username=username
            )
        # argon2 is slow on purpose: off the event loop, and off the database's writer thread
        login = await asyncio.to_thread(
            operators.authenticate, db.engine, username, password, utcnow()
        )
        if login.outcome != "ok" or login.operator is None:
            status = 429 if login.outcome == "locked" else 401
            return form_page(next_path, status=status, error=login.message, username=username)
        opened = await db.run(operators.open_session, db.engine, login.operator, utcnow())
        response = secured(RedirectResponse(next_path, status_code=303))
        auth.set_session_cookie(container, response, opened.token)
        response.delete_cookie(
            auth.LOGIN_COOKIE,
            path=auth.LOGIN_PATH,
            secure=auth.secure_cookies(container),
            httponly=True,
            samesite="strict",
        )
        return response

    async def logout(request: Request, session: Session, _form: FormData) -> Response:
        token = request.cookies.get(auth.COOKIE, "")
        await db.run(operators.close_session, db.engine, token)
        await db.run(
            operators.record_action,
            db.engine,
            session.operator.username,
            "operator_logout",
            utcnow(),
        )
        response = RedirectResponse(f"{auth.LOGIN_PATH}?saiu=1", status_code=303)
        auth.clear_session_cookie(container, response)
        return response

    return [
        Route("/console/login", show, methods=["GET"]),
        Route("/console/login", submit, methods=["POST"]),
        Route("/console/logout", auth.action(container, logout), methods=["POST"]),
    ]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value[:MAX_FIELD] if isinstance(value, str) else ""
