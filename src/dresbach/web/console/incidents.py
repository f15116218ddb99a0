"""`/console/incidents`: operators open, update and close incidents (the same service as
`dresbach incidents`, each move audited under the operator's username); the closing's
"Resolvido" messages leave at once."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.incidents import service as incidents
from dresbach.features.incidents.service import IncidentError
from dresbach.features.operators.service import Session
from dresbach.platform.clock import utcnow
from dresbach.web.console import auth
from dresbach.web.console.views import render

NOTICES = {
    "aberto": "Incidente aberto. Quem escrever sobre site fora do ar recebe a mensagem primeiro.",
    "atualizado": "Incidente atualizado. Os clientes recebem a nova mensagem a partir de agora.",
    "encerrado": "Incidente encerrado. Quem perguntou sobre ele recebe o aviso de resolvido.",
}


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def routes(container: Container) -> list[Route]:
    db = container.db

    async def listing(
        request: Request, session: Session, *, status: int = 200, error: str = ""
    ) -> Response:
        found = await db.run(incidents.latest, db.engine)
        return render(
            "console_incidents.html",
            status_code=status,
            session=session,
            section="incidents",
            open_ones=[(i, n) for i, n in found if i.is_open],
            closed=[(i, n) for i, n in found if not i.is_open],
            notice=NOTICES.get(request.query_params.get("feito", ""), ""),
            error=error,
        )

    async def show(request: Request, session: Session) -> Response:
        return await listing(request, session)

    async def open_one(request: Request, session: Session, form: FormData) -> Response:
        try:
            await db.run(
                lambda: incidents.open_incident(
                    db.engine,
                    title=_field(form, "title"),
                    message=_field(form, "message"),
                    servers=[_field(form, "servers")],
                    by=session.operator.username,
                    now=utcnow(),
                )
            )
        except IncidentError as problem:
            return await listing(request, session, status=400, error=str(problem))
        return RedirectResponse("/console/incidents?feito=aberto", status_code=303)

    async def update_one(request: Request, session: Session, form: FormData) -> Response:
        incident_id = int(request.path_params["incident_id"])
        try:
            await db.run(
                lambda: incidents.update_incident(
                    db.engine,
                    incident_id,
                    message=_field(form, "message"),
                    title=_field(form, "title") or None,
                    servers=[_field(form, "servers")],
                    by=session.operator.username,
                    now=utcnow(),
                )
            )
        except IncidentError as problem:
            return await listing(request, session, status=409, error=str(problem))
        return RedirectResponse("/console/incidents?feito=atualizado", status_code=303)

    async def close_one(request: Request, session: Session, _form: FormData) -> Response:
        incident_id = int(request.path_params["incident_id"])
        try:
            await db.run(
                lambda: incidents.close_incident(
                    db.engine, incident_id, by=session.operator.username, now=utcnow()
                )
            )
        except IncidentError as problem:
            return await listing(request, session, status=409, error=str(problem))
        container.pipeline.on_enqueued()  # the "Resolvido" messages leave now
        container.pipeline.on_jobs()
        return RedirectResponse("/console/incidents?feito=encerrado", status_code=303)

    return [
        Route("/console/incidents", auth.page(container, show), methods=["GET"]),
        Route("/console/incidents", auth.action(container, open_one), methods=["POST"]),
        Route(
            "/console/incidents/{incident_id:row_id}/update",
            auth.action(container, update_one),
            methods=["POST"],
        ),
        Route(
            "/console/incidents/{incident_id:row_id}/close",
            auth.action(container, close_one),
            methods=["POST"],
        ),
    ]
