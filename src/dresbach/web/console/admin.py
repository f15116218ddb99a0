"""`/console/admin/teams` and `/console/admin/operators`: admins manage the teams (name, why
hand-offs come to them, hours, whether they assign, members) and the operators (new accounts,
roles, duty). Every change is audited; an operator or a team lead gets the forbidden page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.handoff.flow.topics import TOPICS, TOPICS_PT
from dresbach.features.handoff.teams import roster
from dresbach.features.operators import roles
from dresbach.features.operators import service as operators
from dresbach.features.operators.service import OperatorError, Session
from dresbach.platform.clock import utcnow
from dresbach.web.console import auth
from dresbach.web.console.views import render

NOTICES = {
    "equipe-criada": "Equipe criada.",
    "equipe-salva": "Equipe salva.",
    "atendente-criado": "Atendente cadastrado, de plantão.",
    "atendente-salvo": "Atendente salvo.",
}
FIELD_MAX = 200


def forbidden_by_role(session: Session) -> Response:
    return render("console_forbidden.html", status_code=403, session=session, by_role=True)


Handler = Callable[..., Awaitable[Response]]


def requires(role: str) -> Callable[[Handler], Handler]:
    """A console handler only operators with `role` or above may use (`roles.ROLES`); the
    others get the forbidden page."""

    def wrap(handler: Handler) -> Handler:
        async def checked(request: Request, session: Session, *rest: Any) -> Response:
            if not roles.allowed(session.operator, role):
                return forbidden_by_role(session)
            return await handler(request, session, *rest)

        return checked

    return wrap


def _text(form: FormData, name: str, limit: int = FIELD_MAX) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _list(form: FormData, name: str) -> list[str]:
    return [v[:FIELD_MAX] for v in form.getlist(name) if isinstance(v, str)]


def routes(container: Container) -> list[Route]:
    db = container.db

    admins = requires("admin")

    async def teams_page(
        request: Request, session: Session, *, status: int = 200, error: str = ""
    ) -> Response:
        return render(
            "console_admin_teams.html",
            status_code=status,
            section="teams",
            session=session,
            error=error,
            notice=NOTICES.get(request.query_params.get("feito", ""), ""),
            teams=await db.run(roster.all_teams, db.engine),
            operators=await db.run(operators.list_operators, db.engine),
            topics=[(t, TOPICS_PT[t]) for t in TOPICS],
        )

    async def save_team(request: Request, session: Session, form: FormData) -> Response:
        slug = request.path_params.get("slug") or _text(form, "slug", 40).strip().lower()
        create = "slug" not in request.path_params
        try:
            await db.run(
                lambda: roster.save_team(
                    db.engine,
                    session.operator.username,
                    utcnow(),
                    slug=slug,
                    name=_text(form, "name"),
                    topics=_list(form, "topics"),
                    auto_assign=form.get("auto_assign") == "1",
                    hours=_text(form, "hours"),
                    members=_list(form, "members"),
                    create=create,
                )
            )
        except roster.TeamError as error:
            return await teams_page(request, session, status=409, error=str(error))
        done = "equipe-criada" if create else "equipe-salva"
        return RedirectResponse(f"/console/admin/teams?feito={done}", status_code=303)

    async def operators_page(
        request: Request, session: Session, *, status: int = 200, error: str = ""
    ) -> Response:
        return render(
            "console_admin_operators.html",
            status_code=status,
            section="operators",
            session=session,
            error=error,
            notice=NOTICES.get(request.query_params.get("feito", ""), ""),
            operators=await db.run(operators.list_operators, db.engine),
            roles=[(r, roles.ROLES_PT[r]) for r in roles.ROLES],
        )

    async def add_operator(request: Request, session: Session, form: FormData) -> Response:
        phone = _text(form, "phone", 32).strip() or None
        try:
            role = roles.checked(_text(form, "role") or "operator")
            await db.run(
                lambda: operators.add_operator(
                    db.engine,
                    _text(form, "username", 80),
                    _text(form, "name", 120),
                    _text(form, "password"),
                    phone,
                    utcnow(),
                    by=session.operator.username,
                    role=role,
                )
            )
        except OperatorError as error:
            return await operators_page(request, session, status=409, error=str(error))
        return RedirectResponse("/console/admin/operators?feito=atendente-criado", status_code=303)

    async def save_operator(request: Request, session: Session, form: FormData) -> Response:
        username = str(request.path_params["username"])
        me, now = session.operator.username, utcnow()
        try:
            role = roles.checked(_text(form, "role"))
            if username == me and role != "admin":
                raise OperatorError("Você não pode tirar de si o papel de administrador.")
            await db.run(lambda: roles.set_role(db.engine, username, role, now, by=me))
            duty = form.get("on_duty") == "1"
            await db.run(lambda: operators.set_duty(db.engine, username, duty, now, by=me))
        except OperatorError as error:
            return await operators_page(request, session, status=409, error=str(error))
        return RedirectResponse("/console/admin/operators?feito=atendente-salvo", status_code=303)

    return [
        Route("/console/admin/teams", auth.page(container, admins(teams_page)), methods=["GET"]),
        Route("/console/admin/teams", auth.action(container, admins(save_team)), methods=["POST"]),
        Route(
            "/console/admin/teams/{slug}",
            auth.action(container, admins(save_team)),
            methods=["POST"],
        ),
        Route(
            "/console/admin/operators",
            auth.page(container, admins(operators_page)),
            methods=["GET"],
        ),
        Route(
            "/console/admin/operators",
            auth.action(container, admins(add_operator)),
            methods=["POST"],
        ),
        Route(
            "/console/admin/operators/{username}",
            auth.action(container, admins(save_operator)),
            methods=["POST"],
        ),
    ]
