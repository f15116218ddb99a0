"""`/console/canned`: the canned replies (respostas prontas), listed, saved and removed; and,
in a conversation, the replies whose shortcut the operator is typing (`/dns` in the reply box),
each shown filled in for this hand-off, ready to send."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.operators import canned
from dresbach.features.operators.canned import VARIABLES, CannedError, CannedReply
from dresbach.features.operators.service import Session
from dresbach.platform.clock import utcnow
from dresbach.web.console import auth
from dresbach.web.console.admin import requires
from dresbach.web.console.views import render

NOTICES = {
    "salva": "Resposta pronta salva.",
    "removida": "Resposta pronta removida.",
}
MAX_FIELD = 5000


@dataclass(frozen=True, slots=True)
class Match:
    """A canned reply offered in a conversation: its text for this customer, or why not."""

    reply: CannedReply
    text: str
    problem: str


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value[:MAX_FIELD] if isinstance(value, str) else ""


async def filled(container: Container, handoff_id: int, shortcut: str) -> str:
    """The canned reply `shortcut` filled for this hand-off; CannedError when it does not
    exist or lacks a variable's value."""
    db = container.db
    found = await db.run(canned.find, db.engine, shortcut)
    if found is None:
        raise CannedError(f"Resposta pronta /{canned.shortcut_of(shortcut)} não encontrada.")
    values = await db.run(canned.values_for, db.engine, handoff_id)
    return canned.fill(found, values)


def routes(container: Container) -> list[Route]:
    db = container.db

    async def listing(
        request: Request,
        session: Session,
        *,
        status: int = 200,
        error: str = "",
        draft: dict[str, str] | None = None,
    ) -> Response:
        typed = request.query_params.get("busca", "")[:40]
        replies = await db.run(canned.search, db.engine, typed)
        editing = request.query_params.get("editar", "")[:40]
        if draft is None and editing:  # the form filled with the reply to change
            found = await db.run(canned.find, db.engine, editing)
            if found is not None:
                draft = {"shortcut": found.shortcut, "title": found.title, "body": found.body}
        return render(
            "console_canned.html",
            status_code=status,
            section="canned",
            session=session,
            replies=replies,
            typed=typed,
            variables=VARIABLES,
            error=error,
            draft=draft or {},
            notice=NOTICES.get(request.query_params.get("feito", ""), ""),
        )

    async def page(request: Request, session: Session) -> Response:
        return await listing(request, session)

    async def save(request: Request, session: Session, form: FormData) -> Response:
        draft = {k: _field(form, k) for k in ("shortcut", "title", "body")}
        try:
            await db.run(
                canned.save,
                db.engine,
                draft["shortcut"],
                draft["title"],
                draft["body"],
                session.operator.username,
                utcnow(),
            )
        except CannedError as error:
            return await listing(request, session, status=409, error=str(error), draft=draft)
        return RedirectResponse("/console/canned?feito=salva", status_code=303)

    async def remove(request: Request, session: Session, form: FormData) -> Response:
        try:
            await db.run(
                canned.remove,
                db.engine,
                _field(form, "shortcut"),
                session.operator.username,
                utcnow(),
            )
        except CannedError as error:
            return await listing(request, session, status=404, error=str(error))
        return RedirectResponse("/console/canned?feito=removida", status_code=303)

    async def matches(request: Request, session: Session) -> Response:
        handoff_id = int(request.path_params["handoff_id"])
        typed = request.query_params.get("body", "")[:40]
        found: list[Match] = []
        if typed.startswith("/"):
            values = await db.run(canned.values_for, db.engine, handoff_id)
            for reply in await db.run(canned.search, db.engine, typed, 8):
                try:
                    found.append(Match(reply, canned.fill(reply, values), ""))
                except CannedError as problem:
                    found.append(Match(reply, "", str(problem)))
        return render(
            "console_canned_matches.html",
            session=session,
            handoff_id=handoff_id,
            matches=found,
            typed=typed,
        )

    admins = requires("admin")  # every operator reads and sends them; admins manage them
    return [
        Route("/console/canned", auth.page(container, page), methods=["GET"]),
        Route("/console/canned", auth.action(container, admins(save)), methods=["POST"]),
        Route("/console/canned/remove", auth.action(container, admins(remove)), methods=["POST"]),
        Route(
            "/console/conversations/{handoff_id:row_id}/canned",
            auth.page(container, matches),
            methods=["GET"],
        ),
    ]
