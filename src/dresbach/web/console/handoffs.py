"""`/console` (the queue) and `/console/conversations/{id}`: take a waiting conversation, reply
(in text, or with an image or a PDF), hand it back to the bot or close it. Both pages poll a
partial every 3 seconds (htmx), so new hand-offs, the customer's messages and delivery statuses
show up without reloading."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.handoff.files import LARGEST
from dresbach.features.handoff.labels import LABELS, UNKNOWN_LABEL
from dresbach.features.handoff.service import HandOffError, History, PriceWarning, QueueItem
from dresbach.features.handoff.teams import roster
from dresbach.features.operators import roles
from dresbach.features.operators import service as operators
from dresbach.features.operators.canned import CannedError
from dresbach.features.operators.service import Session
from dresbach.platform.clock import utcnow
from dresbach.platform.inbound import media
from dresbach.platform.observe.audit import mask_key
from dresbach.web.console import auth, canned
from dresbach.web.console.views import render, waited

DELIVERY_PT = {
    "pending": "na fila de envio",
    "sent": "enviada ✓",
    "delivered": "entregue ✓✓",
    "read": "lida ✓✓",
    "failed": "não entregue",
}
NOTICES = {
    "assumido": "Você assumiu o atendimento. O cliente foi avisado.",
    "transferido": "Atendimento transferido.",
    "devolvido": "Conversa devolvida ao assistente.",
    "encerrado": "Atendimento encerrado.",
    "arquivo": "Arquivo na fila de envio ao cliente.",
    "nota": "Nota salva. Só a equipe vê; o cliente não recebe.",
}
CANNED = re.compile(r"^/[A-Za-z0-9_-]{2,30}$")
"""A reply that is only a shortcut: the canned reply it names is sent instead."""
UPLOADS = {r"/console/conversations/[0-9]{1,18}/file": LARGEST + 1024 * 1024}
"""The body cap of the file upload (the largest file WhatsApp carries, and room for the form)."""
MAX_REPLY = 8000
"""Read from the form at most this much; the hand-off service refuses what WhatsApp would."""


def _queue_context(items: list[QueueItem], session: Session, team: str = "") -> dict[str, Any]:
    """The queue, of one team when `team` names it (`?equipe=`); meetings apart."""
    now = utcnow()
    shown = [i for i in items if not team or (i.team or "") == team]
    teams = sorted({(i.team or "", i.team_name) for i in items if i.status == "waiting"})
    return {
        "session": session,
        "team": team,
        "teams": teams,
        "waiting": [i for i in shown if i.status == "waiting" and not i.meeting],
        "meetings": [i for i in shown if i.meeting],
        "active": [i for i in shown if i.status == "active"],
        "me": session.operator.username,
        "ago": lambda moment: waited(moment, now),
    }


Files = dict[str, media.Kept]
"""The files the customer sent in the conversation, by media id."""


def routes(container: Container) -> list[Route]:
    service = container.handoff

    async def queue_page(request: Request, session: Session) -> Response:
        items = await service.queue()
        return render(
            "console_queue.html",
            section="queue",
            mentions=await service.mentions(session.operator.username),
            notice=NOTICES.get(request.query_params.get("feito", ""), ""),
            **_queue_context(items, session, request.query_params.get("equipe", "")[:40]),
        )

    async def queue_partial(request: Request, session: Session) -> Response:
        items = await service.queue()
        team = request.query_params.get("equipe", "")[:40]
        return render("console_queue_list.html", **_queue_context(items, session, team))

    async def load(handoff_id: int) -> tuple[QueueItem | None, History, Files] | None:
        try:
            history = await service.history(handoff_id=handoff_id)
        except HandOffError:
            return None
        item = next((i for i in await service.queue() if i.handoff_id == handoff_id), None)
        sent = [e.media_id for e in history.entries if e.media_id]
        files = await container.db.run(media.described_all, container.db.engine, sent)
        return item, history, files

    def conversation_context(
        session: Session,
        handoff_id: int,
        item: QueueItem | None,
        history: History,
        files: Files,
    ) -> dict[str, Any]:
        return {
            "files": files,
            "inline_files": [f for f in files.values() if f.status == "kept"],
            "session": session,
            "handoff_id": handoff_id,
            "item": item,
            "history": history,
            "customer": (history.profile_name or "").strip() or mask_key(history.conversation_key),
            "mine": item is not None and item.taken_by == session.operator.username,
            "delivery": DELIVERY_PT,
            "labels": LABELS,
        }

    async def conversation_page(
        request: Request,
        session: Session,
        *,
        status: int = 200,
        error: str = "",
        draft: str = "",
        price_warning: str = "",
        note_draft: str = "",
    ) -> Response:
        handoff_id = int(request.path_params["handoff_id"])
        loaded = await load(handoff_id)
        if loaded is None:
            return render(
                "console_not_found.html", status_code=404, session=session, section="queue"
            )
        item, history, files = loaded
        return render(
            "console_conversation.html",
            status_code=status,
            notes=await service.notes(handoff_id),
            note_draft=note_draft,
            section="queue",
            error=error,
            draft=draft,
            price_warning=price_warning,
            transfers=await service.transfers(handoff_id),
            teams=await container.db.run(roster.all_teams, container.db.engine),
            colleagues=[
                o
                for o in await container.db.run(operators.list_operators, container.db.engine)
                if o.username != session.operator.username
            ],
            lead=roles.allowed(session.operator, "team_lead"),
            notice=NOTICES.get(request.query_params.get("feito", ""), ""),
            **conversation_context(session, handoff_id, item, history, files),
        )

    async def show(request: Request, session: Session) -> Response:
        return await conversation_page(request, session)

    async def history_partial(request: Request, session: Session) -> Response:
        handoff_id = int(request.path_params["handoff_id"])
        loaded = await load(handoff_id)
        if loaded is None:
            return render("console_not_found.html", status_code=404, session=session)
        item, history, files = loaded
        return render(
            "console_history.html",
            **conversation_context(session, handoff_id, item, history, files),
        )

    def here(request: Request, done: str = "") -> Response:
        target = f"/console/conversations/{request.path_params['handoff_id']}"
        return RedirectResponse(f"{target}?feito={done}" if done else target, status_code=303)

    async def take(request: Request, session: Session, _form: FormData) -> Response:
        try:
            await service.take(int(request.path_params["handoff_id"]), session.operator.username)
        except HandOffError as error:
            return await conversation_page(request, session, status=409, error=str(error))
        return here(request, "assumido")

    async def reply(request: Request, session: Session, form: FormData) -> Response:
        raw, chosen = form.get("body"), form.get("canned")
        body = raw[:MAX_REPLY] if isinstance(raw, str) else ""
        typed = body.strip()
        if not isinstance(chosen, str) and CANNED.match(typed):
            chosen = typed  # "/dns" alone: the canned reply, if there is one by that shortcut
        try:
            if isinstance(chosen, str):
                body = await canned.filled(
                    container, int(request.path_params["handoff_id"]), chosen
                )
            await service.reply(
                int(request.path_params["handoff_id"]),
                session.operator.username,
                body,
                price_confirmed=form.get("confirm_price") == "1",
            )
        except PriceWarning as warning:  # not sent: the operator reads the rule and decides
            return await conversation_page(
                request, session, status=409, draft=body, price_warning=str(warning)
            )
        except (HandOffError, CannedError) as error:
            return await conversation_page(
                request, session, status=409, error=str(error), draft=body
            )
        return here(request)

    async def send_file(request: Request, session: Session, form: FormData) -> Response:
        """An image or a PDF for the customer (multipart: `file`, optional `caption`)."""
        upload, raw = form.get("file"), form.get("caption")
        caption = raw[:MAX_REPLY] if isinstance(raw, str) else ""
        data, filename = b"", ""
        if isinstance(upload, UploadFile):
            data, filename = await upload.read(LARGEST + 1), upload.filename or ""
        try:
            await service.send_file(
                int(request.path_params["handoff_id"]),
                session.operator.username,
                data,
                filename,
                caption,
            )
        except HandOffError as error:  # a price in the caption too: the operator rewrites it
            return await conversation_page(request, session, status=422, error=str(error))
        return here(request, "arquivo")

    async def note(request: Request, session: Session, form: FormData) -> Response:
        raw = form.get("note")
        body = raw[:MAX_REPLY] if isinstance(raw, str) else ""
        try:
            await service.note(
                int(request.path_params["handoff_id"]), session.operator.username, body
            )
        except HandOffError as error:
            return await conversation_page(
                request, session, status=409, error=str(error), note_draft=body
            )
        return here(request, "nota")

    async def transfer(request: Request, session: Session, form: FormData) -> Response:
        target = str(form.get("to") or "")
        kind, _, name = target.partition(":")
        note = str(form.get("note") or "")[:MAX_REPLY]
        try:
            await service.transfer(
                int(request.path_params["handoff_id"]),
                session.operator.username,
                to_operator=name if kind == "operador" else None,
                to_team=name if kind == "equipe" else None,
                note=note,
                any_operator=roles.allowed(session.operator, "team_lead"),
            )
        except HandOffError as error:
            return await conversation_page(request, session, status=409, error=str(error))
        return RedirectResponse("/console?feito=transferido", status_code=303)

    async def hand_back(request: Request, session: Session, _form: FormData) -> Response:
        try:
            await service.hand_back(
                int(request.path_params["handoff_id"]), session.operator.username
            )
        except HandOffError as error:
            return await conversation_page(request, session, status=409, error=str(error))
        return RedirectResponse("/console?feito=devolvido", status_code=303)

    async def close(request: Request, session: Session, form: FormData) -> Response:
        label = form.get("label")
        if not isinstance(label, str) or label not in LABELS:
            return await conversation_page(request, session, status=409, error=UNKNOWN_LABEL)
        try:
            await service.close(
                int(request.path_params["handoff_id"]), session.operator.username, label=label
            )
        except HandOffError as error:
            return await conversation_page(request, session, status=409, error=str(error))
        return RedirectResponse("/console?feito=encerrado", status_code=303)

    base = "/console/conversations/{handoff_id:row_id}"
    return [
        Route("/console", auth.page(container, queue_page), methods=["GET"]),
        Route("/console/partials/queue", auth.page(container, queue_partial), methods=["GET"]),
        Route(base, auth.page(container, show), methods=["GET"]),
        Route(f"{base}/history", auth.page(container, history_partial), methods=["GET"]),
        Route(f"{base}/take", auth.action(container, take), methods=["POST"]),
        Route(f"{base}/reply", auth.action(container, reply), methods=["POST"]),
        Route(f"{base}/file", auth.action(container, send_file), methods=["POST"]),
        Route(f"{base}/transfer", auth.action(container, transfer), methods=["POST"]),
        Route(f"{base}/hand-back", auth.action(container, hand_back), methods=["POST"]),
        Route(f"{base}/close", auth.action(container, close), methods=["POST"]),
        Route(f"{base}/notes", auth.action(container, note), methods=["POST"]),
    ]
